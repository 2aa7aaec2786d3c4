// PreTokenizer+Digits: every digit its own piece, before the regular pattern (SmolLM2).
//
// SmolLM2's tokenizer.json chains two pre-tokenizers:
//
//     {"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true},
//                                            {"type": "ByteLevel", "use_regex": true}]}
//
// `Digits` first isolates each number scalar (Unicode \p{N}: "7", "٣", "½", "²", "Ⅷ"), so "2024"
// always becomes four pieces and a model sees numbers digit by digit, which helps arithmetic.
// ByteLevel's GPT-2 pattern then cuts each stretch between the digits on its own. That order
// matters: the pattern never sees across a digit, so "a 12" gives "a", " ", "1", "2" (the space
// does not glue onto the "1" the way GPT-2's ` ?\p{N}+` would glue it), and a space run before a
// digit ends at the digit as it would at the end of the text. Matching is per Unicode scalar, as
// Hugging Face does.
// Left out: `Digits(individual_digits: false)` (runs of digits kept together), which no model the
// kit loads uses; the loader rejects it by name.

extension PreTokenizer {
    /// Calls `body` with each number scalar of `bytes` as its own range, and with the pieces that
    /// the pattern finds in each stretch between them (shifted to offsets in `bytes`).
    func forEachStretchBetweenDigits(inUTF8 bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        func stretch(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            scanPattern(UnsafeBufferPointer(rebasing: bytes[range])) { piece in
                body((piece.lowerBound + range.lowerBound)..<(piece.upperBound + range.lowerBound))
            }
        }
        ScalarClass.basicPlane.withUnsafeBufferPointer { table in
            var start = 0, i = 0
            while i < bytes.count {
                let (kind, length) = classifyScalar(base, at: i, basicPlane: table.baseAddress!)
                if kind == ScalarClass.number {
                    stretch(start..<i)
                    body(i..<(i + length))
                    start = i + length
                }
                i += length
            }
            stretch(start..<bytes.count)
        }
    }
}
