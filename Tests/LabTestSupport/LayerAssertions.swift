// Model-level checks: compare a model's intermediate outputs layer by layer, and when they differ,
// name the first layer that diverges.
//
// When a whole model's logits are wrong, the numbers at the end say little: one wrong layer early
// on (a transposed weight, a missing bias, the wrong norm epsilon) spoils everything after it. A
// test that records each layer's output (embeddings, block 0's attention, block 0's MLP, …) for
// both the implementation and a reference (e.g. a PyTorch fixture) can point at the culprit:
//
//     first diverging layer: h.0.attn (layer 2 of 3); layers before it match within atol 0.0001
//          layer     max |difference|
//          wte+wpe   0
//       ✗  h.0.attn  0.25
//          h.0.mlp   0.5
//     h.0.attn: 1 of 6 elements differ by more than the tolerance (atol 0.0001)
//     largest absolute difference 0.25 at [0, 1] (actual 2.25, expected 2.0)
//          index   expected  actual  |difference|
//          [0, 0]  1.0       1.0     0
//       ✗  [0, 1]  2.0       2.25    0.25
//     …
//
// The later layers are listed too, because how the error grows afterwards is a clue of its own.
// The element-by-element details of the first diverging layer come from `closenessReport`
// (NumericAssertions.swift), so they read exactly like any other numeric failure.
//
// Left out: per-layer tolerances (one tolerance for the whole model; pass a looser one for deep
// models where float error accumulates).

import XCTest
import LabKernel

/// Fails the test when the layers' outputs differ: in number, in names, or in values beyond
/// `tolerance + relativeTolerance·|expected|`; the message names the first diverging layer.
///
/// - Parameters:
///   - actual: each layer's name and output from the code under test, in the order computed
///   - expected: the same from the reference, same names in the same order
///   - tolerance: the absolute tolerance (atol) for every layer; say why in a comment
///   - relativeTolerance: the relative tolerance (rtol); 0 by default
public func assertLayersClose(actual: [(name: String, output: Tensor)], expected: [(name: String, output: Tensor)],
                              tolerance: Float, relativeTolerance: Float = 0, _ message: String = "",
                              file: StaticString = #filePath, line: UInt = #line) {
    if let report = layerDivergenceReport(actual: actual, expected: expected, tolerance: tolerance,
                                          relativeTolerance: relativeTolerance) {
        XCTFail(message.isEmpty ? report : message + ": " + report, file: file, line: line)
    }
}

/// Why the layers differ, or nil when every layer is close (see the file header for the format).
public func layerDivergenceReport(actual: [(name: String, output: Tensor)], expected: [(name: String, output: Tensor)],
                                  tolerance: Float, relativeTolerance: Float = 0) -> String? {
    precondition(tolerance >= 0 && relativeTolerance >= 0,
                 "assertLayersClose: tolerances must be ≥ 0, got tolerance \(tolerance), relativeTolerance \(relativeTolerance)")
    // The layers must line up by name before their values mean anything.
    for index in 0..<min(actual.count, expected.count) where actual[index].name != expected[index].name {
        return "layer \(index + 1) is \"\(actual[index].name)\" in actual but \"\(expected[index].name)\" in expected; "
            + "the layers must be recorded in the same order with the same names "
            + "(actual: \(actual.map(\.name)), expected: \(expected.map(\.name)))"
    }
    if actual.count != expected.count {
        let missing = actual.count < expected.count
            ? "actual is missing \(expected[actual.count...].map(\.name))"
            : "actual has extra layers \(actual[expected.count...].map(\.name))"
        return "actual has \(actual.count) layers, expected has \(expected.count): \(missing)"
    }

    // The first layer whose values are not close.
    var first: (index: Int, report: String)?
    for index in expected.indices {
        if let report = closenessReport(actual[index].output, expected[index].output, tolerance: tolerance,
                                        relativeTolerance: relativeTolerance) {
            first = (index, report)
            break
        }
    }
    guard let first else { return nil }

    let toleranceText = relativeTolerance == 0 ? "atol \(tolerance)" : "atol \(tolerance) + rtol \(relativeTolerance)·|expected|"
    var lines = ["first diverging layer: \(expected[first.index].name) (layer \(first.index + 1) of \(expected.count))"
        + (first.index > 0 ? "; layers before it match within \(toleranceText)" : "")]
    // One row per layer: the largest difference (or the shape mismatch), ✗ on the first divergence.
    var rows: [[String]] = [["", "layer", "max |difference|"]]
    for index in expected.indices {
        let (a, e) = (actual[index].output, expected[index].output)
        let difference = a.shape == e.shape
            ? formatLayerDifference(a.maxAbsoluteDifference(e))
            : "shapes \(a.shape.shapeDescription) and \(e.shape.shapeDescription)"
        rows.append([index == first.index ? "✗" : "", expected[index].name, difference])
    }
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    for row in rows {
        let cells = row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
        lines.append(String(("  " + cells.joined(separator: "  ")).reversed().drop { $0 == " " }.reversed()))
    }
    lines.append("\(expected[first.index].name): " + first.report)
    return lines.joined(separator: "\n")
}

/// A difference with 3 significant digits (`2.38e-07`), `0` for none, NaN and infinity as such.
private func formatLayerDifference(_ difference: Float) -> String {
    if difference == 0 { return "0" }
    if !difference.isFinite { return "\(difference)" }
    return String(format: "%.3g", Double(difference))
}
