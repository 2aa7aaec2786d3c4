// ModelConfig+Validation: the rules between a config's numbers, and the memory a config asks for,
// checked when config.json is read, before anything is allocated.
//
// Reading a field checks the field alone (a positive integer, a string); these checks are the
// relations the model code relies on: GPT-2's heads × head size = width, an even head size for
// RoPE, a rope scaling the kit implements, numbers that stay finite in Float, and sizes below
// generous limits that no published model comes near (so that listing a config's tensor names
// stays cheap). Then the budget, checked when a model is built (TransformerModel's init): a config
// is a promise about sizes, so before the weights are read the kit adds up what the model would
// hold (its parameters and its RoPE table, in float32) and refuses, naming the field that asks for
// most, a model larger than this machine's memory (or the process's address-space limit, when one
// is set). The model code keeps its preconditions: they now guard calls between the kit's own
// functions, never a file.
//
// A run adds memory that depends on its options, not on the file: a generation's KV cache (layers
// × 2 × KV heads × head size × positions × 4 bytes) and the scratch of its prompt pass, a forward
// pass's logits, a training step's workspace. Those parts are computed here too
// (`kvCacheBytes`, `forwardScratchBytes`, `trainingWorkspaceBytes`), and a caller adds them to
// the budget with the option that sets their size (`memoryProblem(…, plus:)`), so that one check
// names whichever field or option asks for most.
//
// Left out: memory-mapped weight files (they are paged in and out by the system) and
// allocations of a few rows (each decoding step's), which the 20% headroom covers.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension TransformerConfig {
    /// The largest size of each kind the kit accepts, far beyond any published model, so that no
    /// product of sizes overflows Int and listing a config's tensors stays cheap. A config.json
    /// past one is refused by `sizeProblem`; `lab train` refuses shape flags past them.
    public enum SizeLimits {
        public static let vocabulary = 1 << 24, positions = 1 << 24, width = 1 << 20, layers = 4096
        public static let heads = 1 << 16, headSize = 1 << 16, feedForward = 1 << 22
    }

    /// The rope scaling types the kit computes (RoPE.swift); "default" means none.
    public static let supportedRopeScalings = ["default", "linear", "llama3"]

    /// What is wrong with the relations between this config's numbers, as a sentence naming the
    /// fields of config.json (`gpt2` names them `n_embd`, `n_head`, others `hidden_size`, …), or
    /// nil when the model code can build it.
    public func sizeProblem() -> String? {
        let isGPT2 = architecture == .gpt2
        let widthField = isGPT2 ? "n_embd" : "hidden_size", headsField = isGPT2 ? "n_head" : "num_attention_heads"
        let limits: [(field: String, value: Int, limit: Int)] = [
            ("vocab_size", vocabularySize, SizeLimits.vocabulary),
            (isGPT2 ? "n_positions" : "max_position_embeddings", contextLength, SizeLimits.positions),
            (widthField, width, SizeLimits.width),
            (isGPT2 ? "n_layer" : "num_hidden_layers", layers, SizeLimits.layers),
            (headsField, heads, SizeLimits.heads),
            ("head_dim", headSize, SizeLimits.headSize),
            (isGPT2 ? "n_inner" : "intermediate_size", feedForwardWidth, SizeLimits.feedForward),
        ]
        for (field, value, limit) in limits where value > limit {
            return "field \"\(field)\": \(value) is more than the kit accepts (at most \(limit); published models stay far below)"
        }
        if heads % kvHeads != 0 {
            return "field \"num_key_value_heads\": \(kvHeads) does not divide the \(heads) query heads (\"\(headsField)\")"
        }
        if isGPT2 && heads * headSize != width {
            return "GPT-2 needs \"\(headsField)\" × head size = \"\(widthField)\", got \(heads) × \(headSize) ≠ \(width)"
        }
        if architecture.isLlamaFamily && headSize % 2 != 0 {
            return "the head size \(headSize) (\"head_dim\", or \"\(widthField)\" / \"\(headsField)\") must be even for RoPE"
        }
        if let window = slidingWindow, window < 1 {
            return "field \"sliding_window\": expected at least 1 position, found \(window)"
        }
        if !Float(ropeTheta).isFinite || ropeTheta <= 1 {
            return "field \"rope_theta\": expected a number above 1 that fits in Float (at most 3.4e38), found \(ropeTheta)"
        }
        if !(normEpsilon.isFinite && normEpsilon > 0) {
            return "the norm's epsilon (\"\(isGPT2 ? "layer_norm_epsilon" : "rms_norm_eps")\") must be a positive number that fits "
                + "in Float (1e-45 to 3.4e38), found \(normEpsilon)"
        }
        if let scaling = ropeScaling {
            guard Self.supportedRopeScalings.contains(scaling.type) else {
                return "field \"rope_scaling\": rope_type \"\(printable(scaling.type))\" is not supported; the kit implements "
                    + Self.supportedRopeScalings.dropFirst().map { "\"\($0)\"" }.joined(separator: " and ")
            }
            guard Float(scaling.factor).isFinite else {
                return "field \"rope_scaling.factor\": expected a finite number, found \(scaling.factor)"
            }
            for (name, value) in [("low_freq_factor", scaling.lowFrequencyFactor), ("high_freq_factor", scaling.highFrequencyFactor)] {
                if let value, !(value.isFinite && value > 0) {
                    return "field \"rope_scaling.\(name)\": expected a positive finite number, found \(value)"
                }
            }
            if scaling.type == "llama3", (scaling.lowFrequencyFactor ?? 1) >= (scaling.highFrequencyFactor ?? 4) {
                return "field \"rope_scaling\": llama3 scaling needs low_freq_factor below high_freq_factor"
            }
            if let original = scaling.originalContextLength, original < 1 {
                return "field \"rope_scaling.original_max_position_embeddings\": expected a positive integer, found \(original)"
            }
        }
        return nil
    }

    /// config.json's name for the context length: `n_positions` (GPT-2) or `max_position_embeddings`.
    public var contextLengthField: String { architecture == .gpt2 ? "n_positions" : "max_position_embeddings" }

    /// Where the model's float32 memory goes, by the config.json field that sets each part's size,
    /// in bytes (Double, so that no product of huge fields overflows).
    public var memoryParts: [(field: String, bytes: Double)] {
        let isGPT2 = architecture == .gpt2
        let (v, c, l) = (Double(vocabularySize), Double(width), Double(layers))
        let (q, kv, f) = (Double(heads * headSize), Double(kvHeads) * Double(headSize), Double(feedForwardWidth))
        let perLayer = c * q * 2 + c * kv * 2 + c * f * (isGPT2 ? 2 : 3)
        var parts: [(String, Double)] = [
            ("vocab_size", v * c * (tiedEmbeddings ? 1 : 2) * 4),
            (isGPT2 ? "n_layer" : "num_hidden_layers", l * perLayer * 4),
        ]
        // GPT-2 learns a vector per position; the Llama family keeps a cos and sin table per position.
        let positions = Double(contextLength) * (isGPT2 ? c : Double(headSize)) * 4
        parts.append((isGPT2 ? "n_positions" : "max_position_embeddings", positions))
        return parts
    }

    /// The memory this process may use: the machine's, or the address-space limit when lower.
    public static var availableMemory: Double {
        var memory = Double(ProcessInfo.processInfo.physicalMemory)
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_AS.rawValue)
        let unlimited = rlim_t.max  // glibc's RLIM_INFINITY, ~0, which Swift cannot import
        #else
        let resource = RLIMIT_AS
        let unlimited = RLIM_INFINITY
        #endif
        if getrlimit(resource, &limit) == 0, limit.rlim_cur != unlimited {
            memory = min(memory, Double(limit.rlim_cur))
        }
        return memory
    }

    /// Why a model of this config does not fit in `available` bytes (by default, what this process
    /// may use), naming the field or option that asks for most; nil when it fits in 80% of them.
    /// `copies` counts float32 copies of the model: 1 to run it, 4 to train it (weights, gradients
    /// and AdamW's two moments). `plus` adds what a run needs beyond the weights, each part named
    /// by what sets its size, e.g. `("--max-tokens 5000 (a KV cache of 5004 positions)", bytes)`.
    public func memoryProblem(available: Double = TransformerConfig.availableMemory, copies: Int = 1,
                              plus extra: [(source: String, bytes: Double)] = []) -> String? {
        let parts = memoryParts.map { (source: "field \"\($0.field)\"", bytes: $0.bytes * Double(copies)) } + extra
        let total = parts.reduce(0) { $0 + $1.bytes }
        guard total > 0.8 * available, let largest = parts.max(by: { $0.bytes < $1.bytes }) else { return nil }
        let what = extra.isEmpty ? "the model would need \(formatBytes(total)) in float32"
            : "the run would need \(formatBytes(total)) (the model's weights and what this run adds)"
        return what + (copies > 1 ? " (\(copies) copies: weights, gradients, AdamW's moments)" : "")
            + ", more than the \(formatBytes(available)) this process may use; most of it (\(formatBytes(largest.bytes))) "
            + "comes from \(largest.source)"
    }

    // MARK: - What a run adds

    /// The KV cache of a sequence of `positions` positions: layers × 2 (keys and values) × KVH × D
    /// × positions × 4 bytes (KVCache.swift).
    public func kvCacheBytes(positions: Int) -> Double {
        Double(layers) * 2 * Double(kvHeads) * Double(headSize) * Double(positions) * 4
    }

    /// The working memory of one forward pass over `tokens` new tokens that returns `logitRows`
    /// rows of logits: the rows of every intermediate a block holds at once (its input, the norm,
    /// q/k/v, the attention output, the MLP's hidden rows, the residual sums), generously counted,
    /// and the (logitRows, V) logits.
    public func forwardScratchBytes(tokens: Int, logitRows: Int) -> Double {
        let perRow = 6 * Double(width) + Double(heads + 2 * kvHeads) * Double(headSize) + 3 * Double(feedForwardWidth)
        return Double(tokens) * perRow * 4 + Double(logitRows) * Double(vocabularySize) * 4
    }

    /// The memory one training micro-batch of (`batch`, `context`) keeps (TrainableTransformer's
    /// workspace): per block the norms, q/k/v, the attention probabilities (B, H, T, T), the
    /// attention output and the MLP's rows; the residual stream at every block boundary; the
    /// (B·T, V) logits; and the gradient scratch of one block.
    public func trainingWorkspaceBytes(batch: Int, context: Int) -> Double {
        let n = Double(batch) * Double(context), c = Double(width), d = Double(headSize)
        let qkv = Double(heads + 2 * kvHeads) * d, attended = Double(heads) * d, f = Double(feedForwardWidth)
        let hidden = architecture == .gpt2 ? f : 2 * f
        let perLayer = n * (2 * c + 4 + qkv + attended + hidden + f) + Double(batch) * Double(heads) * Double(context) * Double(context)
        let rest = Double(2 * layers + 1) * n * c + n * (c + 2) + n * Double(vocabularySize)
            + n * (2 * c + attended + qkv + hidden + f) + n * 2
        return (Double(layers) * perLayer + rest) * 4
    }
}

