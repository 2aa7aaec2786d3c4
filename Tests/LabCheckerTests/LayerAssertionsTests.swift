// The model-level assertion (LabTestSupport/LayerAssertions.swift): which layer diverges first,
// and what the report says about it and about the layers around it. As with assertClose, only
// passing assertions can run here; failures are tested through `layerDivergenceReport`.

import XCTest
import LabKernel
import LabTestSupport

final class LayerAssertionsTests: XCTestCase {
    /// Five layers of a toy model: each output is the previous one plus a step.
    private func layers(errorAt broken: Int? = nil, by error: Float = 0.25) -> [(name: String, output: Tensor)] {
        let names = ["embeddings", "h.0.attn", "h.0.mlp", "h.1.attn", "h.1.mlp"]
        var value = Tensor(shape: [2, 2], scalars: [0.5, -1, 2, 0])
        var result: [(name: String, output: Tensor)] = []
        for (index, name) in names.enumerated() {
            value = value * 0.5 + Float(index)
            if index == broken { value[0, 1] = value[0, 1] + error }   // the bug, carried into later layers
            result.append((name, value))
        }
        return result
    }

    func testMatchingLayersGiveNoReport() {
        XCTAssertNil(layerDivergenceReport(actual: layers(), expected: layers(), tolerance: 0))
        assertLayersClose(actual: layers(), expected: layers(), tolerance: 0)
        // A difference inside the tolerance is not a divergence.
        XCTAssertNil(layerDivergenceReport(actual: layers(errorAt: 1, by: 1e-5), expected: layers(), tolerance: 1e-4))
    }

    func testFirstDivergingLayerIsNamedWithTheLayersAroundIt() throws {
        let report = try XCTUnwrap(layerDivergenceReport(actual: layers(errorAt: 2), expected: layers(), tolerance: 1e-4))
        let lines = report.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "first diverging layer: h.0.mlp (layer 3 of 5); layers before it match within atol 0.0001")
        // The table: header and five rows; the marker only on h.0.mlp; later layers still differ.
        let rows = Array(lines[2...6])
        XCTAssertEqual(rows.map { $0.contains("✗") }, [false, false, true, false, false], report)
        XCTAssertTrue(rows[0].hasSuffix(" 0") && rows[1].hasSuffix(" 0"), "layers before the bug match exactly:\n\(report)")
        XCTAssertTrue(rows[2].contains("h.0.mlp") && rows[2].hasSuffix("0.25"), report)
        XCTAssertTrue(rows[3].hasSuffix("0.125"), "the error is halved by the next layer:\n\(report)")
        XCTAssertTrue(rows[4].hasSuffix("0.0625"), report)
        // Then the element-by-element report of the diverging layer, as assertClose would give it.
        let details = try XCTUnwrap(closenessReport(layers(errorAt: 2)[2].output, layers()[2].output, tolerance: 1e-4))
        XCTAssertTrue(report.hasSuffix("h.0.mlp: " + details), report)
    }

    func testDivergenceInTheFirstLayerHasNoMatchingPrefix() throws {
        let report = try XCTUnwrap(layerDivergenceReport(actual: layers(errorAt: 0), expected: layers(), tolerance: 0))
        XCTAssertTrue(report.hasPrefix("first diverging layer: embeddings (layer 1 of 5)\n"), report)
    }

    func testShapeMismatchIsADivergence() throws {
        var actual = layers()
        actual[3].output = actual[3].output.reshaped([4, 1])   // (2, 2) -> (4, 1)
        let report = try XCTUnwrap(layerDivergenceReport(actual: actual, expected: layers(), tolerance: 1))
        XCTAssertTrue(report.hasPrefix("first diverging layer: h.1.attn (layer 4 of 5)"), report)
        XCTAssertTrue(report.contains("shapes [4, 1] and [2, 2]"), report)
        XCTAssertTrue(report.contains("h.1.attn: shape mismatch: actual has shape [4, 1], expected has shape [2, 2]"), report)
    }

    func testLayersMustLineUpByName() throws {
        var actual = layers()
        actual.swapAt(1, 2)
        let report = try XCTUnwrap(layerDivergenceReport(actual: actual, expected: layers(), tolerance: 1))
        XCTAssertTrue(report.hasPrefix("layer 2 is \"h.0.mlp\" in actual but \"h.0.attn\" in expected"), report)
        let short = try XCTUnwrap(layerDivergenceReport(actual: Array(layers().prefix(3)), expected: layers(), tolerance: 1))
        XCTAssertEqual(short, "actual has 3 layers, expected has 5: actual is missing [\"h.1.attn\", \"h.1.mlp\"]")
    }

    func testRelativeToleranceIsNamed() throws {
        let report = try XCTUnwrap(layerDivergenceReport(actual: layers(errorAt: 1), expected: layers(), tolerance: 1e-3,
                                                         relativeTolerance: 1e-2))
        XCTAssertTrue(report.contains("layers before it match within atol 0.001 + rtol 0.01·|expected|"), report)
    }
}
