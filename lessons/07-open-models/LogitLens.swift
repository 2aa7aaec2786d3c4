// Cell: the logit lens. Every block adds its output into the residual stream, and only the last
// state goes through the final norm and the head; the lens sends every intermediate state through
// the same two (the kernel's `logitLens`), so each layer's guess at the next token can be read.
// The norm normalizes each position's vector with its own mean and spread, so a layer's slice is
// read on the scale the head expects. A table gives each layer's top token per position, a
// heatmap the probability each layer gives to the model's final answer.
//
// Left out: the tuned lens (a learned map per layer) and lenses inside a block.

import Foundation
import LabKernel
import LabNotebook

extension OpenModelsLesson {
    func logitLens(_ subjects: [Subject]) {
        notebook.prose("""
            What does a model "think" halfway through? A transformer keeps one residual stream per \
            position: the embedding, plus what every block adds to it. Only the last state goes \
            through the final norm and the head to become logits. The logit lens sends every \
            intermediate state through that same norm and head, as if the model stopped there. \
            The norm rescales each position's vector with its own mean and spread, so an early \
            layer's state is read on the scale the head was trained on.
            """)
        notebook.code("""
            let lens = model.logitLens(tokens: ids)       // [embedding, block 0, …]: (T, V) logits each
            lens.last!.logits == model.forward(tokens: ids) // the last block's reading is the output
            lens[2].top(1, at: t)                          // block 1's most likely next token after position t
            """)
        for subject in subjects {
            let tokenizer = subject.tokenizer, model = subject.model
            let sentence = lensSentence(tokenizer)
            let ids = Array(([subject.startToken] + tokenizer.encode(sentence)).prefix(model.config.contextLength))
            let lens = model.logitLens(tokens: ids)
            let output = model.forward(tokens: ids)
            let positions = Array(1..<ids.count)  // position 0 is the start token
            let final = positions.map { lens.last!.top(1, at: $0)[0].id }
            // The readings shown as columns: all of a small model, five spread over a deep one.
            let shown = lens.count <= 6 ? Array(lens.indices)
                : Array(Set([0, lens.count / 4, lens.count / 2, 3 * lens.count / 4, lens.count - 1])).sorted()
            var table = Table(["after"] + shown.map { lens[$0].layer }, alignments: nil)
            for t in positions {
                table.append([tokenLabel(ids[t], tokenizer)] + shown.map { layer in
                    let top = lens[layer].top(1, at: t)[0]
                    return tokenLabel(top.id, tokenizer) + " " + formatFixed(top.probability * 100, decimals: 0) + "%"
                })
            }
            notebook.prose("\(subject.name) on \"\(sentence)\": each layer's most likely next token after each position, with its probability.")
            notebook.table(table)
            let probabilities = Tensor(shape: [lens.count, positions.count], scalars: lens.flatMap { reading in
                positions.enumerated().map { index, t in softmax(reading.logits.row(t)).scalars[final[index]] }
            })
            notebook.heatmap(Heatmap(probabilities, rowLabels: lens.map(\.layer),
                                     columnLabels: Dictionary(uniqueKeysWithValues: positions.indices.filter { $0 % 3 == 0 }.map {
                                         ($0, tokenLabel(ids[positions[$0]], tokenizer)) }),
                                     range: 0...1),
                             title: "\(subject.name): probability of the final answer, per layer and position")
            // From which reading on is the final answer already the top token?
            let settled = positions.indices.map { index -> Int in
                var layer = lens.count - 1
                while layer > 0 && lens[layer - 1].top(1, at: positions[index])[0].id == final[index] { layer -= 1 }
                return layer
            }
            let early = settled.filter { $0 <= lens.count / 2 }.count
            notebook.prose("""
                The heatmap shows, for each reading (rows) and position (columns), the probability \
                given to the token the model finally predicts there. At \(early) of \
                \(positions.count) positions the answer is already on top by the middle reading \
                (\(lens[lens.count / 2].layer)); the others are decided late, by the last blocks.
                """)
            notebook.check(lens.last!.logits.scalars == output.scalars,
                           "\(subject.name): the lens of the last block equals the model's logits, to the bit")
        }
    }

    /// A sentence from the held-out stories for the lens: the first story's second sentence.
    private func lensSentence(_ tokenizer: BPETokenizer) -> String {
        let firstStory = Self.heldOutStories.components(separatedBy: "\n").first { !$0.isEmpty && !$0.contains("<|") }!
        let sentences = firstStory.components(separatedBy: ". ")
        for sentence in sentences.dropFirst() where !sentence.contains("\"") {
            let count = tokenizer.encode(sentence).count
            if (8...16).contains(count) { return sentence + "." }
        }
        return sentences[0]
    }
}
