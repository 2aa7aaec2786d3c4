// SpecialTokens: finding "<|endoftext|>" and friends in text before anything else happens.
//
// Special tokens are matched on the raw text first; the ordinary text between them is then
// pre-tokenized and merged on its own, so a special token is a hard boundary that no piece or
// merge ever crosses. When two special tokens could match at the same place (one a prefix of
// another, e.g. "<|endoftext|>" and "<|endoftext|><|endoftext|>"), the longest wins, as in
// Hugging Face's added tokens; scanning goes left to right, so the leftmost match comes first.
// Left out: Hugging Face's per-token `lstrip`/`rstrip`/`single_word` options (see
// Formats/TokenizerJSON.swift) and tiktoken's "disallowed special" error mode; callers that want a
// special token's text encoded as plain text use `encodeOrdinary`.

/// Locates special tokens in UTF-8 text: leftmost first, longest on ties.
struct SpecialTokenMatcher: Sendable {
    /// (bytes, id) of each special token, longest first.
    private let candidates: [(bytes: [UInt8], id: Int)]
    /// For each possible first byte, whether some special token starts with it.
    private let startsWith: [Bool]
    /// The ids of all special tokens.
    let ids: Set<Int>
    /// The length in bytes of the longest special token (0 when there are none).
    let longest: Int

    init(_ specialTokens: [String: Int]) {
        candidates = specialTokens.map { (Array($0.key.utf8), $0.value) }
            .sorted { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.bytes.lexicographicallyPrecedes($1.bytes) }
        var startsWith = [Bool](repeating: false, count: 256)
        for candidate in candidates where !candidate.bytes.isEmpty { startsWith[Int(candidate.bytes[0])] = true }
        self.startsWith = startsWith
        ids = Set(specialTokens.values)
        longest = candidates.first?.bytes.count ?? 0
    }

    var isEmpty: Bool { candidates.isEmpty }

    /// The first special token at or after `start` in `bytes[..<end]`: its byte range and id.
    func firstMatch(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (range: Range<Int>, id: Int)? {
        guard !candidates.isEmpty, let base = bytes.baseAddress else { return nil }
        var i = start
        while i < end {
            if startsWith[Int(base[i])] {
                for candidate in candidates where candidate.bytes.count <= end - i {
                    let matches = candidate.bytes.withUnsafeBufferPointer { c in
                        memoryEqual(base + i, c.baseAddress!, c.count)
                    }
                    if matches { return (i..<(i + candidate.bytes.count), candidate.id) }
                }
            }
            i += 1
        }
        return nil
    }

    /// The start of the longest suffix of `bytes[..<end]` (starting at or after `start`) that is a
    /// proper prefix of some special token, or `end` when there is none. A stream must not cut
    /// there: the rest of the special token may arrive with the next chunk.
    func startOfPartialMatch(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        guard let base = bytes.baseAddress else { return end }
        var i = max(start, end - longest + 1)
        while i < end {
            if startsWith[Int(base[i])] {
                for candidate in candidates where candidate.bytes.count > end - i {
                    let matches = candidate.bytes.withUnsafeBufferPointer { c in
                        memoryEqual(base + i, c.baseAddress!, end - i)
                    }
                    if matches { return i }
                }
            }
            i += 1
        }
        return end
    }
}

@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var k = 0
    while k < count {
        if a[k] != b[k] { return false }
        k &+= 1
    }
    return true
}
