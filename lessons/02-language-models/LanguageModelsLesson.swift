// Lesson 02, language models: the order of the cells, the sizes, the text and its tokens.
//
// A language model gives, for every position of a text, probabilities for the token that comes
// next. The lesson builds the idea up from counting to training: bigram counts and text sampled
// from them (Counting.swift), how a model is scored, with cross-entropy and perplexity
// (Likelihood.swift), the same bigram learned by gradient descent (NeuralBigram.swift), an MLP
// that sees three tokens, and what overfitting looks like (ContextMLP.swift), a small transformer
// trained with the kernel's fast path (SmallTransformer.swift), and the kit's own trained model,
// compared with all of them in bits per byte (KitModelCell.swift). TokenText.swift shows tokens.
// Everything is seeded, so the lesson prints identical text on every run apart from measured
// times (masked by `--mask-timings`).
//
// Left out: how the kit's model was trained at scale (`lab train`, its README), fine-tuning
// (lesson 06).

import LabCorpora
import LabKernel
import LabNotebook

/// GPT-2's special token between documents, also the separator of the kit's corpus.
let endOfText = "<|endoftext|>"

struct LanguageModelsLesson {
    let notebook: Notebook

    /// How much text and how many steps each part uses; `--quick` keeps the lesson to seconds.
    struct Sizes {
        /// The stories the tokenizer and every model learn from (the last 10% held out).
        var storyBytes: Int
        var vocabularySize: Int
        /// Gradient steps of the neural bigram, the MLP, the overfitting run and the transformer.
        var bigramSteps: Int
        var mlpSteps: Int
        var overfitSteps: Int
        var transformerSteps: Int
        /// Fresh stories that every model, the kit's included, is measured on in the last cell.
        var freshBytes: Int
    }

    var sizes: Sizes {
        notebook.quick
            ? Sizes(storyBytes: 200_000, vocabularySize: 512, bigramSteps: 100, mlpSteps: 300, overfitSteps: 200,
                    transformerSteps: 60, freshBytes: 6_000)
            : Sizes(storyBytes: 600_000, vocabularySize: 512, bigramSteps: 800, mlpSteps: 1_500, overfitSteps: 800,
                    transformerSteps: 600, freshBytes: 24_000)
    }

    /// What the cells share: the tokenizer and the text as ids, split into a training part and a
    /// held-out part that no model learns from.
    struct Setup {
        let tokenizer: BPETokenizer
        let train: [Int]
        let validation: [Int]
        var vocabularySize: Int { tokenizer.tokens.count }
    }

    func makeSetup() -> Setup {
        let text = generateCorpus(kind: .stories, bytes: sizes.storyBytes, seed: 1)
        let tokenizer = try! BPETokenizer.train(text: text, vocabularySize: sizes.vocabularySize, specialTokens: [endOfText])
        let (train, validation) = TokenWindows.split(tokenizer.encode(text), validationFraction: 0.1)
        return Setup(tokenizer: tokenizer, train: train.tokens, validation: validation.tokens)
    }

    /// The held-out losses (nats per token) of the lesson's models, for the comparisons of later cells.
    struct Scores {
        var uniform = 0.0
        var bigram = 0.0
        /// The add-k smoothing that gave `bigram`.
        var bigramSmoothing = 0.0
        var neuralBigram = 0.0
        var mlp = 0.0
        var transformer = 0.0
    }

    func run() {
        notebook.header(lesson: 2, title: "Language models",
                        summary: "Predicting the next token: bigram counts and text sampled from them, likelihood, cross-entropy and perplexity, the same bigram learned by gradient descent, an MLP over three tokens, overfitting, a small transformer trained by the kernel, and the kit's own model.")
        let setup = makeSetup()
        var scores = Scores()
        notebook.cell("Text as a stream of token ids") { textAsIDs(setup) }
        let counts = BigramCounts(ids: setup.train, vocabularySize: setup.vocabularySize)
        notebook.cell("Counting what follows what") { countingBigrams(setup, counts: counts) }
        notebook.cell("Sampling from the counts") { samplingFromCounts(setup, counts: counts) }
        notebook.cell("Scoring a model: likelihood, cross-entropy, perplexity") { scoring(setup, counts: counts, scores: &scores) }
        var mlp: ContextMLP?
        notebook.cell("The same bigram, learned by gradient descent") { neuralBigram(setup, counts: counts, scores: &scores) }
        notebook.cell("More context: an MLP over the last three tokens") { mlp = contextMLP(setup, scores: &scores) }
        notebook.cell("Overfitting: a model that memorizes") { overfitting(setup) }
        var transformer: TransformerModel?
        notebook.cell("A small transformer, trained by the kernel") { transformer = smallTransformer(setup, scores: &scores) }
        notebook.cell("The kit's own model, and bits per byte") {
            kitModel(setup, counts: counts, scores: scores, mlp: mlp!, transformer: transformer!)
        }

        notebook.summary([
            "A language model gives a probability to every possible next token; multiplying them along a text gives the text's probability.",
            "Counting pairs is a complete model (the bigram); sampling from it gives text that is right for two tokens at a time.",
            "Models are scored by cross-entropy, the mean of −ln p(next token) on held-out text; perplexity is its exponential, and ln V is the score of guessing.",
            "Counts give pairs never seen probability 0 and held-out text an infinite loss: smoothing, or a learned model, spreads some probability to them.",
            "Gradient descent on the cross-entropy of a table of logits learns the same model as counting; its gradient is softmax − one-hot.",
            "More context (an MLP over three tokens, then a transformer over the whole window) lowers the held-out loss; too little data and too many steps memorize the training text, which the held-out loss shows.",
            "Tokenizers differ, so models are compared in bits per byte of the same text.",
        ], next: [
            "Exercises: `exercises/02-language-models/` (BigramProbabilities, CrossEntropyLoss, CrossEntropyGradient, AdamWStep, TrainNeuralBigram). Check them with `swift run lab check language-models`.",
            "Train a model yourself: `swift run -c release lab train --corpus stories --vocab-size 1024 --steps 500 --output my-model` (see `lab train --help`).",
            "Lesson 03: `swift run attention`, what lets a transformer use the whole context.",
        ])
    }
}
