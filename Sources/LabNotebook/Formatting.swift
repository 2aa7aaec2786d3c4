// Formatting measured quantities: durations, speed-ups and rates.
//
// Numbers in lessons are printed with a fixed number of decimals through LabKernel's
// `formatFixed` (no locale, no exponent), so the same run prints the same text on every machine.
// Durations pick a unit that keeps three or four significant digits. Masking timings for
// reproducible output is the notebook's job (`Notebook.measured(_:)`), not these functions'.

import LabKernel

/// A duration in seconds with a readable unit: `"850 ns"`, `"12.3 µs"`, `"4.56 ms"`, `"1.23 s"`.
public func formatDuration(_ seconds: Double) -> String {
    precondition(seconds >= 0 && seconds.isFinite, "formatDuration: expected a finite duration ≥ 0 s, got \(seconds)")
    switch seconds {
    case ..<1e-6: return formatFixed(seconds * 1e9, decimals: 0) + " ns"
    case ..<1e-4: return formatFixed(seconds * 1e6, decimals: 1) + " µs"
    case ..<1e-3: return formatFixed(seconds * 1e6, decimals: 0) + " µs"
    case ..<0.1: return formatFixed(seconds * 1e3, decimals: 2) + " ms"
    case ..<1: return formatFixed(seconds * 1e3, decimals: 0) + " ms"
    default: return formatFixed(seconds, decimals: 2) + " s"
    }
}

/// A ratio such as a speed-up, with about three significant digits: `"1.84×"`, `"23.5×"`, `"412×"`.
public func formatSpeedup(_ ratio: Double) -> String {
    precondition(ratio >= 0 && ratio.isFinite, "formatSpeedup: expected a finite ratio ≥ 0, got \(ratio)")
    let decimals = ratio < 10 ? 2 : ratio < 100 ? 1 : 0
    return formatFixed(ratio, decimals: decimals) + "×"
}

/// Billions of floating-point operations per second for `operations` done in `seconds`,
/// with two decimals: `formatGFLOPS(operations: 2e9, seconds: 0.5)` is `"4.00"`.
public func formatGFLOPS(operations: Double, seconds: Double) -> String {
    precondition(seconds > 0, "formatGFLOPS: expected a positive duration, got \(seconds) s")
    return formatFixed(operations / seconds / 1e9, decimals: 2)
}
