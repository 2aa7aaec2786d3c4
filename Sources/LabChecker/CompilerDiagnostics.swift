// The compiler's errors, picked out of `swift build` output line by line.
//
// Swift 6 prints each diagnostic as a header line followed by a source excerpt:
//
//     /kit/exercises/00-tensors/DotProduct.swift:25:12: error: cannot convert return expression …
//     23 | public func dot(_ a: [Float], _ b: [Float]) -> Float {
//     24 |     // TODO: …
//     25 |     return "zero"
//        |            `- error: cannot convert return expression of type 'String' to return type 'Float'
//     26 | }
//
// The checker shows the student exactly these lines (the compiler's own words), grouped by
// file, so the collector keeps each error or note header with the excerpt lines after it.
// Diagnostics that name no file (`error: link command failed …`, a broken manifest) are kept
// too: they mean the build failed for a reason no exercise explains. The same diagnostic can
// be printed twice (by the module-emitting and the compiling job); it is kept once.
//
// Left out: warnings (a build with warnings succeeds, and the checker only needs failures).

/// One error or note from the compiler, with its source excerpt.
public struct CompilerDiagnostic: Sendable, Equatable, Codable {
    /// The absolute path of the file, or nil for an error without a file.
    public var file: String?
    public var line: Int?
    public var severity: String
    /// The header line and its excerpt lines, as printed.
    public var text: String
}

/// Collects diagnostics from `swift build` output, one line at a time.
public struct CompilerDiagnosticCollector: Sendable {
    public private(set) var diagnostics: [CompilerDiagnostic] = []
    private var current: CompilerDiagnostic?
    private var seenHeaders: Set<String> = []

    public init() {}

    public mutating func consume(_ rawLine: Substring) {
        let line = String(rawLine)
        if let header = Self.parseHeader(line) {
            finishCurrent()
            guard header.severity != "warning", !seenHeaders.contains(line) else { return }
            seenHeaders.insert(line)
            current = CompilerDiagnostic(file: header.file, line: header.line, severity: header.severity, text: line)
        } else if current != nil, Self.isExcerptLine(line) {
            current?.text += "\n" + line
        } else {
            finishCurrent()
            if line.hasPrefix("error: "), !seenHeaders.contains(line) {
                seenHeaders.insert(line)
                diagnostics.append(CompilerDiagnostic(file: nil, line: nil, severity: "error", text: line))
            }
        }
    }

    /// Call after the last line.
    public mutating func finish() { finishCurrent() }

    /// The errors (not notes).
    public var errors: [CompilerDiagnostic] { diagnostics.filter { $0.severity == "error" } }

    private mutating func finishCurrent() {
        if let current { diagnostics.append(current) }
        current = nil
    }

    /// `path:line:column: severity: message` → the parts, or nil.
    static func parseHeader(_ line: String) -> (file: String, line: Int, severity: String)? {
        for severity in ["error", "warning", "note"] {
            guard let marker = line.range(of: ": \(severity): ") else { continue }
            // The part before the marker is `path:line:column` (the path may contain colons).
            let location = line[..<marker.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            guard location.count >= 3, let number = Int(location[location.count - 2]),
                  Int(location[location.count - 1]) != nil else { continue }
            let file = location.dropLast(2).joined(separator: ":")
            guard file.hasSuffix(".swift") else { continue }
            return (file, number, severity)
        }
        return nil
    }

    /// An excerpt line: optional spaces, an optional line number, then ` |` (e.g. `25 |     return`,
    /// `   |            `- error: …`).
    static func isExcerptLine(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " }.drop { $0.isNumber }
        return trimmed.hasPrefix(" |") || trimmed.hasPrefix("|")
    }
}
