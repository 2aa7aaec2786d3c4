// `lab generate`, run as a user runs it, on the tiny checkpoints under Tests/Fixtures/models/
// (written by Hugging Face transformers with their greedy continuations in reference.json):
// greedy ids must equal transformers' exactly, text must stream as the tokenizer decodes it, the
// chat wrapper must appear only for ChatML folders, and every kind of bad input must end with a
// clear message and a non-zero exit status, never a crash.

import Foundation
import XCTest
import LabKernel
import LabTestSupport
@testable import lab

final class GenerateCommandTests: XCTestCase {
    static let models = RepositoryPaths.fixtures.appendingPathComponent("models", isDirectory: true)

    static func folder(_ name: String) -> String { models.appendingPathComponent(name).path }

    private func generate(_ arguments: [String], input: Data? = nil, file: StaticString = #filePath,
                          line: UInt = #line) throws -> LabRun {
        try LabTool.run(["generate"] + arguments, input: input, in: try makeTemporaryFolder(self))
    }

    private func generateJSON(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue {
        let run = try generate(arguments + ["--json"])
        assertStatus(run, 0, file: file, line: line)
        return try JSONValue.parse(run.standardOutput)
    }

    // MARK: - Greedy ids against transformers

    func testGreedyJSONReproducesTransformersGenerate() throws {
        for (folder, referenceFolder) in [("gpt2", "gpt2"), ("gpt2-sharded", "gpt2"), ("llama", "llama"), ("qwen2", "qwen2")] {
            let greedy = try Fixture.load("models/\(referenceFolder)/reference.json").object("greedy")
            let prompt = try greedy.ints("prompt"), count = try greedy.int("new_tokens")
            let report = try generateJSON(["--model", Self.folder(folder), "--prompt-ids", prompt.map(String.init).joined(separator: ","),
                                           "--temperature", "0", "--max-tokens", String(count)])
            XCTAssertEqual(report["prompt_ids"]?.array?.compactMap(\.int), prompt, folder)
            XCTAssertEqual(report["generated_ids"]?.array?.compactMap(\.int), Array(try greedy.ints("output").dropFirst(prompt.count)), folder)
            XCTAssertEqual(report["stop_reason"]?.string, "max_tokens", folder)
            XCTAssertEqual(report["timings"]?["prompt_tokens"]?.int, prompt.count, folder)
            XCTAssertEqual(report["timings"]?["generated_tokens"]?.int, count, folder)
            guard case .number(let rate)? = report["timings"]?["generation_tokens_per_second"] else {
                return XCTFail("\(folder): no generation_tokens_per_second number in the timings")
            }
            XCTAssertGreaterThan(rate, 0, folder)
            // Only the gpt2 folder has a tokenizer: the text is the decoding of the ids; the others have none.
            if folder == "gpt2" {
                let tokenizer = try BPETokenizer.load(tokenizerJSON: Self.models.appendingPathComponent("gpt2/tokenizer.json"))
                XCTAssertEqual(report["text"]?.string, try tokenizer.decode(Array(try greedy.ints("output").dropFirst(prompt.count))))
            } else {
                XCTAssertEqual(report["text"]?.isNull, true, folder)
            }
        }
    }

    func testIDsWithoutTokenizerPrintTheGeneratedIDs() throws {
        let greedy = try Fixture.load("models/llama/reference.json").object("greedy")
        let prompt = try greedy.ints("prompt")
        let run = try generate(["--model", Self.folder("llama"), "--prompt-ids", prompt.map(String.init).joined(separator: ","),
                                "--temperature", "0", "--max-tokens", "8"])
        assertStatus(run, 0)
        XCTAssertEqual(run.output, try greedy.ints("output").dropFirst(prompt.count).map(String.init).joined(separator: ",") + "\n")
        XCTAssertTrue(run.errors.contains("tokens/s") && run.errors.contains("stop: max_tokens"), run.transcript)
    }

    func testHalfPrecisionFoldersGenerate() throws {
        // F16 and BF16 copies of the fixtures (no reference continuation: rounding may change ids).
        for folder in ["llama-f16", "qwen2-bf16"] {
            let report = try generateJSON(["--model", Self.folder(folder), "--prompt-ids", "1,2,3", "--temperature", "0", "--max-tokens", "6"])
            XCTAssertEqual(report["generated_ids"]?.array?.count, 6, folder)
            XCTAssertEqual(report["stop_reason"]?.string, "max_tokens", folder)
        }
    }

    // MARK: - Text, streaming and sampling

    func testTextPromptStreamsTheDecodedTextAndStatistics() throws {
        let model = Self.folder("gpt2")
        let report = try generateJSON(["--model", model, "--prompt", "Hello world", "--temperature", "0", "--max-tokens", "10"])
        let text = try XCTUnwrap(report["text"]?.string)
        let tokenizer = try BPETokenizer.load(tokenizerJSON: Self.models.appendingPathComponent("gpt2/tokenizer.json"))
        XCTAssertEqual(report["prompt_ids"]?.array?.compactMap(\.int), tokenizer.encode("Hello world"))

        let streamed = try generate(["--model", model, "--prompt", "Hello world", "--temperature", "0", "--max-tokens", "10"])
        assertStatus(streamed, 0)
        XCTAssertEqual(streamed.output, text + "\n")
        XCTAssertTrue(streamed.errors.contains("prompt: \(tokenizer.encode("Hello world").count) tokens"), streamed.transcript)
        XCTAssertTrue(streamed.errors.contains("tokens/s"), streamed.transcript)

        let quiet = try generate(["--model", model, "--prompt", "Hello world", "--temperature", "0", "--max-tokens", "10", "--quiet"])
        assertStatus(quiet, 0)
        XCTAssertEqual(quiet.output, text + "\n")
        XCTAssertEqual(quiet.errors, "")

        // Standard input (not a terminal here) is the prompt when neither option is given.
        let piped = try generate(["--model", model, "--temperature", "0", "--max-tokens", "10", "--json"],
                                 input: Data("Hello world\n".utf8))
        assertStatus(piped, 0)
        XCTAssertEqual(try JSONValue.parse(piped.standardOutput)["generated_ids"], report["generated_ids"])
    }

    func testSeedFixesSampledOutputAndStopStringsCut() throws {
        let base = ["--model", Self.folder("gpt2"), "--prompt", "Once", "--temperature", "1.2", "--top-k", "50", "--top-p", "0.9",
                    "--min-p", "0.01", "--repetition-penalty", "1.1", "--max-tokens", "16"]
        let first = try generateJSON(base + ["--seed", "11"])
        XCTAssertEqual(first["generated_ids"], try generateJSON(base + ["--seed", "11"])["generated_ids"])
        XCTAssertNotEqual(first["generated_ids"], try generateJSON(base + ["--seed", "12"])["generated_ids"])

        // Cut at a stop string taken from the middle of that text.
        let text = try XCTUnwrap(first["text"]?.string)
        let scalars = Array(text.unicodeScalars)
        try XCTSkipIf(scalars.count < 6, "the sampled text is too short to cut a stop string from")
        let stop = String(String.UnicodeScalarView(scalars[3..<5]))
        let cut = try generateJSON(base + ["--seed", "11", "--stop", stop, "--stop", "no such text"])
        XCTAssertEqual(cut["text"]?.string, String(text[..<text.range(of: stop)!.lowerBound]))
        XCTAssertEqual(cut["stop_reason"]?.string, "stop_string")
        XCTAssertEqual(cut["stop_string"]?.string, stop)
    }

    // MARK: - The tokenizer's template

    func testTextPromptGetsTheTokenizersTemplateTokens() throws {
        // The GPT-2 fixture with a Llama-3-style post-processor that puts <|endoftext|> (299) first.
        let folder = try makeTemporaryFolder(self).appendingPathComponent("bos-model")
        try FileManager.default.copyItem(at: Self.models.appendingPathComponent("gpt2"), to: folder)
        let url = folder.appendingPathComponent("tokenizer.json")
        var root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        root["post_processor"] = ["type": "Sequence", "processors": [
            ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true],
            ["type": "TemplateProcessing",
             "single": [["SpecialToken": ["id": "<|endoftext|>", "type_id": 0]], ["Sequence": ["id": "A", "type_id": 0]]],
             "special_tokens": ["<|endoftext|>": ["id": "<|endoftext|>", "ids": [299], "tokens": ["<|endoftext|>"]]]],
        ]]
        try JSONSerialization.data(withJSONObject: root).write(to: url)
        let tokenizer = try BPETokenizer.load(tokenizerJSON: url)
        let report = try generateJSON(["--model", folder.path, "--prompt", "Hi there", "--temperature", "0", "--max-tokens", "2"])
        XCTAssertEqual(report["prompt_ids"]?.array?.compactMap(\.int), [299] + tokenizer.encode("Hi there"))
        // Token ids are taken as given.
        let ids = try generateJSON(["--model", folder.path, "--prompt-ids", "5,6", "--temperature", "0", "--max-tokens", "2"])
        XCTAssertEqual(ids["prompt_ids"]?.array?.compactMap(\.int), [5, 6])
        // lab inspect says so.
        let inspect = try LabTool.run(["inspect", folder.path], in: try makeTemporaryFolder(self))
        XCTAssertTrue(inspect.output.contains("added around a text prompt: <|endoftext|> before"), inspect.transcript)
    }

