// Bad shapes stop the program with a message that names both shapes.
//
// A failed precondition ends the process, so each case runs in a child process: the test bundle
// runs itself with one probe test selected and the case named in an environment variable, and
// the parent checks the child's exit and what it printed. This works where the XCTest bundle is
// an executable (Linux); elsewhere the tests are skipped.

import XCTest
import Foundation
@testable import LabKernel

/// The bad calls, by name. Each must stop the process.
private let shapeErrorCases: [String: @Sendable () -> Void] = [
    "matmul": { _ = matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5])) },
    "matmulTransposed": { _ = matmul(Tensor.zeros([2, 3]), transposed: Tensor.zeros([5, 4])) },
    "matmulNaive": { _ = matmulNaive(Tensor.zeros([2, 3]), Tensor.zeros([4, 5])) },
    "add": { _ = Tensor.zeros([2, 3]) + Tensor.zeros([2]) },
    "multiply": { _ = Tensor.zeros([3, 4]) * Tensor.zeros([4, 3]) },
    "reshape": { _ = Tensor.zeros([2, 3]).reshaped([4]) },
    "tensorInit": { _ = Tensor(shape: [2, 3], scalars: [1, 2, 3]) },
    "layerNorm": { _ = layerNorm(Tensor.zeros([2, 3]), weight: Tensor.ones([4]), bias: nil) },
    "crossEntropy": { _ = crossEntropy(logits: Tensor.zeros([2, 3]), targets: [0, 1, 2]) },
    "variableAdd": { _ = Variable(Tensor.zeros([2, 3])) + Variable(Tensor.zeros([3, 2])) },
]

final class ShapeErrorProbe: XCTestCase {
    /// Does nothing in a normal run; in a child process it performs the named bad call.
    func testProbe() {
        guard let name = ProcessInfo.processInfo.environment["LAB_SHAPE_ERROR_CASE"] else { return }
        shapeErrorCases[name]?()
        print("LAB_SHAPE_ERROR_CASE \(name) returned normally")
    }
}

final class ShapeErrorMessageTests: XCTestCase {
    func testMatmulNamesBothShapes() throws { try expectStop("matmul", saying: ["inner dimensions", "[2, 3]", "[4, 5]"]) }
    func testTransposedMatmulNamesBothShapes() throws { try expectStop("matmulTransposed", saying: ["[2, 3]", "[5, 4]"]) }
    func testNaiveMatmulNamesBothShapes() throws { try expectStop("matmulNaive", saying: ["[2, 3]", "[4, 5]"]) }
    func testAddRefusesToBroadcastAndNamesBothShapes() throws { try expectStop("add", saying: ["do not broadcast", "[2, 3]", "[2]"]) }
    func testMultiplyNamesBothShapes() throws { try expectStop("multiply", saying: ["[3, 4]", "[4, 3]"]) }
    func testReshapeNamesBothShapes() throws { try expectStop("reshape", saying: ["[2, 3]", "[4]"]) }
    func testTensorInitSaysHowManyElements() throws { try expectStop("tensorInit", saying: ["[2, 3]", "6", "3"]) }
    func testLayerNormNamesWeightAndInputShapes() throws { try expectStop("layerNorm", saying: ["weight", "[4]", "[2, 3]"]) }
    func testCrossEntropyCountsRowsAndTargets() throws { try expectStop("crossEntropy", saying: ["2 rows", "3 targets"]) }
    func testVariableOperationsNameBothShapes() throws { try expectStop("variableAdd", saying: ["[2, 3]", "[3, 2]"]) }

    /// Runs case `name` in a child process and checks that it stopped with every fragment in its output.
    private func expectStop(_ name: String, saying fragments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        #if os(Linux)
        let bundle = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        guard bundle.lastPathComponent.hasSuffix(".xctest") else {
            throw XCTSkip("the test bundle is not an executable here (\(bundle.lastPathComponent))")
        }
        let process = Process()
        process.executableURL = bundle
        process.arguments = ["LabKernelTests.ShapeErrorProbe/testProbe"]
        var environment = ProcessInfo.processInfo.environment
        environment["LAB_SHAPE_ERROR_CASE"] = name
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        XCTAssertFalse(output.contains("returned normally"), "case \(name) did not stop the program", file: file, line: line)
        XCTAssertEqual(process.terminationReason, .uncaughtSignal,
                       "case \(name) should stop with a trap; exit \(process.terminationStatus)\n\(output)", file: file, line: line)
        let message = output.split(separator: "\n").first { $0.contains("Fatal error") }.map(String.init) ?? output
        for fragment in fragments {
            XCTAssertTrue(message.contains(fragment), "case \(name): the message should mention \"\(fragment)\":\n\(message)",
                          file: file, line: line)
        }
        #else
        throw XCTSkip("child-process probes run on Linux only")
        #endif
    }
}
