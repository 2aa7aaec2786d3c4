// Lesson 05, sampling: the order of the cells, the sizes, the stories, the tokenizer and the model.
//
// Each cell is a method in the file named after its topic: Probabilities.swift (logits to
// probabilities, greedy decoding), Temperature.swift, Filters.swift (top-k, top-p, min-p, with
// the lesson's own filters in FiltersFromScratch.swift), Penalties.swift, Seeds.swift,
// Strategies.swift (also on the kit's trained model), Streaming.swift and Speed.swift. The model is StoryModel.swift's counts;
// TokenText.swift shows tokens. Everything is seeded, so the lesson prints identical text on
// every run apart from measured times (masked by `--mask-timings`).

import LabCorpora
import LabKernel
import LabNotebook

/// GPT-2's special token between documents, also the separator of the kit's corpus.
let endOfText = "<|endoftext|>"

struct SamplingLesson {
    let notebook: Notebook

    /// How much text and how many tokens each part uses; `--quick` keeps the lesson to seconds.
    struct Sizes {
        /// The stories the tokenizer and the model learn from.
        var trainingBytes: Int
        var vocabularySize: Int
        /// Held-out stories for measuring the model.
        var heldOutBytes: Int
        /// Tokens generated per continuation.
        var continuationLength: Int
        /// Tokens generated greedily, enough for greedy decoding to fall into its loop.
        var greedyLength: Int
        /// Tokens generated in the speed cell, after a prompt of `speedPromptLength` tokens.
        var speedTokens: Int
        var speedPromptLength: Int
    }

    var sizes: Sizes {
        notebook.quick
            ? Sizes(trainingBytes: 150_000, vocabularySize: 1024, heldOutBytes: 10_000, continuationLength: 40, greedyLength: 240,
                    speedTokens: 24, speedPromptLength: 8)
            : Sizes(trainingBytes: 600_000, vocabularySize: 1024, heldOutBytes: 30_000, continuationLength: 60, greedyLength: 240,
                    speedTokens: 120, speedPromptLength: 8)
    }

    /// The prompt every cell continues.
    static let prompt = "Once upon a time, there was a little"

    /// What the cells share: the tokenizer, the model and the prompt's ids.
    struct Setup {
        let tokenizer: BPETokenizer
        let model: NGramModel
        let promptIDs: [Int]
    }

    func makeSetup() -> Setup {
        let text = generateCorpus(kind: .stories, bytes: sizes.trainingBytes, seed: 1)
        let tokenizer = try! BPETokenizer.train(text: text, vocabularySize: sizes.vocabularySize, specialTokens: [endOfText])
        let model = NGramModel(ids: tokenizer.encode(text), vocabularySize: tokenizer.tokens.count)
        return Setup(tokenizer: tokenizer, model: model, promptIDs: tokenizer.encode(SamplingLesson.prompt))
    }

    func run() {
        notebook.header(lesson: 5, title: "Sampling",
                        summary: "From a row of logits to text: probabilities, greedy decoding, temperature, top-k, top-p and min-p written from scratch, the repetition penalty, seeds, streaming without half characters, and the KV cache's speed-up.")
        let setup = makeSetup()
        notebook.cell("A model to sample from") { aModelToSampleFrom(setup) }
        notebook.cell("From logits to probabilities") { logitsToProbabilities(setup) }
        notebook.cell("Greedy decoding, and why it repeats") { greedyDecoding(setup) }
        notebook.cell("Temperature") { temperature(setup) }
        let rows = sampledRows(setup)
        notebook.cell("Top-k: the k most likely tokens") { topK(setup, rows: rows) }
        notebook.cell("Top-p: the smallest set that holds p") { topP(setup, rows: rows) }
        notebook.cell("Min-p: a cut relative to the top token") { minP(setup, rows: rows) }
        notebook.cell("The repetition penalty") { repetitionPenalty(setup, rows: rows) }
        notebook.cell("Seeds: the same draws on every run") { seeds(setup) }
        notebook.cell("One prompt, every strategy") { strategies(setup) }
        notebook.cell("Streaming text without half characters") { streaming(setup) }
        notebook.cell("Tokens per second, with and without a KV cache") { speed() }

        notebook.summary([
            "A model gives logits; softmax turns them into probabilities; sampling settings rewrite the logits before a token is drawn.",
            "Greedy decoding always takes the top token, so a context that comes back makes the same text come back: it loops.",
            "Temperature divides the logits: below 1 sharper (lower entropy), above 1 flatter; the order never changes.",
            "Top-k keeps a fixed number of tokens, top-p the smallest set holding mass p, min-p the tokens above a fraction of the top one; the lesson's versions keep exactly the kernel's tokens.",
            "The repetition penalty (Hugging Face) divides positive and multiplies negative logits of seen tokens.",
            "One uniform number per token from a seeded generator makes sampling reproducible: same seed, same text.",
            "An incremental decoder holds back the start of a character until its last byte arrives; a KV cache makes each new token cost one position instead of the whole sequence.",
        ], next: [
            "Exercises: `exercises/05-sampling/` (SoftmaxWithTemperature, TopK, TopP, MinP, SampleIndex, RepetitionPenalty). Check them with `swift run lab check sampling`.",
            "Lesson 06: `swift run finetuning`, adapting a model to a new domain.",
        ])
    }
}
