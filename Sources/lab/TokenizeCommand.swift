// `lab tokenize`: text -> token ids (or a picture of the tokens, or their count), and ids -> text.
//
// Scope: the command's options, reading the input (a file, or standard input when no file is
// given) and printing the result. The whole input is one text: a newline is a character like
// any other and becomes tokens, and `<|endoftext|>` is recognized when it is one of the
// tokenizer's special tokens. Input is encoded as it is read (the kernel's `StreamingEncoder`,
// which gives exactly the ids of encoding it all at once), so files of any size work in bounded
// memory; `--decode` reads all of its input first. Output modes:
//
//   (default)  the ids separated by spaces:            15496 995 198
//   --json     one JSON object:                        {"ids": [15496, 995, 198]}
//   --show     the tokens themselves, boundaries marked by alternating background colors on a
//              terminal, by brackets otherwise:       [Hello][ world][↵]
//   --count    how many tokens (and bytes):            3 tokens, 12 bytes (4.00 bytes per token)
//   --decode   the text of ids given in either of the first two forms, byte for byte
//
// Left out: offsets (which characters each token covers) and batch files (one text per line):
// both are a few lines with the kernel's API when a lesson needs them.

import Foundation
import LabKernel
import LabNotebook
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum TokenizeCommand {
    static let usage = """
        usage: lab tokenize --tokenizer PATH [--show | --json | --count] [FILE]
               lab tokenize --tokenizer PATH --decode [FILE]

        Encodes the text of FILE (or of standard input) into token ids. The whole input is one
        text, so newlines are tokens like any other character.

        options:
          --tokenizer PATH    \(TokenizerFiles.pathDescription)
          --vocab FILE        GPT-2-style vocabulary with another name (with --merges), e.g. gpt2_vocab.json
          --merges FILE       GPT-2-style merges with another name (with --vocab)
          --show              show the tokens: alternating background colors on a terminal,
                              [brackets] otherwise; ↵ marks a newline, ⇥ a tab, \\xF0 a byte that is
                              part of a character split between tokens
          --json              print {"ids": [...]} (with --count: {"tokens": N, "bytes": M})
          --count             print only the number of tokens
          --decode            read token ids (as printed by this command: numbers separated by
                              spaces or commas, or {"ids": [...]}) and print their text
          --no-color          no colors with --show
          --help              show this help

        examples:
          echo 'Hello world' | lab tokenize --tokenizer my-tokenizer
          lab tokenize --tokenizer my-tokenizer --show story.txt
          lab tokenize --tokenizer my-tokenizer story.txt | lab tokenize --tokenizer my-tokenizer --decode
        """

    enum Mode: Equatable {
        case ids, show, count, decode
    }

    /// The checked options of one run.
    struct Options: Equatable {
        var tokenizerPath: String?
        var vocabulary: String?
        var merges: String?
        var mode = Mode.ids
        var json = false
        var noColor = false
        /// The input file, or nil for standard input.
        var input: String?
    }

    static func run(_ arguments: [String]) throws {
        guard let options = try parse(arguments) else {
            print(usage)
            return
        }
        guard let tokenizer = try TokenizerFiles.load(path: options.tokenizerPath, vocabulary: options.vocabulary,
                                                      merges: options.merges, command: "tokenize") else {
            throw UsageError(message: "which tokenizer? give --tokenizer PATH (\(TokenizerFiles.pathDescription))", command: "tokenize")
        }
        if options.input == nil && isatty(STDIN_FILENO) != 0 {
            printError(options.mode == .decode ? "reading token ids from the keyboard; end with Ctrl-D"
                                               : "reading text from the keyboard; end with Ctrl-D")
        }
        var output = OutputBuffer()
        switch options.mode {
        case .ids:
            var first = true
            if options.json { output.write("{\"ids\": [") }
            try encodeInput(tokenizer, path: options.input) { ids in
                for id in ids {
                    if !first { output.write(options.json ? ", " : " ") }
                    output.write(String(id))
                    first = false
                }
            }
            output.write(options.json ? "]}\n" : "\n")
        case .count:
            var tokens = 0, bytes = 0
            try encodeInput(tokenizer, path: options.input) { ids in
                tokens += ids.count
                for id in ids { bytes += tokenizer.tokens[id].count }
            }
            if options.json {
                output.write("{\"tokens\": \(tokens), \"bytes\": \(bytes)}\n")
            } else {
                let ratio = tokens == 0 ? "" : " (\(formatFixed(Double(bytes) / Double(tokens), decimals: 2)) bytes per token)"
                output.write("\(tokens) token\(tokens == 1 ? "" : "s"), \(bytes) bytes\(ratio)\n")
            }
        case .show:
            let colors = Terminal.colorsEnabled(noColorOption: options.noColor, isTerminal: Terminal.standardOutputIsTerminal,
                                                environment: ProcessInfo.processInfo.environment)
            var printer = TokenPrinter(tokenizer: tokenizer, style: Style(colors: colors))
            try encodeInput(tokenizer, path: options.input) { ids in
                for id in ids { output.write(printer.show(id)) }
            }
            output.write(printer.summary())
        case .decode:
            let source = options.input ?? "standard input"
            let data = try readAll(path: options.input)
            let ids = try parseIDs(try TokenizerFiles.text(ofUTF8: data, source: source), source: source)
            let bytes: [UInt8]
            do {
                bytes = try tokenizer.decodeBytes(ids)
            } catch let error as TokenizerError {
                throw TokenizerError("\(source): \(error.description)")
            }
            output.write(bytes)
            // Exact bytes for pipes and files; a terminal gets its prompt back on a fresh line.
            if Terminal.standardOutputIsTerminal && bytes.last != 0x0A { output.write("\n") }
        }
        output.flush()
    }

    // MARK: - Options

    /// The options, or nil for --help. Throws `UsageError` naming the first bad option.
    static func parse(_ arguments: [String]) throws -> Options? {
        var arguments = Arguments(arguments, command: "tokenize")
        if arguments.flag("--help", "-h") { return nil }
        var options = Options()
        options.tokenizerPath = try arguments.value("--tokenizer")
        options.vocabulary = try arguments.value("--vocab")
        options.merges = try arguments.value("--merges")
        options.json = arguments.flag("--json")
        options.noColor = arguments.flag("--no-color")
        let modes: [(flag: String, mode: Mode)] = [("--show", .show), ("--count", .count), ("--decode", .decode)]
        let chosen = modes.filter { arguments.flag($0.flag) }
        guard chosen.count <= 1 else {
            throw UsageError(message: "choose one of \(chosen.map(\.flag).joined(separator: ", "))", command: "tokenize")
        }
        options.mode = chosen.first?.mode ?? .ids
        if options.json && (options.mode == .show || options.mode == .decode) {
            throw UsageError(message: "--json goes with the ids or --count, not with \(chosen[0].flag)", command: "tokenize")
        }
        options.input = arguments.positional()
        if let extra = arguments.positional() {
            throw UsageError(message: "one input file at most (got '\(options.input!)' and '\(extra)'); "
                + "the whole input is one text, so join files first, e.g. cat a.txt b.txt | lab tokenize …", command: "tokenize")
        }
        try arguments.finish()
        return options
    }

    // MARK: - Input

    /// Encodes the file at `path` (standard input when nil) chunk by chunk, calling `body` with
    /// the ids as they become final. Errors name the file (or standard input) and byte offset.
    static func encodeInput(_ tokenizer: BPETokenizer, path: String?, _ body: ([Int]) throws -> Void) throws {
        if let path {
            try tokenizer.encode(contentsOf: URL(fileURLWithPath: path), body)
            return
        }
        var stream = StreamingEncoder(tokenizer: tokenizer)
        do {
            while let chunk = try FileHandle.standardInput.read(upToCount: 1 << 20), !chunk.isEmpty {
                try body(try stream.append(utf8: chunk))
            }
            try body(try stream.finish())
        } catch let error as TokenizerError {
            throw TokenizerError("standard input: \(error.description)")
        }
    }

    /// All bytes of the file at `path`, or of standard input when nil.
    static func readAll(path: String?) throws -> Data {
        guard let path else { return FileHandle.standardInput.readDataToEndOfFile() }
        return try TokenizerFiles.readBytes(path: path)
    }

    /// Token ids written as `15496 995`, `15496, 995`, `[15496, 995]` or `{"ids": [15496, 995]}`.
    static func parseIDs(_ text: String, source: String) throws -> [Int] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = "expected token ids: whole numbers separated by spaces or commas, or {\"ids\": [...]}"
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            let json: JSONValue
            do {
                json = try JSONValue.parse(trimmed)
            } catch {
                throw TokenizerError("\(source) is not valid JSON: \(error)")
            }
            guard let items = json.array ?? json["ids"]?.array else {
                throw TokenizerError("\(source): \(expected); found \(json.kind)")
            }
            return try items.enumerated().map { position, item in
                guard let id = item.int else { throw TokenizerError("\(source): id \(position) is \(item.kind); \(expected)") }
                return id
            }
        }
        let words = trimmed.split(whereSeparator: { $0 == "," || $0.isWhitespace })
        return try words.enumerated().map { position, word in
            guard let id = Int(word) else {
                throw TokenizerError("\(source): '\(word.prefix(40))' (item \(position)) is not a token id; \(expected)")
            }
            return id
        }
    }
}

