// Lesson 06, fine-tuning: the order of the cells, the sizes, the task and the runs they share.
//
// The kit's model (models/lab-stories-4m) learned to write stories. The lesson teaches it a new
// task, answering a question about a short story, and measures what that costs: first the task
// and its loss mask (TheTask.swift), the base model's answers, full fine-tuning (every weight,
// FullFineTuning.swift), LoRA written from scratch (LoRAFromScratch.swift) and trained on the
// kernel's fast path (LoRATraining.swift), what each forgot of its stories, ranks side by side
// (Ranks.swift), and merging and exporting an adapter in PEFT's format (Merging.swift). Every
// run shares one loop (FineTuneRun.swift), so the methods differ in what they train and nothing else.
// Everything is seeded, so the lesson prints identical text on every run apart from measured
// times (masked by `--mask-timings`).
//
// Left out: real Hub models (`lab finetune --model` takes them, shown in the last cell), chat
// data (the Alpaca and ChatML templates are shown; `lab finetune --data FILE.jsonl` trains on
// them), and QLoRA's quantized base (lesson 07 quantizes).

import LabCorpora
import LabKernel
import LabNotebook

struct FinetuningLesson {
    let notebook: Notebook

    /// How many examples and steps each part uses; `--quick` keeps the lesson to seconds.
    struct Sizes {
        /// Generated question-answer examples to train on, and held out.
        var trainingExamples: Int
        var heldOutExamples: Int
        /// Held-out prompts answered greedily for exact match, before and after.
        var answeredExamples: Int
        /// Optimizer steps of every run, and rows per step.
        var steps: Int
        var batch: Int
        /// The LoRA ranks compared (the lesson's main run is rank 8, always one of them).
        var ranks: [Int]
    }

    var sizes: Sizes {
        notebook.quick
            ? Sizes(trainingExamples: 300, heldOutExamples: 8, answeredExamples: 4, steps: 16, batch: 4, ranks: [1, 8])
            : Sizes(trainingExamples: 1_500, heldOutExamples: 32, answeredExamples: 16, steps: 48, batch: 8, ranks: [1, 8, 32])
    }

    /// Stories are cut after the paragraph that answers the question, at most this long, so an
    /// example fits in `context` tokens.
    static let maximumStoryBytes = 150
    /// The longest answer generated, in tokens.
    static let answerTokens = 24

    /// What the cells share: the kit's model and tokenizer, the task's examples as token ids with
    /// their loss masks, and the batches that measure forgetting.
    struct Setup {
        let model: TransformerModel
        let tokenizer: BPETokenizer
        let endOfText: Int
        let train: [StoryQuestion]
        let heldOut: [StoryQuestion]
        let trainBatches: InstructionBatches
        let heldOutBatches: InstructionBatches
        /// Tokens per row: the longest example, so no example is cut.
        let context: Int
        let stories: [(inputs: [Int], targets: [Int])]
        /// The held-out prompts that are answered, as examples.
        var answered: [InstructionExample] { heldOut.prefix(answeredCount).map(FinetuningLesson.example) }
        let answeredCount: Int
    }

    /// A story question as an instruction example: the prompt, then " answer" and <|endoftext|> as targets.
    static func example(_ qa: StoryQuestion) -> InstructionExample {
        InstructionExample(segments: [.init(qa.prompt, isResponse: false), .init(" " + qa.answer, isResponse: true)],
                           endsWithEndOfText: true)
    }

