// Stopwatch: timing a piece of work the way benchmarks should, simply.
//
// One run of a small piece of work is noisy (caches, the scheduler, other processes on a shared
// machine), so the closure runs a few times after a warm-up and the median is reported: unlike
// the mean, it ignores the one run that was interrupted. Time comes from the monotonic clock
// (`DispatchTime`), which never jumps when the wall clock is adjusted. This is not a statistics
// package: no confidence intervals, no outlier detection, no adaptive repetition counts.

import Dispatch

/// The result of timing a closure several times.
public struct Timing: Sendable, Equatable {
    /// The duration of each measured run in seconds, in the order they ran.
    public let samples: [Double]

    public init(samples: [Double]) {
        precondition(!samples.isEmpty, "Timing: needs at least one sample")
        self.samples = samples
    }

    /// The median run time in seconds (the mean of the two middle samples for an even count).
    public var median: Double {
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The fastest run in seconds.
    public var fastest: Double { samples.min()! }
}

public enum Stopwatch {
    /// Nanoseconds on the monotonic clock (an arbitrary origin: only differences mean anything).
    public static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Runs `body` `warmup` times unmeasured (to fill caches and start threads), then
    /// `repetitions` times measured.
    ///
    ///     let timing = Stopwatch.measure(repetitions: 5) { _ = matmul(a, b) }
    ///     print(formatDuration(timing.median))   // e.g. "1.23 ms"
    public static func measure(repetitions: Int = 5, warmup: Int = 1, _ body: () throws -> Void) rethrows -> Timing {
        precondition(repetitions > 0, "Stopwatch.measure: repetitions must be positive, got \(repetitions)")
        precondition(warmup >= 0, "Stopwatch.measure: warmup must be ≥ 0, got \(warmup)")
        for _ in 0..<warmup { try body() }
        var samples: [Double] = []
        samples.reserveCapacity(repetitions)
        for _ in 0..<repetitions {
            let start = now()
            try body()
            samples.append(Double(now() - start) / 1e9)
        }
        return Timing(samples: samples)
    }
}
