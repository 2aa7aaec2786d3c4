// BPE+Training: learning merges from text.
//
// Byte-pair encoding starts with the 256 single bytes as its vocabulary and repeatedly adds the
// most frequent pair of adjacent tokens as a new token, until the vocabulary has the requested
// size. Following GPT-2 (and Stanford CS336's reference, which the tests match merge for merge):
//
//  - special tokens are cut out of the text first: they are hard boundaries, contribute no
//    counts, are never merged, and get their own ids after the merged tokens;
//  - the rest is pre-tokenized, and pairs are never counted across piece boundaries;
//  - identical pieces are counted once with a multiplicity (`PreTokenCounts`), so the work
//    depends on the number of distinct words, not on the length of the text;
//  - ties between equally frequent pairs go to the lexicographically greater pair of byte
//    strings: compare the first tokens' bytes, then the second tokens' bytes.
//
// Counting all pairs again after every merge (the naive twin, BPE+TrainingNaive.swift) costs a
// pass over every word per merge. Here the pair counts are kept up to date instead: an index
// lists which words contain each pair, so a merge touches only the words that contain the merged
// pair, and a max-heap (with stale entries skipped when popped) finds the next best pair.
// Left out: multi-threaded counting of huge corpora (count chunks into several `PreTokenCounts`
// and combine them with `add(_:)`), and saving a run to resume it.

/// How far training has got; passed to the progress callback after every merge.
public struct BPETrainingProgress: Sendable {
    /// Merges learned so far, and the number training aims for.
    public let mergesDone: Int
    public let mergesTotal: Int
    /// The merge just learned and how often the pair occurred.
    public let merge: TokenPair
    public let count: Int
}

/// The distinct pre-tokens of a text with how often each occurs: the input of BPE training.
///
///     var counts = PreTokenCounts(specialTokens: ["<|endoftext|>"])
///     for chunk in chunks { counts.add(chunk) }      // any number of texts, one at a time
///     let tokenizer = try BPETokenizer.train(counts: counts, vocabularySize: 1000)
public struct PreTokenCounts: Sendable {
    public let preTokenizer: PreTokenizer
    /// Special tokens: cut out of every text before counting, never counted.
    public let specialTokens: [String]
    /// Each distinct piece's bytes and its number of occurrences.
    public private(set) var counts: [[UInt8]: Int] = [:]
    private let specialMatcher: SpecialTokenMatcher

    public init(preTokenizer: PreTokenizer = PreTokenizer(.gpt2), specialTokens: [String] = []) {
        self.preTokenizer = preTokenizer
        self.specialTokens = specialTokens
        var ids: [String: Int] = [:]
        for (i, text) in specialTokens.enumerated() { ids[text] = i }
        specialMatcher = SpecialTokenMatcher(ids)
    }

    /// Counts the pieces of `text` (special tokens are cut out first).
    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            while let match = specialMatcher.firstMatch(in: bytes, from: start, to: bytes.count) {
                addOrdinary(UnsafeBufferPointer(rebasing: bytes[start..<match.range.lowerBound]))
                start = match.range.upperBound
            }
            addOrdinary(UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    /// Adds the counts of another `PreTokenCounts` (e.g. one counted on another thread).
    public mutating func add(_ other: PreTokenCounts) {
        precondition(other.preTokenizer == preTokenizer && other.specialTokens == specialTokens,
                     "PreTokenCounts.add: both counts must use the same pre-tokenizer and special tokens")
        counts.merge(other.counts, uniquingKeysWith: +)
    }

    private mutating func addOrdinary(_ bytes: UnsafeBufferPointer<UInt8>) {
        preTokenizer.forEachPiece(inUTF8: bytes) { range in
            counts[Array(UnsafeBufferPointer(rebasing: bytes[range])), default: 0] += 1
        }
    }
}

extension BPETokenizer {
    /// Trains a byte-level BPE tokenizer on `text`.
    ///
    /// The vocabulary holds the 256 bytes (ids 0…255, id = byte value), then one token per merge
    /// in the order learned, then the special tokens in the order given. It has exactly
    /// `vocabularySize` tokens unless the text runs out of pairs to merge first.
    ///
    /// - Parameters:
    ///   - vocabularySize: V, counting bytes, merges and special tokens; at least 256 + specials.
    ///   - progress: called after every merge (cheap; throttle any printing yourself).
    /// - Throws: `TokenizerError` when `vocabularySize` is too small or a special token is empty
    ///   or repeated.
    public static func train(text: String, vocabularySize: Int, specialTokens: [String] = [],
                             preTokenizer: PreTokenizer = PreTokenizer(.gpt2),
                             progress: ((BPETrainingProgress) -> Void)? = nil) throws -> BPETokenizer {
        try checkTrainingRequest(vocabularySize: vocabularySize, specialTokens: specialTokens)
        var counts = PreTokenCounts(preTokenizer: preTokenizer, specialTokens: specialTokens)
        counts.add(text)
        return try train(counts: counts, vocabularySize: vocabularySize, progress: progress)
    }

