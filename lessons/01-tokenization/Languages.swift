// Cell: the same sentence in English, German, Japanese and with emoji costs very different
// numbers of tokens, with the lesson's tokenizer and (when given) GPT-2's.

import LabKernel
import LabNotebook

/// One sentence in several languages (and one with emoji), the lesson's test of fairness.
let sameSentence: [(language: String, text: String)] = [
    ("English", "The little cat is sleeping in the warm sun."),
    ("German", "Die kleine Katze schläft in der warmen Sonne."),
    ("Japanese", "小さな猫が暖かい日差しの中で眠っています。"),
    ("emoji", "The little 🐱 is 😴 in the warm ☀️."),
]

extension TokenizationLesson {
    func languages(_ tokenizer: BPETokenizer) {
        notebook.prose("""
            A tokenizer learns the merges that pay off on its training text, and ours only ever \
            saw English stories. Here is one sentence in English, German and Japanese, and in \
            English with emoji:
            """)
        notebook.values(sameSentence.map { ($0.language, $0.text) })
        var tokenizers = [("ours", tokenizer)]
        if let gpt2 { tokenizers.append(("GPT-2", gpt2)) }
        var table = Table(["", "chars", "bytes"] + tokenizers.flatMap { ["tokens (\($0.0))", "× English"] })
        for (language, text) in sameSentence {
            var row = [language, String(text.count), String(text.utf8.count)]
            for (_, t) in tokenizers {
                let count = t.encode(text).count
                row += [String(count), formatFixed(Double(count) / Double(t.encode(sameSentence[0].text).count), decimals: 2)]
            }
            table.append(row)
        }
        notebook.table(table)
        notebook.prose("""
            The same meaning, very different prices. German shares the alphabet and a few short \
            words with English, so some merges still apply, but its longer words were never seen \
            and fall apart. The Japanese sentence has \(sameSentence[2].text.count) characters of \
            3 bytes each, and not one merge touches those bytes, so every byte is a token of its \
            own. Each emoji is 4 bytes (☀️ is two scalars, 6 bytes), and again each byte costs a \
            token. The tokens of our tokenizer:
            """)
        for (language, text) in sameSentence.dropFirst() {
            notebook.output(language + "\n" + tokenBoundaries(tokenizer.encode(text), tokenizer: tokenizer,
                                                             width: notebook.width - 2 * notebook.indent,
                                                             style: notebook.style).joined(separator: "\n"))
        }
        notebook.prose("""
            This is not a curiosity of small tokenizers. \(gpt2 == nil ? "GPT-2's tokenizer (run the lesson with --gpt2 to add it to the table)" : "GPT-2's tokenizer, in the table above,") \
            was trained mostly on English web pages and also charges other languages more. \
            Petrov and others (2023) measured the tokenizers of widely used models on the same \
            texts translated into many languages and found differences of up to 15 times. A user \
            of such a language pays more per sentence, fits less text into the same context \
            window, and waits longer for each answer, and the model sees less meaning per token. \
            Tokenizers are not neutral: they encode the language mix of their training data. \
            Multilingual models answer with training text in many languages and larger \
            vocabularies.
            """)
    }
}
