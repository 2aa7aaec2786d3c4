// PreTokenizer: cutting text into words, numbers, punctuation and spaces before BPE sees it.
//
// Byte-level BPE never merges across these pieces, which keeps "dog." and "dog!" from becoming
// separate tokens and makes encoding fast (each piece is merged on its own and can be cached).
// The pieces are defined by a regular expression; this file implements the three patterns that
// open models use as hand-written scanners over the UTF-8 bytes of the text:
//
//   GPT-2:   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//   Llama 3: (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//   Qwen 2:  the Llama 3 pattern with \p{N} (one digit) instead of \p{N}{1,3}
//
// A regex engine tries the alternatives left to right at each position and takes the first that
// matches; the scanners decide the same thing by looking at one or two scalars and emit byte
// ranges instead of new strings: about 180 MB/s against 1.5 MB/s for Swift's `Regex` (one core,
// release build, 10 MB of mixed text). The `Regex`
// version is kept beside them (PreTokenizer+Regex.swift) as the readable definition, and tests
// hold the two together and against Python's `regex` module. Matching is per Unicode scalar, as
// in Python, tiktoken and Hugging Face `tokenizers` ("e\u{301}" is two scalars, "\r\n" two).
//
// SmolLM2 puts Hugging Face's `Digits` step before GPT-2's pattern (`isolatesDigits`,
// PreTokenizer+Digits.swift). Left out: other patterns (a tokenizer.json with an unknown Split
// pattern is rejected by the loader with a message) and Unicode normalization (Normalizer.swift,
// applied by the tokenizer before the pre-tokenizer).

/// Splits text into the pieces that byte-level BPE encodes independently.
///
///     PreTokenizer(.gpt2).pieces(of: "Hello world's  2024!!")
///     // ["Hello", " world", "'s", " ", " 2024", "!!"]
public struct PreTokenizer: Sendable, Hashable {
    /// The pre-tokenizer patterns the kit implements.
    public enum Pattern: String, Sendable, CaseIterable {
        /// GPT-2 (also GPT-J, GPT-NeoX style byte-level BPE, and CS336's assignment).
        case gpt2
        /// Llama 3 (tiktoken's `cl100k_base` shape): digits in groups of up to three,
        /// case-insensitive contractions, one non-letter glued before a word.
        case llama3
        /// Qwen 2 / Qwen 2.5: the Llama 3 pattern with every digit its own piece.
        case qwen2

        /// The pattern's regular expression, in the syntax of Python's `regex` module (and of
        /// Hugging Face `tokenizer.json` files).
        public var regex: String {
            switch self {
            case .gpt2:
                return #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
            case .llama3:
                return #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
            case .qwen2:
                return #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
            }
        }

        /// The pattern whose regular expression is exactly `regex`, if the kit implements it.
        public init?(regex: String) {
            guard let match = Pattern.allCases.first(where: { $0.regex == regex }) else { return nil }
            self = match
        }
    }

    /// Which pattern this pre-tokenizer implements.
    public let pattern: Pattern
    /// Hugging Face's `Digits(individual_digits: true)` before the pattern (SmolLM2): every number
    /// scalar is a piece of its own, and the pattern cuts the text between them
    /// (PreTokenizer+Digits.swift). Default false.
    public let isolatesDigits: Bool

    public init(_ pattern: Pattern = .gpt2, isolatingDigits: Bool = false) {
        self.pattern = pattern
        self.isolatesDigits = isolatingDigits
    }