    /// Trains on pre-counted pieces (see `PreTokenCounts`); the special tokens and pre-tokenizer
    /// are those of `counts`.
    public static func train(counts: PreTokenCounts, vocabularySize: Int,
                             progress: ((BPETrainingProgress) -> Void)? = nil) throws -> BPETokenizer {
        try checkTrainingRequest(vocabularySize: vocabularySize, specialTokens: counts.specialTokens)
        let mergesWanted = vocabularySize - 256 - counts.specialTokens.count
        var state = TrainingState(counts: counts)
        var merges: [TokenPair] = []
        while merges.count < mergesWanted, let (pair, count) = state.popBestPair() {
            state.merge(pair)
            merges.append(TokenPair(Int(pair.first), Int(pair.second)))
            progress?(BPETrainingProgress(mergesDone: merges.count, mergesTotal: mergesWanted,
                                          merge: merges[merges.count - 1], count: count))
        }
        return try assembleTrainedTokenizer(tokens: state.tokens, merges: merges, specialTokens: counts.specialTokens,
                                            preTokenizer: counts.preTokenizer)
    }

    static func checkTrainingRequest(vocabularySize: Int, specialTokens: [String]) throws {
        if let empty = specialTokens.firstIndex(of: "") {
            throw TokenizerError("special token \(empty) is the empty string")
        }
        if Set(specialTokens).count != specialTokens.count {
            throw TokenizerError("special tokens must be distinct, got \(specialTokens)")
        }
        guard vocabularySize >= 256 + specialTokens.count else {
            throw TokenizerError("vocabularySize \(vocabularySize) is too small: the vocabulary needs the 256 bytes plus "
                + "\(specialTokens.count) special token(s), so at least \(256 + specialTokens.count)")
        }
    }

    /// The trained tokenizer: bytes, merged tokens, then special tokens.
    static func assembleTrainedTokenizer(tokens: [[UInt8]], merges: [TokenPair], specialTokens: [String],
                                         preTokenizer: PreTokenizer) throws -> BPETokenizer {
        var all = tokens
        var specialIDs: [String: Int] = [:]
        for text in specialTokens {
            specialIDs[text] = all.count
            all.append(Array(text.utf8))
        }
        return try BPETokenizer(tokens: all, merges: merges, specialTokens: specialIDs, preTokenizer: preTokenizer)
    }
}

// MARK: - Incremental pair counting

/// The words being merged, the live pair counts, the word index and the heap.
private struct TrainingState {
    struct Pair: Hashable {
        var first: Int32
        var second: Int32
    }

    /// Every token's bytes, by id (bytes first, then merged tokens as they are created).
    var tokens: [[UInt8]] = (0..<256).map { [UInt8($0)] }
    /// Each distinct piece as its current tokens, and its multiplicity.
    var words: [[Int32]] = []
    var wordCounts: [Int] = []
    /// Occurrences of each adjacent pair, over all words and multiplicities (only pairs with count > 0).
    var pairCounts: [Pair: Int] = [:]
    /// Which words contain each pair (may list a word twice, or list it after the pair has left
    /// it; both are skipped when the list is used).
    var pairWords: [Pair: [Int32]] = [:]
    /// Candidate (count, pair) entries, best on top; an entry whose count no longer matches
    /// `pairCounts` is stale and skipped.
    var heap: [(count: Int, pair: Pair)] = []
    /// The merge step that last visited each word, to visit each word once per merge.
    var visited: [Int] = []
    var step = 0

