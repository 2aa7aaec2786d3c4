// The generation loop (Sampling/Generation.swift) on the tiny GPT-2, Llama and Qwen2 checkpoints
// saved by transformers (Tests/Fixtures/models, scripts/fixtures/make_model_fixtures.py): greedy
// ids equal transformers' `generate`, the KV-cache loop equals full recomputation, a seed fixes
// the draws, and the stop rules, the context limit and bad prompts behave as documented.

import Foundation
import LabKernel
import LabTestSupport
import XCTest

final class GenerationTests: XCTestCase {
    static let folders = ["gpt2", "llama", "qwen2"]

    func load(_ folder: String) throws -> (TextGenerator, Fixture) {
        let url = RepositoryPaths.fixtures.appendingPathComponent("models/\(folder)", isDirectory: true)
        let loaded = try loadModel(folder: url)
        return (TextGenerator(model: loaded.model, tokenizer: loaded.tokenizer), try Fixture.load("models/\(folder)/reference.json"))
    }

    let greedy = SamplingSettings(temperature: 0)

    func testGreedyIDsMatchTransformersGenerate() throws {
        for folder in Self.folders {
            let (generator, reference) = try load(folder)
            let recorded = try reference.object("greedy")
            let prompt = try recorded.ints("prompt"), count = try recorded.int("new_tokens")
            let result = try generator.generate(promptIDs: prompt, sampling: greedy, stop: StopConditions(maxTokens: count))
            XCTAssertEqual(result.promptIDs, prompt, folder)
            XCTAssertEqual(prompt + result.generatedIDs, try recorded.ints("output"), folder)
            XCTAssertEqual(result.stopReason, .maxTokens(count), folder)
            XCTAssertEqual(result.timings.promptTokens, prompt.count, folder)
            XCTAssertEqual(result.timings.decodedTokens, count - 1, folder)
        }
    }

    func testCachedLoopEqualsFullRecomputation() throws {
        for folder in Self.folders {
            let (generator, reference) = try load(folder)
            let prompt = try reference.cases("logit_cases").map { try $0.ints("ids") }.max { $0.count < $1.count }!
            let stop = StopConditions(maxTokens: 20)
            let cached = try generator.generate(promptIDs: prompt, sampling: greedy, stop: stop)
            let naive = try generator.generate(promptIDs: prompt, sampling: greedy, stop: stop, usingCache: false)
            XCTAssertEqual(cached.generatedIDs, naive.generatedIDs, folder)
            XCTAssertEqual(cached.stopReason, naive.stopReason, folder)
            // GPT-2's fixture holds 32 positions: its 17-token prompt fills the context after 15.
            XCTAssertEqual(cached.generatedIDs.count, min(20, generator.model.config.contextLength - prompt.count), folder)
            // Sampling too: the same seed over the same logits (up to rounding) draws the same ids.
            let sampled = SamplingSettings(temperature: 1, seed: 3)
            XCTAssertEqual(try generator.generate(promptIDs: prompt, sampling: sampled, stop: stop).generatedIDs,
                           try generator.generate(promptIDs: prompt, sampling: sampled, stop: stop, usingCache: false).generatedIDs,
                           folder)
        }
    }

    func testSameSeedSameIDsDifferentSeedsDiffer() throws {
        for folder in Self.folders {
            let (generator, reference) = try load(folder)
            let prompt = try reference.object("greedy").ints("prompt")
            let stop = StopConditions(maxTokens: 24)
            func run(_ seed: UInt64) throws -> [Int] {
                try generator.generate(promptIDs: prompt, sampling: SamplingSettings(temperature: 1, topP: 0.95, seed: seed),
                                       stop: stop).generatedIDs
            }
            let first = try run(7)
            XCTAssertEqual(first, try run(7), folder)
            XCTAssertNotEqual(first, try run(8), folder)
            XCTAssertNotEqual(first, try run(9), folder)
        }
    }

    func testEndOfSequenceStopsAndIsKept() throws {
        let (generator, reference) = try load("gpt2")
        let recorded = try reference.object("greedy")
        let prompt = try recorded.ints("prompt")
        let continuation = Array(try recorded.ints("output").dropFirst(prompt.count))
        let eos = continuation[2]
        let expectedCount = continuation.firstIndex(of: eos)! + 1
        let result = try generator.generate(promptIDs: prompt, sampling: greedy,
                                            stop: StopConditions(endOfSequenceIDs: [eos], maxTokens: 8))
        XCTAssertEqual(result.generatedIDs, Array(continuation.prefix(expectedCount)))
        XCTAssertEqual(result.stopReason, .endOfSequence(id: eos))
        XCTAssertEqual(result.stopReason.name, "end_of_sequence")
    }

