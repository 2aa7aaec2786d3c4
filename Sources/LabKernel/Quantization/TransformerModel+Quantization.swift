// Quantizing a whole model: which tensors become Q8_0 blocks, and which stay float32.
//
// Every weight matrix that a token's forward pass multiplies by is quantized: each block's q, k,
// v (or GPT-2's fused c_attn), output, up, gate and down projections, the token embedding (read
// back one row per token) and the LM head (the embedding itself when tied, so one copy serves
// both). Those are all but a fraction of a percent of the parameters, and all of the traffic of a
// decoding step. What stays float32 is small and sensitive: the norms' gains and biases, the
// linear layers' biases and GPT-2's learned positions (n_positions × C, read one row per token).
//
// Left out: choosing per tensor (llama.cpp's mixed "Q8_0 except the head" recipes), and
// quantizing the KV cache or the activations between layers.

/// Why a model could not be quantized, or a quantized folder could not be read.
public enum QuantizationError: Error, CustomStringConvertible, Equatable {
    /// A block of weights too large for a float16 scale (or not finite).
    case scaleOutOfRange(name: String, row: Int, block: Int, maximum: Float)
    /// quantization.json is missing a field, has a value the kit does not read, or is not JSON.
    case badDescriptor(file: String, problem: String)
    /// A tensor of the weights file is missing, has the wrong dtype or shape, or holds a bad scale.
    case badTensor(file: String, name: String, problem: String)

    public var description: String {
        switch self {
        case .scaleOutOfRange(let name, let row, let block, let maximum):
            return "tensor \"\(name)\": row \(row), block \(block) has a weight of magnitude \(maximum), beyond what "
                + "a Q8_0 block's float16 scale can hold (at most 127 × 65504); the weights are damaged"
        case .badDescriptor(let file, let problem):
            return "\(file): \(problem)"
        case .badTensor(let file, let name, let problem):
            return "\(file): tensor \"\(printable(name, limit: 80))\" \(problem)"
        }
    }
}

extension TransformerModel {
    /// The matrices `quantized()` stores in Q8_0 blocks, each with the layout it has as float32.
    var quantizableMatrices: [(name: String, layout: WeightLayout)] { Self.quantizableMatrices(config: config, names: names) }

    /// `quantizableMatrices` of a model of `config` named `names`.
    static func quantizableMatrices(config: TransformerConfig, names: ModelNames) -> [(name: String, layout: WeightLayout)] {
        let layout: WeightLayout = config.architecture == .gpt2 ? .inputsByOutputs : .outputsByInputs
        var result: [(name: String, layout: WeightLayout)] = []
        for layer in names.layers {
            for name in [layer.fusedQueryKeyValue, layer.query, layer.key, layer.value, layer.output,
                         layer.gate, layer.up, layer.down].compactMap({ $0 }) {
                result.append((name, layout))
            }
        }
        result.append((names.embedding, .outputsByInputs))  // (V, C): a row per token
        if names.head != names.embedding { result.append((names.head, .outputsByInputs)) }
        return result
    }

    /// The same model with its weight matrices in Q8_0 blocks (the vectors stay float32); an
    /// already quantized model is returned as it is.
    ///
    ///     let small = try model.quantized()
    ///     small.weightBytes          // ≈ 0.28 × model.weightBytes
    ///
    /// - Throws: `QuantizationError.scaleOutOfRange` for a weight beyond float16 scales' range.
    public func quantized() throws -> TransformerModel {
        guard !isQuantized else { return self }
        var floats = parameters
        var matrices: [String: Q8Matrix] = [:]
        for (name, layout) in quantizableMatrices {
            matrices[name] = try Q8Matrix(quantizing: parameters[name]!, layout: layout, name: name)
            floats[name] = nil
        }
        return TransformerModel(config: config, names: names, parameters: floats, quantizedMatrices: matrices)
    }
}
