// Cell: how much a larger vocabulary shortens text (bytes per token), from 256 byte tokens up.
//
// One training run gives every smaller vocabulary too: training is greedy, so the first k merges
// of a long run are exactly what a run for k merges learns. The lesson checks that once.

import LabKernel
import LabNotebook

extension TokenizationLesson {
    func compression(_ tokenizer: BPETokenizer, heldOut: Corpus) {
        let sizes = self.sizes.compressionVocabularies
        let text = heldOut.plainText
        notebook.prose("""
            How much does the vocabulary size matter? Training stops after as many merges as we \
            ask for, and it is greedy: each merge is chosen given the ones before it, never \
            revised. So the first k merges of the tokenizer trained above are exactly the \
            tokenizer we would get by asking for k merges, and one training run gives every \
            smaller vocabulary for free:
            """)
        let small = sizes[1]
        let direct = try! BPETokenizer.train(text: corpusForTraining.text, vocabularySize: small, specialTokens: [endOfText])
        notebook.check(direct.merges == Array(tokenizer.merges.prefix(direct.merges.count)),
                       "training for \(small) tokens learns exactly the first \(direct.merges.count) merges of the \(grouped(tokenizer.vocabularySize))-token run")
        notebook.prose("""
            Each vocabulary encodes the same \(grouped(text.utf8.count)) bytes of unseen stories \
            (the bars show bytes per token: longer is better compression):
            """)
        var table = Table(["vocabulary", "merges", "tokens", "bytes per token"])
        var bars: [Bar] = []
        for size in sizes {
            let prefix = truncated(tokenizer, vocabularySize: size)
            let count = prefix.encode(text).count
            let ratio = Double(text.utf8.count) / Double(count)
            table.append([grouped(size), grouped(prefix.merges.count), grouped(count), formatFixed(ratio, decimals: 2)])
            bars.append(Bar("V = " + grouped(size), value: ratio, text: formatFixed(ratio, decimals: 2)))
        }
        notebook.table(table)
        notebook.bars(bars, width: 40, title: "Bytes per token, by vocabulary size")
        notebook.prose("""
            The first merges pay the most: they are the commonest pairs in the language ("␣t", \
            "he", "␣the"). Every later merge is rarer than the one before, so the gains shrink, \
            while the costs grow with V: the model's embedding table and its output layer each \
            have one row of C numbers per token (GPT-2 small spends 50,257 × 768 ≈ 38.6 million \
            of its 124 million parameters there), and a rare token appears too seldom in training \
            for the model to learn it well. Open models settle between about 32,000 tokens \
            (Llama 2) and 150,000 (Llama 3 has 128,256, Qwen 2 about 151,000), trained on far more \
            text in many languages.
            """)
    }

    /// The tokenizer that stops after the first `vocabularySize` - 257 merges of `tokenizer`
    /// (ordinary tokens 0..<vocabularySize - 1, then "<|endoftext|>").
    func truncated(_ tokenizer: BPETokenizer, vocabularySize: Int) -> BPETokenizer {
        let merges = vocabularySize - 257
        return try! BPETokenizer(tokens: Array(tokenizer.tokens.prefix(256 + merges)) + [Array(endOfText.utf8)],
                                 merges: Array(tokenizer.merges.prefix(merges)), specialTokens: [endOfText: 256 + merges])
    }
}
