// Cell: positions. Attention by itself ignores order; GPT-2 adds a learned vector per position,
// Llama rotates queries and keys (RoPE). The lesson writes rotate-half RoPE from scratch, checks
// it against the kernel's `rotary`, and shows numerically that a RoPE score depends only on the
// distance between two positions while a learned-position score does not.
//
// Left out: RoPE scaling for long contexts (the kernel's RotaryTable handles "linear" and
// "llama3"), ALiBi and other schemes.

import Foundation
import LabKernel
import LabNotebook

/// Rotate-half RoPE from scratch: each head's pairs (x[i], x[i + D/2]) are rotated by the angle
/// p·θ^(−2i/D) at position p.
///
/// The angle is computed the way Hugging Face transformers does it (inverse frequency in Float,
/// then p times it in Float, cos and sin of that), so the result matches the kernel's table.
///
/// - Parameters:
///   - x: (T, H·D), row t at position `startPosition + t`
///   - heads: H
///   - theta: the base θ (10,000 for Llama 2, 500,000 for Llama 3)
/// - Returns: (T, H·D)
func rotateHalf(_ x: Tensor, heads: Int, startPosition: Int, theta: Double) -> Tensor {
    precondition(x.rank == 2 && x.shape[1] % heads == 0 && (x.shape[1] / heads) % 2 == 0,
                 "rotateHalf: expected (T, H·D) with an even D, got \(x.shape.shapeDescription) for H = \(heads)")
    let (t, d) = (x.shape[0], x.shape[1] / heads)
    let half = d / 2
    var result = x
    for row in 0..<t {
        let position = Float(startPosition + row)
        for h in 0..<heads {
            for i in 0..<half {
                let inverseFrequency = 1 / powf(Float(theta), Float(2 * i) / Float(d))
                let angle = Double(position * inverseFrequency)
                let (c, s) = (Float(cos(angle)), Float(sin(angle)))
                let (first, second) = (x[row, h * d + i], x[row, h * d + i + half])
                result[row, h * d + i] = first * c - second * s
                result[row, h * d + i + half] = second * c + first * s
            }
        }
    }
    return result
}

/// The attention score of one query at position m and one key at position n after RoPE.
func ropeScore(query: Tensor, key: Tensor, m: Int, n: Int, theta: Double) -> Float {
    let d = query.count
    let q = rotateHalf(query.reshaped([1, d]), heads: 1, startPosition: m, theta: theta)
    let k = rotateHalf(key.reshaped([1, d]), heads: 1, startPosition: n, theta: theta)
    return zip(q.scalars, k.scalars).map(*).reduce(0, +) / Float(d).squareRoot()
}