    // MARK: - Chat

    /// A copy of the GPT-2 fixture whose tokenizer gives up its last two merges to make room for
    /// <|im_start|> (297) and <|im_end|> (298), with the given chat template.
    private func chatFolder(template: String?) throws -> URL {
        let folder = try makeTemporaryFolder(self).appendingPathComponent("chat-model")
        try FileManager.default.copyItem(at: Self.models.appendingPathComponent("gpt2"), to: folder)
        let url = folder.appendingPathComponent("tokenizer.json")
        var root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var model = try XCTUnwrap(root["model"] as? [String: Any])
        let vocabulary = try XCTUnwrap(model["vocab"] as? [String: Int]).filter { $0.value < 297 }
        model["vocab"] = vocabulary
        model["merges"] = Array(try XCTUnwrap(model["merges"] as? [Any]).dropLast(2))
        root["model"] = model
        var added = try XCTUnwrap(root["added_tokens"] as? [[String: Any]])
        for (id, content) in [(297, "<|im_start|>"), (298, "<|im_end|>")] {
            added.append(["id": id, "content": content, "single_word": false, "lstrip": false, "rstrip": false,
                          "normalized": false, "special": true])
        }
        root["added_tokens"] = added
        try JSONSerialization.data(withJSONObject: root).write(to: url)
        if let template {
            try JSONSerialization.data(withJSONObject: ["chat_template": template]).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        }
        return folder
    }