// MARK: - Showing tokens

/// Renders tokens one by one for `--show`, alternating their background colors (or brackets).
struct TokenPrinter {
    let tokenizer: BPETokenizer
    let style: Style
    private(set) var tokenCount = 0
    private(set) var byteCount = 0
    /// Whether the last token shown ended a line.
    private var endsWithLineBreak = false

    /// Backgrounds that alternate from token to token: muted, so that light and dark terminal
    /// themes both keep the text readable. Special tokens stand out in orange.
    static let backgrounds = [RGB(52, 84, 138), RGB(48, 112, 72), RGB(122, 62, 110), RGB(112, 92, 40)]
    static let specialBackground = RGB(190, 100, 20)

    init(tokenizer: BPETokenizer, style: Style) {
        self.tokenizer = tokenizer
        self.style = style
    }

    /// The text that shows token `id`: its characters with whitespace made visible, in its color
    /// or brackets, followed by the real line breaks it contains so lines stay lines.
    mutating func show(_ id: Int) -> String {
        let bytes = tokenizer.tokens[id]
        let visible = Self.visibleText(bytes)
        let lineBreaks = String(repeating: "\n", count: bytes.lazy.filter { $0 == 0x0A }.count)
        defer {
            tokenCount += 1
            byteCount += bytes.count
            endsWithLineBreak = bytes.last == 0x0A
        }
        guard style.colors else { return "[" + visible + "]" + lineBreaks }
        let color = tokenizer.isSpecial(id) ? Self.specialBackground : Self.backgrounds[tokenCount % Self.backgrounds.count]
        return style.background(visible, color) + lineBreaks
    }

