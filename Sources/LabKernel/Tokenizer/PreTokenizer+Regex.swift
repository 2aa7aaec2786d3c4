// PreTokenizer+Regex: the pre-tokenizer patterns run by Swift's own regex engine.
//
// This is the naive twin of the scanners in PreTokenizer.swift: the pattern string exactly as
// GPT-2 / Llama 3 / Qwen 2 publish it, matched by `Regex`. It is the readable definition (lesson
// 01 shows it first) and the reference the scanners are tested against; it is about 100x slower,
// so encoders never use it. One known difference: Swift's `Regex` does not case-fold "ſ" (U+017F,
// long s) to "s" inside `(?i:…)`, so for Llama 3 and Qwen 2 it reads "'ſx" as one piece where
// Python's `regex`, Hugging Face `tokenizers` and the scanners find the contraction "'ſ" then "x".
// Left out: caching the compiled `Regex` (it is rebuilt per call).

extension PreTokenizer {
    /// The pieces of `text` found by Swift's `Regex` engine with the pattern's published regular
    /// expression. Gives the same pieces as `pieces(of:)`, only slower (except after "'ſ", see above).
    ///
    /// Matching uses Unicode-scalar semantics: Swift's default (grapheme clusters) would keep
    /// "e" + U+0301 or "\r\n" together, unlike Python's `regex`, tiktoken and Hugging Face.
    public func piecesUsingRegex(of text: String) -> [String] {
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(pattern.regex)
        } catch {
            preconditionFailure("the \(pattern) pre-tokenizer pattern should compile as a Swift Regex: \(error)")
        }
        func matches(_ text: String) -> [String] {
            text.matches(of: regex.matchingSemantics(.unicodeScalar)).map { String(text[$0.range]) }
        }
        guard isolatesDigits else { return matches(text) }
        // Digits first (PreTokenizer+Digits.swift): each \p{N} scalar alone, the pattern on the text between.
        let numbers: Set<Unicode.GeneralCategory> = [.decimalNumber, .letterNumber, .otherNumber]
        var pieces: [String] = []
        var stretch = ""
        for scalar in text.unicodeScalars {
            if numbers.contains(scalar.properties.generalCategory) {
                pieces += matches(stretch)
                pieces.append(String(scalar))
                stretch = ""
            } else {
                stretch.unicodeScalars.append(scalar)
            }
        }
        return pieces + matches(stretch)
    }
}
