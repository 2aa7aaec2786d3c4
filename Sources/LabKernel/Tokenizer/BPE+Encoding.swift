// BPE+Encoding: text -> token ids.
//
// Three steps: special tokens are split out of the text (SpecialTokens.swift); the text between
// them is normalized if the tokenizer asks for it (Normalizer.swift) and cut into pieces by the
// pre-tokenizer; each piece starts as its UTF-8 bytes and is merged by rank: repeatedly fuse
// the adjacent pair whose merge came earliest in training, until no adjacent pair has a merge. Because merges never cross pieces, each piece's ids depend only on
// the piece, and a cache skips the work for pieces seen before.
//
// `encodePieceNaive` is the textbook loop (GPT-2's encoder.py): find the best pair, rebuild the
// list. `mergePiece` does the same merges in place with a rank per adjacent pair, updating only
// the two neighbours of each merge; that loop is quadratic in the piece length, so pieces longer
// than 128 bytes go to `mergeLongPiece`, a linked list with a heap (O(n log n)). Left out:
// truncation and padding (callers slice the ids).

extension BPETokenizer {
    /// The token ids of `text`, with special tokens recognized.
    ///
    ///     gpt2.encode("Hello world<|endoftext|>")   // [15496, 995, 50256]
    public func encode(_ text: String) -> [Int] {
        encode(text, recognizingSpecialTokens: true)
    }

    /// `encode(text)`, with the tokens of the tokenizer's `sequenceTemplate` around it when
    /// `addingSpecialTokens` (Hugging Face's `add_special_tokens`): the ids a model expects for a
    /// whole input text, e.g. Llama 3's <|begin_of_text|> first.
    public func encode(_ text: String, addingSpecialTokens: Bool) -> [Int] {
        addingSpecialTokens ? sequenceTemplate.before + encode(text) + sequenceTemplate.after : encode(text)
    }

    /// The token ids of `text` with special tokens treated as plain text ("<|endoftext|>" becomes
    /// several ordinary tokens), like tiktoken's `encode_ordinary`.
    public func encodeOrdinary(_ text: String) -> [Int] {
        encode(text, recognizingSpecialTokens: false)
    }

    /// The token ids of raw UTF-8 bytes, with special tokens recognized.
    /// - Throws: `TokenizerError` naming the byte offset when `bytes` is not valid UTF-8.
    public func encode(utf8 bytes: [UInt8]) throws -> [Int] {
        try bytes.withUnsafeBufferPointer { buffer in
            if let offset = firstInvalidUTF8Offset(buffer) {
                throw TokenizerError("input is not valid UTF-8: invalid or truncated sequence at byte offset \(offset)")
            }
            var cache = PieceCache()
            var output: [Int] = []
            encode(buffer, recognizingSpecialTokens: true, cache: &cache, into: &output)
            return output
        }
    }

    private func encode(_ text: String, recognizingSpecialTokens: Bool) -> [Int] {
        var text = text
        return text.withUTF8 { bytes in
            var cache = PieceCache()
            var output: [Int] = []
            output.reserveCapacity(bytes.count / 3)
            encode(bytes, recognizingSpecialTokens: recognizingSpecialTokens, cache: &cache, into: &output)
            return output
        }
    }

    /// Encodes valid UTF-8 `bytes`, appending to `output`. The streaming encoder calls this with
    /// its own long-lived cache, and with `continuingSegment` when the bytes continue text whose
    /// start was already encoded (so no prefix space is added there).
    func encode(_ bytes: UnsafeBufferPointer<UInt8>, recognizingSpecialTokens: Bool, continuingSegment: Bool = false,
                cache: inout PieceCache, into output: inout [Int]) {
        var start = 0
        var continuing = continuingSegment
        if recognizingSpecialTokens && !specialMatcher.isEmpty {
            while let match = specialMatcher.firstMatch(in: bytes, from: start, to: bytes.count) {
                encodeOrdinary(UnsafeBufferPointer(rebasing: bytes[start..<match.range.lowerBound]), continuingSegment: continuing,
                               cache: &cache, into: &output)
                output.append(match.id)
                start = match.range.upperBound
                continuing = false
            }
        }
        encodeOrdinary(UnsafeBufferPointer(rebasing: bytes[start...]), continuingSegment: continuing, cache: &cache, into: &output)
    }

