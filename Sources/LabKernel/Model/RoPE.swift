// RoPE: rotary position embeddings, in the rotate-half layout of Hugging Face's Llama.
//
// Instead of adding a position vector, RoPE rotates each query and key: within a head of size D,
// element i and element i + D/2 form a pair (i < D/2) rotated by the angle p·θ^(−2i/D) at
// position p. A dot product of a rotated query and a rotated key then depends only on the
// difference of their positions. (The original paper pairs neighbours (2i, 2i + 1); HF Llama
// checkpoints permute q/k weights so that `rotate_half` pairs (i, i + D/2), and we follow them.)
//
//     out[i]       = x[i]·cos − x[i + D/2]·sin
//     out[i + D/2] = x[i + D/2]·cos + x[i]·sin
//
// A rotation's inverse is its transpose, which is also its backward rule.
// Rope scaling: "linear" (positions divided by a factor) and Llama 3's frequency bands
// ("llama3": long wavelengths slowed by the factor, short ones kept, a smooth blend between).
// Left out: dynamic NTK and YaRN scaling (a precondition names them).

import Foundation

/// Precomputed cos and sin of every angle p·θ^(−2i/D), for positions 0..<T and i < D/2.
public struct RotaryTable: Sendable {
    /// D: the head size the table serves.
    public let headSize: Int
    /// (D/2): the angle per position of each pair, θ^(−2i/D) after rope scaling.
    public let inverseFrequencies: [Float]
    /// (T, D/2) row-major: cos of position p's angles.
    public let cosines: [Float]
    /// (T, D/2) row-major: sin.
    public let sines: [Float]

    /// The table for `positions` positions. Inverse frequencies are computed in Float as
    /// transformers does; cos and sin in Double, then rounded.
    public init(headSize: Int, positions: Int, theta: Double, scaling: TransformerConfig.RopeScaling? = nil) {
        precondition(headSize > 0 && headSize % 2 == 0, "RotaryTable: the head size must be even, got \(headSize)")
        let half = headSize / 2
        self.headSize = headSize
        var cosines = [Float](repeating: 0, count: positions * half)
        var sines = cosines
        // HF: inv_freq = 1 / theta^(arange(0, D, 2) / D), computed in float32.
        let inverseFrequencies = (0..<half).map { i in
            Self.scaled(1 / powf(Float(theta), Float(2 * i) / Float(headSize)), scaling)
        }
        for (i, frequency) in inverseFrequencies.enumerated() {
            let inverseFrequency = Double(frequency)
            for p in 0..<positions {
                let angle = Double(Float(p) * Float(inverseFrequency))
                cosines[p * half + i] = Float(cos(angle))
                sines[p * half + i] = Float(sin(angle))
            }
        }
        self.inverseFrequencies = inverseFrequencies
        self.cosines = cosines
        self.sines = sines
    }

    /// An inverse frequency after rope scaling (transformers' `_compute_linear_scaling_rope_parameters`
    /// and `_compute_llama3_parameters`).
    private static func scaled(_ frequency: Float, _ scaling: TransformerConfig.RopeScaling?) -> Float {
        guard let scaling else { return frequency }
        let factor = Float(scaling.factor)
        switch scaling.type {
        case "default": return frequency
        case "linear": return frequency / factor
        case "llama3":
            let original = Float(scaling.originalContextLength ?? 8192)
            let (low, high) = (Float(scaling.lowFrequencyFactor ?? 1), Float(scaling.highFrequencyFactor ?? 4))
            let wavelength = 2 * Float.pi / frequency
            if wavelength < original / high { return frequency }           // fast rotations: kept
            if wavelength > original / low { return frequency / factor }   // slow rotations: stretched
            let smooth = (original / wavelength - low) / (high - low)       // in between: a blend
            return (1 - smooth) * frequency / factor + smooth * frequency
        default:
            preconditionFailure("RoPE: rope scaling \"\(scaling.type)\" is not supported (only linear and llama3)")
        }
    }

    /// The number of positions covered.
    public var positions: Int { headSize == 0 ? 0 : cosines.count / (headSize / 2) }
}

/// Rotates rows of `x` in place: `rows` rows of `heads` heads of size D each, row r at position
/// `startPosition + r`. `inverse` rotates by −angle (the backward rule).
func applyRotary(_ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, startPosition: Int,
                 table: RotaryTable, inverse: Bool = false) {
    let size = table.headSize, half = size / 2
    precondition(startPosition + rows <= table.positions,
                 "RoPE: positions \(startPosition)..<\(startPosition + rows) exceed the table's \(table.positions) positions")
    let sign: Float = inverse ? -1 : 1
    table.cosines.withUnsafeBufferPointer { cosines in
        table.sines.withUnsafeBufferPointer { sines in
            for r in 0..<rows {
                let angles = (startPosition + r) * half
                for h in 0..<heads {
                    let head = x + (r * heads + h) * size
                    for i in 0..<half {
                        let (c, s) = (cosines[angles + i], sign * sines[angles + i])
                        let (first, second) = (head[i], head[i + half])
                        head[i] = first * c - second * s
                        head[i + half] = second * c + first * s
                    }
                }
            }
        }
    }
}

/// RoPE on a Tensor: `x` of shape (T, H·D), row t at position `startPosition + t` -> (T, H·D).
public func rotary(_ x: Tensor, heads: Int, startPosition: Int = 0, table: RotaryTable) -> Tensor {
    precondition(x.rank == 2 && x.shape[1] == heads * table.headSize,
                 "rotary: expected shape (T, \(heads)·\(table.headSize)), got \(x.shape.shapeDescription)")
    var result = x
    let rows = x.shape[0]
    result.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        applyRotary(base, rows: rows, heads: heads, startPosition: startPosition, table: table)
    }
    return result
}

/// Differentiable RoPE, (T, H·D) -> (T, H·D). Backward: the gradient rotated by −angle
/// (a rotation matrix's transpose is its inverse).
public func rotary(_ x: Variable, heads: Int, startPosition: Int = 0, table: RotaryTable) -> Variable {
    Variable.record("rotary", rotary(x.value, heads: heads, startPosition: startPosition, table: table),
                    inputs: [x]) { g in
        var dx = g
        dx.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            applyRotary(base, rows: g.shape[0], heads: heads, startPosition: startPosition, table: table, inverse: true)
        }
        return [dx]
    }
}
