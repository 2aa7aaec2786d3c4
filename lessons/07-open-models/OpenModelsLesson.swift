// Lesson 07, open models: the order of the cells, the sizes, and the models they run on.
//
// Open weights can be run by anyone, shrunk by anyone and inspected by anyone; the lesson does
// all three to the kit's own model (models/lab-stories-4m), and with `--model DIR` to a model
// downloaded from the Hub as well. Its card first (ModelCard.swift), then running it
// (Running.swift), int8 quantization by hand and measured (Quantization.swift), the logit lens
// (LogitLens.swift), where its heads look (AttentionMaps.swift), a bias probe from paired
// sentences (BiasProbe.swift), and an experiment that puts a known bias into data and finds it
// again in a model trained on it (SkewedData.swift). Everything is seeded, so the lesson prints
// identical text on every run apart from measured times (masked by `--mask-timings`).
//
// Left out: downloading (the kit needs no network; the README lists the files to fetch), 4-bit
// formats, and bias benchmarks beyond one pair set.

import Foundation
import LabCorpora
import LabKernel
import LabNotebook

struct OpenModelsLesson {
    let notebook: Notebook
    /// The model given with `--model DIR`, if any.
    let downloaded: Subject?

    static let modelOption = LessonOption("--model", valueName: "DIR",
                                          summary: "also run every cell on a downloaded GPT-2, Llama or Qwen2 model (DIR holds config.json, model.safetensors and tokenizer.json)")

    /// How much each measurement reads; `--quick` keeps the lesson to seconds.
    struct Sizes {
        /// Held-out tokens for perplexity and top-1 agreement.
        var heldOutTokens: Int
        /// Tokens generated per timed decoding run, and runs (the median is shown).
        var decodedTokens: Int
        var timedRuns: Int
        /// Optimizer steps, rows per step and peak learning rate of each tiny model in the data
        /// experiment, and the bytes of text it trains on.
        var experimentSteps: Int
        var experimentBatch: Int
        var experimentLearningRate: Float
        var experimentBytes: Int
        /// Every how many of the stories' jobs the bias probe takes, and the bytes of training
        /// text it counts the job sentence in.
        var probeJobStride: Int
        var countedBytes: Int
    }

    var sizes: Sizes {
        notebook.quick
            ? Sizes(heldOutTokens: 2_048, decodedTokens: 32, timedRuns: 1, experimentSteps: 250,
                    experimentBatch: 16, experimentLearningRate: 1e-2, experimentBytes: 30_000,
                    probeJobStride: 2, countedBytes: 2_000_000)
            : Sizes(heldOutTokens: 16_384, decodedTokens: 96, timedRuns: 3, experimentSteps: 600,
                    experimentBatch: 32, experimentLearningRate: 3e-3, experimentBytes: 60_000,
                    probeJobStride: 1, countedBytes: 5_000_000)
    }

    /// A model the cells run on: the kit's own, or a download.
    struct Subject {
        /// How the text names it: "models/lab-stories-4m", or the folder given.
        let name: String
        let folder: URL
        let model: TransformerModel
        let tokenizer: BPETokenizer
        let isKit: Bool

        /// The kit's model, or nil when this copy of the kit does not have it.
        static func kit() -> Subject? {
            guard let folder = KitModel.folder, let loaded = KitModel.load(), let tokenizer = loaded.tokenizer else { return nil }
            return Subject(name: "models/\(KitModel.name)", folder: folder, model: loaded.model, tokenizer: tokenizer, isKit: true)
        }

        /// A downloaded model folder.
        /// - Throws: an error naming the folder or file: no such folder, no config.json, an
        ///   architecture the kit does not know, missing or misshapen weights, no usable tokenizer,
        ///   a folder that is already quantized.
        init(folder path: String) throws {
            let url = URL(fileURLWithPath: path, isDirectory: true)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ModelConfigError("--model \(path): no such folder. It should hold a Hugging Face model's config.json, "
                    + "model.safetensors and tokenizer.json (the README's section on lesson 07 lists what to download)")
            }
            guard !QuantizedFolder.isQuantized(url) else {
                throw ModelConfigError("--model \(path): this folder holds int8 weights written by `lab quantize`; the lesson "
                    + "quantizes the model itself and compares it with float32, so give it the float32 folder")
            }
            let loaded = try loadModel(folder: url)
            guard let tokenizer = loaded.tokenizer else {
                throw ModelConfigError("--model \(path): no tokenizer.json (or vocab.json and merges.txt); every cell needs text")
            }
            self.init(name: path, folder: url, model: loaded.model, tokenizer: tokenizer, isKit: false)
        }

        init(name: String, folder: URL, model: TransformerModel, tokenizer: BPETokenizer, isKit: Bool) {
            self.name = name
            self.folder = folder
            self.model = model
            self.tokenizer = tokenizer
            self.isKit = isKit
        }