    /// Normalizes (if the tokenizer does), pre-tokenizes and merges text that contains no special tokens.
    func encodeOrdinary(_ bytes: UnsafeBufferPointer<UInt8>, continuingSegment: Bool = false,
                        cache: inout PieceCache, into output: inout [Int]) {
        guard !bytes.isEmpty else { return }
        if let normalized = normalization?.normalizedUTF8(bytes) {
            normalized.withUnsafeBufferPointer { encodeNormalized($0, continuingSegment: continuingSegment, cache: &cache, into: &output) }
        } else {
            encodeNormalized(bytes, continuingSegment: continuingSegment, cache: &cache, into: &output)
        }
    }

    /// Pre-tokenizes and merges normalized text that contains no special tokens.
    private func encodeNormalized(_ bytes: UnsafeBufferPointer<UInt8>, continuingSegment: Bool,
                                  cache: inout PieceCache, into output: inout [Int]) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        if addsPrefixSpace && !continuingSegment && base[0] != 0x20 {
            let spaced = [0x20] + Array(bytes)
            spaced.withUnsafeBufferPointer { encodePieces($0, cache: &cache, into: &output) }
        } else {
            encodePieces(bytes, cache: &cache, into: &output)
        }
    }

    private func encodePieces(_ bytes: UnsafeBufferPointer<UInt8>, cache: inout PieceCache, into output: inout [Int]) {
        let base = bytes.baseAddress!
        var scratch: [Int32] = []
        preTokenizer.forEachPiece(inUTF8: bytes) { range in
            let p = base + range.lowerBound
            let count = range.count
            if count == 1 {
                output.append(Int(byteTokens[Int(p[0])]))
                return
            }
            let hash = PieceCache.hash(p, count)
            if cache.appendCached(p, count, hash: hash, to: &output) { return }
            scratch.removeAll(keepingCapacity: true)
            mergePiece(p, count, into: &scratch)
            for id in scratch { output.append(Int(id)) }
            cache.insert(p, count, hash: hash, ids: scratch[...])
        }
    }

    /// Merges one piece's bytes into token ids, lowest rank first, appending them to `ids`.
    func mergePiece(_ p: UnsafePointer<UInt8>, _ count: Int, into ids: inout [Int32]) {
        if ignoresMerges, let id = ordinaryIDs[Array(UnsafeBufferPointer(start: p, count: count))] {
            ids.append(Int32(id))
            return
        }
        if count > Self.longPiece {
            mergeLongPiece(p, count, into: &ids)
            return
        }
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 * count) { scratch in
            let tokens = scratch.baseAddress!           // the current tokens, n of them
            let ranks = tokens + count                  // ranks[k]: rank of the pair (k, k+1), or Int32.max
            let results = ranks + count                 // results[k]: the id that pair merges into
            var n = count
            for k in 0..<n { tokens[k] = byteTokens[Int(p[k])] }

            @inline(__always) func rate(_ k: Int) {
                if let merge = mergeTable.lookup(tokens[k], tokens[k &+ 1]) {
                    ranks[k] = merge.rank
                    results[k] = merge.merged
                } else {
                    ranks[k] = .max
                }
            }
            for k in 0..<(n - 1) { rate(k) }

            while n > 1 {
                // The earliest merge among adjacent pairs; the leftmost on ties.
                var best = 0
                var bestRank = ranks[0]
                var k = 1
                while k < n &- 1 {
                    if ranks[k] < bestRank { bestRank = ranks[k]; best = k }
                    k &+= 1
                }
                if bestRank == .max { break }
                // Fuse tokens[best] and tokens[best + 1], close the gap, re-rate the two neighbours.
                tokens[best] = results[best]
                var j = best &+ 1
                while j < n &- 1 {
                    tokens[j] = tokens[j &+ 1]
                    ranks[j] = ranks[j &+ 1]
                    results[j] = results[j &+ 1]
                    j &+= 1
                }
                n &-= 1
                if best > 0 { rate(best &- 1) }
                if best < n &- 1 { rate(best) }
            }
            ids.append(contentsOf: UnsafeBufferPointer(start: tokens, count: n))
        }
    }

    /// Pieces longer than this (in bytes) are merged with a heap instead of rescanning.
    static var longPiece: Int { 128 }

    /// `mergePiece` for long pieces (a line of 10,000 dashes, a base64 blob): the same merges in
    /// O(n log n) instead of O(n²). The tokens form a linked list; a min-heap holds every adjacent
    /// pair that has a merge, keyed by (rank, position) so that ties go to the leftmost pair as in
    /// the scanning loop; entries made stale by an earlier merge are skipped when popped.
    func mergeLongPiece(_ p: UnsafePointer<UInt8>, _ count: Int, into ids: inout [Int32]) {
        struct Candidate {
            var key: UInt64  // rank << 32 | left position: smaller pops first
            var left: Int32, right: Int32, leftToken: Int32, rightToken: Int32, merged: Int32
        }
        var tokens = (0..<count).map { byteTokens[Int(p[$0])] }
        var next = (0..<count).map { Int32($0 + 1) }  // `count` marks the end
        var previous = (0..<count).map { Int32($0 - 1) }
        var alive = [Bool](repeating: true, count: count)
        var heap: [Candidate] = []

        func push(_ left: Int32) {
            let right = next[Int(left)]
            guard Int(right) < count, let merge = mergeTable.lookup(tokens[Int(left)], tokens[Int(right)]) else { return }
            heap.append(Candidate(key: UInt64(UInt32(merge.rank)) << 32 | UInt64(UInt32(left)), left: left, right: right,
                                  leftToken: tokens[Int(left)], rightToken: tokens[Int(right)], merged: merge.merged))
            var i = heap.count - 1
            while i > 0, heap[i].key < heap[(i - 1) / 2].key {
                heap.swapAt(i, (i - 1) / 2)
                i = (i - 1) / 2
            }
        }
        func pop() -> Candidate {
            let top = heap[0]
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < heap.count && heap[l].key < heap[smallest].key { smallest = l }
                if r < heap.count && heap[r].key < heap[smallest].key { smallest = r }
                if smallest == i { break }
                heap.swapAt(i, smallest)
                i = smallest
            }
            return top
        }

        for k in 0..<(count - 1) { push(Int32(k)) }
        while !heap.isEmpty {
            let c = pop()
            let left = Int(c.left), right = Int(c.right)
            // Stale: one side was merged away or changed since this entry was pushed.
            guard alive[left], next[left] == c.right, tokens[left] == c.leftToken, tokens[right] == c.rightToken else { continue }
            tokens[left] = c.merged
            alive[right] = false
            next[left] = next[right]
            if Int(next[right]) < count { previous[Int(next[right])] = c.left }
            if previous[left] >= 0 { push(previous[left]) }
            push(c.left)
        }
        var k = 0
        while k < count {
            ids.append(tokens[k])
            k = Int(next[k])
        }
    }

    /// The naive twin of `mergePiece`, as in GPT-2's original encoder: find the adjacent pair with
    /// the earliest merge, fuse every occurrence of it in one pass, repeat.
    public func encodePieceNaive(_ bytes: [UInt8]) -> [Int] {
        if ignoresMerges, let id = ordinaryIDs[bytes] { return [id] }
        var parts = bytes.map { Int(byteTokens[Int($0)]) }
        while parts.count > 1 {
            var best: (rank: Int32, pair: TokenPair, merged: Int)? = nil
            for k in 0..<(parts.count - 1) {
                if let merge = mergeTable.lookup(Int32(parts[k]), Int32(parts[k + 1])),
                   merge.rank < best?.rank ?? .max {
                    best = (merge.rank, TokenPair(parts[k], parts[k + 1]), Int(merge.merged))
                }
            }
            guard let best else { break }
            var merged: [Int] = []
            var k = 0
            while k < parts.count {
                if k + 1 < parts.count && parts[k] == best.pair.first && parts[k + 1] == best.pair.second {
                    merged.append(best.merged)
                    k += 2
                } else {
                    merged.append(parts[k])
                    k += 1
                }
            }
            parts = merged
        }
        return parts
    }
}

/// The offset of the first byte that does not start a complete, valid UTF-8 sequence, or nil when
/// all of `bytes` is valid UTF-8 (overlong forms, surrogates and values above U+10FFFF are invalid).
func firstInvalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = 0
    let n = bytes.count
    while i < n {
        let length = validUTF8SequenceLength(bytes, at: i)
        if length == 0 { return i }
        i += length
    }
    return nil
}

/// The length of the valid UTF-8 sequence starting at `i` (1…4), or 0 when it is invalid or cut
/// off by the end of `bytes`.
@inline(__always)
func validUTF8SequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
    let n = bytes.count
    let b0 = bytes[i]
    if b0 < 0x80 { return 1 }
    func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
        i + k < n && bytes[i + k] >= low && bytes[i + k] <= high
    }
    switch b0 {
    case 0xC2...0xDF:
        return continuation(1) ? 2 : 0
    case 0xE0:
        return continuation(1, 0xA0) && continuation(2) ? 3 : 0
    case 0xE1...0xEC, 0xEE...0xEF:
        return continuation(1) && continuation(2) ? 3 : 0
    case 0xED:
        return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
    case 0xF0:
        return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
    case 0xF1...0xF3:
        return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
    case 0xF4:
        return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
    default:
        return 0
    }
}
