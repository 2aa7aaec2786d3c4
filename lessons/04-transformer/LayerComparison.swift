// Checking one implementation against another, layer by layer, and naming the first layer that
// diverges: how a port of a model is debugged. The reference here is the kernel's model (itself
// checked against transformers' logits by the kit's tests); the lesson's model must match its
// residual stream after the embedding, after every block, after the final norm, and its logits.
//
// The cell then breaks copies of the lesson's model on purpose (a bias not loaded, the wrong norm
// epsilon) and shows that the report points at the layer where each mistake lives.
// Left out: finer steps inside a block (the kernel's `hiddenStates` records whole blocks).

import LabKernel
import LabNotebook

/// One layer's comparison: the largest difference and the size of the numbers compared.
struct LayerDifference {
    let name: String
    let difference: Float
    /// max |reference|: differences are judged relative to it (GPT-2's residual stream grows to hundreds).
    let scale: Float
    /// Whether the layer agrees: difference ≤ tolerance · max(1, scale).
    let agrees: Bool
}

/// Compares two runs layer by layer (same names in the same order).
///
/// - Parameter tolerance: relative to the size of the reference's numbers (at least 1);
///   1e-4 absorbs float rounding in a different order through a few dozen layers.
func compareLayers(_ actual: [(name: String, output: Tensor)], reference: [(name: String, output: Tensor)],
                   tolerance: Float = 1e-4) -> [LayerDifference] {
    precondition(actual.map(\.name) == reference.map(\.name),
                 "compareLayers: the runs record different layers: \(actual.map(\.name)) and \(reference.map(\.name))")
    return zip(actual, reference).map { a, r in
        let scale = r.output.scalars.reduce(0) { max($0, abs($1)) }
        let difference = largestDifference(a.output, r.output)
        return LayerDifference(name: r.name, difference: difference, scale: scale,
                               agrees: difference <= tolerance * max(1, scale))
    }
}

/// The first layer that does not agree, or nil when all do.
func firstDivergingLayer(_ layers: [LayerDifference]) -> LayerDifference? {
    layers.first { !$0.agrees }
}

extension TransformerLesson {
    /// The layer-by-layer table, with ✗ on the first diverging layer.
    func layerTable(_ layers: [LayerDifference]) -> Table {
        let first = firstDivergingLayer(layers)?.name
        var table = Table(["layer", "max |lesson − kernel|", "max |kernel|", ""], alignments: [.left, .right, .right, .left])
        for layer in layers {
            let mark = layer.name == first ? "✗ first diverging layer" : layer.agrees ? "✓" : "✗"
            table.append([layer.name, formatDifference(layer.difference), formatFixed(layer.scale, decimals: 2), mark])
        }
        return table
    }

