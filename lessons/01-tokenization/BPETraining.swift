// Cells: byte-pair encoding trained by hand on one sentence, then on the stories, where the
// lesson's naive trainer (NaiveBPE.swift) and the kernel's `BPETokenizer.train` must learn the
// same merges; the difference in speed is measured.
//
// How the kernel's trainer gets its speed is in Sources/LabKernel/Tokenizer/BPE+Training.swift;
// this file only compares and times it.

import Foundation
import LabKernel
import LabNotebook

extension TokenizationLesson {
    func bytePairEncodingByHand() {
        let text = "the cat sat on the mat; the rat sat on the hat; the cat and the rat sat."
        notebook.prose("""
            The training algorithm fits in a few lines. Cut the text into pieces (roughly: words \
            with the space before them, and punctuation), and write each piece as its bytes. Then \
            repeat: count every pair of adjacent tokens inside the pieces, make the most frequent \
            pair a new token, and replace it everywhere. Each merge adds one token to the \
            vocabulary, so training stops when the vocabulary has the size we asked for. \
            The lesson's trainer, `NaiveBPETrainer` in lessons/01-tokenization/NaiveBPE.swift, does \
            exactly that. Each distinct piece is one of its `words`: the piece's tokens, and how \
            often the piece occurs in the text.
            """)
        notebook.code("""
            func pairCounts() -> [TokenPair: Int] {          // every adjacent pair, counted
                var counts: [TokenPair: Int] = [:]
                for word in words where word.tokens.count >= 2 {
                    for k in 0..<(word.tokens.count - 1) {
                        counts[TokenPair(word.tokens[k], word.tokens[k + 1]), default: 0] += word.count
                    }
                }
                return counts
            }

            mutating func mergeMostFrequentPair() -> (pair: TokenPair, count: Int, newToken: Int)? {
                let counts = pairCounts()
                guard let (pair, count) = counts.max(by: { a, b in    // the most frequent pair,
                    a.value != b.value ? a.value < b.value : winsTie(b.key, over: a.key)   // ties below
                }) else { return nil }
                let newToken = vocabulary.count                      // 256, 257, …
                vocabulary.append(vocabulary[pair.first] + vocabulary[pair.second])
                merges.append(pair)
                for w in words.indices {                             // merge it everywhere
                    words[w].tokens = replacing(pair, with: newToken, in: words[w].tokens)
                }
                return (pair, count, newToken)
            }
            """)
        notebook.prose("On one sentence of \(text.utf8.count) bytes, \"\(text)\", the first merges are:")
        var trainer = NaiveBPETrainer(documents: [text])
        var table = Table(["merge", "pair", "count", "new token", "sentence length"])
        var length = text.utf8.count
        // The first merge that had to break a tie: its rivals, best first.
        var tie: (step: Int, count: Int, rivals: [TokenPair])?
        for step in 1...10 {
            let counts = trainer.pairCounts()
            guard let merge = trainer.mergeMostFrequentPair() else { break }
            let rivals = counts.filter { $0.value == merge.count }.map(\.key)
            if tie == nil && rivals.count > 1 {
                tie = (step, merge.count, rivals.sorted { trainer.winsTie($0, over: $1) })
            }
            length -= merge.count
            table.append([String(step), spelled(merge.pair, trainer.vocabulary), String(merge.count),
                          "\(merge.newToken) = " + visibleToken(trainer.vocabulary[merge.newToken]), "\(length) tokens"])
        }
        notebook.table(table)
        let tokens = naiveEncode(text, merges: trainer.merges).map { visibleToken(trainer.vocabulary[$0]) }
        notebook.prose("""
            Every merge of a pair that occurs n times shortens the text by n tokens. The first merges \
            glue the most common letters together ("␣" is a space), and soon whole words appear. \
            After ten merges the sentence is \(tokens.count) tokens (| marks a boundary):
            """)
        notebook.output(wrapping(tokens, separator: "|", width: notebook.width - 2 * notebook.indent).joined(separator: "\n"))
        var ties = ""
        if let tie {
            let names = tie.rivals.map { "\"" + spelled($0, trainer.vocabulary).replacingOccurrences(of: " ", with: "") + "\"" }
            let listed = names.count == 2 ? names.joined(separator: " and ") : names.dropLast().joined(separator: ", ") + " and " + names.last!
            let number = names.count == 2 ? "two" : names.count == 3 ? "three" : String(names.count)
            ties = " At merge \(tie.step), \(number) pairs occurred \(tie.count) times each, \(listed), and \(names[0]) won."
        }
        notebook.prose("""
            Two details make every implementation learn exactly the same merges. Pairs are only \
            counted inside pieces, so no token ever spans "t;" or joins two words. And when \
            several pairs are equally frequent, the one whose bytes compare greater wins (first \
            tokens compared, then second tokens; the rule of Stanford CS336's reference \
            trainer, written as `winsTie(_:over:)`).\(ties)
            """)
    }

