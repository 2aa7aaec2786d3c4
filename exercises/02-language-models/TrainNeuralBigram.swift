// Exercise 02.5 (language-models.train-neural-bigram): the training loop, with a table of logits
// as the model: batches, forward, loss, backward, AdamW, repeat. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter TrainNeuralBigramTests

import LabKernel
import LabExercise

/// Trains a neural bigram: a (V, V) table W of logits, where row a scores every token that may
/// follow token a, learned by gradient descent instead of counted.
///
/// This is the training loop of every language model, with the smallest model in the middle.
/// W starts at zero, so every next token is equally likely and the first loss is exactly ln V.
/// Each step:
///
/// 1. Draws `batch` positions i with `generator.nextInt(below: ids.count - 1)`, one after the
///    other, from a `SeededGenerator(seed: seed)` made once before the first step; position i
///    gives the input ids[i] and the target ids[i + 1]. (This exact order of draws, and nothing
///    else drawn from the generator, makes the run reproducible: the tests repeat it.)
/// 2. Looks up the rows of the inputs, `embedding(table, ids: inputs)`, a (batch, V) Variable of
///    logits, and scores them: `crossEntropy(logits:targets:)` against the targets.
/// 3. Zeroes the gradients (`optimizer.zeroGrad()`), runs `backward()` on the loss, and takes one
///    step of the kernel's `AdamW(parameters: [table], learningRate: learningRate, weightDecay: 0)`
///    (default betas and ε), made once before the first step.
/// 4. Records the step's loss (`loss.value.item`, computed before the update).
///
/// The cross-entropy of a free table of logits is lowest where softmax(W[a]) equals the
/// counted probabilities of what follows a, so this loop walks toward the counting model of
/// exercise 02.1 (without smoothing): two roads to the same model.
///
/// - Parameters:
///   - ids: the training text as token ids, each in 0..<V, at least two.
///   - vocabularySize: V.
///   - steps: how many optimizer steps to take, ≥ 0.
///   - batch: B, the number of (input, target) pairs per step, ≥ 1.
///   - learningRate: AdamW's lr.
///   - seed: the seed of the generator that draws the batches.
/// - Returns: `weights`, the trained (V, V) table, and `losses`, one mean batch loss per step.
///
///     let ids = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]
///     let (weights, losses) = trainNeuralBigram(ids: ids, vocabularySize: 3, steps: 100, batch: 8,
///                                               learningRate: 0.1, seed: 1)
///     losses[0]          // 1.0986 = ln 3
///     losses.last!       // 0.0092: the cycle 0 → 1 → 2 → 0 is learned
///     weights.shape      // [3, 3]
///     softmax(weights)   // ≈ [[0.006, 0.989, 0.006], [0.003, 0.003, 0.993], [0.992, 0.004, 0.004]]
///
/// The pieces are the kernel's: `Variable(Tensor.zeros([V, V]))`, `SeededGenerator`,
/// `embedding(_: Variable, ids:)`, `crossEntropy(logits: Variable, targets:)`, `backward()` and
/// `AdamW`. The trained table is the Variable's `value`.
public func trainNeuralBigram(ids: [Int], vocabularySize: Int, steps: Int, batch: Int,
                              learningRate: Float, seed: UInt64) -> (weights: Tensor, losses: [Float]) {
    // TODO: make W, the optimizer and the generator once; then, per step: draw the batch, forward,
    // zero the gradients, backward, step, and record the loss.
    return todo((weights: Tensor.zeros([vocabularySize, vocabularySize]), losses: []))
}
