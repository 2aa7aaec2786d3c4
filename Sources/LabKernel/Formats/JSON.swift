// JSON: a small reader and string writer for the JSON files of model formats.
//
// vocab.json, tokenizer.json and config.json are JSON. Foundation can parse them, but its number
// bridging differs between Linux and macOS, and its errors say little about where a file is wrong.
// This reader is a plain recursive-descent parser over UTF-8 bytes: values come back as the enum
// `JSONValue`, and an error gives the line and column and what was expected there, so a loader
// can report "tokenizer.json line 3 column 17: expected ':' after an object key". It is strict
// JSON (RFC 8259): no comments, no trailing commas, no NaN; nesting is limited to 512 levels so a
// hostile file cannot overflow the stack, a string to 16 MB, and a key may appear once per object. Writing is done by each format with
// `jsonStringLiteral`, because formats want a fixed, readable layout (one vocabulary entry per
// line, in id order) that a generic serializer would not give; `JSONValue.text(indent:)` is the
// generic one, for files whose layout is a convention of sorted keys and fixed indent (a Jupyter
// notebook, as `nbformat` writes it). Left out: streaming very large
// files (a 10 MB tokenizer.json parses in well under a second, which is all the kit needs).

/// A parsed JSON value. Objects are dictionaries (key order is not kept; a key that appears twice in
/// one object is an error).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member `key` of an object, or nil (also when this is not an object).
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var object: [String: JSONValue]? { if case .object(let o) = self { return o } else { return nil } }
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var isNull: Bool { self == .null }

    /// The value as an integer, when it is a whole number that fits exactly.
    public var int: Int? {
        guard case .number(let x) = self, x.rounded() == x, abs(x) < 9.0e15 else { return nil }
        return Int(x)
    }

    /// What kind of value this is, for error messages: `a string ("abc")`, `an array of 3 values`.
    public var kind: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "a boolean (\(b))"
        case .number(let x): return "a number (\(x))"
        case .string(let s): return "a string (\(printable(s, limit: 40).debugDescription))"
        case .array(let a): return "an array of \(a.count) values"
        case .object(let o): return "an object with keys \(o.keys.sorted().prefix(8).map { printable($0, limit: 40) })"
        }
    }

    /// Parses one JSON document from UTF-8 bytes.
    /// - Throws: `JSONParseError` with the line and column of the problem.
    public static func parse(_ data: some Collection<UInt8>) throws -> JSONValue {
        let bytes = Array(data)
        return try bytes.withUnsafeBufferPointer { buffer in
            if let offset = firstInvalidUTF8Offset(buffer) {
                throw JSONParseError(bytes: buffer, offset: offset, message: "the file is not valid UTF-8")
            }
            var parser = JSONParser(bytes: buffer)
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.position == buffer.count else {
                throw parser.error("expected the end of the document after the top-level value")
            }
            return value
        }
    }

    /// Parses one JSON document from a string.
    public static func parse(_ text: String) throws -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// Where and why a JSON document could not be parsed.
public struct JSONParseError: Error, CustomStringConvertible, Sendable {
    public let line: Int
    public let column: Int
    public let message: String

    init(bytes: UnsafeBufferPointer<UInt8>, offset: Int, message: String) {
        var line = 1, lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        self.line = line
        column = offset - lineStart + 1
        self.message = message
    }

    public var description: String { "line \(line) column \(column): \(message)" }
}

