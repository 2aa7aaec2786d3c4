// `lab bench model`: how many tokens per second the kernel's transformer processes.
//
// Scope: two measurements per model shape and thread count, in tokens per second (higher is
// better): the prompt ("prefill": one forward pass over a batch of T tokens, every position at
// once, matrix-matrix products, with logits at every position as training and scoring need them;
// for stories15M the LM head, V·C = 9.2M of its 15.2M parameters, is most of that work) and
// incremental decoding ("decode": one token per forward pass
// with the KV cache, after a short prompt, matrix-vector products that read every weight once per
// token). The shapes are those of llama2.c's TinyStories models, stories15M (C 288, 6 layers,
// 6 heads, F 768) and stories110M (C 768, 12 layers, 12 heads, F 2048), both V 32000, as a
// Llama (RMSNorm, SwiGLU, RoPE) with random weights: the speed does not depend on the values.
// Their embeddings are tied, as in those checkpoints (llama2.c's model shares the classifier
// with the token embedding). Timing follows Benchmark.swift (a warm-up, then the median).
// With `--quantize q8` the same models run with their weight matrices in int8 blocks (Q8_0,
// the kernel's Quantization/); every result carries "quantize" ("f32" or "q8") and the bytes of
// weights in memory ("weight_bytes"), so the two paths compare line by line.
// Left out: decoding without the cache (recomputing the prefix every token; quadratic, see the
// KV-cache lesson), batches of sequences, and peers (llama2.c's `run.c` on the same shapes is the
// natural comparison, outside the kit).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabKernel

struct ModelBenchmark {
    /// A named model shape.
    struct Shape {
        let name: String
        let config: TransformerConfig
    }

    /// The shapes by name: llama2.c's two TinyStories models, and a tiny one for `--quick`.
    static let shapes: [Shape] = [
        Shape(name: "stories15M", config: .llamaFamily(vocabularySize: 32000, contextLength: 256, width: 288, layers: 6,
                                                       heads: 6, kvHeads: 6, feedForwardWidth: 768, normEpsilon: 1e-5,
                                                       tiedEmbeddings: true)),
        Shape(name: "stories110M", config: .llamaFamily(vocabularySize: 32000, contextLength: 1024, width: 768, layers: 12,
                                                        heads: 12, kvHeads: 12, feedForwardWidth: 2048, normEpsilon: 1e-5,
                                                        tiedEmbeddings: true)),
        Shape(name: "tiny", config: .llamaFamily(vocabularySize: 512, contextLength: 64, width: 64, layers: 2,
                                                 heads: 4, kvHeads: 4, feedForwardWidth: 172, normEpsilon: 1e-5,
                                                 tiedEmbeddings: true)),
    ]

    static let usage = """
        usage: lab bench model [options]

        Measures the transformer's speed in tokens per second (higher is better) on Llama models
        with random weights in the shapes of llama2.c's stories15M and stories110M (tied
        embeddings, as in those checkpoints): processing a prompt of T tokens in one forward pass
        ("prefill"), and decoding one token at a time with the KV cache ("decode"), on 1 thread
        and on all cores. Build in release mode:
            swift run -c release lab bench model

        options:
          --shapes A,B      shapes to measure: \(shapes.map(\.name).joined(separator: ", ")) (default: stories15M,stories110M;
                            --quick: tiny)
          --prompt N        prompt tokens for prefill (default: 256; --quick: 16)
          --decode N        tokens to decode after an 8-token prompt (default: 128; --quick: 8)
          --threads N       threads for the multi-threaded measurements (default: all \(Parallel.coreCount) cores)
          --samples N       timed samples per measurement (default: 3; --quick: 1)
          --quantize q8     the same models with int8 weight matrices (Q8_0 blocks of 32, one scale each)
          --quick           the tiny shape, few tokens, one sample: a smoke test for CI
          --json            one JSON object per line per measurement, e.g.
                            {"bench":"model","variant":"decode","shape":"stories15M","tokens":128,"quantize":"f32",
                             "weight_bytes":97301760,"threads":1,"tokens_per_second":310.5}
          --help            show this help
        """

