// Exercise 06.1 (finetuning.lora-forward): one LoRA projection applied to a vector without forming B·A. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter LoRAForwardTests

import LabExercise

/// A LoRA projection applied to one input vector: y = W·x + scale·B·(A·x).
///
/// LoRA keeps a trained weight W frozen and learns a low-rank update beside it: A maps the
/// input down to r numbers and B maps them back up, so the update B·A has rank at most r and
/// costs r·(in + out) weights instead of in·out. Computing A·x first (r numbers) and then B of
/// that is what keeps the update cheap: never form the (out, in) product B·A here.
/// `scale` is alpha / r (PEFT's `scaling`).
///
/// Layouts are row-major, as nn.Linear and PEFT store them:
/// - Parameters:
///   - x: (in) the input.
///   - weight: (out, in) the frozen W; element (o, i) at o * in + i.
///   - a: (r, in) lora_A; element (k, i) at k * in + i.
///   - b: (out, r) lora_B; element (o, k) at o * r + k.
///   - rank: r ≥ 1. (out is weight.count / in.)
///   - scale: the update's factor, alpha / r.
/// - Returns: (out) W·x + scale·B·(A·x).
///
///     // W = [[1, 0], [0, 1]] (2, 2), A = [[1, 1]] (1, 2), B = [[1], [2]] (2, 1), scale 0.5
///     loraForward([3, 4], weight: [1, 0, 0, 1], a: [1, 1], b: [1, 2], rank: 1, scale: 0.5)   // [6.5, 11]
///     // A·x = [7]; B·(A·x) = [7, 14]; W·x = [3, 4]; [3 + 3.5, 4 + 7]
///
/// With B all zero (how LoRA starts) the result is exactly W·x.
public func loraForward(_ x: [Float], weight: [Float], a: [Float], b: [Float], rank: Int, scale: Float) -> [Float] {
    // TODO: compute A·x (r numbers), then each output: (W·x)[o] + scale · (B·(A·x))[o].
    return todo([Float](repeating: 0, count: x.isEmpty ? 0 : weight.count / x.count))
}