    init(counts: PreTokenCounts) {
        // Sorted so the state (and any tie between equal counts) never depends on hashing order.
        for (bytes, count) in counts.counts.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let w = Int32(words.count)
            let word = bytes.map { Int32($0) }
            words.append(word)
            wordCounts.append(count)
            for k in 0..<max(0, word.count - 1) {
                let pair = Pair(first: word[k], second: word[k + 1])
                pairCounts[pair, default: 0] += count
                pairWords[pair, default: []].append(w)
            }
        }
        visited = [Int](repeating: -1, count: words.count)
        for (pair, count) in pairCounts { push(count, pair) }
    }

    /// Whether entry a should come out of the heap before entry b: higher count, then the greater
    /// first token bytes, then the greater second token bytes.
    func outranks(_ a: (count: Int, pair: Pair), _ b: (count: Int, pair: Pair)) -> Bool {
        if a.count != b.count { return a.count > b.count }
        let a1 = tokens[Int(a.pair.first)], b1 = tokens[Int(b.pair.first)]
        if a1 != b1 { return b1.lexicographicallyPrecedes(a1) }
        return tokens[Int(b.pair.second)].lexicographicallyPrecedes(tokens[Int(a.pair.second)])
    }

    mutating func push(_ count: Int, _ pair: Pair) {
        heap.append((count, pair))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if !outranks(heap[i], heap[parent]) { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func popTop() -> (count: Int, pair: Pair)? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let left = 2 * i + 1, right = left + 1
                var best = i
                if left < heap.count && outranks(heap[left], heap[best]) { best = left }
                if right < heap.count && outranks(heap[right], heap[best]) { best = right }
                if best == i { break }
                heap.swapAt(i, best)
                i = best
            }
        }
        return top
    }

    /// The most frequent pair and its count, or nil when no pair is left.
    mutating func popBestPair() -> (Pair, Int)? {
        while let entry = popTop() {
            if pairCounts[entry.pair] == entry.count { return (entry.pair, entry.count) }
        }
        return nil
    }

    /// Adds the merged token and rewrites every word containing `pair`, updating the counts of
    /// the pairs that disappear and appear.
    mutating func merge(_ pair: Pair) {
        let merged = Int32(tokens.count)
        tokens.append(tokens[Int(pair.first)] + tokens[Int(pair.second)])
        step += 1
        var changed = Set<Pair>()
        for w in pairWords.removeValue(forKey: pair) ?? [] where visited[Int(w)] != step {
            visited[Int(w)] = step
            let old = words[Int(w)]
            // Left to right, non-overlapping: "a a a" with (a, a) becomes "aa a". Only the pairs
            // that touch a merge change; they are listed by their index in the old and new word
            // (every other pair of the old word is still there, unchanged, in the new one).
            var new: [Int32] = []
            new.reserveCapacity(old.count)
            var oldTouched: [Int] = [], mergedAt: [Int] = []
            var k = 0
            while k < old.count {
                if k + 1 < old.count && old[k] == pair.first && old[k + 1] == pair.second {
                    for i in (k - 1)...(k + 1) where i >= 0 && i < old.count - 1 && oldTouched.last.map({ $0 < i }) ?? true {
                        oldTouched.append(i)
                    }
                    mergedAt.append(new.count)
                    new.append(merged)
                    k += 2
                } else {
                    new.append(old[k])
                    k += 1
                }
            }
            if mergedAt.isEmpty { continue }  // a stale index entry: the pair has left this word
            var newTouched: [Int] = []
            for j in mergedAt {
                for i in (j - 1)...j where i >= 0 && i < new.count - 1 && newTouched.last.map({ $0 < i }) ?? true {
                    newTouched.append(i)
                }
            }
            let count = wordCounts[Int(w)]
            for i in oldTouched {
                let p = Pair(first: old[i], second: old[i + 1])
                let remaining = pairCounts[p]! - count
                pairCounts[p] = remaining > 0 ? remaining : nil
                changed.insert(p)
            }
            for i in newTouched {
                let p = Pair(first: new[i], second: new[i + 1])
                pairCounts[p, default: 0] += count
                changed.insert(p)
                pairWords[p, default: []].append(w)  // every new pair contains the merged token
            }
            words[Int(w)] = new
        }
        for p in changed {
            if let count = pairCounts[p] { push(count, p) } else { pairWords[p] = nil }
        }
    }
}
