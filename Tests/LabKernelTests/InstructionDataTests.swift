// Tests of instruction data (Training/InstructionData.swift): the Alpaca and chat JSONL forms are
// read and detected, written in their templates, and refused line by line with the file, line and
// field named; tokens get a loss mask that keeps only responses and their end-of-turn marks;
// padded rows hold one example and packed rows run on; a masked batch trains only the response.

import Foundation
import XCTest
@testable import LabKernel
import LabTestSupport

final class InstructionDataTests: XCTestCase {
    static let tokenizer = try! BPETokenizer.train(text: String(repeating: "Name the dog. Tom has a dog called Rex. Rex. hello there\n", count: 20),
                                                   vocabularySize: 300, specialTokens: ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])

    func testAlpacaRecordsReadInStanfordAlpacasTemplate() throws {
        let text = """
            {"instruction": "Name the dog.", "input": "Tom has a dog called Rex.", "output": "Rex."}

            {"instruction": "Say hello.", "output": "hello there"}
            """
        let (examples, format) = try InstructionData.parse(Data(text.utf8), file: "tasks.jsonl")
        XCTAssertEqual(format, .alpaca)
        XCTAssertEqual(examples.count, 2)
        XCTAssertEqual(examples[0].prompt, "Below is an instruction that describes a task, paired with an input that provides further context. "
                       + "Write a response that appropriately completes the request.\n\n### Instruction:\nName the dog.\n\n"
                       + "### Input:\nTom has a dog called Rex.\n\n### Response:\n")
        XCTAssertEqual(examples[0].response, "Rex.")
        XCTAssertTrue(examples[1].prompt.hasSuffix("### Instruction:\nSay hello.\n\n### Response:\n"))
        XCTAssertFalse(examples[1].prompt.contains("### Input"))
        XCTAssertTrue(examples.allSatisfy(\.endsWithEndOfText))
    }

    func testChatRecordsReadAsChatMLWithEveryAssistantTurnAResponse() throws {
        let text = #"{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, "#
            + #"{"role": "assistant", "content": "Hello."}, {"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Bye."}]}"#
        let (examples, format) = try InstructionData.parse(Data(text.utf8), file: "chat.jsonl")
        XCTAssertEqual(format, .chat)
        let segments = examples[0].segments
        XCTAssertEqual(segments.map(\.isResponse), [false, true, false, true, false])
        XCTAssertEqual(segments.map(\.text).joined(), "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                       + "<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\nBye.<|im_end|>\n")
        XCTAssertEqual(segments[1].text, "Hello.<|im_end|>", "the end of turn is learned")
        XCTAssertEqual(examples[0].response, "Hello.")
        XCTAssertEqual(examples[0].prompt, "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        XCTAssertFalse(examples[0].endsWithEndOfText)
    }

    func testBadLinesNameTheFileLineAndField() {
        let good = #"{"instruction": "a", "output": "b"}"#
        let cases: [(String, InstructionFormat?, [String])] = [
            (good + "\n{\"instruction\": \"a\", \"output\": \n", nil, ["data.jsonl:2:", "not a JSON object"]),
            (good + "\n\n{\"instruction\": \"a\"}", nil, ["data.jsonl:3:", "no \"output\""]),
            (good + "\n{\"instruction\": 5, \"output\": \"b\"}", nil, ["data.jsonl:2:", "\"instruction\" should be a string", "a number"]),
            ("[1, 2]", nil, ["data.jsonl:1:", "expected a JSON object"]),
            (#"{"prompt": "a", "completion": "b"}"#, nil, ["data.jsonl:1:", "neither \"instruction\"", "completion"]),
            (#"{"messages": [{"role": "user", "content": "hi"}]}"#, nil, ["data.jsonl:1:", "no assistant turn"]),
            (#"{"messages": [{"role": "robot", "content": "hi"}]}"#, nil, ["data.jsonl:1:", "messages[0].role", "robot"]),
            (#"{"messages": "hi"}"#, nil, ["data.jsonl:1:", "\"messages\" should be a list"]),
            (good, .chat, ["data.jsonl:1:", "\"messages\""]),
            ("\n\n", nil, ["data.jsonl", "no records"]),
            (#"{"instruction": "a", "output": ""}"#, nil, ["data.jsonl:1:", "\"output\" is empty"]),
        ]
        for (text, format, fragments) in cases {
            XCTAssertThrowsError(try InstructionData.parse(Data(text.utf8), file: "data.jsonl", format: format)) { error in
                let message = "\(error)"
                for fragment in fragments { XCTAssertTrue(message.contains(fragment), "\(text): \(message)") }
                XCTAssertFalse(message.contains("\n"), message)
            }
        }
    }

    func testReadingRefusesWhatIsNotARegularFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("instruction-tests-\(getpid())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("dir.jsonl"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try InstructionData.read(folder.appendingPathComponent("dir.jsonl"))) { error in
            XCTAssertTrue("\(error)".contains("a directory"), "\(error)")
        }
        XCTAssertThrowsError(try InstructionData.read(folder.appendingPathComponent("missing.jsonl"))) { error in
            XCTAssertTrue("\(error)".contains("no such file"), "\(error)")
        }
    }

    func testTheLossMaskKeepsResponsesAndTheirEndOfTurn() throws {
        let tokenizer = Self.tokenizer
        let eot = tokenizer.specialTokens["<|endoftext|>"]!
        let example = InstructionTemplate.alpaca(instruction: "Name the dog.", input: "Tom has a dog called Rex.", output: "Rex.")
        let batches = InstructionBatches([example], tokenizer: tokenizer, endOfText: eot)
        let promptIDs = tokenizer.encode(example.prompt), responseIDs = tokenizer.encode("Rex.")
        XCTAssertEqual(batches.tokens, promptIDs + responseIDs + [eot])
        XCTAssertEqual(batches.isTarget, [Bool](repeating: false, count: promptIDs.count) + [Bool](repeating: true, count: responseIDs.count + 1))
        // A padded row: targets only where the next token is a response token; the rest −100.
        let context = batches.tokens.count + 3
        let (inputs, targets) = batches.row(startingAt: 0, context: context)
        XCTAssertEqual(Array(inputs.prefix(batches.tokens.count - 1)), Array(batches.tokens.dropLast()))
        XCTAssertEqual(Array(inputs.suffix(4)), [eot, eot, eot, eot], "padding after the example")
        let counted = targets.enumerated().filter { $0.element != -100 }
        XCTAssertEqual(counted.map(\.element), responseIDs + [eot])
        XCTAssertEqual(counted.first!.offset, promptIDs.count - 1, "the last prompt position predicts the first response token")

        let chat = InstructionTemplate.chatML([("user", "hello"), ("assistant", "hello there")])
        let chatBatches = InstructionBatches([chat], tokenizer: tokenizer, endOfText: eot)
        let end = tokenizer.specialTokens["<|im_end|>"]!
        let chatTargets = chatBatches.row(startingAt: 0, context: chatBatches.tokens.count).targets.filter { $0 != -100 }
        XCTAssertEqual(chatTargets, tokenizer.encode("hello there") + [end], "the assistant's words and <|im_end|>")
    }

    func testPaddedRowsHoldOneExampleAndPackedRowsRunOn() throws {
        let tokenizer = Self.tokenizer
        let eot = tokenizer.specialTokens["<|endoftext|>"]!
        let examples = [InstructionTemplate.alpaca(instruction: "Say hello.", output: "hello there"),
                        InstructionTemplate.alpaca(instruction: "Name the dog.", output: "Rex.")]
        let padded = InstructionBatches(examples, tokenizer: tokenizer, endOfText: eot)
        let packed = InstructionBatches(examples, tokenizer: tokenizer, endOfText: eot, packed: true)
        let context = padded.length(0) + 10
        XCTAssertEqual(padded.row(startingAt: 0, context: context).inputs.suffix(11), ArraySlice([Int](repeating: eot, count: 11)))
        let run = packed.row(startingAt: 0, context: context)
        XCTAssertEqual(Array(run.inputs.prefix(context)), Array(packed.tokens[0..<context]), "packed rows continue into the next example")
        XCTAssertEqual(padded.truncated(context: 4), 2)
        let tail = Array(padded.tokens[(padded.starts[1] - 5)..<padded.starts[1]])
        let short = padded.row(startingAt: 0, context: 4)
        XCTAssertEqual(short.inputs, Array(tail.prefix(4)), "a long example keeps its end: the prompt's start is cut")
        XCTAssertEqual(short.targets.last, eot, "the end of text is still learned")
        XCTAssertEqual(padded.truncated(context: max(padded.length(0), padded.length(1))), 0)
        XCTAssertEqual(padded.subset(1..<2).tokens, Array(padded.tokens[padded.starts[1]...]))
        XCTAssertEqual(padded.evaluationBatches(batch: 3, context: 8, count: 10).count, 1)
    }

    func testAMaskedBatchTrainsOnlyTheResponse() throws {
        // The gradient with every prompt target masked equals the gradient of the response targets alone,
        // and the masked loss is the mean over response targets only.
        let config = TrainingPathTests.configs[0].config
        let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 3)
        let inputs = (0..<12).map { ($0 * 5 + 1) % config.vocabularySize }
        var targets = (0..<12).map { ($0 * 3 + 2) % config.vocabularySize }
        for i in 0..<7 { targets[i] = -100 }
        let trainer = TrainableTransformer(model)
        let loss = trainer.loss(inputs: inputs, targets: targets, batch: 1, context: 12)
        let logits = model.forward(tokens: inputs)
        var expected = 0.0
        for i in 7..<12 {
            let row = Array(logits.scalars[(i * config.vocabularySize)..<((i + 1) * config.vocabularySize)])
            let top = row.max()!
            let logSum = Double(top) + log(row.reduce(0.0) { $0 + exp(Double($1 - top)) })
            expected += logSum - Double(row[targets[i]])
        }
        XCTAssertEqual(Double(loss), expected / 5, accuracy: 1e-5)
    }
}
