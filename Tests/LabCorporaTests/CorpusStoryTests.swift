// What the stories contain, measured on about 1 MB of seed 1: enough different words for a
// tokenizer, no repeats, names and pronouns that stay consistent within a story, dialogue,
// numbers, and the punctuation of real English.

import XCTest
@testable import LabCorpora

final class CorpusStoryTests: XCTestCase {
    /// About 1 MB of stories (seed 1), shared by the tests of this class.
    static let stories: [Story] = {
        var generator = StoryGenerator(seed: 1)
        var result: [Story] = []
        var bytes = 0
        while bytes < 1_000_000 {
            let story = generator.nextStory()
            bytes += story.text.utf8.count + 1
            result.append(story)
        }
        return result
    }()

    static let allNames: Set<String> = Set(StoryVocabulary.girlNames + StoryVocabulary.boyNames + StoryVocabulary.petNames)

    func testThousandsOfDistinctWordsInOneMegabyte() {
        var distinct = Set<String>()
        for story in Self.stories { distinct.formUnion(lowercaseWords(story.text)) }
        // The brief: BPE at a vocabulary of 10,000 on 5 MB must be meaningful, so the stories need
        // several thousand different words (5 MB of seed 1 has about 6,300; 1 MB about 4,000).
        XCTAssertGreaterThan(distinct.count, 3000, "only \(distinct.count) distinct words in 1 MB")
    }

    func testNoStoryRepeats() {
        let texts = Self.stories.map(\.text)
        XCTAssertEqual(Set(texts).count, texts.count, "a story appears twice in 1 MB")
        // Openings may share sentences, but whole first paragraphs should rarely coincide.
        let openings = texts.map { $0.split(separator: "\n")[0] }
        XCTAssertGreaterThan(Double(Set(openings).count), 0.99 * Double(openings.count), "too many identical first paragraphs")
    }

    func testStoriesHaveParagraphsAndAReasonableLength() {
        let lengths = Self.stories.map { $0.text.utf8.count }
        for story in Self.stories {
            let paragraphs = story.text.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertTrue((3...6).contains(paragraphs.count), "\(paragraphs.count) paragraphs:\n\(story.text)")
        }
        let mean = lengths.reduce(0, +) / lengths.count
        // TinyStories average a little under 1 KB; ours are a little longer.
        XCTAssertTrue((600...2000).contains(mean), "mean story length \(mean) bytes")
    }

    func testOnlyTheCastIsNamedAndTheHeroRecurs() {
        for story in Self.stories {
            let cast = Set(story.characterNames)
            for word in letterRuns(story.text) where Self.allNames.contains(String(word)) {
                XCTAssertTrue(cast.contains(String(word)), "'\(word)' is not in the cast \(story.characterNames):\n\(story.text)")
            }
            let hero = story.characterNames[0]
            let mentions = letterRuns(story.text).filter { $0 == hero }.count
            XCTAssertGreaterThanOrEqual(mentions, 4, "the hero \(hero) is named only \(mentions) times:\n\(story.text)")
        }
    }

    func testPronounsMatchTheCast() {
        // When the whole cast is one gender, the other gender's pronouns must never appear
        // (strangers such as "the farmer" are never given pronouns).
        let feminine: Set<String> = ["she", "her", "hers", "herself"]
        let masculine: Set<String> = ["he", "him", "his", "himself"]
        var checked = 0
        for story in Self.stories {
            let genders = Set([story.cast.hero, story.cast.friend, story.cast.helper].map(\.gender))
            guard genders.count == 1 else { continue }
            checked += 1
            let words = Set(lowercaseWords(story.text))
            let wrong = genders == [.female] ? masculine : feminine
            XCTAssertTrue(words.isDisjoint(with: wrong), "a \(genders) cast with the pronouns \(words.intersection(wrong)):\n\(story.text)")
        }
        XCTAssertGreaterThan(checked, 100, "too few single-gender casts to test pronouns")
    }

    func testEveryStoryHasDialogueWithSpeechTags() {
        var tags: [String: Int] = [:]
        for story in Self.stories {
            let quotes = story.text.filter { $0 == "\"" }.count
            XCTAssertEqual(quotes % 2, 0, "unbalanced quotation marks:\n\(story.text)")
            XCTAssertGreaterThanOrEqual(quotes, 4, "fewer than two spoken lines:\n\(story.text)")
            for word in lowercaseWords(story.text) where ["said", "asked", "shouted", "replied", "cried", "whispered"].contains(word) {
                tags[word, default: 0] += 1
            }
        }
        for tag in ["said", "asked", "shouted", "replied", "whispered"] {
            XCTAssertGreaterThan(tags[tag, default: 0], 20, "the speech tag '\(tag)' is rare or missing: \(tags)")
        }
        XCTAssertGreaterThan(tags["said", default: 0], tags["asked", default: 0], "'said' should be the most common tag")
    }

    func testNumbersAppearInWordsAndDigitsWithUnits() {
        let numberWords: Set<String> = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
        var withNumber = 0, withDigits = 0
        for story in Self.stories {
            let words = Set(lowercaseWords(story.text))
            let digits = story.text.contains { $0.isASCII && $0.isNumber }
            if !words.isDisjoint(with: numberWords) || digits { withNumber += 1 }
            if digits { withDigits += 1 }
        }
        let count = Double(Self.stories.count)
        // Measured: about 90% of stories use a number and about half use digits.
        XCTAssertGreaterThan(Double(withNumber) / count, 0.75, "\(withNumber) of \(Self.stories.count) stories use a number")
        XCTAssertGreaterThan(Double(withDigits) / count, 0.3, "\(withDigits) of \(Self.stories.count) stories use digits")
        let all = Self.stories.map(\.text).joined(separator: "\n")
        for unit in [" o'clock", " km ", " meters", " minutes", " coins"] {
            XCTAssertTrue(all.contains(unit), "no '\(unit)' in 1 MB of stories")
        }
    }

    func testPunctuationAndContractions() {
        let all = Self.stories.map(\.text).joined(separator: "\n")
        for piece in ["?", "!", ",", "n't", "'s ", "Let's", "I'm", "I'll", "don't", "can't"] {
            XCTAssertTrue(all.contains(piece), "no '\(piece)' in 1 MB of stories")
        }
        for story in Self.stories {
            let last = story.text.last!
            XCTAssertTrue(last == "." || last == "!" || last == "\"", "a story ends with '\(last)':\n\(story.text)")
            for line in story.text.split(separator: "\n") {
                XCTAssertTrue(line.first!.isUppercase || line.first == "\"", "a paragraph starts in lower case: \(line)")
            }
        }
    }

    func testSentencesStartWithCapitals() {
        // After ". ", "! " or "? " outside a quotation, the next letter is upper case.
        for story in Self.stories.prefix(300) {
            let characters = Array(story.text)
            for index in 2..<characters.count where characters[index - 1] == " " && ".!?".contains(characters[index - 2]) {
                let next = characters[index] == "\"" && index + 1 < characters.count ? characters[index + 1] : characters[index]
                XCTAssertTrue(next.isUppercase || next.isNumber, "lower case after a sentence end near: \(String(characters[max(0, index - 30)..<min(characters.count, index + 30)]))")
            }
        }
    }

    func testAStoryNotesQuestionsItAnswers() {
        for story in Self.stories {
            XCTAssertGreaterThanOrEqual(story.questions.count, 4, "few questions for:\n\(story.text)")
            XCTAssertTrue(story.questions.contains { $0.question == "Who is the story about?" })
        }
    }
}
