// ParameterBuffer: every parameter of a model in one block of memory, with its gradient beside it.
//
// The tape (Autograd/) keeps each parameter in its own Variable, which reads well and is slow to
// update: an optimizer step visits a hundred small arrays, and clipping by the global norm
// visits them again. Training at speed keeps all parameters in one contiguous array of Floats
// and all gradients in a second array of the same layout, so a whole-model operation (zeroing
// the gradients, their global norm, an AdamW step) is one loop over memory, split across cores.
//
// A tensor is a named range of the buffer. The order is chosen by the model (TrainableTransformer
// puts a Llama block's q, k and v projections next to each other, so that the three form one
// stacked matrix and one matrix product computes them all). Values enter and leave as Tensors
// by their Hugging Face names, so a checkpoint reads and writes unchanged.
//
// Left out: mixed precision (everything is Float32) and sharding.

/// Named parameters and their gradients in two contiguous arrays of the same layout.
public final class ParameterBuffer {
    /// One tensor's place in the buffer.
    public struct Slot: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        /// Index of its first element in `values` (and `gradients`).
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
        /// Matrices (embeddings and weights) get weight decay; vectors (biases, norm gains) do not,
        /// as in GPT-2's, nanoGPT's and Llama's training.
        public var isMatrix: Bool { shape.count >= 2 }
    }

    /// The tensors in layout order.
    public let slots: [Slot]
    private let index: [String: Int]
    /// Every parameter's elements, tensor after tensor.
    public internal(set) var values: UnsafeMutablePointer<Float>
    /// Gradients in the same layout as `values` (accumulated by backward passes; see `zeroGradients`).
    /// A frozen buffer (`hasGradients` false) keeps none: this points at a single element.
    public internal(set) var gradients: UnsafeMutablePointer<Float>
    /// Whether the buffer keeps gradients; a frozen base under a LoRA adapter does not.
    public let hasGradients: Bool
    /// The total number of elements.
    public let count: Int

    /// A zero-filled buffer for `layout` (name, shape) in that order; names must be distinct.
    /// With `gradients` false the buffer is frozen: no memory for gradients, which stay zero.
    init(layout: [(name: String, shape: [Int])], gradients keepsGradients: Bool = true) {
        var slots: [Slot] = [], index: [String: Int] = [:], offset = 0
        for (name, shape) in layout {
            precondition(index[name] == nil, "ParameterBuffer: \"\(name)\" is listed twice")
            index[name] = slots.count
            slots.append(Slot(name: name, shape: shape, offset: offset))
            offset += shape.reduce(1, *)
        }
        self.slots = slots
        self.index = index
        count = offset
        values = .allocate(capacity: max(1, offset))
        values.initialize(repeating: 0, count: max(1, offset))
        hasGradients = keepsGradients
        let gradientCount = keepsGradients ? max(1, offset) : 1
        gradients = .allocate(capacity: gradientCount)
        gradients.initialize(repeating: 0, count: gradientCount)
    }

    /// The bytes the buffer holds: values, and gradients when it keeps them.
    public var memoryBytes: Int { 4 * count * (hasGradients ? 2 : 1) }

    deinit {
        values.deallocate()
        gradients.deallocate()
    }

    /// The slot of tensor `name`; the name must be in the layout.
    public func slot(_ name: String) -> Slot {
        guard let position = index[name] else { preconditionFailure("ParameterBuffer: no parameter \"\(name)\"") }
        return slots[position]
    }

    /// Whether `name` is one of the buffer's tensors.
    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// The offset of tensor `name` in `values` and `gradients`.
    func offset(_ name: String) -> Int { slot(name).offset }

    /// Tensor `name`'s current value (a copy).
    public func value(_ name: String) -> Tensor {
        let s = slot(name)
        return Tensor(shape: s.shape, scalars: Array(UnsafeBufferPointer(start: values + s.offset, count: s.count)))
    }

    /// Tensor `name`'s accumulated gradient (a copy).
    public func gradient(_ name: String) -> Tensor {
        let s = slot(name)
        guard hasGradients else { return Tensor.zeros(s.shape) }
        return Tensor(shape: s.shape, scalars: Array(UnsafeBufferPointer(start: gradients + s.offset, count: s.count)))
    }

    /// Every tensor's value by name.
    public var tensors: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: slots.map { ($0.name, value($0.name)) })
    }

    /// Sets tensor `name` to `tensor`, which must have its shape.
    public func setValue(_ name: String, _ tensor: Tensor) {
        let s = slot(name)
        precondition(tensor.shape == s.shape,
                     "ParameterBuffer: \"\(name)\" has shape \(s.shape.shapeDescription), got \(tensor.shape.shapeDescription)")
        tensor.withUnsafeBufferPointer { (values + s.offset).update(from: $0.baseAddress!, count: s.count) }
    }

    /// The first value that is NaN or infinite: its tensor, flat index within it and value; nil
    /// when every parameter is finite (an update can overflow Float even from finite gradients).
    public func firstNonFiniteValue() -> (name: String, index: Int, value: Float)? {
        guard let index = UnsafeBufferPointer(start: values, count: count).firstIndex(where: { !$0.isFinite }),
              let slot = slots.last(where: { $0.offset <= index }) else { return nil }
        return (slot.name, index - slot.offset, values[index])
    }

    /// Sets every gradient to zero (before the first backward pass of a step).
    public func zeroGradients() {
        guard hasGradients else { return }
        gradients.update(repeating: 0, count: count)
    }

    /// The global L2 norm of all gradients, √(Σ g²), accumulated in Double in fixed blocks summed
    /// in order, so the result does not depend on the thread count.
    public func gradientNorm() -> Float {
        guard hasGradients else { return 0 }
        let block = 1 << 16
        let blocks = (count + block - 1) / block
        var partial = [Double](repeating: 0, count: blocks)
        let g = SendableConstPointer(UnsafePointer(gradients)), total = count
        partial.withUnsafeMutableBufferPointer { sums in
            let out = SendablePointer(sums.baseAddress!)
            Parallel.forEachChunk(blocks, costPerItem: 2 * block) { range in
                for b in range {
                    // Eight Double lanes, then the tail; the order is fixed by the block alone.
                    var lanes = SIMD8<Double>(repeating: 0)
                    var i = b * block
                    let end = min(total, (b + 1) * block)
                    while i + 8 <= end {
                        let x = SIMD8<Double>(UnsafeRawPointer(g.base + i).loadUnaligned(as: SIMD8<Float>.self))
                        lanes += x * x
                        i += 8
                    }
                    var s = lanes.sum()
                    while i < end { s += Double(g.base[i]) * Double(g.base[i]); i += 1 }
                    out.base[b] = s
                }
            }
        }
        return Float(partial.reduce(0, +).squareRoot())
    }

    /// Clips the gradients by their global norm as `torch.nn.utils.clip_grad_norm_` (and
    /// `clipGradientNorm` on Variables): scales them by maxNorm / (norm + 1e-6) when that is
    /// below 1. Returns the norm before clipping; a non-finite norm leaves the gradients alone.
    @discardableResult
    public func clipGradients(maxNorm: Float) -> Float {
        precondition(maxNorm > 0, "clipGradients: maxNorm must be > 0, got \(maxNorm)")
        let total = gradientNorm()
        guard total.isFinite else { return total }
        let scale = maxNorm / (total + 1e-6)
        if scale < 1 {
            let g = SendablePointer(gradients)
            Parallel.forEachChunk(count, costPerItem: 1) { range in
                for i in range { g.base[i] *= scale }
            }
        }
        return total
    }
}
