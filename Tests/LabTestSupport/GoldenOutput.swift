// Golden-output comparison for lessons: a lesson run in --quick mode with timings masked must
// print what its committed golden file says.
//
// Text must match exactly; numbers with decimals may differ in their last printed digit (other CPUs and math
// libraries round the last bit differently). Numbers in scientific notation are error
// magnitudes (e.g. a gradient check's 2.3e-04) and only need the same order of magnitude.
// Set LAB_UPDATE_GOLDEN=1 to write the golden file from the current output instead of comparing.
// Golden files are made on Linux x86-64 (where CI runs); on other platforms a floating-point
// detail (which element of a gradient check is worst, a 1e-7 difference) can legitimately
// differ, so the comparison is skipped there with a message.

import XCTest
import Foundation

/// Compares `output` with the golden file `Tests/Fixtures/golden/<name>`; see the file header.
public func assertMatchesGolden(_ output: String, named name: String,
                                file: StaticString = #filePath, line: UInt = #line) throws {
    let url = RepositoryPaths.fixtures.appendingPathComponent("golden").appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["LAB_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try output.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    #if os(Linux) && arch(x86_64)
    try compareWithGolden(output, url: url, name: name, file: file, line: line)
    #else
    throw XCTSkip("golden output is compared on Linux x86-64 only, where \(name) was made")
    #endif
}

private func compareWithGolden(_ output: String, url: URL, name: String, file: StaticString, line: UInt) throws {
    guard let golden = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("missing golden file \(url.path); run the test once with LAB_UPDATE_GOLDEN=1 to create it", file: file, line: line)
        return
    }
    if let difference = goldenDifference(actual: output, golden: golden) {
        XCTFail("output differs from \(name) (regenerate with LAB_UPDATE_GOLDEN=1 if the change is intended):\n\(difference)",
                file: file, line: line)
    }
}

/// The first difference between `actual` and `golden` under the rules in the file header,
/// or nil when they match.
public func goldenDifference(actual: String, golden: String) -> String? {
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(actualLines.count, goldenLines.count) {
        let a = index < actualLines.count ? String(actualLines[index]) : "<end of output>"
        let g = index < goldenLines.count ? String(goldenLines[index]) : "<end of golden file>"
        if !linesMatch(a, g) {
            return "line \(index + 1):\n  golden: \(g)\n  actual: \(a)"
        }
    }
    return nil
}

private let numberPattern = try! NSRegularExpression(pattern: #"-?\d+(?:\.(\d+))?(?:e([-+]?\d+))?"#)

/// Splits a line into its text between numbers and the numbers themselves.
private func tokens(_ line: String) -> (text: [String], numbers: [(value: Double, decimals: Int, scientific: Bool)]) {
    let ns = line as NSString
    var text: [String] = []
    var numbers: [(Double, Int, Bool)] = []
    var last = 0
    for match in numberPattern.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
        text.append(ns.substring(with: NSRange(location: last, length: match.range.location - last)))
        let token = ns.substring(with: match.range)
        let decimals = match.range(at: 1).location == NSNotFound ? 0 : match.range(at: 1).length
        numbers.append((Double(token) ?? .nan, decimals, match.range(at: 2).location != NSNotFound))
        last = match.range.location + match.range.length
    }
    text.append(ns.substring(from: last))
    return (text, numbers)
}

private func linesMatch(_ actual: String, _ golden: String) -> Bool {
    if actual == golden { return true }
    let a = tokens(actual), g = tokens(golden)
    guard a.text == g.text, a.numbers.count == g.numbers.count else { return false }
    for (x, y) in zip(a.numbers, g.numbers) {
        if y.scientific {
            // An error magnitude: the same within a factor of 2.
            if x.value == y.value { continue }
            guard x.value != 0, y.value != 0, (0.5...2).contains(x.value / y.value) else { return false }
        } else {
            // Whole numbers (counts, sizes) must agree to 0.1%; decimals to two units in the
            // last printed place or 0.1%, whichever is larger.
            var unit = 0.0
            if y.decimals > 0 {
                unit = 2
                for _ in 0..<y.decimals { unit /= 10 }
            }
            guard abs(x.value - y.value) <= max(unit, 1e-3 * abs(y.value)) else { return false }
        }
    }
    return true
}