        /// The token a sentence is scored after (its "beginning"): the config's bos id when it
        /// has one, else <|endoftext|>, else a line break.
        var startToken: Int {
            if let bos = model.config.bosTokenID, bos < model.config.vocabularySize { return bos }
            if let id = tokenizer.specialTokens[CorpusSeparator.endOfTextMarker] { return id }
            return tokenizer.encode("\n").first ?? 0
        }
    }

    /// Stories the kit's model did not train on (it trained on seed 1): the held-out text of
    /// perplexity, the lens and the attention maps.
    static let heldOutStories = generateCorpus(kind: .stories, bytes: 120_000, seed: 5)

    func run() {
        notebook.header(lesson: 7, title: "Open models",
                        summary: "Running, shrinking and looking inside an open model: its card, int8 quantization by hand and measured, the logit lens, where its heads look, a bias probe from paired sentences, and a bias put into data and found again in a model trained on it.")
        guard let kit = Subject.kit() else {
            notebook.prose("""
                This lesson opens up the kit's own trained model, models/\(KitModel.name), and \
                this copy of the kit does not have it (or it cannot be read). A fresh clone has \
                it; `lab train` can make one like it (scripts/models/train_lab_stories.sh).
                """)
            return
        }
        let subjects = [kit] + (downloaded.map { [$0] } ?? [])
        notebook.cell("The model card") { modelCard(subjects) }
        notebook.cell("Running it") { running(subjects) }
        notebook.cell("Quantization by hand: Q8_0") { quantizationByHand(subjects) }
        let measured = notebook.cell("Quantized, measured") { quantizedMeasured(subjects) }
        notebook.cell("The logit lens") { logitLens(subjects) }
        notebook.cell("Where the heads look") { attentionMaps(subjects) }
        let probe = notebook.cell("A bias probe from paired sentences") { biasProbe(subjects) }
        let experiment = notebook.cell("Bias comes from data") { skewedData(kit) }

        let kitRow = measured[0]
        notebook.summary([
            "An open model is a folder anyone can read: a card that says what it was trained on and what it cannot do, a config, and the weights themselves.",
            "Q8_0 stores each block of 32 weights as 32 int8 values and one float16 scale (max|w|/127): 34 bytes instead of 128, an error of at most half a scale per weight.",
            "On the kit's model int8 weights took \(formatFixed(Double(kitRow.quantizedBytes) / 1e6, decimals: 1)) MB instead of \(formatFixed(Double(kitRow.floatBytes) / 1e6, decimals: 1)), the perplexity went from \(formatFixed(kitRow.floatPerplexity, decimals: 4)) to \(formatFixed(kitRow.quantizedPerplexity, decimals: 4)) and \(formatFixed(kitRow.agreement * 100, decimals: 2))% of next-token predictions stayed the same.",
            "The logit lens reads every layer's residual stream through the final norm and the head: early layers guess, later ones converge on the answer, and the last reading is the model's logits.",
            "Attention maps show heads with jobs: looking at the previous token, or back at an earlier copy of the current one.",
            "A pair probe scores sentences that differ in one word. On the kit's model it gave a mean of \(formatSigned(probe.mean)) nats (\(probe.shareSheText) of \(probe.pairs) pairs preferring \"she\"), but the template moved it by \(formatFixed(probe.templateRange, decimals: 2)) and the stories pair jobs with \"she\" and \"he\" alike (\(probe.dataShe) and \(probe.dataHe) times): a noisy instrument, to be read with its interval and checked against the data.",
            "Text with a known skew (\(formatFixed(experiment.skewed.putIn, decimals: 2)) of each job's sentences with one pronoun) gave a model whose probe measured \(formatFixed(experiment.skewed.measured, decimals: 2)); balanced text gave \(formatFixed(experiment.balanced.measured, decimals: 2)). Bias is measurable, and it comes from the data.",
        ], next: [
            "Exercises: `exercises/07-open-models/` (QuantizeBlock, Q8DotProduct, LogitLensRow, PairScore). Check them with `swift run lab check open-models`.",
            "On a model from the Hub: `swift run -c release open-models --model SmolLM2-135M` (the README lists the files to download).",
            "The tools: `lab quantize`, `lab eval --quantize q8`, `lab bench model --quantize q8`.",
        ])
    }
}

/// A number with its sign: "+0.12", "-0.40".
func formatSigned(_ x: Double, decimals: Int = 2) -> String {
    (x >= 0 ? "+" : "") + formatFixed(x, decimals: decimals)
}

/// A token's text for a label: spaces as ␣ and line breaks as ↵, so boundaries stay visible.
func tokenLabel(_ id: Int, _ tokenizer: BPETokenizer) -> String {
    visibleToken(tokenizer.tokens[id])
}
