// BPE+Streaming: encoding text that arrives in chunks (a large file, lines, a network stream)
// with memory that does not grow with the input, and exactly the ids of encoding it all at once.
//
// The danger is the chunk boundary: "hel" + "lo" must not become two pieces, "<|endof" +
// "text|>" must still be one special token, and a multi-byte character can be cut in half. So
// the encoder holds back the tail of what it has received and encodes only up to a safe cut:
//
//  - before any incomplete UTF-8 character at the end;
//  - before any suffix that could still grow into a special token;
//  - at the start of a pre-tokenizer piece that follows a non-whitespace character, before
//    the last piece; with a normalizer (NFC), only where normalization cannot join the
//    characters on either side (not before a combining accent, say). The scanners keep no state besides their position, and a piece's end
//    depends only on the characters up to its end and the one after it, except whitespace, whose
//    pieces depend on the whole whitespace run ("\n\n " + "\n" regroups under Llama 3); a piece
//    that ends in a non-whitespace character is therefore final once the next character is
//    known, and scanning restarted at the next piece finds exactly the pieces of the whole text.
//
// Everything before the cut is encoded and returned; the held-back tail is normally one piece
// (a few bytes). The piece cache is bounded (PieceCache.swift). Left out: a limit on the tail
// itself: a stretch of megabytes without a single non-whitespace piece boundary (one giant word,
// or only whitespace) is held until it ends, as it must be to be encoded correctly.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Encodes text given in chunks; the ids it returns, concatenated, equal `encode` of the whole text.
///
///     var stream = StreamingEncoder(tokenizer: gpt2)
///     for chunk in chunks { ids += try stream.append(utf8: chunk) }
///     ids += try stream.finish()
public struct StreamingEncoder: Sendable {
    public let tokenizer: BPETokenizer
    /// Received bytes not yet encoded.
    private var pending: [UInt8] = []
    /// `pending[..<validated]` is known to be valid UTF-8 (except a trailing incomplete character).
    private var validated = 0
    /// Bytes encoded and dropped so far, to report absolute offsets.
    private var consumed = 0
    /// Whether the next byte starts a new stretch of ordinary text (start of input, or right after
    /// a special token): that is where `addsPrefixSpace` applies.
    private var atSegmentStart = true
    private var cache = PieceCache()

    public init(tokenizer: BPETokenizer) {
        self.tokenizer = tokenizer
    }

    /// The number of bytes received but not yet encoded (held back at the cut).
    public var heldBackByteCount: Int { pending.count }

    /// Adds a chunk of text and returns the ids that are now final.
    public mutating func append(_ text: String) -> [Int] {
        pending.append(contentsOf: text.utf8)
        validated = pending.count
        return encodeFinalPart()
    }

    /// Adds a chunk of UTF-8 bytes (which may end or start in the middle of a character) and
    /// returns the ids that are now final.
    /// - Throws: `TokenizerError` with the absolute byte offset of invalid UTF-8.
    public mutating func append(utf8 bytes: some Collection<UInt8>) throws -> [Int] {
        pending.append(contentsOf: bytes)
        let end = pending.withUnsafeBufferPointer { startOfIncompleteCharacter($0) }
        if end > validated {
            let bad = pending.withUnsafeBufferPointer { buffer in
                firstInvalidUTF8Offset(UnsafeBufferPointer(rebasing: buffer[validated..<end]))
            }
            if let bad {
                throw TokenizerError("input is not valid UTF-8: invalid byte sequence at byte offset \(consumed + validated + bad)")
            }
            validated = end
        }
        return encodeFinalPart()
    }

    /// Ends the input and returns the ids of everything held back.
    /// - Throws: `TokenizerError` when the input ends inside a UTF-8 character.
    public mutating func finish() throws -> [Int] {
        guard validated == pending.count else {
            throw TokenizerError("input is not valid UTF-8: it ends inside a character at byte offset \(consumed + validated)")
        }
        var output: [Int] = []
        pending.withUnsafeBufferPointer { buffer in
            tokenizer.encode(buffer, recognizingSpecialTokens: true, continuingSegment: !atSegmentStart, cache: &cache, into: &output)
        }
        consumed += pending.count
        pending.removeAll()
        validated = 0
        atSegmentStart = true
        return output
    }

    /// Encodes `pending` up to the safe cut and drops what was encoded.
    private mutating func encodeFinalPart() -> [Int] {
        var output: [Int] = []
        let tokenizer = self.tokenizer
        let (cut, endsWithSpecial) = pending.withUnsafeBufferPointer { buffer in safeCut(buffer[..<validated]) }
        guard cut > 0 else { return output }
        pending.withUnsafeBufferPointer { buffer in
            tokenizer.encode(UnsafeBufferPointer(rebasing: buffer[..<cut]), recognizingSpecialTokens: true,
                             continuingSegment: !atSegmentStart, cache: &cache, into: &output)
        }
        atSegmentStart = endsWithSpecial
        consumed += cut
        pending.removeSubrange(..<cut)
        validated -= cut
        return output
    }

