// Counting a transformer: parameters from the config alone, and the floating-point operations
// one token costs. The formulas are checked against the kernel's models, whose tensors are
// counted one by one, and applied to GPT-2 (124M) and SmolLM2-135M from their published configs.
//
// Left out: the backward pass (about twice the forward's FLOPs) and memory traffic, which on a CPU
// decides decoding speed more than FLOPs do (lesson 07).

import LabKernel
import LabNotebook

/// A model's parameters by where they sit, from the config.
struct ParameterCount {
    var embedding = 0, positions = 0, attention = 0, mlp = 0, norms = 0, head = 0

    var total: Int { embedding + positions + attention + mlp + norms + head }

    init(config c: TransformerConfig) {
        let (width, f, layers) = (c.width, c.feedForwardWidth, c.layers)
        let (qWidth, kvWidth) = (c.heads * c.headSize, c.kvHeads * c.headSize)
        embedding = c.vocabularySize * width
        if c.architecture == .gpt2 {
            positions = c.contextLength * width
            // q, k, v fused (C, 3C) + bias, the output projection (C, C) + bias.
            attention = layers * (width * 3 * width + 3 * width + width * width + width)
            // c_fc (C, F) + bias, c_proj (F, C) + bias.
            mlp = layers * (width * f + f + f * width + width)
            // Two LayerNorms per block and the final one, each a gain and a bias.
            norms = (2 * layers + 1) * 2 * width
        } else {
            // q (H·D, C), k and v (KVH·D, C), o (C, H·D); Qwen2 has q/k/v biases, Llama may have some.
            let qkvBias = c.architecture == .qwen2 || c.attentionBias ? qWidth + 2 * kvWidth : 0
            let outputBias = c.architecture != .qwen2 && c.attentionBias ? width : 0
            attention = layers * (width * qWidth + 2 * width * kvWidth + qWidth * width + qkvBias + outputBias)
            // gate and up (F, C), down (C, F).
            mlp = layers * (3 * width * f + (c.mlpBias ? 2 * f + width : 0))
            // Two RMSNorm gains per block and the final one; no biases.
            norms = (2 * layers + 1) * width
        }
        head = c.tiedEmbeddings ? 0 : c.vocabularySize * width
    }
}

/// Forward FLOPs for one token at position `position` (attending to position + 1 keys): each
/// multiply-add counts 2. The matrices: every weight matrix once per token, the LM head included
/// (even when tied it is a (V, C) product); attention: q·k and the weighted sum of values over the
/// visible keys, per head. Norms, activations and softmax are a few FLOPs per number: left out.
func forwardFLOPsPerToken(config c: TransformerConfig, position: Int) -> (matrices: Int, attention: Int) {
    let (width, f) = (c.width, c.feedForwardWidth)
    let (qWidth, kvWidth) = (c.heads * c.headSize, c.kvHeads * c.headSize)
    let attentionWeights = width * qWidth + 2 * width * kvWidth + qWidth * width
    let mlpWeights = (c.architecture == .gpt2 ? 2 : 3) * width * f
    let matrices = 2 * (c.layers * (attentionWeights + mlpWeights) + c.vocabularySize * width)
    let attention = 2 * c.layers * 2 * qWidth * (position + 1)  // scores and the weighted sum
    return (matrices, attention)
}

/// The count of every tensor in a kernel model, one by one: what the formulas must match.
func countedParameters(_ model: TransformerModel) -> Int {
    model.parameters.values.reduce(0) { $0 + $1.count }
}

/// 12,345,678 with thousands separators.
func withSeparators(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
        out.append(digit)
    }
    return (number < 0 ? "-" : "") + out
}

/// 124.4M, 7.1k, 0.3G: a count with one decimal and its unit.
func abbreviated(_ number: Int) -> String {
    let value = Double(number)
    for (unit, size) in [("G", 1e9), ("M", 1e6), ("k", 1e3)] where value >= size {
        return formatFixed(value / size, decimals: 1) + unit
    }
    return String(number)
}

extension TransformerLesson {
    func countingParametersAndFLOPs(_ tiny: [TinyModel]) {
        notebook.prose("""
            Everything a model knows is in its weight matrices, and their sizes follow from the \
            config. For GPT-2, per block: the fused q/k/v projection C·3C, the output projection \
            C·C, the MLP C·F + F·C with F = 4C, plus biases and two LayerNorms (2C each). For a \
            Llama: q and o are C·H·D, k and v only C·KVH·D (grouped-query attention), and the \
            SwiGLU MLP has three matrices, 3·C·F. Add the embedding V·C (GPT-2 also a position \
            table T·C) and the LM head V·C unless it is tied to the embedding. The formulas \
            (Counting.swift), for the two published models and for this lesson's tiny ones, \
            whose tensors the kernel holds and we can count one by one:
            """)
        var table = Table(["model", "embedding", "attention", "MLP", "norms", "head", "total", "kernel counts"])
        let rows: [(String, TransformerConfig, Int?)] = [("GPT-2 small", TransformerConfig.gpt2Small, nil), ("SmolLM2-135M", TransformerConfig.smolLM2_135M, nil)]
            + tiny.map { ($0.name, $0.config, countedParameters($0.loaded.model)) }
        for (name, config, counted) in rows {
            let count = ParameterCount(config: config)
            table.append([name, abbreviated(count.embedding + count.positions), abbreviated(count.attention),
                          abbreviated(count.mlp), abbreviated(count.norms), count.head == 0 ? "tied" : abbreviated(count.head),
                          withSeparators(count.total), counted.map(withSeparators) ?? "–"])
        }
        notebook.table(table)
        notebook.checks([
            (ParameterCount(config: TransformerConfig.gpt2Small).total == 124_439_808,
             "GPT-2 small: 124,439,808 parameters, the number transformers reports for openai-community/gpt2"),
            (ParameterCount(config: TransformerConfig.smolLM2_135M).total == 134_515_008,
             "SmolLM2-135M: 134,515,008 parameters, as transformers reports for HuggingFaceTB/SmolLM2-135M"),
        ] + tiny.map { model in
            (ParameterCount(config: model.config).total == countedParameters(model.loaded.model),
             "\(model.name): the formula gives exactly the kernel model's count of every tensor")
        })
        notebook.prose("""
            A forward pass multiplies every token's vector by every weight matrix once: about 2 \
            FLOPs (a multiply and an add) per weight, so a model of N weights costs about 2N \
            FLOPs per token, the LM head included. Attention adds q·k and the weighted sum over \
            all earlier tokens, 4·L·H·D per token and per position looked at, which grows with \
            the context. Per token, at a few positions:
            """)
        var flops = Table(["model", "position", "matrices", "attention", "total", "attention share"])
        for (name, config) in [("GPT-2 small", TransformerConfig.gpt2Small), ("SmolLM2-135M", TransformerConfig.smolLM2_135M)] {
            for position in Set([0, 1023, config.contextLength - 1]).sorted() where position < config.contextLength {
                let (matrices, attention) = forwardFLOPsPerToken(config: config, position: position)
                let share = Double(attention) / Double(matrices + attention) * 100
                flops.append([name, withSeparators(position), abbreviated(matrices), abbreviated(attention),
                              abbreviated(matrices + attention), formatFixed(share, decimals: 1) + " %"])
            }
        }
        notebook.table(flops)
        notebook.prose("""
            At short contexts the weights dominate: the cost of a token is twice the parameter \
            count. SmolLM2 spends a fifth of its parameters on the embedding, which costs nothing \
            to look up but a full V·C product in the head.
            """)
    }
}
