// StoryTeller: writes one story, sentence by sentence, and notes what a reader could be asked.
//
// Scope: the state of a story being written (its cast, its random stream, the text so far), and
// the three ways text is added: a narrated sentence, a paragraph break, and a line of dialogue
// with a speech tag ("said Mia", "Tom asked", "she cried"). While a plot writes, it also records
// questions with their answers ("What did Mia lose?" "Mia lost her red kite."), which the
// question-and-answer corpus (StoryQuestions.swift) turns into fine-tuning examples.
// The opening and ending are in StoryTeller+Opening.swift, the plots in StoryTeller+Plots*.swift.
// Left out: pronouns for anyone outside the cast (a stranger is "the farmer", never "he"), so a
// story whose cast is all girls contains no "he" at all; a test relies on it.

import LabKernel

/// A question about a story and its answer, both full sentences.
public struct QuestionAnswer: Sendable, Equatable {
    public let question: String
    public let answer: String
    /// How many UTF-8 bytes of the story's text had been told when the answer was: a reader of
    /// that much (to the end of its paragraph) can answer.
    public let toldBy: Int

    public init(question: String, answer: String, toldBy: Int = 0) {
        self.question = question
        self.answer = answer
        self.toldBy = toldBy
    }
}

struct StoryTeller {
    var rng: SeededGenerator
    let cast: StoryCast
    /// The story so far: one line per paragraph, no trailing newline.
    private(set) var text = ""
    /// Questions a reader can answer from the text, in the order the facts appear.
    private(set) var questions: [QuestionAnswer] = []
    private var paragraphIsEmpty = true
    /// The name of the character who spoke last, so that the next line can say "she said".
    private var lastSpeaker: String?
    /// The hero's town and favorite pastime, chosen by the opening; plots may come back to them.
    var town = ""
    var hobby = (base: "", past: "", ing: "")

    var hero: StoryCharacter { cast.hero }
    var friend: StoryCharacter { cast.friend }
    var helper: StoryCharacter { cast.helper }

    init(rng: SeededGenerator) {
        self.rng = rng
        cast = StoryCast(using: &self.rng)
        text.reserveCapacity(1500)
    }

    // MARK: - Narration

    /// Appends one sentence to the current paragraph, with its first letter in upper case.
    mutating func add(_ sentence: String) {
        if !paragraphIsEmpty { text += " " }
        text += capitalizingFirstLetter(sentence)
        paragraphIsEmpty = false
    }

    /// Ends the current paragraph; the next sentence starts a new line.
    mutating func newParagraph() {
        guard !paragraphIsEmpty else { return }
        text += "\n"
        paragraphIsEmpty = true
        lastSpeaker = nil
    }

    /// Records a question the story answers.
    mutating func note(_ question: String, _ answer: String) {
        questions.append(QuestionAnswer(question: question, answer: capitalizingFirstLetter(answer), toldBy: text.utf8.count))
    }

    // MARK: - Dialogue

    /// Appends a line of dialogue spoken by `speaker`, with a speech tag chosen by its mood.
    ///
    /// `line` is what is said, one or more sentences with their punctuation: `"Oh no! My kite is
    /// stuck."`. It is written in one of these shapes (the tag follows the mood of the sentence it
    /// is attached to: asked for "?", shouted or cried for "!", said for "."):
    ///
    ///     "Oh no! My kite is stuck," said Mia.
    ///     Mia cried, "Oh no! My kite is stuck."
    ///     "Oh no!" cried Mia. "My kite is stuck."
    ///     "Oh no! My kite is stuck," she said.      (when Mia also spoke the line before)
    ///
    /// - Parameters:
    ///   - tag: a speech verb to use instead of the one chosen by mood ("whispered")
    ///   - reply: the line answers the previous one ("replied", "answered" become possible)
    mutating func say(_ speaker: StoryCharacter, _ line: String, tag: String? = nil, reply: Bool = false) {
        let usePronoun = !speaker.isStranger && lastSpeaker == speaker.name && rng.chance(60)
        lastSpeaker = speaker.name
        let (first, rest) = splitFirstSentence(line)
        // An explicit tag belongs to the whole line, so it is never attached to its first sentence.
        if let rest, tag == nil, rng.chance(50) {
            // "Oh no!" cried Mia. "My kite is stuck."
            let tagWords = speechTag(for: first, tag: tag, reply: reply)
            add("\"\(commaEnding(first))\" \(tagPhrase(speaker, tagWords, usePronoun: usePronoun)). \"\(rest)\"")
            return
        }
        let tagWords = speechTag(for: lastSentence(of: line), tag: tag, reply: reply)
        if rng.chance(65) {
            add("\"\(commaEnding(line))\" \(tagPhrase(speaker, tagWords, usePronoun: usePronoun)).")
        } else {
            let who = usePronoun ? speaker.subject : speaker.name
            add("\(who) \(tagWords), \"\(line)\"")
        }
    }

    /// "said Mia", "Mia said" or "she said".
    private mutating func tagPhrase(_ speaker: StoryCharacter, _ tagWords: String, usePronoun: Bool) -> String {
        if usePronoun { return "\(speaker.subject) \(tagWords)" }
        // "said Mia" reads well with a one-word tag only ("Mia asked softly", not "asked softly Mia").
        if !tagWords.contains(" "), rng.chance(50) { return "\(tagWords) \(speaker.name)" }
        return "\(speaker.name) \(tagWords)"
    }

    private mutating func speechTag(for sentence: Substring, tag: String?, reply: Bool) -> String {
        if let tag { return tag }
        switch sentence.last {
        case "?": return rng.pick(StoryVocabulary.questionTags)
        case "!": return rng.pick(StoryVocabulary.exclamationTags)
        default:
            return rng.pick(reply ? StoryVocabulary.replyTags : StoryVocabulary.statementTags)
        }
    }
}

/// A line ending in "." gets "," before its speech tag: `"Let's go," said Tom.`; "!" and "?" stay.
private func commaEnding<S: StringProtocol>(_ line: S) -> String {
    line.last == "." ? line.dropLast() + "," : String(line)
}

/// The first sentence of a line (with its punctuation) and the rest, or nil when there is one sentence.
private func splitFirstSentence(_ line: String) -> (Substring, String?) {
    var index = line.startIndex
    while index < line.endIndex {
        let character = line[index]
        let next = line.index(after: index)
        if character == "." || character == "!" || character == "?", next < line.endIndex, line[next] == " " {
            return (line[...index], String(line[line.index(after: next)...]))
        }
        index = next
    }
    return (line[...], nil)
}

/// The last sentence of a line, for choosing the tag that follows it.
private func lastSentence(of line: String) -> Substring {
    var start = line.startIndex
    var index = line.startIndex
    while index < line.endIndex {
        let character = line[index]
        let next = line.index(after: index)
        if character == "." || character == "!" || character == "?", next < line.endIndex, line[next] == " " {
            start = line.index(after: next)
        }
        index = next
    }
    return line[start...]
}