    /// The last safe cut in `bytes` (see the file header), and whether the text before it ends
    /// with a special token.
    private func safeCut(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> (Int, Bool) {
        let buffer = UnsafeBufferPointer(rebasing: bytes)
        let matcher = tokenizer.specialMatcher
        // Complete special tokens are final unless more text could still make a longer one match
        // at the same place ("<|end|>" may yet become "<|end|><|end|>").
        var segmentStart = 0
        var limit = buffer.count
        while let match = matcher.firstMatch(in: buffer, from: segmentStart, to: buffer.count) {
            if matcher.startOfPartialMatch(in: buffer, from: match.range.lowerBound, to: buffer.count) == match.range.lowerBound {
                limit = match.range.lowerBound
                break
            }
            segmentStart = match.range.upperBound
        }
        // Never cut into what may become a special token.
        if limit == buffer.count && !matcher.isEmpty {
            limit = matcher.startOfPartialMatch(in: buffer, from: segmentStart, to: buffer.count)
        }
        // In the ordinary text after it, cut at the start of the last piece boundary that follows
        // a non-whitespace character, before the last piece.
        let segment = UnsafeBufferPointer(rebasing: buffer[segmentStart..<limit])
        var starts: [Int] = []
        tokenizer.preTokenizer.forEachPiece(inUTF8: segment) { starts.append($0.lowerBound) }
        let table = ScalarClass.basicPlane
        for start in starts.dropFirst().reversed() {
            // The scalar before `start`: step back over continuation bytes to its first byte.
            var i = start - 1
            while i > 0 && segment[i] & 0xC0 == 0x80 { i -= 1 }
            let kind = table.withUnsafeBufferPointer { classifyScalar(segment.baseAddress!, at: i, basicPlane: $0.baseAddress!).0 }
            if kind != ScalarClass.whitespace && kind != ScalarClass.lineBreak,
               tokenizer.normalization.map({ normalizes($0, segment, independentlyOf: i, at: start) }) ?? true {
                return (segmentStart + start, false)
            }
        }
        return (segmentStart, segmentStart > 0)
    }

    /// Whether `normalization` treats the text before `start` and the text from `start` on
    /// independently, so that the two halves may be normalized apart: the scalar at `start` is a
    /// starter (canonical combining class 0, which only the scalar just before it could compose
    /// with) and does not compose with that scalar (at `previous`). A combining accent or a Hangul
    /// vowel jamo arriving after the cut would otherwise miss the letter it belongs to.
    private func normalizes(_ normalization: TextNormalization, _ segment: UnsafeBufferPointer<UInt8>,
                            independentlyOf previous: Int, at start: Int) -> Bool {
        var end = start + 1
        while end < segment.count && segment[end] & 0xC0 == 0x80 { end += 1 }
        let before = String(decoding: UnsafeBufferPointer(rebasing: segment[previous..<start]), as: UTF8.self)
        let after = String(decoding: UnsafeBufferPointer(rebasing: segment[start..<end]), as: UTF8.self)
        guard let scalar = after.unicodeScalars.first, scalar.properties.canonicalCombiningClass == .notReordered else {
            return false
        }
        return normalization.apply(before + after) == normalization.apply(before) + normalization.apply(after)
    }
}

extension BPETokenizer {
    /// Encodes a UTF-8 text file of any size chunk by chunk, calling `body` with the ids of each
    /// chunk as they become final; memory stays bounded by the chunk size. The ids, concatenated,
    /// equal `encode` of the whole file. Only a regular file is read (FileReading.swift): a FIFO,
    /// a device or a directory at `url` is an error at once, not a wait or an endless read.
    ///
    /// - Throws: `TokenizerError` when the file cannot be read or is not valid UTF-8 (with the
    ///   byte offset), and whatever `body` throws.
    public func encode(contentsOf url: URL, chunkSize: Int = 1 << 20, _ body: ([Int]) throws -> Void) throws {
        precondition(chunkSize > 0, "encode(contentsOf:chunkSize:): chunkSize must be positive, got \(chunkSize)")
        let descriptor: Int32
        do { descriptor = try openRegularFile(url).descriptor } catch { throw TokenizerError("\(error)") }
        defer { close(descriptor) }
        var stream = StreamingEncoder(tokenizer: self)
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, chunkSize) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TokenizerError("cannot read \(url.path) (\(String(cString: strerror(errno))))")
            }
            if count == 0 { break }
            try body(try appending(chunk[0..<count]))
        }
        try body(try appending(nil))

        /// The stream's next ids (its last ones for `nil`), with errors naming the file.
        func appending(_ chunk: ArraySlice<UInt8>?) throws -> [Int] {
            do {
                return try chunk.map { try stream.append(utf8: $0) } ?? stream.finish()
            } catch let error as TokenizerError {
                throw TokenizerError("\(url.lastPathComponent): \(error.description)")
            }
        }
    }

    /// Encodes a sequence of lines (e.g. from `readLine()`), each followed by "\n", calling `body`
    /// with the ids as they become final. Equal to encoding the lines joined with "\n" plus a
    /// final "\n".
    public func encode(lines: some Sequence<String>, _ body: ([Int]) throws -> Void) rethrows {
        var stream = StreamingEncoder(tokenizer: self)
        for line in lines {
            try body(stream.append(line + "\n"))
        }
        // Lines are valid text, so finishing cannot fail.
        try body((try? stream.finish()) ?? [])
    }
}