/// `text` as a JSON string literal with quotes: `"`, `\` and control characters escaped, every
/// other character (including non-ASCII) written as itself.
public func jsonStringLiteral(_ text: String) -> String {
    var bytes: [UInt8] = []
    appendJSONStringLiteral(text, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

/// Appends `text` as a JSON string literal (see `jsonStringLiteral`) to UTF-8 `bytes`. It works
/// on bytes: every byte that needs an escape is ASCII, and other characters pass through whole.
public func appendJSONStringLiteral(_ text: String, to bytes: inout [UInt8]) {
    let hexDigits = Array("0123456789abcdef".utf8)
    let backslash = UInt8(ascii: "\\")
    bytes.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "\""): bytes += [backslash, UInt8(ascii: "\"")]
        case backslash: bytes += [backslash, backslash]
        case 0x0A: bytes += [backslash, UInt8(ascii: "n")]
        case 0x0D: bytes += [backslash, UInt8(ascii: "r")]
        case 0x09: bytes += [backslash, UInt8(ascii: "t")]
        case 0..<0x20, 0x7F:
            bytes += [backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)]]
        default: bytes.append(byte)
        }
    }
    bytes.append(UInt8(ascii: "\""))
}

extension JSONValue {
    /// The value as JSON text: object keys sorted, each array item and object member on a line of
    /// its own, indented by `indent` spaces per level (empty arrays and objects stay `[]`, `{}`).
    /// Whole numbers below 2^53 print without a fraction (`5`), others as Swift's shortest
    /// round-trip form (`0.25`, `1e-05`); non-finite numbers, which JSON cannot hold, as `null`.
    /// The same value always gives the same text.
    ///
    ///     JSONValue.object(["b": .number(1), "a": .array([.bool(true)])]).text(indent: 1)
    ///     // {\n "a": [\n  true\n ],\n "b": 1\n}
    public func text(indent: Int = 1) -> String {
        var bytes: [UInt8] = []
        write(to: &bytes, indent: indent, level: 0)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text to one buffer (joining nested strings would copy a large file per level).
    private func write(to bytes: inout [UInt8], indent: Int, level: Int) {
        func newline(_ level: Int) {
            bytes.append(0x0A)
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
        }
        switch self {
        case .null: bytes += Array("null".utf8)
        case .bool(let value): bytes += Array((value ? "true" : "false").utf8)
        case .number(let value):
            if !value.isFinite {
                bytes += Array("null".utf8)
            } else if value.rounded() == value && abs(value) < 9.0e15 {
                bytes += Array(String(Int(value)).utf8)
            } else {
                bytes += Array(String(value).utf8)
            }
        case .string(let value): appendJSONStringLiteral(value, to: &bytes)
        case .array(let items):
            guard !items.isEmpty else { bytes += Array("[]".utf8); return }
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(level + 1)
                item.write(to: &bytes, indent: indent, level: level + 1)
            }
            newline(level)
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { bytes += Array("{}".utf8); return }
            bytes.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(level + 1)
                appendJSONStringLiteral(key, to: &bytes)
                bytes += Array(": ".utf8)
                members[key]!.write(to: &bytes, indent: indent, level: level + 1)
            }
            newline(level)
            bytes.append(UInt8(ascii: "}"))
        }
    }
}

// MARK: - The parser