    func makeSetup() -> Setup? {
        guard let kit = KitModel.load(), let tokenizer = kit.tokenizer,
              let endOfText = tokenizer.specialTokens[CorpusSeparator.endOfTextMarker] else { return nil }
        var generator = StoryQuestionGenerator(seed: 6)
        let examples = (0..<(sizes.trainingExamples + sizes.heldOutExamples)).map { _ in
            generator.nextShortExample(maximumStoryBytes: FinetuningLesson.maximumStoryBytes)
        }
        let train = Array(examples.prefix(sizes.trainingExamples)), heldOut = Array(examples.suffix(sizes.heldOutExamples))
        let trainBatches = InstructionBatches(train.map(FinetuningLesson.example), tokenizer: tokenizer, endOfText: endOfText)
        let heldOutBatches = InstructionBatches(heldOut.map(FinetuningLesson.example), tokenizer: tokenizer, endOfText: endOfText)
        let longest = (0..<trainBatches.count).map(trainBatches.length).max()!
        let context = min(kit.model.config.contextLength, longest - 1)
        return Setup(model: kit.model, tokenizer: tokenizer, endOfText: endOfText, train: train, heldOut: heldOut,
                     trainBatches: trainBatches, heldOutBatches: heldOutBatches, context: context,
                     stories: heldOutStoryBatches(tokenizer: tokenizer, context: context)!,
                     answeredCount: sizes.answeredExamples)
    }

    func run() {
        notebook.header(lesson: 6, title: "Fine-tuning",
                        summary: "Teaching a trained model a new task: the task and its loss mask, the base model's answers, full fine-tuning, LoRA written from scratch and trained, what each forgot, ranks compared, and an adapter merged and exported in PEFT's format.")
        guard let setup = makeSetup() else {
            notebook.prose("""
                This lesson fine-tunes the kit's own trained model, models/\(KitModel.name), and \
                this copy of the kit does not have it (or it cannot be read). A fresh clone has \
                it; `lab train` can make one like it (scripts/models/train_lab_stories.sh).
                """)
            return
        }
        notebook.cell("Why adapt a model") { whyAdapt(setup) }
        notebook.cell("The task, and the loss on the answer only") { theTask(setup) }
        let before = measure(setup.model, setup, adapter: nil)
        notebook.cell("The base model's answers") { baseAnswers(setup, before: before) }
        let full = notebook.cell("Full fine-tuning") { fullFineTuning(setup, before: before) }
        notebook.cell("LoRA from scratch") { loraFromScratch(setup) }
        let lora = notebook.cell("LoRA on the kit's model") { loraTraining(setup, before: before, full: full) }
        notebook.cell("What fine-tuning forgot") { forgetting(setup, before: before, full: full, lora: lora) }
        notebook.cell("Ranks compared") { ranks(setup, before: before, full: full, lora: lora) }
        notebook.cell("Merging and exporting the adapter") { merging(setup, lora: lora) }

        func loss(_ x: Float) -> String { formatFixed(x, decimals: 2) }
        notebook.summary([
            "Fine-tuning continues training a trained model on new data; here a story model learned to answer questions about a story.",
            "The loss is taken on the answer only: prompt tokens get the target −100, as PyTorch's ignore index, so the model learns to answer, not to write prompts.",
            "Full fine-tuning trains every weight and keeps a gradient and two AdamW moments for each: four times the model's memory before activations.",
            "LoRA freezes W and learns ΔW = (α/r)·B·A with r much smaller than the layer; B starts at zero, so training starts from exactly the base model.",
            "In \(sizes.steps) steps the held-out answer loss went from \(loss(before.heldOutLoss)) to \(loss(full.after.heldOutLoss)) with full fine-tuning and to \(loss(lora.after.heldOutLoss)) with LoRA r 8 (\(grouped(lora.trainable)) parameters); the stories' loss went from \(loss(before.storiesLoss)) to \(loss(full.after.storiesLoss)) and \(loss(lora.after.storiesLoss)): what each learned and what it forgot, measured.",
            "Merging folds W + (α/r)·B·A into the weights, so the adapted model costs nothing extra at inference; the adapter alone is a small file in PEFT's format.",
        ], next: [
            "Exercises: `exercises/06-finetuning/` (LoRAForward, LoRAParameterCount, MergeAdapter, LossMask, AlpacaPrompt). Check them with `swift run lab check finetuning`.",
            "On a model from the Hub: `swift run -c release lab finetune --model SmolLM2-135M --data questions --steps 200 --output qa-adapter`.",
            "Lesson 07: `swift run open-models`, running, shrinking and looking inside an open model.",
        ])
    }
}
