// Measuring speed: the timing and reporting conventions every `lab bench` benchmark follows.
//
// Scope: `medianSeconds` (warm up, repeat, take the median) and `BenchmarkResult`, which prints
// one measurement as a JSON line such as
//
//     {"bench":"matmul","variant":"optimized","n":1024,"threads":1,"gflops":61.2}
//
// (keys in this order: bench, variant, the benchmark's own parameters, threads, then the figure,
// whose key names its unit: gflops, mbps, seconds or tokens_per_second) or as a number in a table. Not here: what is measured (e.g. MatmulBenchmark.swift).

import Foundation
import LabKernel

// MARK: - Timing

/// How long one call of `body` takes, in seconds: the median over `samples` timed samples.
///
/// The first call is a warm-up (it pages in memory, starts worker threads) and calibrates: a
/// body faster than `minimumSampleSeconds` is repeated within each sample, so the clock's
/// resolution and the loop's overhead do not count. The median, rather than the mean or the
/// best, is robust to the other programs that share the machine: an odd slow or fast sample
/// does not move it.
func medianSeconds(samples: Int, minimumSampleSeconds: Double = 0.02, _ body: () -> Void) -> Double {
    precondition(samples >= 1, "medianSeconds: needs at least one sample, got \(samples)")
    let warmUp = elapsedSeconds(body)
    let callsPerSample = max(1, Int((minimumSampleSeconds / max(warmUp, 1e-9)).rounded(.up)))
    var times: [Double] = []
    for _ in 0..<samples {
        let sample = elapsedSeconds { for _ in 0..<callsPerSample { body() } }
        times.append(sample / Double(callsPerSample))
    }
    times.sort()
    let middle = times.count / 2
    return times.count % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2
}

/// The wall-clock time of one call of `body`, in seconds.
func elapsedSeconds(_ body: () -> Void) -> Double {
    let duration = ContinuousClock().measure(body)
    return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

// MARK: - Reporting

/// A value in a JSON line of a benchmark (the kernel's `JSONValue` is for reading whole
/// documents; this one only writes the three kinds a measurement needs, integers without a
/// fractional part).
enum JSONField {
    case string(String)
    case integer(Int)
    case number(Double)
    /// A number with every digit it needs to read back exactly (losses, rates).
    case precise(Double)

    var text: String {
        switch self {
        case .string(let string): return jsonStringLiteral(string)
        case .integer(let integer): return String(integer)
        case .number(let number): return number.isFinite ? formatFigure(number) : "null"
        case .precise(let number): return number.isFinite ? "\(number)" : "null"
        }
    }
}

/// One JSON object on one line, keys in the given order.
func jsonLine(_ fields: [(key: String, value: JSONField)]) -> String {
    "{" + fields.map { JSONField.string($0.key).text + ":" + $0.value.text }.joined(separator: ",") + "}"
}

/// A figure with a sensible number of decimals: 61.2, 3.14, 0.052.
func formatFigure(_ value: Double) -> String {
    let magnitude = abs(value)
    return formatFixed(value, decimals: magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3)
}

/// One measurement of a benchmark.
struct BenchmarkResult {
    /// The benchmark's name, e.g. "matmul".
    let bench: String
    /// What was measured, e.g. "naive" or "optimized".
    let variant: String
    /// The problem's size and shape, e.g. [("n", .integer(1024))].
    let parameters: [(key: String, value: JSONField)]
    /// The threads the kernel was allowed to use.
    let threads: Int
    /// The figure's key in the JSON line, which names its unit: "gflops" (billions of
    /// floating-point operations per second), "mbps" (megabytes of input per second), "seconds",
    /// "tokens_per_second".
    let unit: String
    /// The measured figure, in `unit`.
    let value: Double

    init(bench: String, variant: String, parameters: [(key: String, value: JSONField)], threads: Int,
         unit: String, value: Double) {
        self.bench = bench
        self.variant = variant
        self.parameters = parameters
        self.threads = threads
        self.unit = unit
        self.value = value
    }

    /// A measurement in GFLOPS.
    init(bench: String, variant: String, parameters: [(key: String, value: JSONField)], threads: Int, gflops: Double) {
        self.init(bench: bench, variant: variant, parameters: parameters, threads: threads, unit: "gflops", value: gflops)
    }

    /// Billions of floating-point operations per second, for a measurement in GFLOPS.
    var gflops: Double {
        precondition(unit == "gflops", "BenchmarkResult.gflops: this \(bench) result is in \(unit), not gflops")
        return value
    }

    /// The result as one JSON line (see the file header).
    var json: String {
        jsonLine([("bench", .string(bench)), ("variant", .string(variant))] + parameters
                 + [("threads", .integer(threads)), (unit, .number(value))])
    }
}
