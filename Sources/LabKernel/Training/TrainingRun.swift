// The training loop: random batches, gradient accumulation, clipping, a warmup + cosine schedule,
// AdamW, evaluation on held-out text, and a watch for runs that go wrong.
//
//     for each step:
//         zero the gradients
//         for each of `accumulation` micro-batches: a random batch, forward, backward (gradients add up, scaled 1/accumulation)
//         if the loss or the gradient norm is NaN or infinite, or the loss spiked: stop (the weights stay as they were)
//         clip the gradients to a global norm of `maxGradientNorm`
//         AdamW at the schedule's rate for this step (weight decay on matrices only)
//         every `evaluationInterval` steps: the mean loss on fixed held-out windows
//
// Everything a run depends on is in `TrainingRun`'s state: the parameters, the optimizer's moments
// and step, the batch generator and the loss average the spike watch uses. A checkpoint
// (TrainingCheckpoint.swift) saves all of it, so a run stopped and resumed gives bit-identical
// weights to one that was not (on the same thread count or not: the fast path's sums do not depend on it).
//
// The spike watch: after 10 steps, a step whose loss is both more than `spikeFactor` times the
// running average (an exponential average, weight 0.1) and more than 1 nat above it is a spike:
// a learning rate too high for the model, or a bad batch. The loop stops before applying that
// step's update, so the last weights are the last good ones.
// Left out: learning-rate finders, early stopping on validation loss, mixed precision.

/// Where a run's batches come from: windows of a token stream (TokenWindows) or instruction
/// examples with a loss mask (InstructionBatches).
public protocol TrainingBatchSource: Sendable {
    /// Every token, in order (a checkpoint fingerprints them).
    var tokens: [Int] { get }
    /// Whether a batch of `context` positions can be drawn.
    func hasWindow(context: Int) -> Bool
    /// `batch` random rows: inputs and targets, batch·context ids each, row-major (targets −100 where not counted).
    func randomBatch(batch: Int, context: Int, using generator: inout SeededGenerator) -> (inputs: [Int], targets: [Int])
    /// Up to `count` fixed batches for evaluation, the same every time.
    func evaluationBatches(batch: Int, context: Int, count: Int) -> [(inputs: [Int], targets: [Int])]
}

/// The hyperparameters of a run.
public struct TrainingSettings: Sendable, Equatable {
    /// Optimizer steps in the whole run (the schedule reaches its floor at the last one).
    public var steps: Int
    /// Sequences per micro-batch (B) and their length (T).
    public var batch: Int
    public var context: Int
    /// Micro-batches per optimizer step: the effective batch is accumulation·B sequences.
    public var accumulation = 1
    /// The schedule: linear warmup to `learningRate` over `warmupSteps`, cosine down to `minimumLearningRate`.
    public var learningRate: Float = 1e-3
    public var warmupSteps = 0
    public var minimumLearningRate: Float = 1e-4
    /// AdamW: λ on matrices (not on biases and norm gains), β₁, β₂, ε.
    public var weightDecay: Float = 0.1
    public var beta1: Float = 0.9
    public var beta2: Float = 0.95
    public var epsilon: Float = 1e-8
    /// Gradients are scaled down together to this global norm when longer.
    public var maxGradientNorm: Float = 1
    /// Evaluate every this many steps (and after the last), on this many held-out batches.
    public var evaluationInterval = 100
    public var evaluationBatches = 8
    /// The seed of the batch generator.
    public var seed: UInt64 = 1
    /// A loss above this multiple of the running average (and 1 nat above it) stops the run.
    public var spikeFactor: Float = 2

    public init(steps: Int, batch: Int, context: Int) {
        self.steps = steps
        self.batch = batch
        self.context = context
    }

    /// The learning-rate schedule these settings describe.
    public var schedule: WarmupCosineSchedule {
        WarmupCosineSchedule(peak: learningRate, warmupSteps: min(warmupSteps, steps - 1), totalSteps: steps,
                             floor: min(minimumLearningRate, learningRate))
    }

