// The kernel's logits processors (Sources/LabKernel/Sampling/) against Hugging Face transformers.
//
// Fixture: Tests/Fixtures/sampling/logits_processors.json, made by
// scripts/fixtures/make_sampling_fixtures.py with transformers' own RepetitionPenaltyLogitsProcessor,
// TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper and MinPLogitsWarper, applied in the
// order of transformers' generate. Each case is run through `LogitsPipeline(settings:)`, so the test
// checks the kit's fixed order as well as each processor.

import XCTest
import LabKernel
import LabTestSupport

final class SamplingFixtureTests: XCTestCase {
    func testPipelineMatchesTransformers() throws {
        let fixture = try Fixture.load("sampling/logits_processors.json")
        let cases = try fixture.cases("cases")
        XCTAssertGreaterThan(cases.count, 50, "the fixture should hold the whole grid of rows and settings")
        for c in cases {
            let name = try c.string("name")
            let settings = SamplingSettings(
                temperature: c.contains("temperature") ? try c.float("temperature") : 1,
                topK: c.contains("top_k") ? try c.int("top_k") : nil,
                topP: c.contains("top_p") ? try c.float("top_p") : 1,
                minP: c.contains("min_p") ? try c.float("min_p") : 0,
                repetitionPenalty: c.contains("repetition_penalty") ? try c.float("repetition_penalty") : 1)
            let processed = LogitsPipeline(settings: settings)
                .processed(try c.floats("logits"), previousTokens: try c.ints("previous_ids"))
            let expected = try c.floats("processed")

            // Same tokens kept: exactly the same positions are -infinity.
            let kept = processed.indices.filter { processed[$0] > -.infinity }
            let expectedKept = expected.indices.filter { expected[$0] > -.infinity }
            XCTAssertEqual(kept, expectedKept, "\(name): kept tokens differ")
            guard kept == expectedKept else { continue }

            // Kept logits: the same Float divisions and products as torch, so they agree to the last
            // bit in practice; rtol 1e-6 (~8 Float steps) only allows for a different rounding order.
            assertClose(processed, expected, tolerance: 0, relativeTolerance: 1e-6, "\(name): processed logits")
            // Probabilities: the fixture's are float64 softmax rounded once; the kernel's Float softmax
            // is within a few 1e-8 of it. 1e-6 absolute is the bar.
            assertClose(softmax(Tensor(processed)).scalars, try c.floats("probabilities"), tolerance: 1e-6,
                        "\(name): probabilities")
        }
    }

    func testFixtureCoversEveryProcessorAndTies() throws {
        // The fixture must exercise what the processors' tie and boundary rules are about.
        let cases = try Fixture.load("sampling/logits_processors.json").cases("cases")
        let names = try cases.map { try $0.string("name") }
        for needle in ["temperature 0.5", "top_k 5", "top_p 0.9", "min_p 0.2", "repetition_penalty 1.3", "ties: top_k 5"] {
            XCTAssertTrue(names.contains { $0.contains(needle) }, "no fixture case named like \"\(needle)\"")
        }
        // A top-k case where ties make transformers keep more than k tokens.
        let tiedTopK = try XCTUnwrap(cases.first { try $0.string("name") == "ties: top_k 5" })
        XCTAssertGreaterThan(try tiedTopK.floats("processed").filter { $0 > -.infinity }.count, 5)
    }
}
