// Cell: grouped-query attention. Several query heads share one key/value head; the lesson's
// multi-head attention (MultiHead.swift, its `// NEW (GQA)` line) is checked against the kernel
// with H = 8, KVH = 2, and the KV-cache memory of MHA and GQA is computed from the published
// config.json numbers of Llama 3 8B and SmolLM2-135M, read by the kernel's config reader.
//
// Left out: multi-query attention as a separate case (it is KVH = 1), multi-head latent
// attention (DeepSeek), quantized caches.

import LabKernel
import LabNotebook

/// The fields of two published Hugging Face `config.json` files that decide the KV cache's size
/// (the files also list the MLP, vocabulary and norm settings, kept here so the kernel reads them
/// as it would the real files).
let publishedConfigs: [(name: String, json: String)] = [
    ("Llama 3 8B", """
        {"model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
         "num_attention_heads": 32, "num_key_value_heads": 8, "max_position_embeddings": 8192,
         "rope_theta": 500000.0, "rms_norm_eps": 1e-05, "vocab_size": 128256, "torch_dtype": "bfloat16"}
        """),
    ("SmolLM2-135M", """
        {"model_type": "llama", "hidden_size": 576, "intermediate_size": 1536, "num_hidden_layers": 30,
         "num_attention_heads": 9, "num_key_value_heads": 3, "max_position_embeddings": 8192,
         "rope_theta": 100000, "rms_norm_eps": 1e-05, "vocab_size": 49152, "tie_word_embeddings": true,
         "torch_dtype": "bfloat16"}
        """),
]

/// Bytes a KV cache needs per token: keys and values, every layer, every key/value head.
func kvCacheBytesPerToken(layers: Int, kvHeads: Int, headSize: Int, bytesPerNumber: Int) -> Int {
    2 * layers * kvHeads * headSize * bytesPerNumber
}

/// A byte count as `512 KiB`, `1.00 GiB`.
func formatBinaryBytes(_ bytes: Int) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes), unit = 0
    while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
    return unit == 0 ? "\(bytes) bytes" : formatFixed(value, decimals: value < 10 ? 2 : (value < 100 ? 1 : 0)) + " " + units[unit]
}

extension AttentionLesson {
    func groupedQueryCell() {
        notebook.prose("""
            With a cache, decoding reads every cached key and value once per token, and the cache \
            can outgrow the weights. Grouped-query attention (GQA) shrinks it: keep H query heads, \
            but only KVH < H key/value heads, each shared by a group of H/KVH consecutive query \
            heads. Query head h reads key/value head h / (H/KVH). KVH = H is ordinary multi-head \
            attention (MHA), KVH = 1 is multi-query attention. In the lesson's code it is one line:
            """)
        notebook.code("""
            let g = h / (heads / kvHeads)  // NEW (GQA): query heads h·KVH/H share key/value head g
            attentionAsMatrices(q: q.row(h), k: k.row(g), v: v.row(g), causal: true)
            """)
        let (t, heads, kvHeads, d) = (12, 8, 2, 16)
        var generator = SeededGenerator(seed: 23)
        let q = Tensor.randomNormal([t, heads * d], using: &generator)
        let k = Tensor.randomNormal([t, kvHeads * d], using: &generator)
        let v = Tensor.randomNormal([t, kvHeads * d], using: &generator)
        let ours = multiHeadAttention(query: q, keys: k, values: v, heads: heads, kvHeads: kvHeads)
        let kernel = causalAttention(query: q, keys: k, values: v, shape: AttentionShape(heads: heads, kvHeads: kvHeads, headSize: d))
        let difference = ours.maxAbsoluteDifference(kernel)
        notebook.values([("query heads → key/value head", (0..<heads).map { "\($0)→\($0 / (heads / kvHeads))" }.joined(separator: " "))])
        // Tolerance: averages of unit normals summed in different orders.
        notebook.check(difference < 1e-5, "lesson GQA (H = 8, KVH = 2) equals the kernel's: largest difference \(formatFixed(difference, decimals: 6)) (tolerance 1e-5)")

        notebook.prose("""
            What it saves, from the numbers in two published config.json files (read by the \
            kernel's `TransformerConfig(json:)`), with the cache in bf16 (2 bytes a number) as \
            these models are usually run, at their full context. Per token the cache holds \
            2 × layers × KVH × D numbers:
            """)
        var table = Table(["model", "layers", "H", "KVH", "D", "MHA / token", "GQA / token", "MHA, full context", "GQA, full context", "saved"])
        var checks: [(passed: Bool, text: String)] = []
        for (name, json) in publishedConfigs {
            let config = try! TransformerConfig(json: Array(json.utf8), source: name)  // the literal above is valid
            let mha = kvCacheBytesPerToken(layers: config.layers, kvHeads: config.heads, headSize: config.headSize, bytesPerNumber: 2)
            let gqa = kvCacheBytesPerToken(layers: config.layers, kvHeads: config.kvHeads, headSize: config.headSize, bytesPerNumber: 2)
            table.append([name, String(config.layers), String(config.heads), String(config.kvHeads), String(config.headSize),
                          formatBinaryBytes(mha), formatBinaryBytes(gqa), formatBinaryBytes(mha * config.contextLength),
                          formatBinaryBytes(gqa * config.contextLength), "\(config.heads / config.kvHeads)×"])
            checks.append((mha == gqa * config.heads / config.kvHeads,
                           "\(name): the cache shrinks by exactly H/KVH = \(config.heads)/\(config.kvHeads)"))
        }
        notebook.table(table)
        notebook.checks(checks)
        notebook.prose("""
            Llama 3 8B at its 8,192-token context needs 1 GiB of cache per sequence instead of \
            4 GiB; a server holding 32 conversations saves 96 GiB. SmolLM2-135M's whole cache at \
            full context (\(formatBinaryBytes(kvCacheBytesPerToken(layers: 30, kvHeads: 3, headSize: 64, bytesPerNumber: 2) * 8192))) \
            is two thirds of its bf16 weights (about 270 MB); with MHA it would be three times as \
            large, twice the weights. \
            Quality barely suffers, because the query heads still differ, and fewer key/value \
            projections also mean fewer parameters. The kernel's KVCache stores KVH·D numbers per \
            layer and position, so GQA models get the saving automatically.
            """)
    }
}