extension AttentionLesson {
    func positionsCell() {
        notebook.prose("""
            Look at the attention formula again: nothing in it knows where a token is. Shuffle \
            the earlier tokens (their keys and values together) and the last token's output is \
            the same weighted average, only summed in another order:
            """)
        var generator = SeededGenerator(seed: 9)
        let (t, d) = (8, 16)
        let q = Tensor.randomNormal([t, d], using: &generator)
        let k = Tensor.randomNormal([t, d], using: &generator)
        let v = Tensor.randomNormal([t, d], using: &generator)
        let order = [3, 0, 6, 1, 5, 2, 4, 7]  // the last token stays last
        let shuffle = { (x: Tensor) in Tensor.stack(order.map { x.row($0) }) }
        let original = attentionAsMatrices(q: q, k: k, v: v, causal: true).output.row(t - 1)
        let shuffled = attentionAsMatrices(q: shuffle(q), k: shuffle(k), v: shuffle(v), causal: true).output.row(t - 1)
        let difference = original.maxAbsoluteDifference(shuffled)
        // Tolerance: the same eight terms added in another order.
        notebook.check(difference < 1e-5, "last output with tokens 0…6 shuffled: largest difference \(formatFixed(difference, decimals: 6)) (rounding only)")
        notebook.prose("""
            "dog bites man" and "man bites dog" would look the same. Order has to be put in.

            GPT-2's way, learned positions: a table of 1,024 vectors (one per position, width C), \
            trained like the token embeddings, and added to each token's embedding before the \
            first layer. Simple and effective, but a score then depends on absolute positions: the \
            same two tokens three places apart score differently at different places. And there \
            is no vector for position 1,024, so the model cannot read longer texts at all. With a \
            random table, score(a at m, b at n) = (a + P[m])·(b + P[n])/√C:
            """)
        let width = 32
        let table = Tensor.randomNormal([64, width], using: &generator)
        let (a, b) = (Tensor.randomNormal([width], using: &generator), Tensor.randomNormal([width], using: &generator))
        let pairs = [(3, 0), (10, 7), (40, 37), (63, 60)]
        var learned = Table(["m", "n", "m − n", "learned-position score"])
        for (m, n) in pairs {
            let score = ((a + table.row(m)) * (b + table.row(n))).sum() / Float(width).squareRoot()
            learned.append([String(m), String(n), String(m - n), formatFixed(score, decimals: 4)])
        }
        notebook.table(learned)

        notebook.prose("""
            RoPE (rotary position embeddings, used by Llama, Qwen, Mistral, SmolLM) adds nothing. \
            It rotates: in each head, element i and element i + D/2 form a pair, a point in a \
            plane, and at position p that point is rotated by the angle p·θ^(−2i/D). Pair 0 turns \
            by one radian per position, the last pair very slowly, like the hands of a clock. \
            Queries and keys are rotated (values are not), after their projections:
            """)
        notebook.code("""
            let angle = Float(p) * (1 / powf(theta, Float(2 * i) / Float(d)))
            out[i]        = x[i] * cos(angle) - x[i + d/2] * sin(angle)
            out[i + d/2]  = x[i + d/2] * cos(angle) + x[i] * sin(angle)
            """)
        let heads = 2
        let x = Tensor.randomNormal([6, heads * 16], using: &generator)
        let start = 5
        let ours = rotateHalf(x, heads: heads, startPosition: start, theta: 10_000)
        let kernel = rotary(x, heads: heads, startPosition: start, table: RotaryTable(headSize: 16, positions: 64, theta: 10_000))
        let ropeDifference = ours.maxAbsoluteDifference(kernel)
        // Tolerance: same angles (Float, as transformers computes them), cos/sin in Double, one rounding each.
        notebook.check(ropeDifference < 1e-6, "rotateHalf equals the kernel's rotary on (T, H·D) = (6, 2·16) at positions 5…10: largest difference \(formatFixed(ropeDifference, decimals: 6)) (tolerance 1e-6)")

        notebook.prose("""
            Why rotate? The dot product of two vectors does not change when both are rotated by \
            the same angle. A query rotated by m·α and a key rotated by n·α score like the \
            unrotated query against the key rotated by (n − m)·α: only the distance survives. \
            The same query and key (D = 64, θ = 10,000), placed at different positions:
            """)
        let dRoPE = 64
        let query = Tensor.randomNormal([dRoPE], using: &generator)
        let key = Tensor.randomNormal([dRoPE], using: &generator)
        let shifts = [0, 7, 100, 1_000]
        var scores = Table(["m", "n", "m − n", "RoPE score"])
        var sameDistance: [Float] = []
        for s in shifts {
            let score = ropeScore(query: query, key: key, m: 3 + s, n: s, theta: 10_000)
            sameDistance.append(score)
            scores.append([String(3 + s), String(s), "3", formatFixed(score, decimals: 4)])
        }
        for (m, n) in [(5, 0), (1_005, 1_000)] {
            scores.append([String(m), String(n), String(m - n), formatFixed(ropeScore(query: query, key: key, m: m, n: n, theta: 10_000), decimals: 4)])
        }
        notebook.table(scores)
        let spread = sameDistance.max()! - sameDistance.min()!
        // Tolerance: angles near 1,000 radians carry Float rounding of ~6e-5 rad each.
        notebook.check(spread < 1e-3, "at distance 3 the score is the same at every position: spread \(formatFixed(spread, decimals: 6)) (tolerance 1e-3, Float rounding of angles near 1,000 rad)")
        notebook.prose("""
            Shift both positions by s and the score stays; change the distance and it changes. \
            RoPE needs no table of learned vectors and no maximum position, and relative distance \
            is exactly what language mostly cares about ("the word two back"). A head can still \
            find absolute positions through the first token, which every later token can see.
            """)
    }
}
