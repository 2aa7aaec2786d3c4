// AdamW over a ParameterBuffer: the same update as AdamW.swift, one pass over the whole model.
//
// Scope: `BufferAdamW`, PyTorch's AdamW with two parameter groups as language models are trained
// (weight decay on matrices, none on biases and norm gains: ParameterBuffer.Slot.isMatrix), over
// the buffer's contiguous values and gradients, split across cores. Its state (the two moments
// and the step count) is plain arrays, so a checkpoint can save it and a resumed run continues
// bit for bit. The readable version, on Variables, is AdamW.swift; tests hold the two equal.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// AdamW (decoupled weight decay, PyTorch's formula and defaults) for every tensor of a buffer,
/// with weight decay applied to matrices only.
public struct BufferAdamW: Sendable {
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// λ for matrices (biases and norm gains use 0).
    public var weightDecay: Float
    /// Updates made so far (every tensor of the buffer steps together).
    public internal(set) var step = 0
    /// m and v, in the buffer's layout.
    public internal(set) var firstMoment: [Float]
    public internal(set) var secondMoment: [Float]

    /// An optimizer for `buffer`'s parameters; defaults are PyTorch's, except the decay of 0.1
    /// that GPT-2-style pretraining uses.
    public init(for buffer: ParameterBuffer, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0.1) {
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2),
                     "BufferAdamW: beta1 and beta2 must be in [0, 1), got \(beta1) and \(beta2)")
        precondition(epsilon >= 0 && weightDecay >= 0,
                     "BufferAdamW: epsilon and weightDecay must be ≥ 0, got \(epsilon) and \(weightDecay)")
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        firstMoment = [Float](repeating: 0, count: buffer.count)
        secondMoment = [Float](repeating: 0, count: buffer.count)
    }

    /// Restores a saved state (a checkpoint's): moments in the buffer's layout and the step count.
    public init(beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float, step: Int,
                firstMoment: [Float], secondMoment: [Float]) {
        precondition(firstMoment.count == secondMoment.count && step >= 0,
                     "BufferAdamW: the moments must have the same size and the step must be ≥ 0")
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.step = step
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
    }

    /// One update of every parameter from its gradient at `learningRate`, as `AdamW.step()`:
    /// p ← p·(1 − lr·λ); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; p ← p − lr/(1 − β₁ᵗ)·m/(√v/√(1 − β₂ᵗ) + ε).
    public mutating func update(_ buffer: ParameterBuffer, learningRate: Float) {
        precondition(buffer.count == firstMoment.count,
                     "BufferAdamW: made for \(firstMoment.count) parameters, the buffer has \(buffer.count)")
        step += 1
        let t = Double(step)
        let stepSize = Float(Double(learningRate) / (1 - pow(Double(beta1), t)))
        let correction2Root = Float((1 - pow(Double(beta2), t)).squareRoot())
        let (beta1, beta2, epsilon) = (self.beta1, self.beta2, self.epsilon)
        let p = SendablePointer(buffer.values), g = SendableConstPointer(UnsafePointer(buffer.gradients))
        firstMoment.withUnsafeMutableBufferPointer { mBuffer in
            secondMoment.withUnsafeMutableBufferPointer { vBuffer in
                let m = SendablePointer(mBuffer.baseAddress!), v = SendablePointer(vBuffer.baseAddress!)
                for slot in buffer.slots {
                    let decay = 1 - learningRate * (slot.isMatrix ? weightDecay : 0)
                    let start = slot.offset
                    Parallel.forEachChunk(slot.count, costPerItem: 12) { range in
                        // 16 at a time (the pointers could overlap as far as the compiler knows,
                        // so it would not vectorize the plain loop), the same operations per lane.
                        var i = start + range.lowerBound
                        let end = start + range.upperBound
                        while i + 16 <= end {
                            let gi = load16(g.base + i)
                            let pi = load16(p.base + i) * decay
                            let mi = beta1 * load16(m.base + i) + (1 - beta1) * gi
                            let vi = beta2 * load16(v.base + i) + (1 - beta2) * gi * gi
                            let denominator = vi.squareRoot() / correction2Root + epsilon
                            store16(pi - stepSize * (mi / denominator), p.base + i)
                            store16(mi, m.base + i)
                            store16(vi, v.base + i)
                            i += 16
                        }
                        while i < end {
                            p.base[i] *= decay
                            m.base[i] = beta1 * m.base[i] + (1 - beta1) * g.base[i]
                            v.base[i] = beta2 * v.base[i] + (1 - beta2) * g.base[i] * g.base[i]
                            let denominator = v.base[i].squareRoot() / correction2Root + epsilon
                            p.base[i] -= stepSize * (m.base[i] / denominator)
                            i += 1
                        }
                    }
                }
            }
        }
    }
}