    func testStreamedTextEqualsDecodingAndStopStringsAreTrimmed() throws {
        let (generator, reference) = try load("gpt2")
        let tokenizer = try XCTUnwrap(generator.tokenizer)
        let prompt = try reference.object("greedy").ints("prompt")
        var pieces: [String] = []
        let full = try generator.generate(promptIDs: prompt, sampling: greedy, stop: StopConditions(maxTokens: 16)) {
            pieces.append($0)
        }
        XCTAssertEqual(pieces.joined(), full.text)
        XCTAssertEqual(full.text, try tokenizer.decode(full.generatedIDs))
        XCTAssertFalse(pieces.contains(""), "empty pieces are not sent")

        // A stop string taken from the middle of that text: the output ends just before it.
        let scalars = Array(full.text.unicodeScalars)
        try XCTSkipIf(scalars.count < 6, "the greedy text is too short to cut a stop string from")
        let stopString = String(String.UnicodeScalarView(scalars[3..<5]))
        let cutAt = full.text.range(of: stopString)!.lowerBound
        var streamed = ""
        let stopped = try generator.generate(promptIDs: prompt, sampling: greedy,
                                             stop: StopConditions(stopStrings: [stopString], maxTokens: 16)) { streamed += $0 }
        XCTAssertEqual(stopped.text, String(full.text[..<cutAt]))
        XCTAssertEqual(streamed, stopped.text)
        XCTAssertEqual(stopped.stopReason, .stopString(stopString))
        XCTAssertTrue(full.generatedIDs.starts(with: stopped.generatedIDs))
        XCTAssertLessThan(stopped.generatedIDs.count, full.generatedIDs.count)
    }

    func testGenerationStopsWhenTheContextIsFull() throws {
        let (generator, _) = try load("llama")
        let context = generator.model.config.contextLength
        let prompt = (0..<(context - 3)).map { $0 % 50 + 3 }
        for usingCache in [true, false] {
            let result = try generator.generate(promptIDs: prompt, sampling: greedy, stop: StopConditions(maxTokens: 10),
                                                usingCache: usingCache)
            XCTAssertEqual(result.generatedIDs.count, 3)
            XCTAssertEqual(result.stopReason, .contextFull(context))
        }
        // One token of room: exactly one token.
        let oneLeft = try generator.generate(promptIDs: Array(repeating: 5, count: context - 1), sampling: greedy,
                                             stop: StopConditions())
        XCTAssertEqual(oneLeft.generatedIDs.count, 1)
        XCTAssertEqual(oneLeft.stopReason.name, "context_full")
    }

    func testBadPromptsAreTypedErrors() throws {
        let (generator, _) = try load("qwen2")
        let config = generator.model.config
        let stop = StopConditions(maxTokens: 2)
        XCTAssertThrowsError(try generator.generate(promptIDs: [], sampling: greedy, stop: stop)) {
            XCTAssertEqual($0 as? GenerationError, .emptyPrompt)
        }
        let long = Array(repeating: 1, count: config.contextLength)
        XCTAssertThrowsError(try generator.generate(promptIDs: long, sampling: greedy, stop: stop)) {
            XCTAssertEqual($0 as? GenerationError, .promptTooLong(tokens: config.contextLength, contextLength: config.contextLength))
            XCTAssertTrue("\($0)".contains("at most \(config.contextLength - 1) tokens"), "\($0)")
        }
        XCTAssertThrowsError(try generator.generate(promptIDs: [1, config.vocabularySize], sampling: greedy, stop: stop)) {
            XCTAssertEqual($0 as? GenerationError,
                           .tokenOutOfRange(id: config.vocabularySize, position: 1, vocabularySize: config.vocabularySize))
        }
        let bare = TextGenerator(model: generator.model)
        XCTAssertThrowsError(try bare.generate(prompt: "hi", sampling: greedy, stop: stop)) {
            XCTAssertEqual($0 as? GenerationError, .needsTokenizer("a text prompt"))
        }
        XCTAssertThrowsError(try bare.generate(promptIDs: [1], sampling: greedy, stop: StopConditions(stopStrings: ["x"]))) {
            XCTAssertEqual($0 as? GenerationError, .needsTokenizer("a stop string"))
        }
        // Without a tokenizer ids still come out, with no text.
        let idsOnly = try bare.generate(promptIDs: [1, 2], sampling: greedy, stop: stop)
        XCTAssertEqual(idsOnly.generatedIDs.count, 2)
        XCTAssertEqual(idsOnly.text, "")
    }
}
