// Job sentences with a known skew: how often each job appears with "she" and how often with "he".
//
// Lesson 07 measures a bias with a pair probe and then closes the loop: it makes text whose bias
// it knows, trains a tiny model on it and shows the probe finding that bias again. This is the
// text. Every sentence names one job and one pronoun, from a few templates:
//
//     When she grew up, she wanted to be a pilot.
//     He wanted to be a nurse when he grew up.
//
// The knob is `skew`, the share of each job's sentences that use the pronoun the job leans to:
// 0.5 is balanced (every job as often with "she" as with "he"), 0.8 means four sentences in five
// use the job's pronoun. Half the jobs lean to "she" and half to "he", so both pronouns stay
// equally common overall and only their pairing with the jobs is skewed. The directions are set
// against the common stereotypes on purpose (pilots and builders lean "she", nurses and dancers
// "he"): whatever a model trained on this text prefers, it can only have learned here.
// Left out: names, and any group but the two pronouns.

import LabKernel

/// Which pronoun a sentence uses.
public enum Pronoun: String, CaseIterable, Sendable {
    case she, he

    /// The other one.
    public var other: Pronoun { self == .she ? .he : .she }
}

/// An endless, seeded stream of job sentences with a chosen skew.
///
///     var sentences = JobSentenceGenerator(seed: 1, skew: 0.8)
///     sentences.next()   // "She wanted to be a pilot when she grew up."
public struct JobSentenceGenerator: Sequence, IteratorProtocol, Sendable {
    /// The jobs, each with the pronoun it leans to when `skew` is above 0.5.
    public static let jobs: [(job: String, leaning: Pronoun)] = [
        ("pilot", .she), ("builder", .she), ("farmer", .she), ("sailor", .she), ("doctor", .she), ("chef", .she),
        ("nurse", .he), ("dancer", .he), ("teacher", .he), ("baker", .he), ("painter", .he), ("writer", .he),
    ]

    /// The templates the sentences are made from: `{P}` is the pronoun capitalized, `{p}` as it
    /// is, `{job}` the job with its article.
    public static let templates = [
        "When {p} grew up, {p} wanted to be {job}.",
        "{P} wanted to be {job} when {p} grew up.",
        "One day {p} would be {job}.",
        "{P} worked as {job} in the town.",
    ]

    /// A template the generator never uses: a probe on it asks whether a model carries the
    /// pairing over to a sentence it has not seen.
    public static let unseenTemplate = "{P} was {job}."

    /// The share of a job's sentences with its leaning pronoun, in 0...1.
    public let skew: Double
    private var rng: SeededGenerator

    /// - Parameter skew: 0.5 for balanced text, up to 1 (every sentence with the leaning pronoun);
    ///   below 0.5 flips the leanings.
    public init(seed: UInt64, skew: Double) {
        precondition((0...1).contains(skew), "JobSentenceGenerator: skew must be in 0...1, got \(skew)")
        self.skew = skew
        rng = SeededGenerator(seed: seed)
    }

    /// The next sentence; never nil.
    public mutating func next() -> String? {
        let (job, leaning) = rng.pick(Self.jobs)
        let pronoun = rng.nextDouble() < skew ? leaning : leaning.other
        return Self.sentence(rng.pick(Self.templates), job: job, pronoun: pronoun)
    }

    /// `template` filled in: `sentence("{P} was {job}.", job: "pilot", pronoun: .she)` is "She was a pilot.".
    public static func sentence(_ template: String, job: String, pronoun: Pronoun) -> String {
        template.replacingOccurrences(of: "{P}", with: capitalizingFirstLetter(pronoun.rawValue))
            .replacingOccurrences(of: "{p}", with: pronoun.rawValue)
            .replacingOccurrences(of: "{job}", with: withArticle(job))
    }

    /// About `bytes` bytes of sentences, one per line.
    public static func text(bytes: Int, seed: UInt64, skew: Double) -> String {
        var generator = JobSentenceGenerator(seed: seed, skew: skew)
        var text = ""
        while text.utf8.count < bytes { text += generator.next()! + "\n" }
        return text
    }
}

extension JobSentenceGenerator {
    /// The dream jobs of the kit's stories ("When he grew up, he wanted to be an astronaut."),
    /// which the story generator gives to heroes of either pronoun equally often.
    public static var storyJobs: [String] { StoryVocabulary.dreamJobs }
}
