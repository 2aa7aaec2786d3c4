// `lab bench tokenizer`: how fast the kernel trains a BPE tokenizer and encodes text with one.
//
// Scope: two measurements on one thread, on one text: training a vocabulary of V tokens
// (pre-tokenizing and counting the text, then the merges; seconds, lower is better) and encoding
// the whole text (megabytes of UTF-8 per second, higher is better) with the tokenizer just
// trained and, if given, with a loaded one such as GPT-2's. The default text is the kit's
// generated stories (5 MB, seed 1: the bytes `lab corpus --bytes 5M --seed 1` writes), so nothing
// needs a download. Timing follows Benchmark.swift (a warm-up, then the median of the samples);
// encoding starts each sample with an empty piece cache, as a fresh `encode` call does.
// Not here: the same measurements for Hugging Face `tokenizers` and tiktoken
// (scripts/bench/compare_tokenizer.sh runs both side by side with this benchmark).

import Foundation
import LabCorpora
import LabKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct TokenizerBenchmark {
    static let usage = """
        usage: lab bench tokenizer [options]

        Measures, on one thread, the time to train a byte-level BPE tokenizer on a text (seconds,
        lower is better) and the speed of encoding that text (MB/s, higher is better) with the
        tokenizer just trained and, if given, with a loaded one such as GPT-2's. Each figure is
        the median of several samples after a warm-up. Build in release mode:
            swift run -c release lab bench tokenizer

        options:
          --input FILE        the text (UTF-8); default: the kit's generated stories
          --bytes N           size of the generated stories (default: 5M; --quick: 300k)
          --seed N            seed of the generated stories (default: 1)
          --vocab-size N      vocabulary to train (default: 10000; --quick: 1000)
          --special TOKEN     special token for training (repeatable; default: <|endoftext|>)
          --gpt2 DIR          also time encoding with GPT-2's vocab.json + merges.txt from DIR
          --vocab FILE        the same with explicit file names (with --merges), e.g. gpt2_vocab.json
          --merges FILE       (with --vocab), e.g. gpt2_merges.txt
          --tokenizer PATH    also time encoding with this tokenizer (\(TokenizerFiles.pathDescription))
          --only WHAT         only `train` or only `encode`
          --samples N         timed samples per measurement (default: 3 for training, 7 for encoding)
          --quick             a small text and vocabulary, one training sample: a smoke test
          --json              one JSON object per line per measurement, e.g.
                              {"bench":"tokenizer","variant":"train","vocab_size":10000,"bytes":5000734,"threads":1,"seconds":0.87}
                              {"bench":"tokenizer","variant":"encode","tokenizer":"gpt2","vocab_size":50257,"bytes":5000734,"threads":1,"mbps":41.2}
          --help              show this help

        To reproduce Stanford CS336's training check (corpus.en at vocabulary 500 in under 0.1 s):
            swift run -c release lab bench tokenizer --input corpus.en --vocab-size 500 --only train
        """

    /// The text both measurements use, and a description for the table.
    let text: String
    let textDescription: String
    let vocabularySize: Int
    let specialTokens: [String]
    /// Tokenizers to time encoding with besides the trained one, by name ("gpt2").
    let loaded: [(name: String, tokenizer: BPETokenizer)]
    let measuresTraining: Bool
    let measuresEncoding: Bool
    let trainSamples: Int
    let encodeSamples: Int

    // MARK: - Options

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "bench tokenizer")
        if arguments.flag("--help", "-h") {
            print(usage)
            return
        }
        func usageError(_ message: String) -> UsageError { UsageError(message: message, command: "bench tokenizer") }
        let json = arguments.flag("--json")
        let quick = arguments.flag("--quick")
        let input = try arguments.value("--input")
        let bytesText = try arguments.value("--bytes"), seedText = try arguments.value("--seed")
        var specialTokens: [String] = []
        while let special = try arguments.value("--special") { specialTokens.append(special) }
        if specialTokens.isEmpty { specialTokens = [CorpusSeparator.endOfTextMarker] }
        let vocabularySize = try arguments.value("--vocab-size").map { text -> Int in
            guard let size = Int(text), size >= 256 + specialTokens.count else {
                throw usageError("--vocab-size expects a whole number of at least \(256 + specialTokens.count) "
                    + "(256 bytes + \(specialTokens.count) special tokens); got '\(text)'")
            }
            return size
        } ?? (quick ? 1000 : 10_000)
        guard !specialTokens.contains(""), Set(specialTokens).count == specialTokens.count else {
            throw usageError("--special tokens must be distinct and not empty")
        }
        let gpt2Folder = try arguments.value("--gpt2")
        let vocabulary = try arguments.value("--vocab"), merges = try arguments.value("--merges")
        let tokenizerPath = try arguments.value("--tokenizer")
        let only = try arguments.value("--only")
        guard only == nil || only == "train" || only == "encode" else {
            throw usageError("--only expects train or encode; got '\(only!)'")
        }
        let samples = try arguments.value("--samples").map { text -> Int in
            guard let count = Int(text), count > 0 else { throw usageError("--samples expects a positive whole number; got '\(text)'") }
            return count
        }
        try arguments.finish()

        // The text: a file, or the generated stories.
        let text: String, description: String
        if let input {
            guard bytesText == nil && seedText == nil else { throw usageError("--bytes and --seed size the generated text; not with --input") }
            text = try TokenizerFiles.readText(path: input)
            description = "\(formatBytes(text.utf8.count)) from \(input)"
        } else {
            let bytes = try bytesText.map { text -> Int in
                guard let count = CorpusCommand.parseByteCount(text), count > 0 else {
                    throw usageError("--bytes expects a positive number of bytes such as 5000000 or 5M; got '\(text)'")
                }
                return count
            } ?? (quick ? 300_000 : 5_000_000)
            let seed = try seedText.map { text -> UInt64 in
                guard let seed = UInt64(text) else { throw usageError("--seed expects a whole number from 0 to \(UInt64.max); got '\(text)'") }
                return seed
            } ?? 1
            text = generateCorpus(kind: .stories, bytes: bytes, seed: seed)
            description = "\(formatBytes(text.utf8.count)) of generated stories (seed \(seed))"
        }

        // Tokenizers to encode with besides the trained one.
        var loaded: [(name: String, tokenizer: BPETokenizer)] = []
        if let gpt2Folder {
            let folder = URL(fileURLWithPath: gpt2Folder)
            loaded.append(("gpt2", try TokenizerFiles.loadGPT2(vocabulary: folder.appendingPathComponent("vocab.json").path,
                                                               merges: folder.appendingPathComponent("merges.txt").path)))
        }
        if vocabulary != nil || merges != nil,
           let tokenizer = try TokenizerFiles.load(path: nil, vocabulary: vocabulary, merges: merges, command: "bench tokenizer") {
            loaded.append(("gpt2", tokenizer))
        }
        if let tokenizerPath {
            loaded.append((URL(fileURLWithPath: tokenizerPath).lastPathComponent, try TokenizerFiles.load(path: tokenizerPath)))
        }

        #if DEBUG
        printError("""
            warning: lab was built in debug mode. The kernel is optimized in both modes, but for \
            representative numbers run: swift run -c release lab bench tokenizer
            """)
        #endif

        let benchmark = TokenizerBenchmark(
            text: text, textDescription: description, vocabularySize: vocabularySize, specialTokens: specialTokens,
            loaded: loaded, measuresTraining: only != "encode", measuresEncoding: only != "train",
            trainSamples: samples ?? (quick ? 1 : 3), encodeSamples: samples ?? (quick ? 3 : 7))
        try benchmark.run(json: json)
    }

    // MARK: - Measuring

    func run(json: Bool) throws {
        let savedThreads = Parallel.threadCount
        Parallel.threadCount = 1
        defer { Parallel.threadCount = savedThreads }
        let bytes = text.utf8.count
        // Each result is printed as soon as it is measured, even through a pipe.
        func printLine(_ line: String) {
            print(line)
            fflush(nil)
        }
        if !json {
            print("Tokenizer speed on 1 thread (median of \(trainSamples) training and \(encodeSamples) encoding samples)")
            print("text: \(textDescription)\n")
        }

        // Training (also needed, once, to have a tokenizer to encode with).
        var trained: BPETokenizer?
        var failure: Error?
        let train = {
            do {
                trained = try BPETokenizer.train(text: text, vocabularySize: vocabularySize, specialTokens: specialTokens)
            } catch {
                failure = error
            }
        }
        if measuresTraining {
            let seconds = medianSeconds(samples: trainSamples, minimumSampleSeconds: 0, train)
            if let failure { throw failure }
            let result = BenchmarkResult(bench: "tokenizer", variant: "train",
                                         parameters: [("vocab_size", .integer(vocabularySize)), ("bytes", .integer(bytes))],
                                         threads: 1, unit: "seconds", value: seconds)
            if json {
                printLine(result.json)
            } else {
                let merges = trained.map { "\($0.merges.count) merges" } ?? ""
                printLine("train   " + pad("vocabulary \(vocabularySize) (\(merges))", 40) + pad(formatFigure(seconds) + " s", 14))
            }
        } else if measuresEncoding {
            train()
            if let failure { throw failure }
        }
        guard measuresEncoding, let trained else { return }

        // Encoding.
        for (name, tokenizer) in [("trained", trained)] + loaded {
            var tokenCount = 0
            let seconds = medianSeconds(samples: encodeSamples) { tokenCount = tokenizer.encode(text).count }
            let mbps = Double(bytes) / seconds / 1e6
            let result = BenchmarkResult(bench: "tokenizer", variant: "encode",
                                         parameters: [("tokenizer", .string(name)), ("vocab_size", .integer(tokenizer.vocabularySize)),
                                                      ("bytes", .integer(bytes))],
                                         threads: 1, unit: "mbps", value: mbps)
            if json {
                printLine(result.json)
            } else {
                let ratio = formatFixed(Double(bytes) / Double(max(tokenCount, 1)), decimals: 2)
                printLine("encode  " + pad("\(name) (V = \(tokenizer.vocabularySize))", 40) + pad(formatFigure(mbps) + " MB/s", 14)
                          + "   \(tokenCount) tokens, \(ratio) bytes per token")
            }
        }
    }
}

/// `text` left-aligned in a column of `width` characters.
private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}
