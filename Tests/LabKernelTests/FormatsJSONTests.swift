// Tests of the JSON reader and string writer (Formats/JSON.swift): every kind of value, escapes
// and surrogate pairs, agreement with Foundation's JSONSerialization on a real file, errors with
// line and column, the nesting limit, and string literals that read back unchanged.

import Foundation
import XCTest
@testable import LabKernel
import LabTestSupport

final class FormatsJSONTests: XCTestCase {
    func testValues() throws {
        let value = try JSONValue.parse(#"""
            {"a": [1, -2.5e3, 0, true, false, null], "s": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude43", "o": {}, "e": [], "u": "é🙃"}
            """#)
        XCTAssertEqual(value["a"], .array([.number(1), .number(-2500), .number(0), .bool(true), .bool(false), .null]))
        XCTAssertEqual(value["s"]?.string, "x\"\\/\u{08}\u{0C}\n\r\té🙃")
        XCTAssertEqual(value["o"], .object([:]))
        XCTAssertEqual(value["e"], .array([]))
        XCTAssertEqual(value["u"]?.string, "é🙃")
        XCTAssertEqual(value["a"]?.array?[1].int, -2500)
        XCTAssertNil(JSONValue.number(0.5).int)
        XCTAssertNil(value["missing"])
        XCTAssertEqual(try JSONValue.parse(" \"\\ud800x\" ").string, "\u{FFFD}x")  // a lone surrogate
    }

    func testAgreesWithFoundationOnARealFile() throws {
        let url = RepositoryPaths.fixtures.appendingPathComponent("tokenizer/llama3_style_tokenizer.json")
        let data = try Data(contentsOf: url)
        let ours = try JSONValue.parse(data)
        let theirs = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let vocabulary = try XCTUnwrap((theirs["model"] as? [String: Any])?["vocab"] as? [String: Int])
        XCTAssertEqual(ours["model"]?["vocab"]?.object?.mapValues { $0.int ?? -1 }, vocabulary)
        XCTAssertEqual(ours["pre_tokenizer"]?["pretokenizers"]?.array?[0]["pattern"]?["Regex"]?.string, PreTokenizer.Pattern.llama3.regex)
    }

    private func assertParseError(_ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try JSONValue.parse(text), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    func testErrorsSayWhereAndWhat() {
        assertParseError("", "line 1 column 1: expected a value, found the end of the file")
        assertParseError("{\n  \"a\" 1}", "line 2 column 7: expected ':' after the object key \"a\", found '1'")
        assertParseError("[1, 2,]", "line 1 column 7: expected a value (object, array, string, number, true, false or null), found ']'")
        assertParseError("[1 2]", "line 1 column 4: expected ',' or ']' in an array, found '2'")
        assertParseError("{\"a\": 1} x", "line 1 column 10: expected the end of the document after the top-level value")
        assertParseError("\"abc", "line 1 column 5: unterminated string")
        assertParseError("\"a\nb\"", "line 1 column 3: control character (byte 0xa) inside a string; write it escaped")
        assertParseError("\"\\q\"", "line 1 column 3: unknown escape sequence \\q")
        assertParseError("\"\\u12G4\"", "line 1 column 6: expected four hexadecimal digits after \\u")
        assertParseError("012", "line 1 column 1: a number may not start with 0 followed by digits")
        assertParseError("1e999", "line 1 column 1: the number 1e999 is out of range")
        assertParseError("tru", "line 1 column 4: expected true")
        assertParseError(String(repeating: "[", count: 600), "line 1 column 513: nesting deeper than 512 levels")
        XCTAssertThrowsError(try JSONValue.parse([0x22, 0xC3, 0x22])) { error in
            XCTAssertEqual("\(error)", "line 1 column 2: the file is not valid UTF-8")
        }
    }

    func testStringLiteralsReadBack() throws {
        for text in ["", "plain", "quote \" backslash \\ slash /", "\u{0}\u{1}\u{1F}\u{7F}", "\n\r\t", "é 東京 🙃 \u{FFFD}", "Ġthe"] {
            XCTAssertEqual(try JSONValue.parse(jsonStringLiteral(text)).string, text)
        }
        XCTAssertEqual(jsonStringLiteral("a\u{1}\"é"), "\"a\\u0001\\\"é\"")
        XCTAssertEqual(jsonStringLiteral("a\"b\\c\nd\te\r\u{7F}"), "\"a\\\"b\\\\c\\nd\\te\\r\\u007f\"")
    }

    func testWrittenTextHasSortedKeysAndFixedIndentAndReadsBack() throws {
        let value = JSONValue.object(["b": .number(1), "a": .array([.bool(true), .null, .number(0.25), .string("x\n")]),
                                      "c": .object([:]), "d": .array([])])
        XCTAssertEqual(value.text(indent: 1),
                       "{\n \"a\": [\n  true,\n  null,\n  0.25,\n  \"x\\n\"\n ],\n \"b\": 1,\n \"c\": {},\n \"d\": []\n}")
        XCTAssertEqual(try JSONValue.parse(value.text(indent: 2)), value)
        XCTAssertEqual(JSONValue.array([.number(1e-5), .number(-3), .number(1e20), .number(.nan)]).text(indent: 0),
                       "[\n1e-05,\n-3,\n1e+20,\nnull\n]")
        // Foundation reads it as the same document.
        let foundation = try JSONSerialization.jsonObject(with: Data(value.text().utf8)) as? [String: Any]
        XCTAssertEqual(foundation?.keys.sorted(), ["a", "b", "c", "d"])
    }
}