    /// What is wrong with these settings, naming the setting; nil when they can run.
    public func problem() -> String? {
        if steps < 1 { return "steps must be at least 1, got \(steps)" }
        if batch < 1 { return "batch must be at least 1, got \(batch)" }
        if context < 1 { return "context must be at least 1, got \(context)" }
        if accumulation < 1 { return "accumulation must be at least 1, got \(accumulation)" }
        if !(learningRate > 0 && learningRate.isFinite) { return "the learning rate must be a positive number, got \(learningRate)" }
        if !(minimumLearningRate >= 0 && minimumLearningRate.isFinite) { return "the minimum learning rate must be a number ≥ 0, got \(minimumLearningRate)" }
        if warmupSteps < 0 { return "warmup steps must be ≥ 0, got \(warmupSteps)" }
        if !(weightDecay >= 0 && weightDecay.isFinite) { return "weight decay must be a number ≥ 0, got \(weightDecay)" }
        if !(epsilon >= 0 && epsilon.isFinite) { return "AdamW's epsilon must be a number ≥ 0, got \(epsilon)" }
        if !(0..<1).contains(beta1) || !(0..<1).contains(beta2) { return "beta1 and beta2 must be in [0, 1), got \(beta1) and \(beta2)" }
        if !(maxGradientNorm > 0 && maxGradientNorm.isFinite) { return "the gradient clipping norm must be a number > 0, got \(maxGradientNorm)" }
        if evaluationInterval < 1 || evaluationBatches < 1 { return "the evaluation interval and batches must be at least 1" }
        if !(spikeFactor > 1 && spikeFactor.isFinite) { return "the spike factor must be a number > 1, got \(spikeFactor)" }
        return nil
    }
}

/// Why a run stopped early.
public enum TrainingStop: Error, CustomStringConvertible, Equatable {
    /// The loss or the gradient norm was NaN or infinite at `step` (1-based).
    case notFinite(step: Int, loss: Float, gradientNorm: Float)
    /// The loss at `step` jumped far above its running average.
    case spike(step: Int, loss: Float, average: Float)

    public var description: String {
        switch self {
        case .notFinite(let step, let loss, let norm):
            return "step \(step): the loss (\(loss)) or the gradient norm (\(norm)) is not a finite number; "
                + "the learning rate is probably too high for this model (try a tenth of it, or more warmup)"
        case .spike(let step, let loss, let average):
            return "step \(step): the loss jumped to \(formatFixed(Double(loss), decimals: 3)) from an average of "
                + "\(formatFixed(Double(average), decimals: 3)); the learning rate is probably too high (try a tenth of it, or more warmup)"
        }
    }
}

/// One finished optimizer step.
public struct TrainingStepRecord: Sendable, Equatable {
    /// 1-based: the number of steps done after this one.
    public let step: Int
    /// The mean training loss over the step's micro-batches.
    public let loss: Float
    /// The global gradient norm before clipping.
    public let gradientNorm: Float
    /// The rate the update used.
    public let learningRate: Float
}

/// A model being trained, with everything needed to continue: optimizer state, batch generator, step.
public final class TrainingRun {
    public let settings: TrainingSettings
    public let trainer: TrainableTransformer
    public internal(set) var optimizer: BufferAdamW
    /// Steps done so far.
    public internal(set) var step: Int
    /// Draws the training batches.
    public internal(set) var generator: SeededGenerator
    /// The running average of the training loss (nil before the first step), for the spike watch.
    public internal(set) var averageLoss: Float?
    public let train: any TrainingBatchSource
    public let validation: any TrainingBatchSource
    private lazy var evaluationSet = validation.evaluationBatches(batch: settings.batch, context: settings.context,
                                                                   count: settings.evaluationBatches)

