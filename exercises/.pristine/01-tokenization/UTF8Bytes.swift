// Exercise 01.1 (tokenization.utf8-bytes): write text as UTF-8 bytes by hand, the encoding every
// byte-level tokenizer starts from. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter UTF8BytesTests

import LabExercise

/// The UTF-8 bytes of `text`, computed from its Unicode scalars.
///
/// Every Unicode scalar has a number, its code point (`scalar.value`, a `UInt32` from 0 to
/// 0x10FFFF). UTF-8 writes a code point in 1 to 4 bytes, depending on how many bits it needs:
///
///     code point          bytes  bit pattern (x = the code point's bits, high bits first)
///     0x0000 ... 0x007F   1      0xxxxxxx
///     0x0080 ... 0x07FF   2      110xxxxx 10xxxxxx
///     0x0800 ... 0xFFFF   3      1110xxxx 10xxxxxx 10xxxxxx
///     0x10000 ... 0x10FFFF 4     11110xxx 10xxxxxx 10xxxxxx 10xxxxxx
///
/// The last byte holds the lowest 6 bits, the byte before it the next 6, and so on; the first
/// byte holds what is left. `value >> 6` shifts bits away, `value & 0x3F` keeps the lowest 6,
/// and `0x80 | bits` sets the leading 10 of a continuation byte.
///
/// - Parameter text: any text.
/// - Returns: its bytes, scalar after scalar; `[]` for `""`.
///
///     utf8Bytes(of: "a")     // [0x61]
///     utf8Bytes(of: "é")     // [0xC3, 0xA9]              U+00E9
///     utf8Bytes(of: "€")     // [0xE2, 0x82, 0xAC]        U+20AC
///     utf8Bytes(of: "🙂")    // [0xF0, 0x9F, 0x99, 0x82]  U+1F642
///
/// Walk `text.unicodeScalars`. Do not use `text.utf8`, `UTF8.encode` or `Data(text.utf8)`:
/// they are the answer (the tests use them to check yours).
public func utf8Bytes(of text: String) -> [UInt8] {
    // TODO: for each scalar, append 1, 2, 3 or 4 bytes depending on scalar.value.
    return todo([])
}
