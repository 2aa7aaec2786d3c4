// ScalarClass: the four kinds of character that the pre-tokenizer patterns care about.
//
// GPT-2's and Llama-3's pre-tokenizer patterns only ever ask three questions about a Unicode
// scalar: is it a letter (`\p{L}`), a number (`\p{N}`), whitespace (`\s`)? Llama 3 adds a fourth:
// is it a line break (`\r` or `\n`)? This file answers them fast: ASCII from a 128-entry table,
// the rest of the Basic Multilingual Plane from a 64 K table built once on first use, and the
// rare scalars above U+FFFF straight from the standard library's Unicode properties.
//
// Semantics follow Python's `regex` module, tiktoken and Hugging Face `tokenizers`: `\p{L}` is the
// general category L (Lu, Ll, Lt, Lm, Lo), `\p{N}` is N (Nd, Nl, No), and `\s` is the Unicode
// White_Space property (so U+001C–U+001F, which Python's `str.isspace` accepts, are *not*
// whitespace, and U+0085, U+00A0, U+3000 are). Left out: the Unicode version itself, which is the
// standard library's; scalars assigned after it count as "other" until the toolchain knows them.

/// What a pre-tokenizer pattern sees in one Unicode scalar.
enum ScalarClass {
    static let other: UInt8 = 0
    static let letter: UInt8 = 1
    static let number: UInt8 = 2
    static let whitespace: UInt8 = 3
    /// `\r` or `\n`: whitespace that Llama 3's pattern treats specially.
    static let lineBreak: UInt8 = 4

    /// The class of any scalar, from the standard library's Unicode data (the slow path).
    static func compute(_ value: UInt32) -> UInt8 {
        if value == 0x0A || value == 0x0D { return lineBreak }
        guard let scalar = Unicode.Scalar(value) else { return other }
        let properties = scalar.properties
        if properties.isWhitespace { return whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return number
        default:
            return other
        }
    }

    /// The classes of U+0000…U+FFFF, one byte each, computed once (about 5 ms) on first use.
    static let basicPlane: [UInt8] = (0..<0x1_0000).map { value in
        // Surrogate code points are not scalars; valid UTF-8 never contains them.
        (0xD800...0xDFFF).contains(value) ? other : compute(UInt32(value))
    }
}

/// Decodes the scalar starting at `bytes[i]` of valid UTF-8 and classifies it.
/// Returns the class and the scalar's length in bytes (1…4).
///
/// The caller guarantees valid UTF-8 (every `String` is; raw bytes are validated on entry to the
/// tokenizer), so continuation bytes are not re-checked here: this is the scanner's inner loop.
@inline(__always)
func classifyScalar(_ bytes: UnsafePointer<UInt8>, at i: Int, basicPlane: UnsafePointer<UInt8>) -> (UInt8, Int) {
    let b0 = UInt32(bytes[i])
    if b0 < 0x80 { return (basicPlane[Int(b0)], 1) }
    if b0 < 0xE0 {
        let value = (b0 & 0x1F) << 6 | UInt32(bytes[i &+ 1] & 0x3F)
        return (basicPlane[Int(value)], 2)
    }
    if b0 < 0xF0 {
        let value = (b0 & 0x0F) << 12 | UInt32(bytes[i &+ 1] & 0x3F) << 6 | UInt32(bytes[i &+ 2] & 0x3F)
        return (basicPlane[Int(value)], 3)
    }
    let value = (b0 & 0x07) << 18 | UInt32(bytes[i &+ 1] & 0x3F) << 12
        | UInt32(bytes[i &+ 2] & 0x3F) << 6 | UInt32(bytes[i &+ 3] & 0x3F)
    return (ScalarClass.compute(value), 4)
}
