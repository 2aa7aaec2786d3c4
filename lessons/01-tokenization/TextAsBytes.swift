// Cells: what text is made of (characters, Unicode scalars, UTF-8 bytes), and why a language
// model's vocabulary starts from the 256 byte values.
//
// Only Swift's own string views are used here; the kernel's tokenizer enters with BPE.

import LabKernel
import LabNotebook

extension TokenizationLesson {
    func charactersScalarsAndBytes() {
        notebook.prose("""
            A language model reads numbers, not text: before anything else, text has to be cut into \
            units and each unit given an id. What is a unit? Swift shows three answers, because a \
            `String` has three views: its characters (what a reader sees as one letter), its Unicode \
            scalars (the numbered code points of the Unicode standard), and its UTF-8 bytes (how it \
            is stored and sent). For plain English text all three agree. Elsewhere they do not:
            """)
        let examples: [(String, String)] = [
            ("hello", "ASCII letters"),
            ("caf\u{E9}", "é as one scalar, U+00E9"),
            ("cafe\u{301}", "e + combining accent U+0301"),
            ("日本", "two kanji, U+65E5 U+672C"),
            ("👋🏽", "waving hand + skin tone"),
            ("🇩🇪", "flag: two regional indicators"),
        ]
        var table = Table(["characters", "scalars", "UTF-8 bytes", "what", "text"])
        for (text, what) in examples {
            table.append([String(text.count), String(text.unicodeScalars.count), String(text.utf8.count), what, text])
        }
        notebook.code("text.count, text.unicodeScalars.count, text.utf8.count")
        notebook.table(table)
        notebook.prose("""
            The two spellings of "café" look the same and compare equal as Swift `String`s, yet one \
            has a scalar and a byte more. Tokenizers of open models work on scalars and bytes, never \
            on Swift's characters, so to them the two are different texts. (Some tokenizers first \
            normalize text so that such twins become one; GPT-2's and Llama 3's do not.)

            UTF-8 writes each scalar in one to four bytes. The first byte says how many follow:
            """)
        var bytesTable = Table(["code point", "UTF-8 bytes", "bits", "scalar"], alignments: [.left, .left, .left, .left])
        for scalar in "aé€🙂".unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            let hexValue = String(scalar.value, radix: 16, uppercase: true)
            bytesTable.append(["U+" + String(repeating: "0", count: max(0, 4 - hexValue.count)) + hexValue,
                               bytes.map(hex).joined(separator: " "), bytes.map(bits).joined(separator: " "), String(scalar)])
        }
        notebook.table(bytesTable)
        notebook.prose("""
            - 0xxxxxxx: one byte, the 128 ASCII characters, unchanged. English text is mostly these.
            - 110xxxxx 10xxxxxx: two bytes, the rest of Latin, Greek, Cyrillic, Hebrew, Arabic, … up to U+07FF.
            - 1110xxxx 10xxxxxx 10xxxxxx: three bytes, most other scripts, including Chinese and Japanese.
            - 11110xxx and three more: four bytes, emoji and rare scripts.

            The x bits, read left to right, are the code point. A continuation byte always starts \
            with 10 and never looks like ASCII, so a program can find where any character starts, \
            and a byte below 128 is always the ASCII character it looks like.
            """)
    }

    func whyBytes(_ corpus: Corpus) {
        let story = corpus.documents[0]
        let words = story.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
        notebook.prose("""
            So which unit should get an id? Take the first story of the kit's corpus \
            (\(grouped(corpus.documents.count)) generated children's stories, \
            \(grouped(corpus.text.utf8.count)) bytes, the same on every machine):
            """)
        // About 300 characters of it, cut at a space.
        let opening = story.prefix(300)
        let shown = opening.count < story.count ? String(opening[..<(opening.lastIndex(of: " ") ?? opening.endIndex)]) + " …" : story
        notebook.output(wrap(shown, width: notebook.width - 2 * notebook.indent).joined(separator: "\n"))
        var distinctWords = Set<Substring>()
        for document in corpus.documents {
            for word in document.split(whereSeparator: { $0 == " " || $0 == "\n" }) { distinctWords.insert(word) }
        }
        var table = Table(["unit", "ids needed", "first story", "any text?"])
        table.append(["words", "\(grouped(distinctWords.count)) so far, no limit", grouped(words), "no: new words have no id"])
        table.append(["characters", "about 150,000", grouped(story.unicodeScalars.count), "only the ones it has"])
        table.append(["bytes", "256", grouped(story.utf8.count), "yes, all text is bytes"])
        notebook.table(table)
        // A name that occurs plain, before a full stop and with 's: three different "words".
        let name = distinctWords.filter { $0.first?.isUppercase == true && $0.allSatisfy(\.isLetter)
            && distinctWords.contains($0 + ".") && distinctWords.contains($0 + "'s") }.min()
        let wordExample = name.map { "(Even here, \"\($0)\", \"\($0).\" and \"\($0)'s\" are three different words.)" } ?? ""
        notebook.prose("""
            A vocabulary of words is short to read but can never be complete: every name, typo and \
            number is a new word, and it would need an "unknown" id that throws the text away. \
            \(wordExample) \
            Characters fare better, but Unicode has about 150,000 of them, most very rare, and the \
            model needs a row of parameters for each. Bytes are the opposite extreme: only 256 ids, \
            and any text at all, in any language, is a sequence of them, so nothing is ever \
            unknown. The price is length: a model does work for every token it reads or writes, and \
            attention's cost grows with the square of the length.

            Byte-pair encoding (BPE) takes the best of both: start from the 256 bytes, then add \
            frequent sequences of bytes as new tokens. Common words become one token, rare words \
            a few pieces, and anything unexpected falls back to single bytes. GPT-2, Llama 3, Qwen \
            and most open models use byte-level BPE.
            """)
    }
}
