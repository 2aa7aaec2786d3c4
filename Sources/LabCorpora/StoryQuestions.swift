// Story questions: instruction-style examples, a story followed by a question and its answer.
//
// The fine-tuning lesson teaches a model trained on plain stories a new format. Each example is
// a story from StoryGenerator, one question the story answers, and the answer as a full sentence,
// in a fixed layout whose markers a model must learn to respect (the first example of seed 1):
//
//     ### Story:
//     Once there was a joyful boy. His name was Hector. He was four years old. More than …
//     … (one line per paragraph)
//     … And there was Yodel, in the wheelbarrow, playing with three cygnets! "Yodel!" exclaimed …
//     Hector and Yodel were both very satisfied. From that day on, Hector always closed the …
//     ### Question: What was Yodel doing?
//     ### Answer: Yodel was playing with three cygnets.
//
// Before fine-tuning, a story model continues "### Answer:" with more story; after, it answers.
// `prompt` is what the model is given, `answer` what it should produce (the loss is usually
// computed on the answer only), and `StoryQuestion(parsing:)` checks that generated text keeps
// the layout, which makes "fraction of well-formed answers" a before/after measure.
// Left out: several questions per story (one keeps the prompt/answer split trivial) and
// questions whose answer is not stated in the story.

import LabKernel

/// One fine-tuning example: a story, a question about it, and the answer.
public struct StoryQuestion: Sendable, Equatable {
    public let story: String
    public let question: String
    public let answer: String

    public init(story: String, question: String, answer: String) {
        self.story = story
        self.question = question
        self.answer = answer
    }

    /// The story and the question, ending with `### Answer:` (no space): what a model is given.
    public var prompt: String { "### Story:\n\(story)\n### Question: \(question)\n### Answer:" }

    /// The whole example as it appears in the corpus: the prompt, one space, the answer.
    public var text: String { "\(prompt) \(answer)" }

    /// Reads an example in the layout of `text`; nil when the layout is broken (a marker
    /// missing or out of order, an empty part, a question without "?", or extra lines after
    /// the answer).
    public init?(parsing text: String) {
        let storyMarker = "### Story:\n", questionMarker = "\n### Question: ", answerMarker = "\n### Answer: "
        guard text.hasPrefix(storyMarker),
              let questionRange = text.firstRange(of: questionMarker),
              let answerRange = text.firstRange(of: answerMarker),
              questionRange.upperBound <= answerRange.lowerBound else { return nil }
        let story = text[text.index(text.startIndex, offsetBy: storyMarker.count)..<questionRange.lowerBound]
        let question = text[questionRange.upperBound..<answerRange.lowerBound]
        let answer = text[answerRange.upperBound...]
        guard !story.isEmpty, !story.contains("###"), question.hasSuffix("?"), !question.contains("\n"),
              !answer.isEmpty, !answer.contains("\n"), !answer.contains("###") else { return nil }
        self.init(story: String(story), question: String(question), answer: String(answer))
    }
}

/// An endless, deterministic stream of story questions.
///
///     var generator = StoryQuestionGenerator(seed: 1)
///     let example = generator.nextExample()
///     example.prompt   // "### Story:\n…\n### Question: …?\n### Answer:"
///     example.answer   // "… ."
public struct StoryQuestionGenerator: Sendable {
    private var stories: StoryGenerator
    private var rng: SeededGenerator

    /// A generator whose examples are determined by `seed`. Its stories are not those of
    /// `StoryGenerator(seed:)` with the same seed, so that the two corpora do not overlap.
    public init(seed: UInt64) {
        // A fixed odd constant moves the story stream away from the plain story corpus.
        stories = StoryGenerator(seed: seed ^ 0x5155_4553_5449_4F4E)
        rng = SeededGenerator(seed: seed)
    }

    /// The next example: a new story and one of the questions it answers, each equally likely.
    public mutating func nextExample() -> StoryQuestion {
        let story = stories.nextStory()
        let chosen = rng.pick(story.questions)
        return StoryQuestion(story: story.text, question: chosen.question, answer: chosen.answer)
    }

    /// The next example whose story is cut after the paragraph that states the answer, at most
    /// `maximumStoryBytes` long: the question is drawn among those whose cut story fits (stories
    /// with none are passed over; after 64 such stories the shortest cut is taken, whatever its
    /// length, so a tiny maximum cannot loop forever). For models with short contexts; a different
    /// stream from `nextExample()`'s.
    public mutating func nextShortExample(maximumStoryBytes: Int) -> StoryQuestion {
        for attempt in 1... {
            let story = stories.nextStory()
            let bytes = Array(story.text.utf8)
            func cut(_ qa: QuestionAnswer) -> Int {
                var end = min(qa.toldBy, bytes.count)
                while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
                return end
            }
            var fitting = story.questions.filter { cut($0) <= maximumStoryBytes && $0.toldBy > 0 }
            if fitting.isEmpty && attempt >= 64, let shortest = story.questions.min(by: { cut($0) < cut($1) }) { fitting = [shortest] }
            guard !fitting.isEmpty else { continue }
            let chosen = rng.pick(fitting)
            let text = String(decoding: bytes[..<cut(chosen)], as: UTF8.self)
            return StoryQuestion(story: text, question: chosen.question, answer: chosen.answer)
        }
        fatalError("unreachable: the loop above returns")
    }
}