    /// The closing line, after a blank line: how many tokens and bytes were shown.
    func summary() -> String {
        let ratio = tokenCount == 0 ? "" : ", \(formatFixed(Double(byteCount) / Double(tokenCount), decimals: 2)) bytes per token"
        let line = "\(tokenCount) token\(tokenCount == 1 ? "" : "s"), \(byteCount) bytes\(ratio)"
        return (endsWithLineBreak || tokenCount == 0 ? "\n" : "\n\n") + style.paint(line, .muted) + "\n"
    }

    /// A token's bytes as readable text: "↵" for a newline, "⇥" for a tab, a control picture
    /// ("␍", "␀", …) for other control characters, and `\xF0` for each byte of a character that
    /// this token holds only part of (byte-level tokens may split a character).
    static func visibleText(_ bytes: [UInt8]) -> String {
        var text = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                switch scalar.value {
                case 0x0A: text += "↵"
                case 0x09: text += "⇥"
                case 0x00..<0x20: text.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
                case 0x7F: text += "␡"
                default: text.unicodeScalars.append(scalar)
                }
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<(offset + length)] {
                    text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
                }
                offset += length
            case .emptyInput:
                return text
            }
        }
    }
}

/// Collects output and writes it to standard output in large blocks (millions of ids would be
/// slow one `print` at a time).
struct OutputBuffer {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
