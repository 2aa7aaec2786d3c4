// Held-out stories: the fixed batches on which fine-tuning measures what a model forgot.
//
// The kit's model learned stories; a fine-tune on questions or recipes may overwrite some of
// that. The loss on stories the model never saw, before and after, says how much. The text comes
// from a seed that no training corpus of the kit uses (977), so the measure is the same in
// `lab finetune` and in lesson 06.
// Left out: forgetting on any domain other than the kit's stories.

import LabKernel

/// Four batches of 4 windows of `context` + 1 tokens from 60 KB of held-out stories (seed 977),
/// or nil when the tokenized text is too short for one window of that length.
public func heldOutStoryBatches(tokenizer: BPETokenizer, context: Int, batch: Int = 4, count: Int = 4)
    -> [(inputs: [Int], targets: [Int])]? {
    let text = generateCorpus(kind: .stories, bytes: 60_000, seed: 977, separator: .endOfText)
    let windows = TokenWindows(tokenizer.encode(text))
    guard windows.hasWindow(context: context) else { return nil }
    return windows.evaluationBatches(batch: batch, context: context, count: count)
}
