// Lesson 04, the transformer: the order of the cells, the tiny models and the closing summary.
//
// Each cell is a method in the file named after its topic: Pieces.swift (the block piece by
// piece), Counting.swift (parameters and FLOPs), LayerComparison.swift (assembling GPT-2 and a
// Llama from the pieces, checking them against the kernel layer by layer, finding a mistake),
// DownloadedModel.swift (a model from the Hub, with `--model DIR`). The models are the lesson's
// own LessonModel.swift and LlamaBlock.swift; Checkpoints.swift writes and loads model folders.
// The tiny models are random but seeded, so every run prints the same numbers apart from times.
//
// Left out: training the kit's own model (`lab train` trains it; lesson 02 teaches how); sampling (lesson 05).

import Foundation
import LabKernel
import LabNotebook

struct TransformerLesson {
    let notebook: Notebook
    /// The model given with `--model DIR`, if any.
    let downloaded: DownloadedModel?

    /// The lesson's one option of its own.
    static let modelOption = LessonOption("--model", valueName: "DIR",
                                          summary: "also run a downloaded GPT-2 or Llama-family model (DIR holds config.json and model.safetensors)")

    /// The text the tiny models read, one token per byte; `--quick` reads fewer tokens.
    var text: String { notebook.quick ? "Once upon a time" : "Once upon a time, a little robot" }

    func run() {
        notebook.header(lesson: 4, title: "The transformer",
                        summary: "The block piece by piece (norm, attention, MLP, residual), what a model costs in parameters and FLOPs, GPT-2 and a Llama assembled from the pieces and checked layer by layer against the kernel, and a real checkpoint loaded from its files.")
        let tiny: [TinyModel]
        do {
            tiny = [try TinyModel.make(name: "tiny GPT-2", configJSON: TinyModel.gpt2ConfigJSON, seed: 1),
                    try TinyModel.make(name: "tiny Llama", configJSON: TinyModel.llamaConfigJSON, seed: 2)]
        } catch {
            notebook.check(false, "writing and loading the tiny models failed: \(error)")
            return
        }
        let tokens = Array(text.utf8).map(Int.init)
        notebook.cell("The block, piece by piece") { blockPieceByPiece() }
        notebook.cell("Counting parameters and FLOPs") { countingParametersAndFLOPs(tiny) }
        notebook.cell("GPT-2 and a Llama from the pieces") { assemblingTheModels(tiny, tokens: tokens) }
        notebook.cell("Finding the first diverging layer") { findingTheFirstDivergingLayer(tiny[0], tokens: tokens) }
        notebook.cell("A real model from the Hub") { realModel() }

        notebook.summary([
            "A pre-norm block adds attention(norm(x)) and then mlp(norm(x)) to the residual stream; everything else is bookkeeping of names and shapes.",
            "A model's parameters follow from its config (GPT-2 small: 124,439,808), and a forward pass costs about 2 FLOPs per parameter per token, plus attention growing with the context.",
            "GPT-2 and a Llama, assembled in the lesson from its own pieces, agree with the kernel's models at every layer; the Llama is GPT-2 plus four marked changes: RMSNorm, RoPE, SwiGLU and GQA.",
            "Comparing layer by layer names the first layer that diverges: a missing bias or a wrong epsilon is found where it lives.",
        ], next: [
            "Exercises: `exercises/04-transformer/` (LayerNorm, RMSNorm, GELUMLP, SwiGLU, BlockForward). Check them with `swift run lab check transformer`.",
            "Lesson 05: `swift run sampling`, turning logits into text.",
        ])
    }
}
