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
import LabKernel
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

    /// Writes the record to `path` in the format its extension names, atomically (the kernel's
    /// `writeFileAtomically`).
    public static func write(_ document: NotebookDocument, to path: String) throws {
        try checkDestination(path)
        do {
            try writeFileAtomically(Data(render(document, as: ExportFormat(path: path)!).utf8), to: URL(fileURLWithPath: path))
        } catch let error as FileWriteError {
            throw NotebookExportError("--export \(path): \(error)")
        }
    }


}