    func assemblingTheModels(_ tiny: [TinyModel], tokens: [Int]) {
        notebook.prose("""
            With the pieces, a whole model is a short file. LessonModel.swift assembles GPT-2: \
            look up each token's row in the embedding table and add its position's row, run the \
            blocks, normalize, and score every vocabulary entry with the embedding table again \
            (the LM head is "tied" to it). The weights are read from a dictionary by their \
            Hugging Face names, so any GPT-2 checkpoint fits. The heart of it:
            """)
        notebook.code("""
            let h = lessonLayerNorm(x, gain: weight(p + "ln_1.weight"), bias: weight(p + "ln_1.bias"), epsilon: ε)
            let qkv = linearConv1D(h, weight(p + "attn.c_attn.weight"), weights[p + "attn.c_attn.bias"])
            let attended = lessonAttention(query: q, keys: k, values: v, heads: H, kvHeads: H, headSize: D)
            let residual = x + linearConv1D(attended, weight(p + "attn.c_proj.weight"), …)
            let h2 = lessonLayerNorm(residual, gain: weight(p + "ln_2.weight"), …)
            return residual + lessonGPT2MLP(h2, up: weight(p + "mlp.c_fc.weight"), …)
            """)
        notebook.prose("""
            The Llama family changed four things, and LlamaBlock.swift is GPT-2's block with \
            those lines marked `// NEW:` — RMSNorm for LayerNorm, RoPE for the position table, \
            SwiGLU for the GELU MLP, and fewer key/value heads than query heads (GQA), which \
            shrinks the KV cache without losing much quality:
            """)
        notebook.code("""
            // NEW: RMSNorm, no mean subtracted and no bias.
            let h = lessonRMSNorm(x, gain: weight(p + "input_layernorm.weight"), epsilon: ε)
            // NEW: three separate projections in nn.Linear layout (out, in); k and v have only KVH heads (GQA).
            var q = linearOutIn(h, weight(p + "self_attn.q_proj.weight"), …)   // (T, H·D)
            var k = linearOutIn(h, weight(p + "self_attn.k_proj.weight"), …)   // (T, KVH·D)
            // NEW: RoPE rotates queries and keys by their positions; there is no position table.
            q = lessonRoPE(q, …);  k = lessonRoPE(k, …)
            // NEW: RMSNorm again, then SwiGLU: silu(gate(x)) ⊙ up(x), then down.
            """)
        notebook.prose("""
            To have weights to load, the lesson made two tiny random models, wrote each to a \
            temporary folder in the Hugging Face layout (config.json and model.safetensors, \
            through the kernel's safetensors writer) and loaded them back with the kernel's \
            `loadModel(folder:)`, exactly as a model downloaded from the Hub is loaded. The \
            Llama's config.json:
            """)
        notebook.code(TinyModel.llamaConfigJSON)
        notebook.prose("""
            Now both implementations read the same \(tokens.count) tokens (the bytes of \
            "\(String(decoding: tokens.map(UInt8.init), as: UTF8.self))", since these models have \
            one token per byte value), and we compare the residual stream after every layer:
            """)
        for model in tiny {
            let lesson = LessonTransformer(config: model.config, weights: model.loaded.model.parameters)
            let layers = compareLayers(lesson.forward(tokens: tokens), reference: model.loaded.model.hiddenStates(tokens: tokens))
            notebook.output(model.name)
            notebook.table(layerTable(layers))
            notebook.check(firstDivergingLayer(layers) == nil,
                           "\(model.name): the lesson's model and the kernel's agree at every layer (within 1e-4 of the numbers' size)")
        }
        let model = tiny[0].loaded.model
        let lesson = LessonTransformer(config: model.config, weights: model.parameters)
        let repetitions = notebook.quick ? 3 : 10
        let lessonTime = Stopwatch.measure(repetitions: repetitions) { _ = lesson.forward(tokens: tokens) }
        let kernelTime = Stopwatch.measure(repetitions: repetitions) { _ = model.forward(tokens: tokens) }
        notebook.prose("""
            The same numbers, at different speeds: the lesson's model takes \
            \(notebook.duration(lessonTime.median)) for these tokens, the kernel's \
            \(notebook.duration(kernelTime.median)) (\(notebook.speedup(lessonTime.median / kernelTime.median)) \
            faster). Part of that is the build: `swift run` compiles the lesson without \
            optimization and the kernel with it. The rest is the kernel's work: it fuses the \
            attention of each (row, head) into one pass without building score matrices, \
            normalizes rows without temporary arrays, and splits the work across the cores.
            """)
    }

    func findingTheFirstDivergingLayer(_ tiny: TinyModel, tokens: [Int]) {
        notebook.prose("""
            When a port of a model disagrees with the original, the logits alone say little: \
            every layer after a mistake is wrong too. Comparing layer by layer points at the \
            first one that differs, and the mistake is in it. Two classic mistakes, made on \
            purpose in copies of the lesson's GPT-2:
            """)
        let model = tiny.loaded.model
        let reference = model.hiddenStates(tokens: tokens)
        var withoutBias = LessonTransformer(config: model.config, weights: model.parameters)
        withoutBias.weights["transformer.h.2.attn.c_proj.bias"] = nil
        var wrongEpsilon = LessonTransformer(config: model.config, weights: model.parameters)
        wrongEpsilon.normEpsilon = 1e-2
        let cases: [(String, LessonTransformer, String)] = [
            ("A loader that forgot one tensor: block 2's attention output bias (attn.c_proj.bias) is missing.",
             withoutBias, "block 2"),
            ("LayerNorm with ε = 1e-2 instead of config.json's 1e-5 (a default copied from another model):",
             wrongEpsilon, "block 0"),
        ]
        for (description, broken, culprit) in cases {
            notebook.prose(description)
            let layers = compareLayers(broken.forward(tokens: tokens), reference: reference)
            notebook.table(layerTable(layers))
            let first = firstDivergingLayer(layers)
            notebook.check(first?.name == culprit,
                           "the first diverging layer is \(first?.name ?? "none"), where the mistake is; "
                            + "the layers before it still agree")
        }
        notebook.prose("""
            The missing bias leaves blocks 0 and 1 untouched and shifts every token's vector from \
            block 2 on. The epsilon is used by every norm, so block 0 already differs. Here the \
            mistake is large (a row's variance in this model is about 0.02, so ε = 1e-2 changes \
            it by half); a 1e-5 for 1e-6 mix-up is much smaller and only shows in rows of small \
            variance, which is why such checks use tolerances far below the size of the numbers. \
            The kit's tests use the same comparison against PyTorch's numbers (`assertLayersClose`).
            """)
    }
}
