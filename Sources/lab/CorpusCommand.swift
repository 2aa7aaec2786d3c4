// `lab corpus`: writes one of the kit's generated corpora to a file or to standard output.
//
// Scope: the command's options, checking them with errors that name the bad option and value,
// and writing safely: the text goes to a temporary file in the output's folder, which is then
// renamed into place, so a reader never sees half a corpus; an existing file is replaced only
// with --force (even if it appears while the corpus is being written). The text itself comes
// from LabCorpora's `generateCorpus` (Sources/LabCorpora/Corpus.swift).
// Exit status, as everywhere in `lab`: 0 success, 1 failure (e.g. the output exists), 2 usage
// error. Left out: reading options from a config file; compression.
//

import Foundation
import LabCorpora
import LabKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum CorpusCommand {
    static let usage = """
        usage: lab corpus [--kind KIND] [--bytes N] [--seed N] [--separator SEP] [--output FILE [--force]]

        Writes generated text, the same bytes for the same options on every machine. No download
        is needed: the kit writes its own corpora from a seed.

        options:
          --kind KIND        what to write (default: stories)
        \(CorpusKind.allCases.map { "                       \($0.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))
          --bytes N          at least this many bytes of UTF-8 (default: 1M); whole documents only,
                             so the result is longer by less than one document. Suffixes k, M, G
                             multiply by 1,000, 1,000,000, 1,000,000,000.
          --seed N           the random seed, 0 to 18446744073709551615 (default: 1)
          --separator SEP    what follows each document (default: endoftext)
                               endoftext   a line holding <|endoftext|>
                               blank-line  an empty line
          --output FILE      write to FILE instead of standard output (written to a temporary
                             file first, then renamed)
          --force            replace FILE if it exists
          --help             show this help

        example:
          lab corpus --kind stories --bytes 5M --seed 1 --output stories.txt
        """

    /// The checked options of one run.
    struct Options: Equatable {
        var kind = CorpusKind.stories
        var bytes = 1_000_000
        var seed: UInt64 = 1
        var separator = CorpusSeparator.endOfText
        var output: String?
        var force = false
    }


    /// Runs `lab corpus` with the arguments after `corpus`: prints the usage for `--help`,
    /// otherwise writes the corpus. Throws `UsageError` or `CommandFailure`.
    static func run(_ arguments: [String]) throws {
        guard let options = try parse(arguments) else {
            print(usage)
            return
        }
        try write(options)
    }

    // MARK: - Options

    /// The options, or nil when help was asked for. Throws `UsageError` naming the first bad
    /// option or value.
    static func parse(_ arguments: [String]) throws -> Options? {
        var arguments = Arguments(arguments, command: "corpus")
        if arguments.flag("--help", "-h") { return nil }
        var options = Options()
        options.force = arguments.flag("--force")
        if let text = try arguments.value("--kind") {
            guard let kind = CorpusKind(rawValue: text) else {
                throw usageError("--kind must be one of \(CorpusKind.allCases.map(\.rawValue).joined(separator: ", ")); got '\(text)'")
            }
            options.kind = kind
        }
        if let text = try arguments.value("--separator") {
            guard let separator = CorpusSeparator(rawValue: text) else {
                throw usageError("--separator must be one of \(CorpusSeparator.allCases.map(\.rawValue).joined(separator: ", ")); got '\(text)'")
            }
            options.separator = separator
        }
        if let text = try arguments.value("--bytes") {
            guard let bytes = parseByteCount(text) else {
                throw usageError("--bytes expects a whole number of bytes such as 5000000 or 5M; got '\(text)'")
            }
            options.bytes = bytes
        }
        if let text = try arguments.value("--seed") {
            guard let seed = UInt64(text) else {
                throw usageError("--seed expects a whole number from 0 to \(UInt64.max); got '\(text)'")
            }
            options.seed = seed
        }
        if let path = try arguments.value("--output") ?? arguments.value("-o") {
            guard !path.isEmpty else { throw usageError("--output needs a file name") }
            options.output = path
        }
        try arguments.finish()
        if options.force && options.output == nil {
            throw usageError("--force only makes sense with --output")
        }
        return options
    }

    private static func usageError(_ message: String) -> UsageError {
        UsageError(message: message, command: "corpus")
    }

    /// "5000000" → 5000000, "5M" → 5000000, "250k" → 250000; nil for anything else (negative,
    /// fractional, too large for memory-sized counts).
    static func parseByteCount(_ text: String) -> Int? {
        let multipliers: [Character: Int] = ["k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000,
                                             "g": 1_000_000_000, "G": 1_000_000_000]
        var digits = Substring(text)
        var multiplier = 1
        if let last = digits.last, let factor = multipliers[last] {
            multiplier = factor
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        // Beyond 1 TB is certainly a typo.
        return overflow || bytes > 1_000_000_000_000 ? nil : bytes
    }

    // MARK: - Writing

    /// Writes the corpus the options describe to standard output or, atomically, to a file.
    static func write(_ options: Options) throws {
        guard let path = options.output else {
            let output = FileHandle.standardOutput
            try generateCorpus(kind: options.kind, bytes: options.bytes, seed: options.seed, separator: options.separator) {
                try output.write(contentsOf: Data($0.utf8))
            }
            return
        }
        // A file gets a summary on standard error (standard output may be a pipe of corpus text).
        let start = DispatchTime.now().uptimeNanoseconds
        var written = 0
        try writeFileAtomically(to: path, force: options.force) { file in
            written = try generateCorpus(kind: options.kind, bytes: options.bytes, seed: options.seed, separator: options.separator) {
                try file.write(contentsOf: Data($0.utf8))
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        writeToStandardError("wrote \(written) bytes of \(options.kind.rawValue) (seed \(options.seed)) to \(path) in \(formatFixed(seconds, decimals: 2)) s\n")
    }

    private static func writeToStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