private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    static let maximumDepth = 512
    /// No string in a model file comes near this; a longer one is a broken or hostile file.
    static let maximumStringBytes = 16 << 20

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    func error(_ message: String) -> JSONParseError {
        JSONParseError(bytes: bytes, offset: position, message: message)
    }

    /// What is at the current position, for messages: `'x'` or `the end of the file`.
    var here: String {
        guard position < bytes.count else { return "the end of the file" }
        let b = bytes[position]
        return b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
    }

    mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
    }

    mutating func expect(_ literal: String, _ value: JSONValue) throws -> JSONValue {
        for b in literal.utf8 {
            guard position < bytes.count, bytes[position] == b else { throw error("expected \(literal)") }
            position += 1
        }
        return value
    }

    mutating func parseValue(depth: Int) throws -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        guard position < bytes.count else { throw error("expected a value, found the end of the file") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("expected a value (object, array, string, number, true, false or null), found \(here)")
        }
    }

    mutating func parseObject(depth: Int) throws -> JSONValue {
        position += 1  // {
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw error("expected a string key in an object, found \(here)")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after the object key \(printable(key).debugDescription), found \(here)")
            }
            position += 1
            skipWhitespace()
            let keyEnd = position
            let value = try parseValue(depth: depth + 1)
            guard members.updateValue(value, forKey: key) == nil else {
                position = keyEnd
                throw error("the key \(printable(key).debugDescription) appears twice in one object")
            }
            skipWhitespace()
            guard position < bytes.count else { throw error("expected ',' or '}' in an object, found the end of the file") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            throw error("expected ',' or '}' in an object, found \(here)")
        }
    }

    mutating func parseArray(depth: Int) throws -> JSONValue {
        position += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard position < bytes.count else { throw error("expected ',' or ']' in an array, found the end of the file") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
            throw error("expected ',' or ']' in an array, found \(here)")
        }
    }

    mutating func parseNumber() throws -> JSONValue {
        let start = position
        func digits() -> Int {
            let from = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
            return position - from
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        guard digits() > 0 else { throw error("expected digits in a number") }
        if bytes[integerStart] == UInt8(ascii: "0") && position - integerStart > 1 {
            position = integerStart
            throw error("a number may not start with 0 followed by digits")
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw error("expected digits after the decimal point") }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw error("expected digits in the exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            position = start
            throw error("the number \(text) is out of range")
        }
        return .number(value)
    }

    mutating func parseString() throws -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes, so the string is the bytes as they are.
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character (byte 0x\(String(b, radix: 16))) inside a string; write it escaped") }
            position += 1
            guard position - start <= Self.maximumStringBytes else {
                throw error("a string longer than \(Self.maximumStringBytes / (1 << 20)) MB")
            }
        }
        // Slow path: the bytes so far, then each escape appended as UTF-8, one String at the end
        // (so a string of many escapes costs linear time).
        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        func append(_ scalar: Unicode.Scalar) { utf8.append(contentsOf: UTF8.encode(scalar)!) }
        while true {
            guard position < bytes.count else { throw error("unterminated string") }
            guard position - start <= Self.maximumStringBytes else {
                throw error("a string longer than \(Self.maximumStringBytes / (1 << 20)) MB")
            }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { position += 1; break }
            if b < 0x20 { throw error("control character (byte 0x\(String(b, radix: 16))) inside a string; write it escaped") }
            if b != UInt8(ascii: "\\") { utf8.append(b); position += 1; continue }
            position += 1
            guard position < bytes.count else { throw error("unterminated escape sequence") }
            let e = bytes[position]
            position += 1
            switch e {
            case UInt8(ascii: "\""): append("\"")
            case UInt8(ascii: "\\"): append("\\")
            case UInt8(ascii: "/"): append("/")
            case UInt8(ascii: "b"): append("\u{08}")
            case UInt8(ascii: "f"): append("\u{0C}")
            case UInt8(ascii: "n"): append("\n")
            case UInt8(ascii: "r"): append("\r")
            case UInt8(ascii: "t"): append("\t")
            case UInt8(ascii: "u"):
                var value = try parseHex4()
                if (0xD800...0xDBFF).contains(value), position + 1 < bytes.count,
                   bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    let save = position
                    position += 2
                    let low = try parseHex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        position = save
                    }
                }
                // A lone surrogate cannot be a Swift scalar: it becomes U+FFFD, as in a lenient decoder.
                append(Unicode.Scalar(value) ?? "\u{FFFD}")
            default:
                position -= 1
                throw error("unknown escape sequence \\\(Character(Unicode.Scalar(e)))")
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    mutating func parseHex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count, let digit = hexDigitValue(bytes[position]) else {
                throw error("expected four hexadecimal digits after \\u")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    func hexDigitValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x41...0x46: return UInt32(b - 0x41 + 10)
        case 0x61...0x66: return UInt32(b - 0x61 + 10)
        default: return nil
        }
    }
}