    static let chatML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
        + "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"

    func testChatWrapsTheMessageInChatMLAndStopsAtEndOfTurn() throws {
        let folder = try chatFolder(template: Self.chatML)
        let report = try generateJSON(["--model", folder.path, "--prompt", "Hi there", "--chat", "--temperature", "0", "--max-tokens", "5"])
        let tokenizer = try BPETokenizer.load(tokenizerJSON: folder.appendingPathComponent("tokenizer.json"))
        let wrapped = tokenizer.encode("<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n")
        XCTAssertEqual(wrapped.first, 297)
        XCTAssertEqual(wrapped.filter { $0 == 298 }.count, 1)
        XCTAssertEqual(report["prompt_ids"]?.array?.compactMap(\.int), wrapped)
        // The end of turn joins the folder's end-of-sequence ids.
        XCTAssertEqual(try ChatMLTemplate.load(folder: folder, tokenizer: tokenizer).endOfTurnID, 298)
    }

    /// SmolLM2-Instruct's template as its tokenizer_config.json stores it (after JSON decoding the
    /// literal holds real line breaks), and Qwen2.5-Instruct's (escaped \\n inside Jinja literals,
    /// a system turn joined with the caller's message first, the default in the else branch).
    static let smolLM2Template = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
        + "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}"
        + "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
    static let qwen25Template = "{%- if tools %}\n    {{- '<|im_start|>system\\n' }}\n{%- else %}\n"
        + "    {%- if messages[0]['role'] == 'system' %}\n        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n"
        + "    {%- else %}\n        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}\n"
        + "    {%- endif %}\n{%- endif %}\n{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}{%- endfor %}"