    /// A fresh run from `model`'s weights: all of them trained, or with `adapter` the model frozen
    /// and the adapter's A and B trained (LoRA).
    public convenience init(model: TransformerModel, adapter: LoRAAdapter? = nil, settings: TrainingSettings,
                            train: any TrainingBatchSource, validation: any TrainingBatchSource) {
        let trainer = TrainableTransformer(model, adapter: adapter)
        let optimizer = BufferAdamW(for: trainer.trainable, beta1: settings.beta1, beta2: settings.beta2,
                                    epsilon: settings.epsilon, weightDecay: settings.weightDecay)
        self.init(trainer: trainer, optimizer: optimizer, settings: settings, step: 0,
                  generator: SeededGenerator(seed: settings.seed), averageLoss: nil, train: train, validation: validation)
    }

    /// A run continuing from saved state (TrainingCheckpoint).
    public init(trainer: TrainableTransformer, optimizer: BufferAdamW, settings: TrainingSettings, step: Int,
                generator: SeededGenerator, averageLoss: Float?, train: any TrainingBatchSource,
                validation: any TrainingBatchSource) {
        if let problem = settings.problem() { preconditionFailure("TrainingRun: \(problem)") }
        precondition(settings.context <= trainer.config.contextLength,
                     "TrainingRun: a context of \(settings.context) exceeds the model's \(trainer.config.contextLength) positions")
        precondition(train.hasWindow(context: settings.context) && validation.hasWindow(context: settings.context),
                     "TrainingRun: the training and validation streams need more than \(settings.context) tokens each")
        self.settings = settings
        self.trainer = trainer
        self.optimizer = optimizer
        self.step = step
        self.generator = generator
        self.averageLoss = averageLoss
        self.train = train
        self.validation = validation
    }

    /// Whether every step of the run is done.
    public var isFinished: Bool { step >= settings.steps }

    /// One optimizer step. Throws `TrainingStop` (and changes no weight) when the loss or the
    /// gradients are not finite or the loss spiked.
    @discardableResult
    public func runStep() throws -> TrainingStepRecord {
        let rate = settings.schedule.learningRate(atStep: step)
        trainer.zeroGradients()
        var loss: Float = 0
        for _ in 0..<settings.accumulation {
            let (inputs, targets) = train.randomBatch(batch: settings.batch, context: settings.context, using: &generator)
            loss += trainer.loss(inputs: inputs, targets: targets, batch: settings.batch, context: settings.context,
                                 gradientScale: 1 / Float(settings.accumulation)) / Float(settings.accumulation)
        }
        let norm = trainer.trainable.gradientNorm()
        if !loss.isFinite || !norm.isFinite { throw TrainingStop.notFinite(step: step + 1, loss: loss, gradientNorm: norm) }
        if let average = averageLoss, step >= 10, loss > settings.spikeFactor * average, loss - average > 1 {
            throw TrainingStop.spike(step: step + 1, loss: loss, average: average)
        }
        trainer.trainable.clipGradients(maxNorm: settings.maxGradientNorm)
        optimizer.update(trainer.trainable, learningRate: rate)
        averageLoss = averageLoss.map { 0.9 * $0 + 0.1 * loss } ?? loss
        step += 1
        return TrainingStepRecord(step: step, loss: loss, gradientNorm: norm, learningRate: rate)
    }

    /// The mean loss on the fixed held-out batches (no gradients).
    public func validationLoss() -> Float { validationLoss(of: trainer) }

    /// The mean loss of `other` (e.g. the base model before fine-tuning) on the same held-out batches.
    public func validationLoss(of other: TrainableTransformer) -> Float {
        var total = 0.0
        for (inputs, targets) in evaluationSet {
            total += Double(other.loss(inputs: inputs, targets: targets, batch: settings.batch, context: settings.context,
                                       computeGradients: false))
        }
        return Float(total / Double(evaluationSet.count))
    }

    /// Whether an evaluation is due after the step just done.
    public var evaluationIsDue: Bool { step % settings.evaluationInterval == 0 || isFinished }
}