    let shapes: [Shape]
    let promptTokens: Int
    let decodeTokens: Int
    /// Tokens fed before decoding starts, so that decoding attends to a non-empty cache.
    let decodePromptTokens = 8
    let threadCounts: [Int]
    let samples: Int
    /// Whether the models run with Q8_0 weight matrices.
    var quantize = false

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "bench model")
        if arguments.flag("--help", "-h") {
            print(usage)
            return
        }
        func usageError(_ message: String) -> UsageError { UsageError(message: message, command: "bench model") }
        func single(_ option: String) throws -> Int? {
            try arguments.value(option).map { text in
                let values = try parsePositiveIntegers(text, option: option, command: "bench model")
                guard values.count == 1 else { throw usageError("\(option) expects one positive integer, got '\(text)'") }
                return values[0]
            }
        }
        let json = arguments.flag("--json")
        let quick = arguments.flag("--quick")
        let names = try arguments.value("--shapes").map { $0.split(separator: ",").map(String.init) }
        let prompt = try single("--prompt"), decode = try single("--decode")
        let threads = try single("--threads"), samples = try single("--samples")
        let quantize = try quantizeOption(&arguments, command: "bench model")
        try arguments.finish()

        let chosen = try (names ?? (quick ? ["tiny"] : ["stories15M", "stories110M"])).map { name in
            guard let shape = Self.shapes.first(where: { $0.name == name }) else {
                throw usageError("unknown shape '\(name)' (available: \(Self.shapes.map(\.name).joined(separator: ", ")))")
            }
            return shape
        }
        var benchmark = ModelBenchmark(shapes: chosen, promptTokens: prompt ?? (quick ? 16 : 256),
                                       decodeTokens: decode ?? (quick ? 8 : 128),
                                       threadCounts: Array(Set([1, threads ?? Parallel.coreCount])).sorted(),
                                       samples: samples ?? (quick ? 1 : 3))
        benchmark.quantize = quantize
        for shape in chosen {
            let context = shape.config.contextLength
            guard benchmark.promptTokens <= context, benchmark.decodePromptTokens + benchmark.decodeTokens <= context else {
                throw usageError("\(shape.name) has a context of \(context) positions: --prompt and 8 + --decode must fit in it")
            }
        }

        #if DEBUG
        printError("""
            warning: lab was built in debug mode. The kernel is optimized in both modes, but for \
            representative numbers run: swift run -c release lab bench model
            """)
        #endif
        benchmark.run(json: json)
    }

    // MARK: - Measuring

    func run(json: Bool) {
        let savedThreads = Parallel.threadCount
        defer { Parallel.threadCount = savedThreads }
        // Each result is printed as soon as it is measured, even through a pipe.
        func printLine(_ line: String) {
            print(line)
            fflush(nil)
        }
        if !json {
            printLine("Transformer speed in tokens per second (median of \(samples) sample\(samples == 1 ? "" : "s")), "
                      + "Llama with random weights, tied embeddings" + (quantize ? ", int8 weight matrices (Q8_0)" : ", float32"))
        }
        for shape in shapes {
            let config = shape.config
            let random = TransformerModel.random(config: config, seed: 1)
            let parameterCount = random.parameters.values.reduce(0) { $0 + $1.count }
            let model = quantize ? try! random.quantized() : random  // normal(0, 0.02) weights: far inside float16 scales
            var generator = SeededGenerator(seed: 2)
            let prompt = (0..<promptTokens).map { _ in generator.nextInt(below: config.vocabularySize) }
            let decodePrompt = Array(prompt.prefix(decodePromptTokens))
            if !json {
                printLine("\n\(shape.name): C \(config.width), \(config.layers) layers, H \(config.heads), F \(config.feedForwardWidth), "
                          + "V \(config.vocabularySize), \(formatFigure(Double(parameterCount) / 1e6))M parameters, "
                          + "weights \(formatFigure(Double(model.weightBytes) / 1e6)) MB")
            }
            for threads in threadCounts {
                Parallel.threadCount = threads
                let prefillSeconds = medianSeconds(samples: samples, minimumSampleSeconds: 0) {
                    _ = model.forward(tokens: prompt)
                }
                let decodeSeconds = timeDecoding(model, prompt: decodePrompt)
                let results = [
                    ("prefill", promptTokens, Double(promptTokens) / prefillSeconds,
                     "prefill \(promptTokens) tokens (one forward pass)"),
                    ("decode", decodeTokens, Double(decodeTokens) / decodeSeconds,
                     "decode \(decodeTokens) tokens (KV cache)"),
                ]
                for (variant, tokens, perSecond, description) in results {
                    let result = BenchmarkResult(bench: "model", variant: variant,
                                                 parameters: [("shape", .string(shape.name)), ("tokens", .integer(tokens)),
                                                              ("quantize", .string(quantize ? "q8" : "f32")),
                                                              ("weight_bytes", .integer(model.weightBytes))],
                                                 threads: threads, unit: "tokens_per_second", value: perSecond)
                    if json {
                        printLine(result.json)
                    } else {
                        let threadText = "\(threads) thread\(threads == 1 ? "" : "s")"
                        printLine("  " + pad(description, 40) + pad(threadText, 11) + formatFigure(perSecond) + " tokens/s")
                    }
                }
            }
        }
    }

    /// Seconds to decode `decodeTokens` tokens greedily after `prompt`, with the KV cache: the
    /// median over `samples` runs after one warm-up run. The prompt's forward pass is not timed.
    func timeDecoding(_ model: TransformerModel, prompt: [Int]) -> Double {
        var times: [Double] = []
        for run in 0...samples {
            var cache = KVCache(config: model.config, capacity: prompt.count + decodeTokens)
            var logits = model.forward(tokens: prompt, cache: &cache)  // (T, V)
            let seconds = elapsedSeconds {
                for _ in 0..<decodeTokens {
                    let next = greedyToken(logits.row(logits.shape[0] - 1).scalars)
                    logits = model.forward(tokens: [next], cache: &cache)  // (1, V)
                }
            }
            if run > 0 { times.append(seconds) }  // run 0 is the warm-up
        }
        times.sort()
        let middle = times.count / 2
        return times.count % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2
    }
}

/// `text` left-aligned in a column of `width` characters.
private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}