    func testDefaultSystemMessageIsReadFromTheTemplatesLiteral() {
        XCTAssertEqual(ChatMLTemplate.defaultSystemMessage(in: Self.smolLM2Template),
                       "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        XCTAssertEqual(ChatMLTemplate.defaultSystemMessage(in: Self.qwen25Template),
                       "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.")
        XCTAssertNil(ChatMLTemplate.defaultSystemMessage(in: Self.chatML), "a template without a default system turn")
        // Escapes inside the literal: \n and \" (a double-quoted Jinja string).
        XCTAssertEqual(ChatMLTemplate.defaultSystemMessage(in: #"{{ "<|im_start|>system\nSay \"hi\".<|im_end|>\n" }}"#), #"Say "hi"."#)
        XCTAssertNil(ChatMLTemplate.defaultSystemMessage(in: #"{{ '<|im_start|>system\nunclosed <|im_end|>"#), "an unclosed literal")
    }

    func testChatStartsWithTheDefaultOrTheGivenSystemMessage() throws {
        // SmolLM2's template with a one-letter default: the fixture model's context is 32 tokens,
        // and its 300-token vocabulary spends about one token per letter.
        let template = Self.smolLM2Template.replacingOccurrences(of: "You are a helpful AI assistant named SmolLM, trained by Hugging Face",
                                                                 with: "K")
        let folder = try chatFolder(template: template)
        let tokenizer = try BPETokenizer.load(tokenizerJSON: folder.appendingPathComponent("tokenizer.json"))
        func promptIDs(_ extra: [String]) throws -> [Int]? {
            try generateJSON(["--model", folder.path, "--prompt", "A", "--chat", "--temperature", "0", "--max-tokens", "1"] + extra)["prompt_ids"]?
                .array?.compactMap(\.int)
        }
        let user = "<|im_start|>user\nA<|im_end|>\n<|im_start|>assistant\n"
        XCTAssertEqual(try promptIDs([]), tokenizer.encode("<|im_start|>system\nK<|im_end|>\n" + user))
        XCTAssertEqual(try promptIDs(["--system", "B"]), tokenizer.encode("<|im_start|>system\nB<|im_end|>\n" + user))
        let withoutChat = try generate(["--model", folder.path, "--prompt", "Hi", "--system", "Be brief."])
        assertFailure(withoutChat, status: 2, mentioning: ["--system", "--chat"])
    }

    func testChatRefusesOtherTemplatesAndFoldersWithoutOne() throws {
        let llama3 = "{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] + '<|eot_id|>' }}{% endfor %}"
        let other = try generate(["--model", try chatFolder(template: llama3).path, "--prompt", "Hi", "--chat"])
        assertFailure(other, status: 1, mentioning: ["--chat", "not ChatML", "Llama 3 style"])
        let none = try generate(["--model", try chatFolder(template: nil).path, "--prompt", "Hi", "--chat"])
        assertFailure(none, status: 1, mentioning: ["--chat", "no tokenizer_config.json"])
        // A ChatML template without the special tokens in the tokenizer: the files do not match.
        let folder = try chatFolder(template: Self.chatML)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("tokenizer.json"))
        try FileManager.default.copyItem(at: Self.models.appendingPathComponent("gpt2/tokenizer.json"),
                                         to: folder.appendingPathComponent("tokenizer.json"))
        let mismatched = try generate(["--model", folder.path, "--prompt", "Hi", "--chat"])
        assertFailure(mismatched, status: 1, mentioning: ["<|im_start|>", "special tokens"])
    }

    // MARK: - Bad input

    func testBadInputEndsWithAClearMessage() throws {
        let gpt2 = Self.folder("gpt2"), llama = Self.folder("llama")
        let cases: [(arguments: [String], input: Data?, status: Int32, phrases: [String])] = [
            (["--model", gpt2, "--prompt", ""], nil, 1, ["prompt is empty"]),
            (["--model", gpt2], Data(), 1, ["prompt is empty"]),
            (["--model", gpt2, "--prompt-ids", Array(repeating: "5", count: 32).joined(separator: ",")], nil, 1,
             ["32 tokens", "context holds 32", "at most 31 tokens"]),
            (["--model", gpt2, "--prompt", String(repeating: "a b ", count: 40)], nil, 1, ["context holds 32"]),
            (["--model", gpt2, "--prompt", "Hi", "--top-p", "0"], nil, 2, ["--top-p", "(0, 1]", "'0'"]),
            (["--model", gpt2, "--prompt", "Hi", "--top-p", "1.5"], nil, 2, ["--top-p", "'1.5'"]),
            (["--model", gpt2, "--prompt", "Hi", "--temperature", "-0.5"], nil, 2, ["--temperature", "≥ 0", "'-0.5'"]),
            (["--model", gpt2, "--prompt", "Hi", "--temperature", "nan"], nil, 2, ["--temperature"]),
            (["--model", gpt2, "--prompt", "Hi", "--top-k", "0"], nil, 2, ["--top-k"]),
            (["--model", gpt2, "--prompt", "Hi", "--max-tokens", "-3"], nil, 2, ["--max-tokens"]),
            (["--model", gpt2, "--prompt", "Hi", "--repetition-penalty", "0"], nil, 2, ["--repetition-penalty"]),
            (["--model", llama, "--prompt", "Hello"], nil, 1, ["no tokenizer", "--prompt-ids"]),
            (["--model", llama], Data("Hello".utf8), 1, ["no tokenizer"]),
            (["--model", llama, "--prompt-ids", "1,2", "--stop", "x"], nil, 1, ["--stop", "no tokenizer"]),
            (["--model", "/no/such/model", "--prompt", "Hi"], nil, 1, ["no model folder at /no/such/model"]),
            (["--prompt", "Hi"], nil, 2, ["--model DIR"]),
            (["--model", llama, "--prompt-ids", "1,x,3"], nil, 2, ["--prompt-ids", "'x'"]),
            (["--model", llama, "--prompt-ids", "1,,3"], nil, 2, ["--prompt-ids", "''"]),
            (["--model", llama, "--prompt-ids", "-1"], nil, 2, ["--prompt-ids"]),
            (["--model", llama, "--prompt-ids", "1,96"], nil, 1, ["token 96", "0..<96"]),
            (["--model", gpt2, "--prompt", "Hi", "--prompt-ids", "1"], nil, 2, ["either --prompt or --prompt-ids"]),
            (["--model", gpt2, "--prompt-ids", "1", "--chat"], nil, 2, ["--chat"]),
            (["--model", gpt2, "--prompt", "Hi", "--bogus"], nil, 2, ["unknown option '--bogus'"]),
        ]
        for (arguments, input, status, phrases) in cases {
            assertFailure(try generate(arguments, input: input), status: status, mentioning: phrases)
        }
    }

    func testHelpListsTheOptions() throws {
        let run = try generate(["--help"])
        assertStatus(run, 0)
        for option in ["--model", "--prompt", "--prompt-ids", "--chat", "--max-tokens", "--temperature", "--top-k", "--top-p",
                       "--min-p", "--repetition-penalty", "--seed", "--stop", "--json", "--quiet"] {
            XCTAssertTrue(run.output.contains(option), option)
        }
    }
}
