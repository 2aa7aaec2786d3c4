// Cell: the pre-tokenizer. GPT-2's pattern written as a readable Swift `Regex`, checked against
// the kernel's hand-written scanner (Sources/LabKernel/Tokenizer/PreTokenizer.swift), and the
// Llama 3 variant that splits numbers differently.

import LabKernel
import LabNotebook

/// GPT-2's pre-tokenizer pattern as a Swift regex literal, one alternative per line. The first
/// alternative that matches at a position wins; `\p{L}` is any letter, `\p{N}` any digit or
/// number, `\s` any whitespace. The kernel's `PreTokenizer.Pattern.gpt2.regex` is the same
/// pattern in the one-line form that Python and Hugging Face use.
var gpt2Pattern: Regex<Substring> {
    #/
      's|'t|'re|'ve|'m|'ll|'d     # contractions: "it's" -> "it" + "'s"
    | \ ?\p{L}+                   # a word, with the space before it
    | \ ?\p{N}+                   # a number, with the space before it
    | \ ?[^\s\p{L}\p{N}]+         # punctuation and symbols, with the space before them
    | \s+(?!\S)                   # spaces that are not followed by a word: all but the last
    | \s+                         # any other whitespace
    /#
}

/// The pieces of `text` by `gpt2Pattern`, matched one Unicode scalar at a time (as Python's
/// `regex` module, tiktoken and Hugging Face do), not one Swift `Character` at a time.
func gpt2Pieces(_ text: String) -> [String] {
    text.matches(of: gpt2Pattern.matchingSemantics(.unicodeScalar)).map { String(text[$0.range]) }
}

extension TokenizationLesson {
    func preTokenizer(_ corpus: Corpus) {
        notebook.prose("""
            Training and encoding both began by cutting text into pieces, and no token ever \
            crosses a piece boundary. Without this, frequent byte sequences across words would \
            become tokens ("dog." and "dog!" and "dog?" as three tokens, or "e␣t" from "the␣tree"), \
            wasting the vocabulary on accidents of punctuation. GPT-2 defines the pieces with a \
            regular expression. Here it is as a Swift regex literal, one alternative per line, \
            tried from the top at each position:
            """)
        notebook.code(#"""
            let gpt2Pattern = #/
                  's|'t|'re|'ve|'m|'ll|'d     # contractions: "it's" -> "it" + "'s"
                | \ ?\p{L}+                   # a word, with the space before it
                | \ ?\p{N}+                   # a number, with the space before it
                | \ ?[^\s\p{L}\p{N}]+         # punctuation and symbols, with the space before them
                | \s+(?!\S)                   # spaces that are not followed by a word: all but the last
                | \s+                         # any other whitespace
                /#
            text.matches(of: gpt2Pattern.matchingSemantics(.unicodeScalar))
            """#)
        let example = "Mia's cat didn't eat 12 fish!!  She ate 1234567, then   slept."
        let pieces = gpt2Pieces(example)
        notebook.prose("An example with the usual suspects, each piece in brackets:")
        notebook.code("gpt2Pieces(\"" + example + "\")")
        notebook.output(bracketed(pieces))
        notebook.prose("""
            The space before a word belongs to the word, so "␣cat" is the same piece wherever it \
            appears, and only the first word of a text lacks it. Of several spaces, all but the last \
            stay together and the last joins the next word (the `(?!\\S)` lookahead). The \
            contractions only match a lowercase ASCII apostrophe: GPT-2's authors wrote them that \
            way and every GPT-2-compatible tokenizer must copy the quirk. \
            `.matchingSemantics(.unicodeScalar)` matters too: by default Swift matches whole \
            characters, so "e" + U+0301 and "\\r\\n" would stay together, unlike in Python, \
            tiktoken and Hugging Face.

            Regular expressions are a fine definition but a slow tool. The kernel's `PreTokenizer` \
            is a hand-written scanner over the UTF-8 bytes that makes the same decisions by \
            looking at one or two characters. Both on the \(grouped(corpus.text.utf8.count)) bytes \
            of stories and on some awkward strings:
            """)
        let awkward = ["cafe\u{301} caf\u{E9}", "a\r\nb\n\n\nc  ", "I'M HERE, you're there; it's 'quoted'",
                       "日本語のテキスト、です。", "👋🏽 🇩🇪!! 3.14159 ½", "tabs\t\tand\u{A0}nbsp\u{3000}ideographic space"]
        let scanner = PreTokenizer(.gpt2)
        let texts = [corpus.text] + awkward
        var regexPieces: [[String]] = []
        let regexTime = Stopwatch.measure(repetitions: 1, warmup: 0) { regexPieces = [corpus.text].map(gpt2Pieces) }
        regexPieces += awkward.map(gpt2Pieces)
        var scannerPieces: [[String]] = []
        let scannerTime = Stopwatch.measure(repetitions: 3, warmup: 1) { scannerPieces = [corpus.text].map(scanner.pieces(of:)) }
        scannerPieces += awkward.map(scanner.pieces(of:))
        let agree = zip(regexPieces, scannerPieces).allSatisfy { $0.0 == $0.1 }
        let megabytes = Double(corpus.text.utf8.count) / 1e6
        var table = Table(["pre-tokenizer", "pieces in the stories", "time", "speed"])
        table.append(["Swift Regex (this lesson)", grouped(regexPieces[0].count), notebook.duration(regexTime.median),
                      notebook.measured(formatFixed(megabytes / regexTime.median, decimals: 1) + " MB/s")])
        table.append(["PreTokenizer (kernel)", grouped(scannerPieces[0].count), notebook.duration(scannerTime.median),
                      notebook.measured(formatFixed(megabytes / scannerTime.median, decimals: 1) + " MB/s")])
        notebook.table(table)
        notebook.check(agree, "the regex and the scanner cut all \(texts.count) texts into the same pieces")

        let numbers = "1234567 cats in 2024!"
        notebook.prose("""
            Other models change the pattern, mostly for numbers. Llama 3's (like OpenAI's cl100k) \
            cuts them into groups of at most three digits, and Qwen 2's makes every digit a piece \
            of its own, which helps with arithmetic:
            """)
        notebook.values(PreTokenizer.Pattern.allCases.map { pattern in
            ("\(pattern)", bracketed(PreTokenizer(pattern).pieces(of: numbers)))
        })
    }

    /// Pieces in brackets, wrapped to the notebook's width: "[Mia] ['s] [ cat]".
    func bracketed(_ pieces: [String]) -> String {
        wrap(pieces.map { "[" + $0 + "]" }.joined(separator: " "), width: notebook.width - 2 * notebook.indent).joined(separator: "\n")
    }
}