    /// The pieces of `text`, as strings (convenient for lessons and tests; encoders use ranges).
    public func pieces(of text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var pieces: [String] = []
            forEachPiece(inUTF8: bytes) { range in
                pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
            }
            return pieces
        }
    }

    /// The byte ranges of the pieces of `text`'s UTF-8 encoding, in order, covering all of it.
    public func pieceRanges(of text: String) -> [Range<Int>] {
        var text = text
        return text.withUTF8 { bytes in
            var ranges: [Range<Int>] = []
            forEachPiece(inUTF8: bytes) { ranges.append($0) }
            return ranges
        }
    }

    /// Calls `body` with the byte range of each piece of `bytes`, in order. The ranges are
    /// contiguous and cover every byte, so concatenating the pieces gives back the text.
    ///
    /// - Precondition: `bytes` is valid UTF-8 (any `String`'s bytes are; validate raw input first,
    ///   as the tokenizer's encoders do).
    public func forEachPiece(inUTF8 bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        if isolatesDigits {
            forEachStretchBetweenDigits(inUTF8: bytes, body)
        } else {
            scanPattern(bytes, body)
        }
    }

    /// The pieces of `bytes` under `pattern` alone.
    func scanPattern(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        ScalarClass.basicPlane.withUnsafeBufferPointer { table in
            switch pattern {
            case .gpt2:
                scanGPT2(base, bytes.count, table.baseAddress!, body)
            case .llama3:
                scanLlama3(base, bytes.count, table.baseAddress!, maximumDigits: 3, body)
            case .qwen2:
                scanLlama3(base, bytes.count, table.baseAddress!, maximumDigits: 1, body)
            }
        }
    }
}

// MARK: - The scanners

private let apostrophe: UInt8 = 0x27, space: UInt8 = 0x20, carriageReturn: UInt8 = 0x0D, lineFeed: UInt8 = 0x0A

/// The end of the run of scalars of class `kind` starting at `i` (which must be of that class).
@inline(__always)
private func endOfRun(_ p: UnsafePointer<UInt8>, _ n: Int, from i: Int, of kind: UInt8,
                      _ table: UnsafePointer<UInt8>) -> Int {
    var j = i
    while j < n {
        let (k, length) = classifyScalar(p, at: j, basicPlane: table)
        if k != kind { break }
        j &+= length
    }
    return j
}

/// A run of whitespace starting at `i`: its end, the start of its last scalar, and the end of
/// its last line break (`i` when it has none).
@inline(__always)
private func whitespaceRun(_ p: UnsafePointer<UInt8>, _ n: Int, from i: Int,
                           _ table: UnsafePointer<UInt8>) -> (end: Int, lastStart: Int, lineBreakEnd: Int) {
    var j = i, lastStart = i, lineBreakEnd = i
    while j < n {
        let (k, length) = classifyScalar(p, at: j, basicPlane: table)
        if k == ScalarClass.lineBreak {
            lineBreakEnd = j &+ 1
        } else if k != ScalarClass.whitespace {
            break
        }
        lastStart = j
        j &+= length
    }
    return (j, lastStart, lineBreakEnd)
}

/// `\s+(?!\S)|\s+` on a whitespace run: the whole run at the end of the text, otherwise all but its
/// last scalar (which then leads the next piece, e.g. the space of " world"), and a run of one
/// scalar followed by a non-space is taken whole by the plain `\s+`.
@inline(__always)
private func whitespacePieceEnd(_ run: (end: Int, lastStart: Int, lineBreakEnd: Int), start: Int, count n: Int) -> Int {
    (run.end == n || run.lastStart == start) ? run.end : run.lastStart
}

/// GPT-2's pattern.
private func scanGPT2(_ p: UnsafePointer<UInt8>, _ n: Int, _ table: UnsafePointer<UInt8>,
                      _ body: (Range<Int>) -> Void) {
    var i = 0
    while i < n {
        let start = i
        // 's 't 're 've 'm 'll 'd (lowercase ASCII only).
        if p[i] == apostrophe, i &+ 1 < n {
            let c1 = p[i &+ 1]
            if c1 == 0x73 || c1 == 0x74 || c1 == 0x6D || c1 == 0x64 {  // s t m d
                body(i..<(i &+ 2)); i &+= 2; continue
            }
            if i &+ 2 < n {
                let c2 = p[i &+ 2]
                if (c2 == 0x65 && (c1 == 0x72 || c1 == 0x76)) || (c1 == 0x6C && c2 == 0x6C) {  // re ve ll
                    body(i..<(i &+ 3)); i &+= 3; continue
                }
            }
        }
        var kind = classifyScalar(p, at: i, basicPlane: table).0
        var runStart = i
        // ` ?X+`: a single ASCII space glues onto a following letter, number or symbol run.
        if p[i] == space, i &+ 1 < n {
            let next = classifyScalar(p, at: i &+ 1, basicPlane: table).0
            if next != ScalarClass.whitespace && next != ScalarClass.lineBreak {
                kind = next
                runStart = i &+ 1
            }
        }
        if kind == ScalarClass.whitespace || kind == ScalarClass.lineBreak {
            i = whitespacePieceEnd(whitespaceRun(p, n, from: i, table), start: start, count: n)
        } else {
            i = endOfRun(p, n, from: runStart, of: kind, table)
        }
        body(start..<i)
    }
}

