// Cell: where the heads look. Every head of every layer on one held-out passage, summed up in two
// maps of the whole model (rows are layers, columns heads): how much weight each head puts on the
// token just before, and on earlier copies of the current token. Then the attention pattern of
// the clearest head of each kind, as a picture: a previous-token head and a copying head.
//
// Left out: causal tests of what a head does (ablation, activation patching).

import Foundation
import LabKernel
import LabNotebook

extension OpenModelsLesson {
    func attentionMaps(_ subjects: [Subject]) {
        notebook.prose("""
            Each head of each layer turns its queries and keys into a matrix of weights: row t \
            says how much position t takes from each earlier position (lesson 03). Reading \
            hundreds of such matrices is slow, so first two numbers per head on a held-out \
            passage, shown as maps of the whole model: the average weight on the previous token, \
            and the weight on earlier copies of the current token (at the positions where a token \
            repeats). A head high on the first does "look back one"; a head high on the second finds \
            where the current token was seen before, the first step of copying text from the context.
            """)
        notebook.code("""
            let heads = model.attentionWeights(tokens: ids, layer: layer)   // one (T, T) matrix per head
            previous = mean over t of heads[h][t, t - 1]
            copy     = mean over repeated t of Σ_{j < t, ids[j] == ids[t]} heads[h][t, j]
            """)
        for subject in subjects {
            let tokenizer = subject.tokenizer, model = subject.model, config = model.config
            let ids = Array(attentionPassage(tokenizer).prefix(config.contextLength))
            let labels = ids.map { tokenLabel($0, tokenizer) }
            let t = ids.count
            let repeated = (0..<t).filter { i in (0..<i).contains { ids[$0] == ids[i] } }
            var previous = [Float](repeating: 0, count: config.layers * config.heads), copy = previous
            var weights: [[Tensor]] = []
            for layer in 0..<config.layers {
                let heads = model.attentionWeights(tokens: ids, layer: layer)
                weights.append(heads)
                for (head, w) in heads.enumerated() {
                    previous[layer * config.heads + head] = (1..<t).map { w[$0, $0 - 1] }.reduce(0, +) / Float(t - 1)
                    copy[layer * config.heads + head] = repeated.map { i in
                        (0..<i).filter { ids[$0] == ids[i] }.map { w[i, $0] }.reduce(0, +)
                    }.reduce(0, +) / Float(max(1, repeated.count))
                }
            }
            notebook.prose("\(subject.name), \(config.layers) layers of \(config.heads) heads, on \(t) held-out tokens (\(repeated.count) of them repeat an earlier token):")
            notebook.output(labels.joined(separator: "|"))
            let headLabels = Dictionary(uniqueKeysWithValues: (0..<config.heads).filter { config.heads <= 10 || $0 % 4 == 0 }.map { ($0, "h\($0)") })
            let layerLabels = (0..<config.layers).map { "layer \($0)" }
            notebook.prose("Weight on the previous token, per head:")
            notebook.heatmap(Heatmap(Tensor(shape: [config.layers, config.heads], scalars: previous), rowLabels: layerLabels,
                                     columnLabels: headLabels, range: 0...1),
                             title: "\(subject.name): weight on the previous token, per head")
            notebook.prose("Weight on earlier copies of the current token, per head:")
            notebook.heatmap(Heatmap(Tensor(shape: [config.layers, config.heads], scalars: copy), rowLabels: layerLabels,
                                     columnLabels: headLabels, range: 0...1),
                             title: "\(subject.name): weight on earlier copies of the current token, per head")
            let fair = (1..<t).map { 1 / Float($0 + 1) }.reduce(0, +) / Float(t - 1)
            let best = previous.indices.max { previous[$0] < previous[$1] }!
            let copier = copy.indices.max { copy[$0] < copy[$1] }!
            let shown = Array(max(0, t - 14)..<t)  // the pictures show the last 14 positions, all keys before them
            func picture(_ index: Int) -> Heatmap {
                let w = weights[index / config.heads][index % config.heads]
                let rows = Tensor(shape: [shown.count, t], scalars: shown.flatMap { w.row($0).scalars })
                return Heatmap(rows, rowLabels: shown.map { labels[$0] },
                               columnLabels: Dictionary(uniqueKeysWithValues: stride(from: 0, to: t, by: 6).map { ($0, labels[$0]) }),
                               range: 0...1)
            }
            notebook.prose("""
                Layer \(best / config.heads), head \(best % config.heads) looks back one token most: \
                \(formatFixed(previous[best], decimals: 2)) of its weight on average (an even spread \
                over the visible tokens would put \(formatFixed(fair, decimals: 2)) there). Its rows for \
                the last positions: the bright cells sit just left of the diagonal.
                """)
            notebook.heatmap(picture(best), title: "Layer \(best / config.heads), head \(best % config.heads): the last positions")
            if !repeated.isEmpty {
                let repeats = Set(repeated.map { labels[$0] }).sorted().prefix(6).joined(separator: ", ")
                notebook.prose("""
                    Layer \(copier / config.heads), head \(copier % config.heads) is the strongest \
                    copying head: at a repeated token (here \(repeats)) it puts \
                    \(formatFixed(copy[copier], decimals: 2)) of its weight on that token's earlier \
                    occurrences. A head like this lets a model reuse a name it met once, which no \
                    count of the training data could predict.
                    """)
                notebook.heatmap(picture(copier), title: "Layer \(copier / config.heads), head \(copier % config.heads): the last positions")
            }
        }
    }

    /// The opening of a held-out story, cut to a length where some word (of three or more
    /// characters) has come back: 20 to 32 tokens.
    private func attentionPassage(_ tokenizer: BPETokenizer) -> [Int] {
        let stories = Self.heldOutStories.components(separatedBy: "<|endoftext|>").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        for story in stories where !story.isEmpty {
            let ids = Array(tokenizer.encode(story).prefix(32))
            let long = ids.indices.filter { tokenLabel(ids[$0], tokenizer).count > 3 }
            if let end = long.first(where: { i in long.contains { $0 < i && ids[$0] == ids[i] } }), end >= 19 {
                return Array(ids.prefix(min(32, end + 4)))
            }
        }
        return Array(tokenizer.encode(stories[0]).prefix(24))
    }
}
