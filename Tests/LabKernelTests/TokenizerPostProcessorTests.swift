// tokenizer.json's post-processor: Llama 3's TemplateProcessing puts <|begin_of_text|> before every
// text that Hugging Face encodes with `add_special_tokens` (its default). The fixture
// (Tests/Fixtures/tokenizer/llama3_template_*.json, scripts/fixtures/make_tokenizer_json_fixtures.py)
// is the Llama-3-style tokenizer with Llama 3's post-processor; the kit must give Hugging Face's ids
// with and without the template, keep it when saving and adding tokens, and name what it cannot read.

import Foundation
import LabKernel
import LabTestSupport
import XCTest

final class TokenizerPostProcessorTests: XCTestCase {
    static let fixture = RepositoryPaths.fixtures.appendingPathComponent("tokenizer/llama3_template_tokenizer.json")

    func cases() throws -> [(text: String, ids: [Int], plain: [Int])] {
        let json = try JSONValue.parse(Data(contentsOf: RepositoryPaths.fixtures
            .appendingPathComponent("tokenizer/llama3_template_encodings.json")))
        return try XCTUnwrap(json["cases"]?.array).map { item in
            (try XCTUnwrap(item["text"]?.string), try XCTUnwrap(item["ids"]?.array).map { try XCTUnwrap($0.int) },
             try XCTUnwrap(item["ids_without_special_tokens"]?.array).map { try XCTUnwrap($0.int) })
        }
    }

    func assertEncodesLikeHuggingFace(_ tokenizer: BPETokenizer, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try cases()
        XCTAssertEqual(expected.count, 5, "the fixture lost its cases", file: file, line: line)
        for (text, ids, plain) in expected {
            XCTAssertEqual(tokenizer.encode(text, addingSpecialTokens: true), ids, "\(label) \(text.debugDescription)", file: file, line: line)
            XCTAssertEqual(tokenizer.encode(text, addingSpecialTokens: false), plain, "\(label) \(text.debugDescription)", file: file, line: line)
            XCTAssertEqual(tokenizer.encode(text), plain, "plain encode adds nothing", file: file, line: line)
        }
    }

    func testTemplateProcessingAddsBeginOfTextLikeHuggingFace() throws {
        let tokenizer = try BPETokenizer.load(tokenizerJSON: Self.fixture)
        XCTAssertEqual(tokenizer.sequenceTemplate.before, [tokenizer.specialTokens["<|begin_of_text|>"]!])
        XCTAssertEqual(tokenizer.sequenceTemplate.after, [])
        try assertEncodesLikeHuggingFace(tokenizer, "loaded")
        // Files without a template add nothing.
        let gpt2Style = try BPETokenizer.load(tokenizerJSON: RepositoryPaths.fixtures.appendingPathComponent("tokenizer/qwen2_style_tokenizer.json"))
        XCTAssertEqual(gpt2Style.encode("hello", addingSpecialTokens: true), gpt2Style.encode("hello"))
    }

    func testTemplateSurvivesSavingAndAddingSpecialTokens() throws {
        let tokenizer = try BPETokenizer.load(tokenizerJSON: Self.fixture)
        let json = tokenizer.tokenizerJSON()
        XCTAssertEqual(try JSONValue.parse(Data(json.utf8))["post_processor"]?["type"]?.string, "TemplateProcessing")
        try assertEncodesLikeHuggingFace(try BPETokenizer(tokenizerJSON: Data(json.utf8)), "saved and reloaded")
        try assertEncodesLikeHuggingFace(try tokenizer.addingSpecialTokens(["<|extra|>"]), "with an added token")
    }

    func testUnreadablePostProcessorsAreNamed() throws {
        let text = try String(contentsOf: Self.fixture, encoding: .utf8)
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        func load(postProcessor: Any) throws -> BPETokenizer {
            var changed = root
            changed["post_processor"] = postProcessor
            return try BPETokenizer(tokenizerJSON: JSONSerialization.data(withJSONObject: changed), source: "tokenizer.json")
        }
        let bos: [String: Any] = ["SpecialToken": ["id": "<|begin_of_text|>", "type_id": 0]]
        let sequence: [String: Any] = ["Sequence": ["id": "A", "type_id": 0]]
        let specials: [String: Any] = ["<|begin_of_text|>": ["id": "<|begin_of_text|>", "ids": [0], "tokens": ["<|begin_of_text|>"]]]
        let cases: [(Any, [String])] = [
            (["type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0]], ["post_processor", "\"RobertaProcessing\"", "not supported"]),
            (["type": "TemplateProcessing", "single": [bos], "special_tokens": specials], ["post_processor.single", "no sequence"]),
            (["type": "TemplateProcessing", "single": [bos, sequence], "special_tokens": [String: Any]()],
             ["post_processor.special_tokens", "<|begin_of_text|>"]),
            (["type": "TemplateProcessing", "single": [bos, sequence],
              "special_tokens": ["<|begin_of_text|>": ["id": "<|begin_of_text|>", "ids": [99999], "tokens": ["x"]]]],
             ["99999", "not one of the added tokens"]),
            (["type": "Sequence", "processors": [["type": "ByteLevel"], ["type": "TemplateProcessing", "single": [sequence, sequence]]]],
             ["post_processor.processors[1].single[1]", "second"]),
        ]
        for (postProcessor, phrases) in cases {
            XCTAssertThrowsError(try load(postProcessor: postProcessor)) { error in
                for phrase in phrases {
                    XCTAssertTrue("\(error)".contains(phrase), "the error does not mention \(phrase): \(error)")
                }
            }
        }
        XCTAssertEqual(try load(postProcessor: NSNull()).sequenceTemplate.before, [])
        XCTAssertEqual(try load(postProcessor: ["type": "ByteLevel", "trim_offsets": false]).sequenceTemplate.before, [])
    }
}
