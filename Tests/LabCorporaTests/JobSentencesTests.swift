// JobSentenceGenerator: the knob does what its documentation says. Over many sentences each job
// appears with its leaning pronoun in the share `skew` of them (within sampling error), both
// pronouns stay equally common overall, balanced text has no pairing, the unseen template is
// never written, and the stream is the same for the same seed.

import XCTest
import LabCorpora

final class JobSentencesTests: XCTestCase {
    /// Counts (with the leaning pronoun, total) per job, and the share of "she" overall.
    func counts(skew: Double, sentences: Int) -> (perJob: [String: (leaning: Int, total: Int)], she: Double) {
        var generator = JobSentenceGenerator(seed: 11, skew: skew)
        var perJob: [String: (leaning: Int, total: Int)] = [:]
        var she = 0
        for _ in 0..<sentences {
            let sentence = generator.next()!
            let words = sentence.lowercased().split { !$0.isLetter }.map(String.init)
            let pronoun: Pronoun = words.contains("she") ? .she : .he
            XCTAssertFalse(words.contains("she") && words.contains("he"), "one pronoun per sentence: \(sentence)")
            let job = JobSentenceGenerator.jobs.first { words.contains($0.job) }!
            perJob[job.job, default: (0, 0)].total += 1
            if pronoun == job.leaning { perJob[job.job]!.leaning += 1 }
            if pronoun == .she { she += 1 }
        }
        return (perJob, Double(she) / Double(sentences))
    }

    func testEachJobGoesWithItsPronounInTheShareSkew() {
        let sentences = 24_000  // 2,000 per job: a share's standard error is about 0.009
        for skew in [0.8, 0.5] {
            let (perJob, she) = counts(skew: skew, sentences: sentences)
            XCTAssertEqual(perJob.count, JobSentenceGenerator.jobs.count, "every job appears")
            for (job, count) in perJob {
                XCTAssertEqual(Double(count.leaning) / Double(count.total), skew, accuracy: 0.04, "skew \(skew), \(job)")
            }
            XCTAssertEqual(she, 0.5, accuracy: 0.02, "skew \(skew): half the jobs lean each way, so the pronouns stay balanced")
        }
    }

    func testTheTemplatesAndTheSeed() {
        var a = JobSentenceGenerator(seed: 3, skew: 0.9), b = JobSentenceGenerator(seed: 3, skew: 0.9)
        let first = (0..<200).map { _ in a.next()! }
        XCTAssertEqual(first, (0..<200).map { _ in b.next()! }, "the same seed gives the same sentences")
        XCTAssertFalse(first.contains { $0.hasSuffix(" was a pilot.") || $0.contains("She was") || $0.contains("He was") },
                       "the unseen template is never written")
        XCTAssertEqual(JobSentenceGenerator.sentence("{P} was {job}.", job: "pilot", pronoun: .she), "She was a pilot.")
        XCTAssertEqual(JobSentenceGenerator.sentence("When {p} grew up, {p} wanted to be {job}.", job: "nurse", pronoun: .he),
                       "When he grew up, he wanted to be a nurse.")
        let text = JobSentenceGenerator.text(bytes: 1_000, seed: 3, skew: 0.9)
        XCTAssertGreaterThanOrEqual(text.utf8.count, 1_000)
        XCTAssertTrue(text.hasPrefix(first[0] + "\n"), "text(bytes:) is the same stream, a sentence per line")
    }
}
