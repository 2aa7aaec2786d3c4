// `lab train-tokenizer`: trains a byte-level BPE tokenizer on text files (or on the kit's own
// generated corpus) and writes it as a Hugging Face `tokenizer.json`.
//
// Scope: the command's options, checked before any long work starts (a too-small vocabulary or
// an existing output is reported at once, not after reading a gigabyte); reading each input as
// UTF-8 and counting its pieces (the kernel's `PreTokenCounts`, one file in memory at a time);
// training with progress on standard error; writing `DIR/tokenizer.json` through a temporary
// file and a rename (`writeFileAtomically` in AtomicFile.swift), never replacing one without --force;
// and a summary. The algorithm is the kernel's (Tokenizer/BPE+Training.swift).
// Left out: vocab.json + merges.txt output (`BPETokenizer.saveGPT2` writes them; tokenizer.json
// is what `transformers` and `lab tokenize` read), multi-threaded counting, resuming a run.

import Foundation
import LabCorpora
import LabKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum TrainTokenizerCommand {
    static let usage = """
        usage: lab train-tokenizer --input FILE... --vocab-size N --output DIR [options]
               lab train-tokenizer --corpus stories [--bytes 5M] [--seed 1] --vocab-size N --output DIR [options]

        Trains a byte-level BPE tokenizer (the kind GPT-2, Llama 3 and Qwen use): starting from
        the 256 bytes, it repeatedly merges the most frequent pair of adjacent tokens into a new
        token until the vocabulary has N tokens. Writes DIR/tokenizer.json, which `lab tokenize`
        and Hugging Face `tokenizers`/`transformers` can load.

        options:
          --input FILE...     UTF-8 text files to train on (repeat --input, or list several files)
          --corpus KIND       train on the kit's generated text instead (\(CorpusKind.allCases.map(\.rawValue).joined(separator: ", "))); no file needed.
                              Its documents are separated by <|endoftext|>, which becomes a special token
          --bytes N           size of the generated corpus (default: 5M; suffixes k, M, G)
          --seed N            seed of the generated corpus (default: 1)
          --vocab-size N      tokens in the vocabulary: 256 bytes + merges + special tokens
          --special TOKEN     a special token, e.g. '<|endoftext|>' (repeatable): cut out of the text
                              before counting, never merged, given the last ids
          --pattern NAME      pre-tokenizer pattern: \(PreTokenizer.Pattern.allCases.map(\.rawValue).joined(separator: ", ")) (default: gpt2)
          --output DIR        the folder to write tokenizer.json into (created if needed)
          --force             replace an existing DIR/tokenizer.json
          --json              print the summary as one JSON object, e.g.
                              {"vocab_size":2000,"merges":1743,"special_tokens":1,"bytes":5000487,"seconds":0.21,"output":"tok/tokenizer.json"}
          --help              show this help

        Progress goes to standard error on runs longer than a second.

        examples:
          lab train-tokenizer --corpus stories --bytes 5M --vocab-size 2000 --output my-tokenizer
          lab train-tokenizer --input a.txt b.txt --vocab-size 10000 --special '<|endoftext|>' --output tok
          lab tokenize --tokenizer my-tokenizer --show <<< 'Once upon a time'
        """

    /// The checked options of one run.
    struct Options: Equatable {
        var inputs: [String] = []
        var corpus: CorpusKind?
        var corpusBytes = 5_000_000
        var seed: UInt64 = 1
        var vocabularySize = 0
        var specialTokens: [String] = []
        var pattern = PreTokenizer.Pattern.gpt2
        var output = ""
        var force = false
        var json = false
    }

    static func run(_ arguments: [String]) throws {
        guard let options = try parse(arguments) else {
            print(usage)
            return
        }
        try train(options)
    }

    // MARK: - Options

    /// The options, or nil for --help. Throws `UsageError` naming the first bad option or value.
    static func parse(_ arguments: [String]) throws -> Options? {
        var arguments = Arguments(arguments, command: "train-tokenizer")
        if arguments.flag("--help", "-h") { return nil }
        var options = Options()
        options.force = arguments.flag("--force")
        options.json = arguments.flag("--json")
        while let input = try arguments.value("--input") { options.inputs.append(input) }
        while let special = try arguments.value("--special") { options.specialTokens.append(special) }
        if let text = try arguments.value("--corpus") {
            guard let kind = CorpusKind(rawValue: text) else {
                throw usageError("--corpus must be one of \(CorpusKind.allCases.map(\.rawValue).joined(separator: ", ")); got '\(text)'")
            }
            options.corpus = kind
        }
        let bytes = try arguments.value("--bytes")
        let seed = try arguments.value("--seed")
        if let text = try arguments.value("--vocab-size") {
            guard let size = Int(text), size > 0 else {
                throw usageError("--vocab-size expects a positive whole number such as 10000; got '\(text)'")
            }
            options.vocabularySize = size
        }
        if let text = try arguments.value("--pattern") {
            guard let pattern = PreTokenizer.Pattern(rawValue: text) else {
                throw usageError("--pattern must be one of \(PreTokenizer.Pattern.allCases.map(\.rawValue).joined(separator: ", ")); got '\(text)'")
            }
            options.pattern = pattern
        }
        if let output = try arguments.value("--output") ?? arguments.value("-o") { options.output = output }
        // `--input a.txt b.txt`: the words after the first file are inputs too.
        while let input = arguments.positional() { options.inputs.append(input) }
        try arguments.finish()

        if options.corpus != nil {
            guard options.inputs.isEmpty else { throw usageError("give either --input files or --corpus, not both") }
            if let bytes {
                guard let count = CorpusCommand.parseByteCount(bytes), count > 0 else {
                    throw usageError("--bytes expects a positive number of bytes such as 5000000 or 5M; got '\(bytes)'")
                }
                options.corpusBytes = count
            }
            if let seed {
                guard let value = UInt64(seed) else { throw usageError("--seed expects a whole number from 0 to \(UInt64.max); got '\(seed)'") }
                options.seed = value
            }
            // The corpus separates documents with <|endoftext|>: a boundary, not text to learn.
            if !options.specialTokens.contains(CorpusSeparator.endOfTextMarker) {
                options.specialTokens.append(CorpusSeparator.endOfTextMarker)
            }
        } else {
            guard !options.inputs.isEmpty else {
                throw usageError("what should it train on? give --input FILE (one or more), or --corpus stories for the kit's own text")
            }
            if bytes != nil || seed != nil { throw usageError("--bytes and --seed go with --corpus") }
        }
        guard options.vocabularySize > 0 else { throw usageError("--vocab-size is required, e.g. --vocab-size 10000") }
        if let empty = options.specialTokens.firstIndex(of: "") {
            throw usageError("--special number \(empty + 1) is empty; a special token needs some text, e.g. '<|endoftext|>'")
        }
        if let repeated = options.specialTokens.first(where: { special in options.specialTokens.filter { $0 == special }.count > 1 }) {
            throw usageError("the special token '\(repeated)' is given twice")
        }
        // The kernel checks this too, but only after all the text has been read and counted.
        let smallest = 256 + options.specialTokens.count
        guard options.vocabularySize >= smallest else {
            throw usageError("--vocab-size \(options.vocabularySize) is too small: the vocabulary holds the 256 single bytes "
                + "plus \(options.specialTokens.count) special token\(options.specialTokens.count == 1 ? "" : "s"), so it needs at least \(smallest)")
        }
        guard !options.output.isEmpty else { throw usageError("--output DIR is required: the folder to write tokenizer.json into") }
        return options
    }

    private static func usageError(_ message: String) -> UsageError {
        UsageError(message: message, command: "train-tokenizer")
    }

    // MARK: - Training

    static func train(_ options: Options) throws {
        for path in options.inputs { try TokenizerFiles.checkFileExists(path: path) }
        let destination = try prepareOutput(options)
        let start = DispatchTime.now().uptimeNanoseconds
        var progress = ProgressLine()
        var counts = PreTokenCounts(preTokenizer: PreTokenizer(options.pattern), specialTokens: options.specialTokens)
        var textBytes = 0
        let source: String
        if let corpus = options.corpus {
            var generated = 0
            textBytes = generateCorpus(kind: corpus, bytes: options.corpusBytes, seed: options.seed, separator: .endOfText,
                                       chunkBytes: 1 << 20) { chunk in
                counts.add(chunk)
                generated += chunk.utf8.count
                progress.update("generating \(corpus.rawValue) and counting its pieces: "
                    + "\(formatBytes(generated)) of \(formatBytes(options.corpusBytes))")
            }
            source = "\(formatBytes(textBytes)) of generated \(corpus.rawValue) (seed \(options.seed))"
        } else {
            for (index, path) in options.inputs.enumerated() {
                // A big file is one long step: say so at once rather than after it.
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                progress.update("reading \(path) (\(formatBytes(size)), file \(index + 1) of \(options.inputs.count)) "
                    + "and counting its pieces", now: size >= 20_000_000)
                let text = try TokenizerFiles.readText(path: path)
                textBytes += text.utf8.count
                counts.add(text)
            }
            source = "\(formatBytes(textBytes)) in \(options.inputs.count == 1 ? options.inputs[0] : "\(options.inputs.count) files")"
        }
        let counted = DispatchTime.now().uptimeNanoseconds

        let tokenizer = try BPETokenizer.train(counts: counts, vocabularySize: options.vocabularySize) { step in
            progress.update("merges \(step.mergesDone) of \(step.mergesTotal) (\(step.mergesDone * 100 / max(step.mergesTotal, 1))%)")
        }
        progress.finish()
        let trained = DispatchTime.now().uptimeNanoseconds

        try writeFileAtomically(to: destination.path, force: options.force) { file in
            try file.write(contentsOf: Data(tokenizer.tokenizerJSON().utf8))
        }
        let seconds = Double(trained - start) / 1e9
        let countSeconds = Double(counted - start) / 1e9, mergeSeconds = Double(trained - counted) / 1e9

        let specials = tokenizer.specialTokens.count
        if options.json {
            print(jsonLine([("vocab_size", .integer(tokenizer.vocabularySize)), ("merges", .integer(tokenizer.merges.count)),
                            ("special_tokens", .integer(specials)), ("bytes", .integer(textBytes)),
                            ("seconds", .number(seconds)), ("output", .string(destination.path))]))
            return
        }
        var lines = [
            "trained a byte-level BPE tokenizer on \(source) in \(formatFixed(seconds, decimals: 2)) s "
                + "(counting \(formatFixed(countSeconds, decimals: 2)) s, merging \(formatFixed(mergeSeconds, decimals: 2)) s)",
            "  vocabulary  \(tokenizer.vocabularySize) tokens = 256 bytes + \(tokenizer.merges.count) merges + "
                + "\(specials) special token\(specials == 1 ? "" : "s")",
            "  pattern     \(options.pattern.rawValue)",
            "  pieces      \(counts.counts.values.reduce(0, +)) (\(counts.counts.count) distinct)",
        ]
        if tokenizer.vocabularySize < options.vocabularySize {
            lines.append("  note        the text ran out of pairs to merge: the vocabulary has \(tokenizer.vocabularySize) tokens, "
                + "not the \(options.vocabularySize) asked for (train on more text)")
        }
        lines.append("  wrote       \(destination.path)")
        print(lines.joined(separator: "\n"))
    }

    /// Creates the output folder and returns where tokenizer.json goes; fails before any work
    /// when the file exists and --force was not given.
    private static func prepareOutput(_ options: Options) throws -> URL {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: options.output, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw TokenizerError("--output \(options.output) is a file; expected a folder to write tokenizer.json into")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: options.output, withIntermediateDirectories: true)
            } catch {
                throw TokenizerError("cannot create the folder \(options.output): \(error.localizedDescription)")
            }
        }
        let destination = URL(fileURLWithPath: options.output).appendingPathComponent("tokenizer.json")
        if !options.force && FileManager.default.fileExists(atPath: destination.path) {
            throw TokenizerError("\(destination.path) already exists; pass --force to replace it")
        }
        return destination
    }
}

// MARK: - Progress

/// A progress line on standard error: rewritten in place on a terminal, plain lines otherwise
/// (a log file gets one line every few seconds). It stays silent for the first second, so a
/// quick run prints nothing but its result.
struct ProgressLine {
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastShown: UInt64 = 0
    private var showing = false

    /// Shows `text` if enough time has passed since the last update (it is cheap to call often),
    /// or right away with `now` (before a step that is known to be long).
    mutating func update(_ text: @autoclosure () -> String, now showNow: Bool = false) {
        let now = DispatchTime.now().uptimeNanoseconds
        let interval: UInt64 = isTerminal ? 100_000_000 : 3_000_000_000
        guard showNow || (now - start >= 1_000_000_000 && (lastShown == 0 || now - lastShown >= interval)) else { return }
        lastShown = now
        let elapsed = formatFixed(Double(now - start) / 1e9, decimals: 1)
        if isTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text()) [\(elapsed) s]".utf8))
            showing = true
        } else {
            FileHandle.standardError.write(Data("\(text()) [\(elapsed) s]\n".utf8))
        }
    }

    /// Clears an in-place line, so what follows starts on a clean line.
    mutating func finish() {
        if showing { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        showing = false
    }
}
