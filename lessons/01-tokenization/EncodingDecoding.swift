// Cell: encoding text with the learned merges and decoding ids back to text.
//
// The lesson's `naiveEncode` (NaiveBPE.swift) against the kernel's `encode`, the round trip,
// and what happens to a character whose bytes end up in several tokens (`IncrementalDecoder`).

import LabKernel
import LabNotebook

extension TokenizationLesson {
    func encodingAndDecoding(_ tokenizer: BPETokenizer, heldOut: Corpus) {
        let rank = Dictionary(uniqueKeysWithValues: tokenizer.merges.enumerated().map { ($0.element, $0.offset) })
        let word = " together"
        var steps: [[Int]] = [word.utf8.map { Int($0) }]
        _ = naiveEncodePiece(word, rank: rank) { steps.append($0) }
        notebook.prose("""
            To encode new text, cut it into pieces as in training, start each piece from its \
            bytes, and apply the learned merges in the order they were learned: repeatedly merge \
            the adjacent pair whose merge came earliest, until no adjacent pair has a merge. The \
            word "\(word.dropFirst())" with its space, using the tokenizer trained on the stories \
            (\(grouped(tokenizer.vocabularySize)) tokens):
            """)
        var table = Table(["step", "tokens", "ids"])
        for (index, state) in steps.enumerated() {
            table.append([String(index), state.map { visibleToken(tokenizer.tokens[$0]) }.joined(separator: " "),
                          state.map(String.init).joined(separator: " ")])
        }
        notebook.table(table)
        let ordinary = heldOut.segments.joined()  // the text without "<|endoftext|>", which only the kernel knows
        notebook.prose("""
            Why the order of training and not "the most frequent pair in this word"? Because the \
            merges were learned in that order: a merge in training only ever saw tokens made by \
            earlier merges, so replaying them in order rebuilds exactly the tokens training \
            produced. Decoding is the easy direction: look up each id's bytes, concatenate them, \
            and read the bytes as UTF-8.

            The lesson's `naiveEncode` and the kernel's `encode` on \
            \(grouped(ordinary.utf8.count)) bytes of stories the tokenizer has never seen:
            """)
        var ours: [Int] = []
        let naiveTime = Stopwatch.measure(repetitions: 1, warmup: 0) { ours = naiveEncode(ordinary, merges: tokenizer.merges) }
        var kernel: [Int] = []
        let kernelTime = Stopwatch.measure(repetitions: 3, warmup: 1) { kernel = tokenizer.encode(ordinary) }
        let megabytes = Double(ordinary.utf8.count) / 1e6
        var speeds = Table(["encoder", "tokens", "time", "speed"])
        speeds.append(["naiveEncode (this lesson)", grouped(ours.count), notebook.duration(naiveTime.median),
                       notebook.measured(formatFixed(megabytes / naiveTime.median, decimals: 2) + " MB/s")])
        speeds.append(["BPETokenizer.encode (kernel)", grouped(kernel.count), notebook.duration(kernelTime.median),
                       notebook.measured(formatFixed(megabytes / kernelTime.median, decimals: 2) + " MB/s")])
        notebook.table(speeds)
        let decoded = try? tokenizer.decode(kernel)
        notebook.checks([
            (ours == kernel, "the two encoders give the same \(grouped(kernel.count)) ids"),
            (decoded == ordinary, "decoding the ids gives back the text, byte for byte"),
        ])
        let smile = tokenizer.encode("🙂")
        notebook.prose("""
            The kernel merges each piece in place, looks merges up in a compact hash table, and \
            remembers the ids of pieces it has already encoded: a story repeats its words.

            One surprise in decoding. A token is a string of bytes, not of characters, so one \
            character can be spread over several tokens. This tokenizer never saw an emoji, so \
            "🙂" (4 bytes) becomes \(smile.count) tokens, and each of them alone is not valid UTF-8:
            """)
        var decoder = IncrementalDecoder(tokenizer: tokenizer)
        var pieces = Table(["id", "bytes", "decoded alone", "incremental decoder"])
        for id in smile {
            let alone = (try? tokenizer.decode([id])) ?? ""
            let streamed = (try? decoder.append(id)) ?? ""
            pieces.append([String(id), tokenizer.tokens[id].map(hex).joined(separator: " "),
                           alone.unicodeScalars.map { $0 == "\u{FFFD}" ? "U+FFFD" : String($0) }.joined(separator: " "),
                           streamed.isEmpty ? "(waits)" : streamed])
        }
        notebook.table(pieces)
        notebook.prose("""
            Decoding a lone token that ends inside a character gives U+FFFD "�", the replacement \
            character, as any UTF-8 decoder does with broken input. Decoding them together gives \
            "\((try? tokenizer.decode(smile)) ?? "")" back. A model \
            generating text one token at a time hits this constantly, so a chat program prints \
            through an incremental decoder, which holds bytes back until they complete a \
            character: nothing, nothing, nothing, then the whole emoji.
            """)
    }
}
