// `lab bench`: the kernel's benchmarks.
//
// Scope: the command's options and the choice of benchmark. Each benchmark is its own file
// (MatmulBenchmark.swift, TokenizerBenchmark.swift) and follows the conventions of
// Benchmark.swift (median of repeated samples after a warm-up; a table, or JSON lines with
// `--json`). Later benchmarks are added to `benchmarks` below.

import LabKernel

enum BenchCommand {
    /// The benchmarks by name, with a one-line description for the usage text.
    static let benchmarks: [(name: String, summary: String)] = [
        ("matmul", "matrix multiply (naive, optimized on 1 thread and on all cores) and matrix-vector products"),
        ("tokenizer", "BPE training time and encoding speed in MB/s, 1 thread (`lab bench tokenizer --help`)"),
        ("model", "transformer prefill and KV-cache decoding in tokens/s, stories15M/110M shapes (`lab bench model --help`)"),
        ("train", "one training step (forward, backward, AdamW) in seconds and tokens/s (`lab bench train --help`)"),
    ]

    static let usage = """
        usage: lab bench <benchmark> [options]

        Measures the kernel's speed: matmul in GFLOPS (billions of floating-point operations per
        second; higher is better), the tokenizer in seconds and MB/s (its options:
        `lab bench tokenizer --help`). Each figure is the median of several timed samples after a warm-up.
        Build in release mode for representative numbers:
            swift run -c release lab bench matmul

        benchmarks:
        \(benchmarks.map { "  " + $0.name.padding(toLength: 10, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

        options (matmul):
          --sizes 256,512   square matrix sizes for matmul (default: 256,512,1024,2048;
                            the naive version runs only up to 512)
          --threads N       threads for the multi-threaded measurements (default: all \(Parallel.coreCount) cores)
          --quick           small sizes and few samples, for a smoke test in CI
          --json            one JSON object per line per measurement instead of a table, e.g.
                            {"bench":"matmul","variant":"optimized","n":1024,"threads":1,"gflops":61.2}
          --help            show this help
        """

    static func run(_ arguments: [String]) throws {
        // The tokenizer benchmark reads its own options.
        if let index = arguments.firstIndex(of: "tokenizer") { return try TokenizerBenchmark.run(Array(arguments[..<index] + arguments[(index + 1)...])) }
        if let index = arguments.firstIndex(of: "model") { return try ModelBenchmark.run(Array(arguments[..<index] + arguments[(index + 1)...])) }
        if let index = arguments.firstIndex(of: "train") { return try TrainBenchmark.run(Array(arguments[..<index] + arguments[(index + 1)...])) }
        var arguments = Arguments(arguments, command: "bench")
        if arguments.flag("--help", "-h") {
            print(usage)
            return
        }
        let json = arguments.flag("--json")
        let quick = arguments.flag("--quick")
        let sizes = try arguments.value("--sizes").map {
            try parsePositiveIntegers($0, option: "--sizes", command: "bench")
        }
        let threads = try arguments.value("--threads").map { text -> Int in
            let values = try parsePositiveIntegers(text, option: "--threads", command: "bench")
            guard values.count == 1 else {
                throw UsageError(message: "--threads expects one positive integer, got '\(text)'", command: "bench")
            }
            return values[0]
        }
        let available = benchmarks.map(\.name).joined(separator: ", ")
        guard let name = arguments.positional() else {
            throw UsageError(message: "which benchmark? (available: \(available))", command: "bench")
        }
        try arguments.finish()

        #if DEBUG
        printError("""
            warning: lab was built in debug mode. The kernel is optimized in both modes, but for \
            representative numbers run: swift run -c release lab bench \(name)
            """)
        #endif

        switch name {
        case "matmul":
            MatmulBenchmark(sizes: sizes, threads: threads, quick: quick).run(json: json)
        default:
            throw UsageError(message: "unknown benchmark '\(name)' (available: \(available))", command: "bench")
        }
    }
}
