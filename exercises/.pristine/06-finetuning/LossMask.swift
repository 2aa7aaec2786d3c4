// Exercise 06.4 (finetuning.loss-mask): next-token targets with the prompt masked out. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter LossMaskTests

import LabExercise

/// One instruction example as model inputs and next-token targets, the loss on the response only.
///
/// The example is the sequence prompt + response + [endOfText]. A language model predicts each
/// next token, so the inputs are the sequence without its last token and the target at position
/// t is token t + 1. Fine-tuning on instructions computes the loss on the response only: where
/// token t + 1 still belongs to the prompt, the target is −100 instead, the value PyTorch's
/// cross-entropy ignores (ignore_index) and the kernel's loss ignores too. The end-of-text token
/// is a target, so the model learns to stop.
///
/// - Parameters:
///   - prompt: the prompt's token ids (may be empty).
///   - response: the response's token ids (may be empty: then only the end of text is learned).
///   - endOfText: the id appended after the response.
/// - Returns: inputs and targets, each prompt.count + response.count long.
///
///     maskedTargets(prompt: [5, 6, 7], response: [8, 9], endOfText: 0)
///     // inputs  [5, 6, 7, 8, 9]
///     // targets [-100, -100, 8, 9, 0]   (6 and 7 are prompt tokens: masked)
public func maskedTargets(prompt: [Int], response: [Int], endOfText: Int) -> (inputs: [Int], targets: [Int]) {
    // TODO: build the sequence, drop its last token for the inputs, and shift by one for the
    // targets, with −100 wherever the next token is still part of the prompt.
    return todo(([], []))
}
