// Solution 03.4 (attention.rotary-embedding): RoPE, the rotary position embedding of Llama, in
// the rotate-half layout.

import Foundation
import LabKernel

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
public func rotaryEmbedding(_ x: Tensor, heads: Int, startPosition: Int, theta: Double) -> Tensor {
    precondition(x.rank == 2 && heads > 0 && x.shape[1] % heads == 0 && (x.shape[1] / heads) % 2 == 0,
                 "rotaryEmbedding: expected (T, H·D) with H = \(heads) and an even D, got \(x.shape.shapeDescription)")
    let (t, d) = (x.shape[0], x.shape[1] / heads)
    let half = d / 2
    var result = x
    for row in 0..<t {
        let position = Double(startPosition + row)
        for i in 0..<half {
            // The angle depends on the position and the pair, not on the head: compute it once.
            let angle = position * pow(theta, -Double(2 * i) / Double(d))
            let (c, s) = (Float(cos(angle)), Float(sin(angle)))
            for h in 0..<heads {
                let (first, second) = (x[row, h * d + i], x[row, h * d + i + half])
                result[row, h * d + i] = first * c - second * s
                result[row, h * d + i + half] = second * c + first * s
            }
        }
    }
    return result
}
