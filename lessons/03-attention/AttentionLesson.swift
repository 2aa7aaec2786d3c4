// Lesson 03, attention: the order of the cells, the sizes and the closing summary.
//
// Each cell is a method in the file named after its topic: AttentionByHand.swift (loops, then
// matrices), Scaling.swift (why divide by √D), CausalMask.swift, MultiHead.swift (split, merge
// and the check against the kernel), Positions.swift (learned positions and RoPE),
// KVCacheCell.swift (decoding with and without the cache), GroupedQuery.swift (GQA and the
// memory it saves), Heatmaps.swift (a real sentence, a random model and two heads built by
// hand) and TrainedHeads.swift (the heads of the kit's own trained model). Every random number comes from a seeded generator, so the lesson prints the same text on
// every run apart from measured times (masked by `--mask-timings`).
//
// Left out: training attention (`lab train` trains the kit's model) and looking inside a real
// downloaded model (lesson 07).

import LabKernel
import LabNotebook

struct AttentionLesson {
    let notebook: Notebook

    /// How large the measured and pictured parts are; `--quick` keeps the lesson to seconds.
    struct Sizes {
        /// The random model decoded with and without a KV cache, and how many tokens it decodes.
        var decodeConfig: TransformerConfig
        var promptTokens: Int
        var decodedTokens: Int
        /// The tokenizer for the heatmap sentence: trained on this much of the stories, to this size.
        var tokenizerBytes: Int
        var vocabularySize: Int
    }

    var sizes: Sizes {
        notebook.quick
            ? Sizes(decodeConfig: .llamaFamily(vocabularySize: 512, contextLength: 256, width: 64, layers: 2, heads: 4,
                                               kvHeads: 2, feedForwardWidth: 128),
                    promptTokens: 8, decodedTokens: 24, tokenizerBytes: 60_000, vocabularySize: 400)
            : Sizes(decodeConfig: .llamaFamily(vocabularySize: 2048, contextLength: 512, width: 192, layers: 4, heads: 6,
                                               kvHeads: 2, feedForwardWidth: 512),
                    promptTokens: 16, decodedTokens: 128, tokenizerBytes: 400_000, vocabularySize: 1024)
    }

    func run() {
        notebook.header(lesson: 3, title: "Attention",
                        summary: "How a token looks back at the tokens before it: dot-product attention with loops and as matrices, the √D scale, the causal mask, many heads, positions (learned and RoPE), the KV cache, grouped-query attention, and pictures of where heads look.")
        notebook.cell("Attention with loops") { attentionWithLoopsCell() }
        notebook.cell("The same thing as matrices") { attentionAsMatricesCell() }
        notebook.cell("Why divide by √D") { scalingCell() }
        notebook.cell("The causal mask") { causalMaskCell() }
        notebook.cell("Many heads: split, attend, merge") { multiHeadCell() }
        notebook.cell("Positions: learned vectors and RoPE") { positionsCell() }
        notebook.cell("The KV cache") { kvCacheCell() }
        notebook.cell("Grouped-query attention and the memory it saves") { groupedQueryCell() }
        notebook.cell("Where heads look: a real sentence") { heatmapsCell() }
        notebook.cell("The heads of a trained model") { trainedHeadsCell() }

        notebook.summary([
            "Attention: each query scores every key with a dot product, softmax turns the scores into weights, and the output is the weighted average of the values. Loops and matrices give the same numbers.",
            "Dividing the scores by √D keeps their spread near 1 whatever the head size; without it the softmax saturates on one key and its gradients vanish.",
            "The causal mask (−∞ above the diagonal) lets a token see only itself and the past, so a later token can never change an earlier output.",
            "Heads are column blocks: (T, H·D) is split into (H, T, D), each head attends on its own, and the results are merged back. The lesson's attention equals the kernel's.",
            "Attention alone ignores order. GPT-2 adds a learned vector per position; RoPE rotates queries and keys so that a score depends only on the distance between two tokens.",
            "A KV cache keeps past keys and values, so each new token costs one row of work instead of the whole prefix again.",
            "Grouped-query attention shares each key/value head among several query heads and divides the cache by H/KVH (4× for Llama 3 8B, 3× for SmolLM2-135M).",
        ], next: [
            "Exercises: `exercises/03-attention/` (AttentionScores, CausalSoftmax, SplitHeads, RotaryEmbedding, DecodeStepWithCache). Check them with `swift run lab check attention`.",
            "Lesson 04: `swift run transformer`, the block around attention (`--model models/lab-stories-4m` runs its last cells on the kit's own trained model).",
        ])
    }
}
