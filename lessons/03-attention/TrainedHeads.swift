// Cell: the heads of the kit's own trained model (models/lab-stories-4m, trained by `lab train` on
// the kit's stories): what each head of each layer does on a sentence, measured by two numbers,
// and the pictures of the clearest previous-token head and of the head that looks back most at
// an earlier copy of a word. When the folder is absent (a copy of the kit without models/), the
// cell says so and how to make it.
//
// Left out: how the model was trained (`lab train`, and lesson 02) and probing
// heads causally (ablation, activation patching).

import Foundation
import LabCorpora
import LabKernel
import LabNotebook

extension AttentionLesson {
    func trainedHeadsCell() {
        guard let loaded = KitModel.load(), let tokenizer = loaded.tokenizer else {
            notebook.prose("""
                The kit's own trained model is not in this copy (models/\(KitModel.name) is missing). \
                scripts/models/train_lab_stories.sh trains it with `lab train` in about 20 minutes on \
                two cores; this cell then shows its heads.
                """)
            return
        }
        let model = loaded.model
        let config = model.config
        let stories = generateCorpus(kind: .stories, bytes: 40_000, seed: 5)  // seed 5: text the model did not train on
        let sentence = sentenceForHeatmaps(in: stories, tokenizer: tokenizer, tokens: 12...18)
        let ids = tokenizer.encode(sentence)
        let labels = ids.map { tokenLabel($0, tokenizer: tokenizer) }
        let t = ids.count
        notebook.prose("""
            Now a model that has learned: the kit's own, models/\(KitModel.name) (GPT-2 style, \
            \(config.layers) layers of \(config.heads) heads, width \(config.width), a \
            \(config.vocabularySize)-token vocabulary), trained by `lab train` on the kit's stories \
            (its README tells how). A new sentence of the same kind, \(t) tokens with its tokenizer:
            """)
        notebook.output(sentence + "\n\n" + labels.joined(separator: " | "))

        // Two numbers per head: weight on the previous token, and on earlier copies of the same token.
        let repeated = (0..<t).filter { i in (0..<i).contains { ids[$0] == ids[i] } }
        var table = Table(["layer", "head", "on the previous token", "on an earlier copy", "on the first token"])
        var heads: [(layer: Int, head: Int, weights: Tensor, previous: Float, copy: Float)] = []
        for layer in 0..<config.layers {
            for (head, weights) in model.attentionWeights(tokens: ids, layer: layer).enumerated() {
                let previous = (1..<t).map { weights[$0, $0 - 1] }.reduce(0, +) / Float(t - 1)
                let copy = repeated.isEmpty ? 0 : repeated.map { i in
                    (0..<i).filter { ids[$0] == ids[i] }.map { weights[i, $0] }.reduce(0, +)
                }.reduce(0, +) / Float(repeated.count)
                let first = (1..<t).map { weights[$0, 0] }.reduce(0, +) / Float(t - 1)
                heads.append((layer, head, weights, previous, copy))
                table.append(["\(layer)", "\(head)", formatFixed(previous, decimals: 2), formatFixed(copy, decimals: 2),
                              formatFixed(first, decimals: 2)])
            }
        }
        let fairShares: [Float] = (1..<t).map { 1 / Float($0 + 1) }
        let uniform: Float = fairShares.reduce(0, +) / Float(t - 1)  // what an even spread puts on the previous token
        notebook.prose("""
            Each head's average weight on the token just before (a random model gives about \
            \(formatFixed(uniform, decimals: 2)) here), \
            on earlier copies of the same token, and on the first token (a "resting place" many \
            trained heads use when nothing is worth looking at):
            """)
        notebook.table(table)
        let previousHead = heads.max { $0.previous < $1.previous }!
        let ratio = previousHead.previous / uniform
        notebook.prose(previousHead.previous > 0.6 ? """
            Layer \(previousHead.layer), head \(previousHead.head) is a previous-token head: it puts \
            \(formatFixed(previousHead.previous, decimals: 2)) of its weight on the token just before, \
            what the hand-built head above does, learned from the text alone.
            """ : """
            The most weight on the previous token is layer \(previousHead.layer), head \(previousHead.head)'s: \
            \(formatFixed(previousHead.previous, decimals: 2)), \(formatFixed(ratio, decimals: 1))× an even \
            spread, but far from the hand-built head's 0.9 and more. A model this small (trained for about \
            20 minutes) has no single clean previous-token head; its rows show where it looks instead:
            """)
        notebook.heatmap(Heatmap(previousHead.weights, rowLabels: labels, range: 0...1),
                         title: "Layer \(previousHead.layer), head \(previousHead.head): the most weight on the previous token")
        if !repeated.isEmpty {
            let copyHead = heads.max { $0.copy < $1.copy }!
            notebook.prose("""
                And the head that puts the most weight on earlier copies of a token, layer \
                \(copyHead.layer), head \(copyHead.head) (the repeated token\(repeated.count == 1 ? "" : "s"): \
                \(Set(repeated.map { labels[$0] }).sorted().joined(separator: ", "))):
                """)
            notebook.heatmap(Heatmap(copyHead.weights, rowLabels: labels, range: 0...1),
                             title: "Layer \(copyHead.layer), head \(copyHead.head): the most weight on earlier copies")
        }
    }
}
