// Normalizer: making text that looks the same also encode the same, before pre-tokenization.
//
// Unicode can spell "é" as one scalar (U+00E9) or as "e" plus a combining acute accent
// (U+0065 U+0301), and "Å" even three ways (U+00C5, A + U+030A, and the Angstrom sign U+212B).
// The bytes differ, so a byte-level BPE would give each spelling different tokens, and a model
// trained on one spelling sees the other rarely. Qwen2's tokenizer.json therefore asks for NFC
// (canonical composition): every canonically equivalent spelling becomes the same precomposed
// one before anything else happens, here with Foundation's `precomposedStringWithCanonicalMapping`.
// NFC keeps compatibility characters ("ﬁ", "①", "½", fullwidth "Ａ") as they are; NFKC would
// fold them, and the kit does not implement it.
//
// As in Hugging Face `tokenizers`, normalization applies to the text between special tokens
// (whose own text is matched before, unnormalized). Left out: NFD, NFKC, NFKD, lowercasing,
// stripping and the other normalizers, which a tokenizer.json loader rejects by name.

import Foundation

/// A Unicode normalization applied to text before it is pre-tokenized.
public enum TextNormalization: String, Sendable, Hashable {
    /// Canonical composition (Qwen 2, Qwen 2.5).
    case nfc

    /// `text` normalized.
    ///
    ///     TextNormalization.nfc.apply("cafe\u{301}") == "caf\u{E9}"   // true, and both are 4 scalars after
    public func apply(_ text: String) -> String {
        switch self {
        case .nfc: return text.precomposedStringWithCanonicalMapping
        }
    }

    /// The normalized UTF-8 of valid UTF-8 `bytes`, or nil when normalization leaves them unchanged.
    /// ASCII text is its own NFC, so the common case costs one pass over the bytes.
    func normalizedUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        if bytes.allSatisfy({ $0 < 0x80 }) { return nil }
        let normalized = Array(apply(String(decoding: bytes, as: UTF8.self)).utf8)
        return normalized.elementsEqual(bytes) ? nil : normalized
    }
}