/// A size for messages in decimal units: "812 bytes", "133.0 kB", "5.0 MB", "1.25 GB",
/// "16.00 TB" (kB and MB with one decimal, larger units with two). A Double, so that sizes
/// computed from hostile configs (far beyond Int) still print.
public func formatBytes(_ bytes: Double) -> String {
    if bytes < 1000 { return "\(Int(bytes)) bytes" }
    if bytes < 1e6 { return String(format: "%.1f kB", bytes / 1e3) }
    if bytes < 1e9 { return String(format: "%.1f MB", bytes / 1e6) }
    let units = ["GB", "TB", "PB", "EB"]
    var value = bytes / 1e9, unit = 0
    while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
    return String(format: value >= 1e4 ? "%.3g" : "%.2f", value) + " " + units[unit]
}

/// `formatBytes` of a byte count.
public func formatBytes(_ count: Int) -> String { formatBytes(Double(count)) }

/// `text` safe to print in an error: control characters escaped, and cut to 60 characters with
/// its length given when longer.
public func printable(_ text: String, limit: Int = 60) -> String {
    var escaped = ""
    for scalar in text.unicodeScalars.prefix(limit) {
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
            escaped += "\\u{" + String(scalar.value, radix: 16) + "}"
        } else {
            escaped.unicodeScalars.append(scalar)
        }
    }
    let count = text.unicodeScalars.count
    return count > limit ? escaped + "… (\(count) characters)" : escaped
}
