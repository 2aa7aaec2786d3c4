// ByteLevelEncoding: GPT-2's trick for writing arbitrary bytes as printable characters.
//
// Byte-level tokens are byte strings, but vocab.json, merges.txt and tokenizer.json store tokens
// as text, and merges.txt separates the two halves of a merge with a space. So GPT-2 maps each of
// the 256 byte values to a visible Unicode character: the 188 bytes that are already printable
// and not space ('!'…'~', '¡'…'¬', '®'…'ÿ') stand for themselves, and the other 68 (control
// characters, space, DEL, NBSP, soft hyphen, …) are assigned U+0100, U+0101, … in byte order.
// That is why a GPT-2 token for " the" is written "Ġthe": space is byte 32, the 33rd byte that
// needs a stand-in, U+0100 + 32 = U+0120 "Ġ". Every model with a ByteLevel pre-tokenizer
// (GPT-2, Llama 3, Qwen 2, SmolLM) uses this same table. Left out: nothing; the map is fixed.

/// GPT-2's reversible map between the 256 byte values and printable characters.
public enum ByteLevelEncoding {
    /// The character that stands for each byte value.
    public static let scalarForByte: [Unicode.Scalar] = {
        var scalars = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 0x100
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                scalars[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                scalars[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return scalars
    }()

    /// The inverse of `scalarForByte`, indexed by scalar value (all of them are below U+0144).
    private static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() { table[Int(scalar.value)] = Int16(byte) }
        return table
    }()

    /// The printable form of a token's bytes: `[0x20, 0x74, 0x68, 0x65]` -> "Ġthe".
    public static func encode(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(scalarForByte[Int(byte)]) }
        return String(scalars)
    }

    /// The bytes of a token written in printable form, or nil when `text` contains a character
    /// that is not in the map (such text was not written by a byte-level tokenizer).
    public static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard Int(scalar.value) < byteForScalar.count, byteForScalar[Int(scalar.value)] >= 0 else { return nil }
            bytes.append(UInt8(byteForScalar[Int(scalar.value)]))
        }
        return bytes
    }

    /// The first character of `text` that is not in the map, for error messages.
    static func firstForeignScalar(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { Int($0.value) >= byteForScalar.count || byteForScalar[Int($0.value)] < 0 }
    }
}

extension Unicode.Scalar {
    /// "U+0120" style name, for messages.
    var codePointDescription: String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
