// Reading the tokenizer fixtures (Tests/Fixtures/tokenizer/, made by
// scripts/fixtures/make_tokenizer_fixtures.py) into plain Decodable structs. The shared `Fixture`
// type reads numbers, tensors and single strings; these files also hold lists of strings and
// objects keyed by token, so the tokenizer tests decode them directly.

import Foundation
import XCTest
import LabTestSupport

/// A tokenizer fixture that cannot be read; the message names the file.
struct TokenizerFixtureError: Error, CustomStringConvertible {
    let description: String
}

/// Decodes `Tests/Fixtures/tokenizer/<name>` as `T`, with a message naming the file on failure.
func loadTokenizerFixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    let url = RepositoryPaths.fixtures.appendingPathComponent("tokenizer/\(name)")
    do {
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    } catch {
        throw TokenizerFixtureError(description: "fixture tokenizer/\(name): cannot decode \(url.path) as \(T.self): \(error). "
            + "It is made by scripts/fixtures/make_tokenizer_fixtures.py.")
    }
}

/// A fixture value that is either one string or a list of strings.
enum StringOrList: Decodable {
    case string(String)
    case list([String])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) { self = .string(text) } else { self = .list(try container.decode([String].self)) }
    }

    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var list: [String]? { if case .list(let l) = self { return l } else { return nil } }
}

/// One text (inline or a file of the peer conformance data) and its reference token ids.
struct EncodingCase: Decodable {
    let text: String?
    let file: String?
    let ids: [Int]
}

/// The text of an `EncodingCase`: inline, or read from ../shared/conformance/cs336/fixtures
/// (the test is skipped where that folder is absent).
func caseText(_ c: EncodingCase) throws -> String {
    if let text = c.text { return text }
    let url = try RepositoryPaths.requireConformance("cs336/fixtures/\(c.file ?? "?")")
    return try String(contentsOf: url, encoding: .utf8)
}
