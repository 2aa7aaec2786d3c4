// NotebookExport: writing a lesson run's record (NotebookRecord.swift) to a file.
//
// `--export FILE` picks the format from the file name: `.ipynb` is a Jupyter notebook
// (JupyterExport.swift), `.html` a self-contained web page (HTMLExport.swift). The destination is
// checked when the options are read, before the lesson runs, so a typo costs nothing: the folder
// must exist and be writable, and the path must not be a folder. The file itself is written when
// the lesson reaches its summary, atomically (a temporary file in the same folder, then a
// rename), so a lesson that crashes or is interrupted leaves no half-written export and an
// earlier export of the same name stays whole until the new one replaces it.
//
// Left out: Markdown and PDF (a browser prints the web page), and exporting without running
// the lesson (the record holds real results, so it comes from a real run).

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an export file is, by its extension.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// A Jupyter notebook (nbformat 4.5).
    case jupyter = "ipynb"
    /// A self-contained web page.
    case html = "html"

    /// The format a path names by its extension (case-insensitive), nil for any other.
    public init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        self.init(rawValue: name[name.index(after: dot)...].lowercased())
    }
}

/// An export that cannot be written, naming the path and what was expected.
public struct NotebookExportError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) { self.description = description }
}

public enum NotebookExport {
    /// Throws unless `path` can be written as an export: a known extension, an existing,
    /// writable parent folder, and not itself a folder.
    public static func checkDestination(_ path: String) throws {
        guard ExportFormat(path: path) != nil else {
            throw NotebookExportError("--export \(path): the file name must end in .ipynb (a Jupyter notebook) or .html (a web page)")
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            throw NotebookExportError("--export \(path): this is a folder; name a file inside it, e.g. \(path)/lesson.\(ExportFormat(path: path)!.rawValue)")
        }
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw NotebookExportError("--export \(path): the folder \(folder) does not exist (create it first: mkdir -p \(folder))")
        }
        guard access(folder, W_OK) == 0 else {
            throw NotebookExportError("--export \(path): the folder \(folder) is not writable")
        }
    }

    /// The record as the text of a file of `format`.
    public static func render(_ document: NotebookDocument, as format: ExportFormat) -> String {
        switch format {
        case .jupyter: return jupyterNotebook(document)
        case .html: return htmlPage(document)
        }
    }

    /// Writes the record to `path` in the format its extension names, atomically.
    public static func write(_ document: NotebookDocument, to path: String) throws {
        try checkDestination(path)
        try writeAtomically(render(document, as: ExportFormat(path: path)!), to: path)
    }

    /// Writes `text` to a temporary file beside `path`, then renames it over `path`.
    public static func writeAtomically(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw NotebookExportError("--export \(path): cannot write \(temporary.path): \(error.localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw NotebookExportError("--export \(path): cannot replace the file: \(reason)")
        }
    }
}

// MARK: - JSON, as nbformat writes it

/// A JSON value, written with sorted keys and one space of indent per level (as `nbformat`
/// writes notebooks), so that the same record gives the same bytes.
indirect enum JSON {
    case string(String)
    case number(Int)
    case bool(Bool)
    case null
    case array([JSON])
    case object([String: JSON])

    /// The value as text; `level` is the indent of the line it starts on.
    func text(level: Int = 0) -> String {
        var bytes: [UInt8] = []
        write(to: &bytes, level: level)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the value's UTF-8 text to `bytes` (one buffer for the whole notebook: a notebook
    /// with figures is hundreds of kilobytes, and joining nested strings would copy it per level).
    private func write(to bytes: inout [UInt8], level: Int) {
        func indent(_ count: Int) { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count)) }
        switch self {
        case .string(let value): JSON.appendQuoted(value, to: &bytes)
        case .number(let value): bytes.append(contentsOf: String(value).utf8)
        case .bool(let value): bytes.append(contentsOf: (value ? "true" : "false").utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        case .array(let items):
            if items.isEmpty { bytes.append(contentsOf: "[]".utf8); return }
            bytes.append(contentsOf: "[\n".utf8)
            for (index, item) in items.enumerated() {
                indent(level + 1)
                item.write(to: &bytes, level: level + 1)
                bytes.append(contentsOf: (index + 1 < items.count ? ",\n" : "\n").utf8)
            }
            indent(level)
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { bytes.append(contentsOf: "{}".utf8); return }
            bytes.append(contentsOf: "{\n".utf8)
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                indent(level + 1)
                JSON.appendQuoted(key, to: &bytes)
                bytes.append(contentsOf: ": ".utf8)
                members[key]!.write(to: &bytes, level: level + 1)
                bytes.append(contentsOf: (index + 1 < keys.count ? ",\n" : "\n").utf8)
            }
            indent(level)
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// `value` as a JSON string literal (non-ASCII characters stay as they are: the file is UTF-8).
    static func quoted(_ value: String) -> String {
        var bytes: [UInt8] = []
        appendQuoted(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` as a JSON string literal. Works on UTF-8 bytes: every byte that needs an
    /// escape is ASCII, and the bytes of other characters pass through unchanged.
    static func appendQuoted(_ value: String, to bytes: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 15)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
