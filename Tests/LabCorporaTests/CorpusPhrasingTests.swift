// The grammar helpers behind the corpora (articles, plurals, number words, capitals, the dice)
// and the hygiene of the story word lists (no duplicate names, no name that is also a word).

import XCTest
@testable import LabCorpora
import LabKernel

final class CorpusPhrasingTests: XCTestCase {
    func testIndefiniteArticleFollowsTheSound() {
        let cases = ["apple": "an", "ball": "a", "unicorn": "a", "umbrella": "an", "hour": "an", "owl": "an",
                     "one-eyed cat": "a", "eager fox": "an", "useful box": "a", "honest dog": "an", "house": "a",
                     "European bee": "a", "Ugly duckling": "an"]
        for (phrase, article) in cases {
            XCTAssertEqual(indefiniteArticle(for: phrase), article, "\(article) \(phrase)")
        }
        XCTAssertEqual(withArticle("old owl"), "an old owl")
    }

    func testPluralsRegularAndListed() {
        let regular = ["kite": "kites", "box": "boxes", "puppy": "puppies", "toy": "toys", "bus": "buses",
                       "watch": "watches", "brush": "brushes", "teddy bear": "teddy bears", "day": "days"]
        for (singular, plural) in regular {
            XCTAssertEqual(regularPlural(of: singular), plural)
        }
        let listed = nounList("mouse/mice sheep/sheep guinea_pig")
        XCTAssertEqual(listed.map(\.plural), ["mice", "sheep", "guinea pigs"])
        XCTAssertEqual(listed[2].singular, "guinea pig")
    }

    func testCountedNounsAgreeInNumber() {
        let apple = noun("apple")
        XCTAssertEqual(apple.counted(1, "red"), "one red apple")
        XCTAssertEqual(apple.counted(3, "red"), "three red apples")
        XCTAssertEqual(noun("mouse/mice").counted(2), "two mice")
    }

    func testNumberWords() {
        let expected = [0: "zero", 7: "seven", 13: "thirteen", 20: "twenty", 42: "forty-two", 99: "ninety-nine", 100: "100"]
        for (number, word) in expected {
            XCTAssertEqual(numberWord(number), word)
        }
    }

    func testCapitalizingSkipsAQuotationMarkAndLeavesCapitalsAlone() {
        XCTAssertEqual(capitalizingFirstLetter("she smiled."), "She smiled.")
        XCTAssertEqual(capitalizingFirstLetter("\"oh no!\""), "\"Oh no!\"")
        XCTAssertEqual(capitalizingFirstLetter("Mia ran."), "Mia ran.")
        XCTAssertEqual(capitalizingFirstLetter("3 cats"), "3 cats")
        XCTAssertEqual(capitalizingFirstLetter(""), "")
        XCTAssertEqual(titleCased("guinea pig"), "Guinea Pig")
        XCTAssertEqual(withDefiniteArticle("an old gate"), "the old gate")
    }

    func testPickDistinctDrawsDifferentItemsUniformly() {
        var rng = SeededGenerator(seed: 1)
        var firstCounts = [0, 0, 0, 0]
        for _ in 0..<40_000 {
            let picked = rng.pickDistinct(3, from: [0, 1, 2, 3])
            XCTAssertEqual(Set(picked).count, 3)
            firstCounts[picked[0]] += 1
        }
        // Each item comes first with probability 1/4: 10,000 of 40,000, standard deviation ~87.
        for count in firstCounts { XCTAssertEqual(Double(count), 10_000, accuracy: 500) }
    }

    func testNamesAreUniqueAndNeverOrdinaryWords() {
        let names = StoryVocabulary.girlNames + StoryVocabulary.boyNames + StoryVocabulary.petNames
        var seen = Set<String>()
        for name in names {
            XCTAssertTrue(seen.insert(name).inserted, "the name '\(name)' is listed twice")
        }
        // Every word that the lists put into the stories, besides names.
        var words = Set<String>()
        func add(_ phrases: [String]) { for phrase in phrases { words.formUnion(lowercaseWords(phrase)) } }
        func add(_ nouns: [Noun]) { add(nouns.map(\.singular)); add(nouns.map(\.plural)) }
        let vocabulary = StoryVocabulary.self
        add(vocabulary.treasures); add(vocabulary.flyingThings); add(vocabulary.breakableToys); add(vocabulary.foods)
        add(vocabulary.berries); add(vocabulary.flowers); add(vocabulary.trees); add(vocabulary.natureThings)
        add(vocabulary.characterAnimals.map(\.noun)); add(vocabulary.characterAnimals.map(\.sound))
        add(vocabulary.colors); add(vocabulary.thingAdjectives); add(vocabulary.sizeAdjectives); add(vocabulary.bakes)
        add(vocabulary.vehicles); add(vocabulary.gifts); add(vocabulary.drinks); add(vocabulary.clothes.flatMap(\.items))
        add(vocabulary.traits); add(vocabulary.animalTraits); add(vocabulary.hobbies.flatMap { [$0.base, $0.past, $0.ing] })
        add(vocabulary.homes); add(vocabulary.animalHomes); add(vocabulary.sounds); add(vocabulary.smells)
        add(vocabulary.animalDoings); add(vocabulary.movements.flatMap { [$0.base, $0.past] }); add(vocabulary.mannerAdverbs)
        add(vocabulary.goodFeelings); add(vocabulary.badFeelings); add(vocabulary.happyReactions); add(vocabulary.sadReactions)
        add(vocabulary.morals.map(\.text)); add(vocabulary.performances.flatMap { [$0.base, $0.past] })
        add(vocabulary.dreamJobs); add(vocabulary.hairStyles); add(vocabulary.hairColors); add(vocabulary.childDetails)
        add(vocabulary.animalFeatures); add(vocabulary.months); add(vocabulary.weekdays); add(vocabulary.flowerColors)
        add(vocabulary.places.flatMap { [$0.name] + $0.features + $0.spots })
        add(vocabulary.neighborRoles.map(\.role)); add(vocabulary.familyHelpers.map(\.role))
        XCTAssertGreaterThan(words.count, 2000, "the word lists look incomplete")
        let clashes = names.filter { words.contains($0.lowercased()) }
        XCTAssertEqual(clashes, [], "names that are also words of the stories (a capitalized word must mean a character)")
        // Mr. and Mrs. take surnames; a surname that is also a first name would look like a second character.
        XCTAssertEqual(StoryVocabulary.surnames.filter { seen.contains($0) }, [], "surnames that are also first names")
        XCTAssertEqual(Set(StoryVocabulary.surnames).count, StoryVocabulary.surnames.count, "a surname is listed twice")
    }

    func testEveryPlaceIsComplete() {
        for place in StoryVocabulary.places {
            XCTAssertGreaterThanOrEqual(place.features.count, 3, "\(place.name) needs at least three features")
            XCTAssertGreaterThanOrEqual(place.spots.count, 3, "\(place.name) needs at least three spots")
            XCTAssertTrue(["in", "at", "on", "by"].contains(place.preposition), "\(place.name): preposition '\(place.preposition)'")
        }
        XCTAssertEqual(Set(StoryVocabulary.places.map(\.name)).count, StoryVocabulary.places.count, "a place is listed twice")
    }
}
