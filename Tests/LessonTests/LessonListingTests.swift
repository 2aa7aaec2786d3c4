// A lesson shows some of its functions as code listings (`notebook.code("""…""")`) next to the
// numbers they produce. Those numbers come from the real function elsewhere in the lesson's
// folder, so the listing must be that function: this test reads every lesson's sources, finds
// each function a listing defines, and compares it with the function the lesson runs, line by
// line, comments aside (a listing may annotate what the code file explains elsewhere).

import Foundation
import LabTestSupport
import XCTest

final class LessonListingTests: XCTestCase {
    /// Every `notebook.code` listing of a source file: its text as the student sees it.
    static func listings(in source: String) -> [(range: Range<String.Index>, text: String)] {
        var found: [(Range<String.Index>, String)] = []
        var searchFrom = source.startIndex
        while let open = source.range(of: "notebook.code(", range: searchFrom..<source.endIndex) {
            searchFrom = open.upperBound
            var cursor = open.upperBound
            let raw = source[cursor...].hasPrefix("#")
            if raw { cursor = source.index(after: cursor) }
            guard source[cursor...].hasPrefix("\"\"\"\n") else { continue }  // one-line listings define nothing
            let bodyStart = source.index(cursor, offsetBy: 4)
            guard let close = source.range(of: "\"\"\"" + (raw ? "#" : ""), range: bodyStart..<source.endIndex) else { continue }
            var lines = source[bodyStart..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // The closing delimiter's indentation is removed from every line, as Swift does.
            let indentation = lines.removeLast().count
            var text = lines.map { String($0.dropFirst(min(indentation, $0.prefix { $0 == " " }.count))) }.joined(separator: "\n")
            if !raw { text = text.replacingOccurrences(of: "\\\\", with: "\\").replacingOccurrences(of: "\\\"", with: "\"") }
            found.append((open.lowerBound..<close.upperBound, text))
            searchFrom = close.upperBound
        }
        return found
    }

    /// The names of the functions a listing defines.
    static func definedFunctions(in listing: String) -> [String] {
        listing.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("func "), let paren = trimmed.firstIndex(of: "(") else { return nil }
            return String(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 5)..<paren])
        }
    }

    /// The text of function `name` in `source` (from its `func` line to the brace that closes it,
    /// at the same indentation), with that indentation removed; nil if it is not there.
    static func function(_ name: String, in source: String) -> String? {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() {
            let indentation = line.prefix { $0 == " " }.count
            let trimmed = line.dropFirst(indentation)
            let declaration = ["func ", "private func ", "fileprivate func ", "static func "].first { trimmed.hasPrefix($0 + name + "(") }
            guard let declaration else { continue }
            var body = [String(trimmed.dropFirst(declaration.count - 5))]  // from "func"
            if trimmed.hasSuffix("}") { return body[0] }  // a one-line function
            for next in lines[(index + 1)...] {
                body.append(String(next.dropFirst(min(indentation, next.prefix { $0 == " " }.count))))
                if next.prefix(indentation + 1) == String(repeating: " ", count: indentation) + "}" { return body.joined(separator: "\n") }
            }
        }
        return nil
    }

    /// `code` without `//` comments (whole lines and line ends) and trailing spaces.
    static func withoutComments(_ code: String) -> String {
        code.split(separator: "\n").compactMap { line -> String? in
            let kept = line.range(of: "//").map { line[..<$0.lowerBound] } ?? line[...]
            let trimmed = String(kept.reversed().drop { $0 == " " }.reversed())
            return trimmed.isEmpty && kept.count != line.count ? nil : trimmed
        }.joined(separator: "\n")
    }

    func testListedFunctionsAreTheFunctionsTheLessonRuns() throws {
        let lessons = RepositoryPaths.root.appendingPathComponent("lessons", isDirectory: true)
        var compared = 0
        for folder in try FileManager.default.contentsOfDirectory(atPath: lessons.path).sorted() {
            let url = lessons.appendingPathComponent(folder, isDirectory: true)
            let files = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".swift") }.sorted()
            var sources: [String: String] = [:]
            for file in files { sources[file] = try String(contentsOf: url.appendingPathComponent(file), encoding: .utf8) }
            // The sources with their listings blanked out: where the functions that run are.
            var code = sources
            for (file, source) in sources {
                var blanked = source
                for listing in Self.listings(in: source).reversed() { blanked.replaceSubrange(listing.range, with: "") }
                code[file] = blanked
            }
            for (file, source) in sources.sorted(by: { $0.key < $1.key }) {
                for listing in Self.listings(in: source) {
                    for name in Self.definedFunctions(in: listing.text) {
                        let shown = try XCTUnwrap(Self.function(name, in: listing.text), "\(folder)/\(file): listing of \(name)")
                        let running = code.sorted { $0.key < $1.key }.compactMap { Self.function(name, in: $0.value) }
                        guard let actual = running.first else {
                            XCTFail("\(folder)/\(file) lists func \(name), which the lesson does not define")
                            continue
                        }
                        XCTAssertEqual(Self.withoutComments(shown), Self.withoutComments(actual),
                                       "\(folder)/\(file): the listing of \(name) differs from the function that runs")
                        compared += 1
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 7, "the lessons lost their function listings, or this test stopped finding them")
    }
}
