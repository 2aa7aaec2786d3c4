// `lab bench matmul`: how fast the kernel multiplies matrices, and how much faster than naive.
//
// Scope: square products C = A·B (naive up to 512, the optimized `gemm` on one thread and on all
// cores) and the two matrix-vector products of decoding (y = W·x and y = x·W). Inputs are
// seeded uniform values in [-1, 1), so every run multiplies the same numbers. Not here: batched
// or transposed products (they run the same kernel), comparison with NumPy
// (scripts/bench/compare_matmul.sh).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabKernel

struct MatmulBenchmark {
    /// Square sizes n of the n×n·n×n products.
    let sizes: [Int]
    /// Shapes (M, K) of the stored matrix W of the matrix-vector products.
    let matrixVectorShapes: [(m: Int, k: Int)]
    /// Threads for the multi-threaded measurements.
    let threads: Int
    /// Timed samples per measurement (the naive product uses at most 3: it is slow).
    let samples: Int
    /// Shortest sample; faster calls are repeated within a sample.
    let minimumSampleSeconds: Double

    /// The naive product runs only up to this size (512³ already takes a fraction of a second).
    static let largestNaiveSize = 512

    init(sizes: [Int]?, threads: Int?, quick: Bool) {
        self.sizes = sizes ?? (quick ? [64, 128] : [256, 512, 1024, 2048])
        self.matrixVectorShapes = quick ? [(256, 512)] : [(4096, 4096), (768, 3072), (3072, 768)]
        self.threads = threads ?? Parallel.coreCount
        self.samples = quick ? 3 : 7
        self.minimumSampleSeconds = quick ? 0.005 : 0.02
    }

    func run(json: Bool) {
        let multiThreaded = threads > 1
        if !json {
            print("Matrix multiply C = A·B, n×n float32 matrices, in GFLOPS (median of \(samples) samples)")
            var header = pad("n", 6) + pad("naive", 10) + pad("1 thread", 12)
            if multiThreaded { header += pad("\(threads) threads", 12) + pad("speed-up", 10) }
            print(header)
        }
        for n in sizes {
            let flops = 2 * Double(n) * Double(n) * Double(n)
            var generator = SeededGenerator(seed: UInt64(n))
            let a = Tensor.randomUniform([n, n], in: -1..<1, using: &generator)
            let b = Tensor.randomUniform([n, n], in: -1..<1, using: &generator)
            var naive: BenchmarkResult?
            if n <= Self.largestNaiveSize {
                let seconds = medianSeconds(samples: min(samples, 3), minimumSampleSeconds: minimumSampleSeconds) {
                    _ = matmulNaive(a, b)
                }
                naive = report(BenchmarkResult(bench: "matmul", variant: "naive", parameters: [("n", .integer(n))],
                                               threads: 1, gflops: flops / seconds / 1e9), json: json)
            }
            let threadCounts = multiThreaded ? [1, threads] : [1]
            let optimized = threadCounts.map { threads in
                let seconds = timeProduct(m: n, n: n, k: n, a: a.scalars, lda: n, b: b.scalars, ldb: n, threads: threads)
                return report(BenchmarkResult(bench: "matmul", variant: "optimized", parameters: [("n", .integer(n))],
                                              threads: threads, gflops: flops / seconds / 1e9), json: json)
            }
            if !json {
                var row = pad(String(n), 6) + pad(naive.map { formatFigure($0.gflops) } ?? "–", 10)
                row += pad(formatFigure(optimized[0].gflops), 12)
                if multiThreaded {
                    row += pad(formatFigure(optimized[1].gflops), 12)
                    row += pad(formatFigure(optimized[1].gflops / optimized[0].gflops) + "×", 10)
                }
                printLine(row)
            }
        }
        runMatrixVector(json: json)
    }

    /// y = W·x (W's rows dotted with x, as in a linear layer with weights stored (out, in)) and
    /// y = x·W (a weighted sum of W's rows), W stored (M, K).
    private func runMatrixVector(json: Bool) {
        let multiThreaded = threads > 1
        if !json {
            print("\nMatrix-vector products with W stored (M, K), in GFLOPS (median of \(samples) samples)")
            var header = "  product" + pad("M", 7) + pad("K", 7) + pad("1 thread", 12)
            if multiThreaded { header += pad("\(threads) threads", 12) + pad("speed-up", 10) }
            print(header)
        }
        for (m, k) in matrixVectorShapes {
            var generator = SeededGenerator(seed: UInt64(m * 7 + k))
            let w = Tensor.randomUniform([m, k], in: -1..<1, using: &generator).scalars
            let xForRows = Tensor.randomUniform([k], in: -1..<1, using: &generator).scalars
            let xForColumns = Tensor.randomUniform([m], in: -1..<1, using: &generator).scalars
            let flops = 2 * Double(m) * Double(k)
            for form in ["Wx", "xW"] {
                let threadCounts = multiThreaded ? [1, threads] : [1]
                let results = threadCounts.map { threads in
                    // W·x is gemm with N = 1 (B is the column x); x·W is gemm with M = 1.
                    let seconds = form == "Wx"
                        ? timeProduct(m: m, n: 1, k: k, a: w, lda: k, b: xForRows, ldb: 1, threads: threads)
                        : timeProduct(m: 1, n: k, k: m, a: xForColumns, lda: m, b: w, ldb: k, threads: threads)
                    return report(BenchmarkResult(bench: "matvec", variant: "optimized",
                                                  parameters: [("form", .string(form)), ("m", .integer(m)), ("k", .integer(k))],
                                                  threads: threads, gflops: flops / seconds / 1e9), json: json)
                }
                if !json {
                    var row = "  " + (form == "Wx" ? "W·x    " : "x·W    ") + pad(String(m), 7) + pad(String(k), 7)
                    row += pad(formatFigure(results[0].gflops), 12)
                    if multiThreaded {
                        row += pad(formatFigure(results[1].gflops), 12)
                        row += pad(formatFigure(results[1].gflops / results[0].gflops) + "×", 10)
                    }
                    printLine(row)
                }
            }
        }
    }

    /// The median time of `gemm` (M×K)·(K×N) on `threads` threads, output into a scratch C.
    private func timeProduct(m: Int, n: Int, k: Int, a: [Float], lda: Int, b: [Float], ldb: Int,
                             threads: Int) -> Double {
        let savedThreads = Parallel.threadCount
        Parallel.threadCount = threads
        defer { Parallel.threadCount = savedThreads }
        var c = [Float](repeating: 0, count: m * n)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    medianSeconds(samples: samples, minimumSampleSeconds: minimumSampleSeconds) {
                        gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                             c: pc.baseAddress!, ldc: n)
                    }
                }
            }
        }
    }

    /// Prints the result's JSON line right away in JSON mode, and returns it.
    private func report(_ result: BenchmarkResult, json: Bool) -> BenchmarkResult {
        if json { printLine(result.json) }
        return result
    }
}

/// `text` right-aligned in a column of `width` characters.
private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
}

/// Prints a line and flushes, so progress shows even when the output goes to a pipe.
private func printLine(_ line: String) {
    print(line)
    fflush(nil)
}
