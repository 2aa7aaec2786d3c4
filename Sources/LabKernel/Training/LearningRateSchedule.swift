// The learning-rate schedule: a linear warmup, then a cosine decay to a floor.
//
// Scope: the schedule used to pretrain GPT-2-style and Llama-style models, defined to equal
// PyTorch's `SequentialLR` of `LinearLR` (warmup) and `CosineAnnealingLR` (decay) step for step
// (the fixture Tests/Fixtures/kernel/warmup_cosine_schedule.json checks it). Left out: other
// shapes (constant, step decay, inverse square root, warmup-stable-decay) and restarts.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A linear warmup from near zero to `peak`, then half a cosine wave from `peak` down to `floor`.
///
/// With W = `warmupSteps` and T = `totalSteps`, the rate for (0-based) step t is
///
///     t < W:        peak · (t + 1) / (W + 1)
///     W ≤ t ≤ T:    floor + (peak − floor) · (1 + cos(π · (t − W) / (T − W))) / 2
///     t > T:        floor
///
/// **Why warm up.** At the start Adam's second-moment estimates come from a handful of batches
/// and the weights are random, so full-size steps can blow the model up; ramping the rate over
/// the first few hundred steps avoids that. **Why cosine.** It stays near the peak for a while,
/// then lowers the rate smoothly so the weights settle into a minimum instead of bouncing around it.
///
/// The warmup never uses a rate of 0 (step 0 would be wasted): it starts at peak/(W+1) and reaches
/// the peak at step W, where the cosine begins. This is exactly PyTorch's
/// `LinearLR(start_factor: 1/(W+1), total_iters: W)` followed at milestone W by
/// `CosineAnnealingLR(T_max: T − W, eta_min: floor)`. The floor is reached at step T, one past the
/// last step of a T-step run; after that PyTorch's cosine would climb again, this schedule stays at
/// the floor.
///
///     let schedule = WarmupCosineSchedule(peak: 1e-3, warmupSteps: 10, totalSteps: 100, floor: 1e-4)
///     schedule.learningRate(atStep: 0)     // 9.090909e-05  (peak / 11)
///     schedule.learningRate(atStep: 10)    // 0.001         (the peak)
///     schedule.learningRate(atStep: 55)    // 0.00055       (half way down)
///     schedule.learningRate(atStep: 100)   // 0.0001        (the floor)
public struct WarmupCosineSchedule: Sendable, Equatable {
    /// The largest rate, reached at the end of the warmup.
    public var peak: Float
    /// How many steps the linear warmup takes (0: start at the peak).
    public var warmupSteps: Int
    /// The step at which the cosine reaches the floor: usually the run's number of steps.
    public var totalSteps: Int
    /// The rate at the end and after it (often peak/10).
    public var floor: Float

    public init(peak: Float, warmupSteps: Int, totalSteps: Int, floor: Float = 0) {
        precondition(warmupSteps >= 0 && totalSteps > warmupSteps,
                     "WarmupCosineSchedule: needs 0 ≤ warmupSteps < totalSteps, got warmupSteps \(warmupSteps), totalSteps \(totalSteps)")
        precondition(floor >= 0 && peak >= floor,
                     "WarmupCosineSchedule: needs 0 ≤ floor ≤ peak, got floor \(floor), peak \(peak)")
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.floor = floor
    }

    /// The learning rate to use for step `step` (0-based: the first optimizer step is step 0).
    public func learningRate(atStep step: Int) -> Float {
        precondition(step >= 0, "WarmupCosineSchedule: step must be ≥ 0, got \(step)")
        // Double inside, so the cosine of long runs keeps its precision; Float out.
        let peak = Double(self.peak), floor = Double(self.floor)
        if step < warmupSteps {
            return Float(peak * Double(step + 1) / Double(warmupSteps + 1))
        }
        if step >= totalSteps { return self.floor }
        let progress = Double(step - warmupSteps) / Double(totalSteps - warmupSteps)  // 0 at the peak, 1 at the floor
        return Float(floor + (peak - floor) * (1 + cos(Double.pi * progress)) / 2)
    }
}
