// Stop conditions (Sources/LabKernel/Sampling/StopConditions.swift): end-of-sequence ids, stop
// strings that span token boundaries, max tokens, and which rule stopped. The last tests drive a
// tiny bigram "model" (a fixed table of logits per previous token) through a generation loop to show
// the pieces working together and the run being identical for the same seed.

import XCTest
import LabKernel
import LabTestSupport

final class SamplingStopTests: XCTestCase {
    func testStopStringAcrossTokenBoundaries() {
        var monitor = StopMonitor(StopConditions(stopStrings: ["User:"]))
        XCTAssertEqual(monitor.observe(id: 0, text: "Hello Us"), StopDecision(text: "Hello ", reason: nil))
        XCTAssertEqual(monitor.observe(id: 1, text: "er"), StopDecision(text: "", reason: nil))
        XCTAssertEqual(monitor.observe(id: 2, text: ":x"), StopDecision(text: "", reason: .stopString("User:")))
    }

    func testFalseStartIsReleased() {
        var monitor = StopMonitor(StopConditions(stopStrings: ["User:"]))
        XCTAssertEqual(monitor.observe(id: 0, text: "Us").text, "")
        XCTAssertEqual(monitor.observe(id: 1, text: "ually U").text, "Usually ")
        XCTAssertEqual(monitor.finish(), "U")
    }

    func testStopStringInsideOneTokenKeepsTheTextBefore() {
        var monitor = StopMonitor(StopConditions(stopStrings: ["\n\n", "END"]))
        XCTAssertEqual(monitor.observe(id: 0, text: "ab\n\ncdEND"), StopDecision(text: "ab", reason: .stopString("\n\n")))
    }

    func testEndOfSequenceComesFirstAndReleasesHeldText() {
        var monitor = StopMonitor(StopConditions(endOfSequenceIDs: [9], stopStrings: ["##"], maxTokens: 2))
        XCTAssertEqual(monitor.observe(id: 1, text: "a#"), StopDecision(text: "a", reason: nil))
        XCTAssertEqual(monitor.observe(id: 9, text: "#"), StopDecision(text: "#", reason: .endOfSequence(id: 9)))
    }

    func testMaxTokens() {
        var monitor = StopMonitor(StopConditions(stopStrings: ["zz"], maxTokens: 3))
        XCTAssertNil(monitor.observe(id: 0, text: "a").reason)
        XCTAssertNil(monitor.observe(id: 0, text: "b").reason)
        XCTAssertEqual(monitor.observe(id: 0, text: "cz"), StopDecision(text: "cz", reason: .maxTokens(3)))
        XCTAssertEqual(monitor.tokenCount, 3)
    }

    func testCombiningAccentDoesNotHideAMatch() {
        // "e" + U+0301 is one grapheme "é"; scalar matching still finds the stop string "e".
        var monitor = StopMonitor(StopConditions(stopStrings: ["e"]))
        XCTAssertEqual(monitor.observe(id: 0, text: "cafe\u{301}"), StopDecision(text: "caf", reason: .stopString("e")))
    }

    // MARK: - A bigram test double driven by a generation loop

    /// Pieces of text per token id; 0 is the end-of-sequence token.
    private let pieces = ["<eos>", "Us", "er", ":", " hi", "\n", "A", "ok"]

    /// A fixed "model": the logits (V) of the next token given the previous one.
    private func bigramLogits(after previous: Int) -> [Float] {
        var rng = SeededGenerator(seed: UInt64(previous) + 100)
        return pieces.indices.map { _ in rng.nextNormal() * 1.5 }
    }

    private func generate(seed: UInt64, conditions: StopConditions) -> (ids: [Int], text: String, reason: StopReason?) {
        var sampler = TokenSampler(settings: SamplingSettings(temperature: 0.9, topP: 0.95, seed: seed))
        var monitor = StopMonitor(conditions)
        var ids = [6]  // the prompt "A"
        var text = ""
        while true {
            let id = sampler.next(logits: bigramLogits(after: ids.last!), previousTokens: ids)
            ids.append(id)
            let decision = monitor.observe(id: id, text: pieces[id])
            text += decision.text
            if let reason = decision.reason { return (ids, text, reason) }
        }
    }

    func testBigramGenerationIsDeterministicAndStops() {
        let conditions = StopConditions(endOfSequenceIDs: [0], stopStrings: ["User:"], maxTokens: 30)
        var reasons: [StopReason] = []
        for seed: UInt64 in 0..<40 {
            let first = generate(seed: seed, conditions: conditions)
            let second = generate(seed: seed, conditions: conditions)
            XCTAssertEqual(first.ids, second.ids, "seed \(seed)")
            XCTAssertEqual(first.text, second.text, "seed \(seed)")
            let reason = try! XCTUnwrap(first.reason)
            reasons.append(reason)
            // The shown text never contains the stop string, and it is the generated pieces cut there.
            XCTAssertFalse(first.text.contains("User:"), "seed \(seed)")
            let generated = first.ids.dropFirst().filter { $0 != 0 }.map { pieces[$0] }.joined()
            XCTAssertTrue(generated.hasPrefix(first.text), "seed \(seed)")
            XCTAssertLessThanOrEqual(first.ids.count - 1, 30)
            if case .stopString = reason { XCTAssertTrue(generated.contains("User:")) }
        }
        // Over 40 seeds the table reaches at least two different stopping rules.
        XCTAssertGreaterThan(Set(reasons.map { "\($0)".prefix(10) }).count, 1, "\(reasons)")
    }
}
