// `lab bench train`: how long one training step of the kernel's fast path takes.
//
// Scope: one measurement per shape and thread count: a whole optimizer step (zeroing the
// gradients, forward and backward over a (B, T) batch of random tokens, clipping by the global
// norm, one AdamW update) on random weights, in seconds per step and tokens per second (B·T
// tokens per step). The shapes are named: `small` (a GPT-2-style model of 4 layers, width 256, 4
// heads, vocabulary 4096; the issue's yardstick against PyTorch eager), `gpt2-124m` (GPT-2 small,
// tied head) and `smollm2-135m` (SmolLM2-135M's Llama config: 30 layers, width 576, 9 heads with 3
// KV heads, tied head), each at its own batch and context, and `tiny` for `--quick`. Timing follows
// Benchmark.swift (a warm-up step, then the median of timed steps). The peers (PyTorch eager, llm.c)
// are measured by scripts/bench/compare_train.sh (PyTorch) and by hand (llm.c) in the same sitting, outside the kit.
// With `--lora-rank R` the step is a LoRA step instead: the model frozen, an adapter of rank R
// (alpha 2R) on PEFT's default targets (c_attn; q_proj and v_proj), its B drawn at random so the
// path is exercised as after some training; clipping and AdamW over the adapter alone. The peer is
// PyTorch + PEFT on the same module names (scripts/bench/pytorch_train_step.py --lora-rank R).
// Left out: gradient accumulation (it repeats the same step), data loading, evaluation.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabKernel

struct TrainBenchmark {
    /// A named model shape with the batch it is measured at.
    struct Shape {
        let name: String
        let config: TransformerConfig
        let batch: Int, context: Int
    }

    static let shapes: [Shape] = [
        Shape(name: "small", config: TransformerConfig(architecture: .gpt2, vocabularySize: 4096, contextLength: 128,
                                                       width: 256, layers: 4, heads: 4), batch: 8, context: 128),
        Shape(name: "gpt2-124m", config: .gpt2Small, batch: 4, context: 64),
        Shape(name: "smollm2-135m", config: .smolLM2_135M, batch: 4, context: 128),
        Shape(name: "tiny", config: TransformerConfig(architecture: .gpt2, vocabularySize: 256, contextLength: 32,
                                                      width: 32, layers: 2, heads: 2), batch: 2, context: 32),
    ]

    static let usage = """
        usage: lab bench train [options]

        Measures one training step of the kernel's fast path (forward, backward, gradient clipping
        and an AdamW update) on random weights and random tokens, in seconds per step (lower is
        better) and tokens per second, on 1 thread and on all cores. Build in release mode:
            swift run -c release lab bench train

        shapes (batch B × context T):
        \(shapes.map { "  " + $0.name.padding(toLength: 14, withPad: " ", startingAt: 0) + describe($0) }.joined(separator: "\n"))

        options:
          --shapes A,B      shapes to measure (default: small,gpt2-124m,smollm2-135m; --quick: tiny)
          --threads N       threads for the multi-threaded measurement (default: all \(Parallel.coreCount) cores)
          --samples N       timed steps per measurement (default: 3; --quick: 1)
          --lora-rank R     time a LoRA step (rank R, alpha 2R, PEFT's default targets) on the frozen model
          --quick           the tiny shape and one sample: a smoke test for CI
          --json            one JSON object per line per measurement, e.g.
                            {"bench":"train","shape":"small","batch":8,"context":128,"threads":1,"step_seconds":0.41,"tokens_per_second":2497,
                             "training_bytes":98765432,"peak_rss_bytes":123456789}
                            training_bytes: weights (with gradients when trained), the adapter, AdamW's moments and
                            the batch's activations as allocated; peak_rss_bytes: the process's high-water mark so far
                            (measure one shape per run to compare full and LoRA)
          --help            show this help
        """

    static func describe(_ shape: Shape) -> String {
        let c = shape.config
        let family = c.architecture == .gpt2 ? "GPT-2" : "Llama"
        let kv = c.kvHeads == c.heads ? "" : " (\(c.kvHeads) KV)"
        return "\(family), \(c.layers) layers, C \(c.width), H \(c.heads)\(kv), V \(c.vocabularySize), "
            + "B \(shape.batch) × T \(shape.context)"
    }