/// Llama 3's pattern (`maximumDigits` 3) and Qwen 2's (`maximumDigits` 1).
private func scanLlama3(_ p: UnsafePointer<UInt8>, _ n: Int, _ table: UnsafePointer<UInt8>, maximumDigits: Int,
                        _ body: (Range<Int>) -> Void) {
    var i = 0
    while i < n {
        let start = i
        // (?i:'s|'t|'re|'ve|'m|'ll|'d). `| 0x20` lowercases an ASCII letter (and maps no other
        // byte onto these letters); "ſ" (U+017F, long s) case-folds to "s" and matches too.
        if p[i] == apostrophe, i &+ 1 < n {
            let c1 = p[i &+ 1] | 0x20
            if c1 == 0x73 || c1 == 0x74 || c1 == 0x6D || c1 == 0x64 {  // s t m d
                body(i..<(i &+ 2)); i &+= 2; continue
            }
            if p[i &+ 1] == 0xC5, i &+ 2 < n, p[i &+ 2] == 0xBF {  // ſ
                body(i..<(i &+ 3)); i &+= 3; continue
            }
            if i &+ 2 < n {
                let c2 = p[i &+ 2] | 0x20
                if (c2 == 0x65 && (c1 == 0x72 || c1 == 0x76)) || (c1 == 0x6C && c2 == 0x6C) {  // re ve ll
                    body(i..<(i &+ 3)); i &+= 3; continue
                }
            }
        }
        let (kind, length) = classifyScalar(p, at: i, basicPlane: table)
        if kind == ScalarClass.letter {
            // [^\r\n\p{L}\p{N}]?\p{L}+ with the optional scalar absent.
            i = endOfRun(p, n, from: i, of: ScalarClass.letter, table)
        } else if kind != ScalarClass.lineBreak && kind != ScalarClass.number && i &+ length < n
                    && classifyScalar(p, at: i &+ length, basicPlane: table).0 == ScalarClass.letter {
            // The same with one leading non-letter, non-digit, non-line-break scalar: " word", "(word", "\tword".
            i = endOfRun(p, n, from: i &+ length, of: ScalarClass.letter, table)
        } else if kind == ScalarClass.number {
            // \p{N}{1,3} (or \p{N}): at most `maximumDigits` scalars.
            var digits = 0
            while i < n && digits < maximumDigits {
                let (k, l) = classifyScalar(p, at: i, basicPlane: table)
                if k != ScalarClass.number { break }
                i &+= l
                digits &+= 1
            }
        } else if kind == ScalarClass.other || (p[i] == space && i &+ 1 < n
                    && classifyScalar(p, at: i &+ 1, basicPlane: table).0 == ScalarClass.other) {
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`: symbols, then any line breaks right after them.
            let runStart = kind == ScalarClass.other ? i : i &+ 1
            i = endOfRun(p, n, from: runStart, of: ScalarClass.other, table)
            while i < n && (p[i] == carriageReturn || p[i] == lineFeed) { i &+= 1 }
        } else {
            // Whitespace. `\s*[\r\n]+` ends the piece after the run's last line break; without
            // one, the GPT-2 rule `\s+(?!\S)|\s+` applies.
            let run = whitespaceRun(p, n, from: i, table)
            i = run.lineBreakEnd > start ? run.lineBreakEnd : whitespacePieceEnd(run, start: start, count: n)
        }
        body(start..<i)
    }
}
