// Exercise 03.4 (attention.rotary-embedding): RoPE, the rotary position embedding of Llama, in
// the rotate-half layout. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter RotaryEmbeddingTests

import Foundation
import LabKernel
import LabExercise

/// Rotary position embedding (rotate-half layout, as Hugging Face's Llama): rotates each head's
/// pairs (x[i], x[i + D/2]) by an angle that grows with the position.
///
/// Row t of `x` is the token at position p = startPosition + t. Within each head (D columns,
/// D even) element i and element i + D/2 form a pair, for i < D/2, rotated by the angle
/// `p · θ^(−2i/D)`:
///
///     out[i]       = x[i]·cos(angle) − x[i + D/2]·sin(angle)
///     out[i + D/2] = x[i + D/2]·cos(angle) + x[i]·sin(angle)
///
/// Pair 0 turns by one radian per position, later pairs ever more slowly. Because both queries
/// and keys are rotated, their dot product depends only on the distance between the positions.
///
/// - Parameters:
///   - x: (T, H·D) queries or keys, H heads of an even size D
///   - heads: H
///   - startPosition: the position of row 0 (the number of cached tokens when decoding)
///   - theta: θ, the base (10,000 for Llama 2, 500,000 for Llama 3)
/// - Returns: (T, H·D), the rotated rows.
///
///     // One head of D = 2 at position 1 (θ does not matter for i = 0): a rotation by 1 radian.
///     rotaryEmbedding(Tensor([[1, 0]]), heads: 1, startPosition: 1, theta: 10_000)
///     // [[cos 1, sin 1]] = [[0.5403, 0.8415]]
///
/// Do not call the kernel's `rotary` or `RotaryTable`. Computing the angles in Double or in Float
/// both pass the tests.
public func rotaryEmbedding(_ x: Tensor, heads: Int, startPosition: Int, theta: Double) -> Tensor {
    // TODO: check the shape (even D), then rotate every pair of every head of every row.
    return todo(x)
}