    let shapes: [Shape]
    let threadCounts: [Int]
    let samples: Int
    var loraRank: Int? = nil

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "bench train")
        if arguments.flag("--help", "-h") {
            print(usage)
            return
        }
        func usageError(_ message: String) -> UsageError { UsageError(message: message, command: "bench train") }
        func single(_ option: String) throws -> Int? {
            try arguments.value(option).map { text in
                let values = try parsePositiveIntegers(text, option: option, command: "bench train")
                guard values.count == 1 else { throw usageError("\(option) expects one positive integer, got '\(text)'") }
                return values[0]
            }
        }
        let json = arguments.flag("--json")
        let quick = arguments.flag("--quick")
        let names = try arguments.value("--shapes").map { $0.split(separator: ",").map(String.init) }
        let threads = try single("--threads"), samples = try single("--samples"), rank = try single("--lora-rank")
        try arguments.finish()
        let chosen = try (names ?? (quick ? ["tiny"] : ["small", "gpt2-124m", "smollm2-135m"])).map { name in
            guard let shape = Self.shapes.first(where: { $0.name == name }) else {
                throw usageError("unknown shape '\(name)' (available: \(Self.shapes.map(\.name).joined(separator: ", ")))")
            }
            return shape
        }
        #if DEBUG
        printError("""
            warning: lab was built in debug mode. The kernel is optimized in both modes, but for \
            representative numbers run: swift run -c release lab bench train
            """)
        #endif
        TrainBenchmark(shapes: chosen, threadCounts: Array(Set([1, threads ?? Parallel.coreCount])).sorted(),
                       samples: samples ?? (quick ? 1 : 3), loraRank: rank).run(json: json)
    }

    func run(json: Bool) {
        let savedThreads = Parallel.threadCount
        defer { Parallel.threadCount = savedThreads }
        func printLine(_ line: String) {
            print(line)
            fflush(nil)
        }
        if !json {
            printLine("Training step (forward, backward, clipping, AdamW) on random weights, median of \(samples) step\(samples == 1 ? "" : "s")")
        }
        for shape in shapes {
            let config = shape.config
            var adapter: LoRAAdapter?
            if let loraRank {
                let settings = LoRASettings(rank: loraRank, alpha: Float(2 * loraRank), for: config.architecture)
                guard let made = try? LoRAAdapter(config: config, settings: settings, seed: 3) else {
                    printError("lab bench train: rank \(loraRank) does not fit \(shape.name)'s projections; skipped")
                    continue
                }
                var g = SeededGenerator(seed: 4)
                for target in made.targets {
                    made.parameters.setValue(target.b, .randomNormal([target.outputs, loraRank], standardDeviation: 0.02, using: &g))
                }
                adapter = made
            }
            let trainer = TrainableTransformer(TransformerModel.random(config: config, seed: 1), adapter: adapter)
            var optimizer = BufferAdamW(for: trainer.trainable)
            var generator = SeededGenerator(seed: 2)
            let tokens = shape.batch * shape.context
            let inputs = (0..<tokens).map { _ in generator.nextInt(below: config.vocabularySize) }
            let targets = (0..<tokens).map { _ in generator.nextInt(below: config.vocabularySize) }
            if !json {
                let millions = Double(trainer.parameters.count) / 1e6
                let lora = adapter.map { ", LoRA r \($0.settings.rank) on \($0.settings.targets.joined(separator: ", ")) (\($0.parameterCount) trainable)" } ?? ""
                printLine("\n\(shape.name): \(Self.describe(shape)), \(formatFigure(millions))M parameters\(lora)")
            }
            for threads in threadCounts {
                Parallel.threadCount = threads
                let seconds = medianSeconds(samples: samples, minimumSampleSeconds: 0) {
                    trainer.zeroGradients()
                    trainer.loss(inputs: inputs, targets: targets, batch: shape.batch, context: shape.context)
                    trainer.trainable.clipGradients(maxNorm: 1)
                    optimizer.update(trainer.trainable, learningRate: 1e-4)
                }
                let perSecond = Double(tokens) / seconds
                // What the step holds: weights (and their gradients when trained), the adapter,
                // AdamW's two moments, and the batch's activations; and the process's high-water mark.
                let stateBytes = trainer.parameters.memoryBytes + (adapter?.parameters.memoryBytes ?? 0)
                    + 4 * (optimizer.firstMoment.count + optimizer.secondMoment.count) + trainer.workspaceBytes
                let peak = peakResidentBytes()
                if json {
                    printLine(jsonLine([("bench", .string("train")), ("shape", .string(shape.name)),
                                        ("batch", .integer(shape.batch)), ("context", .integer(shape.context)),
                                        ("threads", .integer(threads))] + (loraRank.map { [("lora_rank", .integer($0))] } ?? [])
                                        + [("step_seconds", .number(seconds)), ("tokens_per_second", .number(perSecond)),
                                           ("training_bytes", .integer(stateBytes))] + (peak.map { [("peak_rss_bytes", .integer($0))] } ?? [])))
                } else {
                    let threadText = "\(threads) thread\(threads == 1 ? "" : "s")"
                    printLine("  " + threadText.padding(toLength: 11, withPad: " ", startingAt: 0)
                              + "\(formatFigure(seconds)) s/step   \(formatFigure(perSecond)) tokens/s   "
                              + "weights, gradients, moments and activations \(formatBytes(stateBytes))"
                              + (peak.map { ", peak RSS \(formatBytes($0))" } ?? ""))
                }
            }
        }
    }
}

/// The process's peak resident memory so far (getrusage's ru_maxrss: kilobytes on Linux, bytes on
/// macOS), or nil where it is not available.
func peakResidentBytes() -> Int? {
    var usage = rusage()
    #if os(Linux)
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
    return Int(usage.ru_maxrss) * 1024
    #else
    guard getrusage(RUSAGE_SELF, &usage) == 0 else { return nil }
    return Int(usage.ru_maxrss)
    #endif
}
