// Cell: what tokens look like in real text, boundaries in color (or `|` without colors).

import LabKernel
import LabNotebook

extension TokenizationLesson {
    func seeingTheTokens(_ tokenizer: BPETokenizer, heldOut: Corpus) {
        let story = heldOut.opening
        let ids = tokenizer.encode(story)
        notebook.prose("""
            The beginning of a story the tokenizer has not seen, with each token marked\
            \(notebook.style.colors ? " by its background color" : ": | separates two tokens") \
            (\(grouped(story.utf8.count)) bytes, \(grouped(ids.count)) tokens):
            """)
        notebook.output(tokenBoundaries(ids, tokenizer: tokenizer, width: notebook.width - 2 * notebook.indent,
                                        style: notebook.style).joined(separator: "\n"))
        let words = story.split(whereSeparator: { $0 == " " || $0 == "\n" })
        // A word of the unseen stories that is one token after a space but several at the start of
        // a line, where no space precedes it.
        let bare = PreTokenizer(.gpt2).pieces(of: heldOut.plainText).first { piece in
            piece.first?.isUppercase == true && tokenizer.encode(piece).count > 1 && tokenizer.encode(" " + piece).count == 1
        }
        let spaceNote = bare.map { word in
            " The space matters: \"␣\(word)\" is one token, but \"\(word)\" at the start of a line, with no space"
                + " before it, is \(tokenizer.encode(word).count), because that spelling was rarer in training."
                + " To the model they are unrelated ids."
        } ?? ""
        notebook.prose("""
            Frequent words are single tokens, with their space in front. Rarer words fall apart \
            into pieces that did occur often enough, and punctuation usually stands alone.\(spaceNote) On \
            average this text costs \(formatFixed(Double(ids.count) / Double(words.count), decimals: 2)) \
            tokens per word and holds \(formatFixed(Double(story.utf8.count) / Double(ids.count), decimals: 2)) \
            bytes per token. Everything a model does is counted in tokens: the length of its context, \
            the cost of running it, the speed of generation. Tokenization decides what those numbers mean.
            """)
    }
}