    /// Trains the naive trainer and the kernel's on the same text, checks that they agree and
    /// times both. Returns nothing: the lesson's main tokenizer is trained separately.
    func trainingOnTheStories(_ corpus: Corpus) {
        let sample = corpus.prefix(bytes: sizes.comparisonBytes)
        let vocabularySize = sizes.comparisonVocabulary
        let mergeCount = vocabularySize - 257
        notebook.prose("""
            Now the same trainer on real text: the first \(grouped(sample.text.utf8.count)) bytes \
            of the stories (\(sample.documents.count) stories), for a vocabulary of \
            \(vocabularySize): the 256 bytes, \(mergeCount) merges, and one special token, \
            "<|endoftext|>", which separates the stories (a later cell explains it). The kernel's \
            `BPETokenizer.train` does the same job on the same text; the two must learn the same \
            merges in the same order.
            """)
        var naive = NaiveBPETrainer(documents: sample.segments)
        let naiveTime = Stopwatch.measure(repetitions: 1, warmup: 0) {
            naive = NaiveBPETrainer(documents: sample.segments)
            while naive.merges.count < mergeCount, naive.mergeMostFrequentPair() != nil {}
        }
        var kernel: BPETokenizer?
        let kernelTime = Stopwatch.measure(repetitions: 3, warmup: 1) {
            kernel = try! BPETokenizer.train(text: sample.text, vocabularySize: vocabularySize, specialTokens: [endOfText])
        }
        let trained = kernel!
        notebook.code("""
            var naive = NaiveBPETrainer(documents: stories)
            while naive.merges.count < \(mergeCount) { naive.mergeMostFrequentPair() }
            let kernel = try BPETokenizer.train(text: stories, vocabularySize: \(vocabularySize), specialTokens: ["<|endoftext|>"])
            """)
        var table = Table(["trainer", "merges", "time", "speed-up"])
        table.append(["NaiveBPETrainer (this lesson)", String(naive.merges.count), notebook.duration(naiveTime.median), notebook.speedup(1)])
        table.append(["BPETokenizer.train (kernel)", String(trained.merges.count), notebook.duration(kernelTime.median),
                      notebook.speedup(naiveTime.median / kernelTime.median)])
        notebook.table(table)
        let firstDifference = zip(naive.merges, trained.merges).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        notebook.check(naive.merges == trained.merges && firstDifference == nil,
                       "the two trainers learned the same \(trained.merges.count) merges in the same order"
                       + (firstDifference.map { " (they differ first at merge \($0))" } ?? ""))
        notebook.prose("""
            The naive trainer counts every pair in every distinct piece again after each merge, \
            though a merge changes only the pieces that contain the merged pair. The kernel \
            keeps the counts up to date instead: it remembers which pieces contain each pair, \
            rewrites only those, adjusts the counts of the pairs around each merge, and finds the \
            next best pair with a heap. The kernel is also compiled with optimizations even in a \
            debug build, while this lesson is not. The merges themselves are identical; only \
            the bookkeeping differs.

            The first merges it learned, and its longest tokens:
            """)
        let vocabulary = trained.tokens
        let first = trained.merges.prefix(10).map { spelled($0, vocabulary).replacingOccurrences(of: " ", with: "") }
        let longest = longestTokens(trained, count: 12).map { visibleToken(vocabulary[$0]) }
        notebook.values([("first merges", fitting(first, width: 58)), ("longest tokens", fitting(longest, width: 58))])
    }
}

/// The ids of the `count` longest ordinary tokens (most bytes first, then lowest id).
func longestTokens(_ tokenizer: BPETokenizer, count: Int) -> [Int] {
    let ids = tokenizer.tokens.indices.filter { !tokenizer.isSpecial($0) }
    let sorted = ids.sorted { (a: Int, b: Int) -> Bool in
        let (lengthA, lengthB) = (tokenizer.tokens[a].count, tokenizer.tokens[b].count)
        return lengthA != lengthB ? lengthA > lengthB : a < b
    }
    return Array(sorted.prefix(count))
}

/// A merge as its two tokens: "␣ + the".
func spelled(_ pair: TokenPair, _ vocabulary: [[UInt8]]) -> String {
    visibleToken(vocabulary[pair.first]) + " + " + visibleToken(vocabulary[pair.second])
}

/// As many of `items` as fit in `width` columns, two spaces apart.
func fitting(_ items: [String], width: Int) -> String {
    var line = ""
    for item in items {
        let next = line.isEmpty ? item : line + "  " + item
        if displayWidth(next) > width { break }
        line = next
    }
    return line
}
