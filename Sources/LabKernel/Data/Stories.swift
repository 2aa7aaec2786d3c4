// Stories: short, simple children's stories generated from a seed, the kit's main corpus.
//
// Every lesson needs real-looking English without a download, so the kernel writes its own:
// stories in the spirit of TinyStories (Eldan and Li, 2023), from a grammar written for this kit.
// Each story has a small cast with consistent names and pronouns, a setting, a problem and its
// resolution, dialogue with speech tags, numbers used consistently ("twelve plums … they each
// had six"), and a lesson at the end. A model trained on them can learn grammatical agreement
// ("one apple", "three apples"), that names recur within a story, and how a story's arc goes.
//
// Scope: the public face of the story generator. The work is done by StoryTeller (writing,
// dialogue), its +Opening and +Plots* extensions, StoryCast, and the StoryVocabulary word lists.
// Left out: anything random that is not drawn from `SeededGenerator` (no Dictionary or Set
// iteration, no Foundation formatting), so the same seed gives the same bytes on every platform.
// The corpus as a file or a stream of documents is in Corpus.swift.

/// One generated story, with the facts a reader could be asked about.
public struct Story: Sendable {
    /// The story: one paragraph per line, ASCII only, no trailing newline.
    public let text: String
    /// The names of the hero, the friend and the grown-up, in that order ("Mia", "Tom", "Grandma").
    public let characterNames: [String]
    /// Questions the text answers, with full-sentence answers, in the order the facts appear.
    public let questions: [QuestionAnswer]
}

/// An endless, deterministic stream of stories.
///
///     var generator = StoryGenerator(seed: 1)
///     let story = generator.nextStory()
///     print(story.text)
///
/// The first story of seed 1 (the real output) begins:
///
///     (filled in below from a real run)
public struct StoryGenerator: Sendable {
    private var rng: SeededGenerator

    /// A generator whose stories are determined by `seed`.
    public init(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
    }

    /// The next story of the stream.
    public mutating func nextStory() -> Story {
        var teller = StoryTeller(rng: rng)
        let friendKnown = teller.writeOpening()
        // A missing pet needs a child whose friend is an animal; otherwise every plot fits every cast.
        let petPossible = !teller.hero.isAnimal && teller.friend.isAnimal
        var plot = teller.rng.pick(StoryPlot.allCases)
        while plot == .missingPet && !petPossible { plot = teller.rng.pick(StoryPlot.allCases) }
        switch plot {
        case .lostTreasure: teller.writeLostTreasure(friendKnown: friendKnown)
        case .stuckUpHigh: teller.writeStuckUpHigh(friendKnown: friendKnown)
        case .brokenToy: teller.writeBrokenToy(friendKnown: friendKnown)
        case .missingPet: teller.writeMissingPet(friendKnown: friendKnown)
        case .race: teller.writeRace(friendKnown: friendKnown)
        case .sharing: teller.writeSharing(friendKnown: friendKnown)
        case .birthdaySurprise: teller.writeBirthdaySurprise(friendKnown: friendKnown)
        case .journey: teller.writeJourney(friendKnown: friendKnown)
        case .bravery: teller.writeBraveryLesson(friendKnown: friendKnown)
        case .hurtAnimal: teller.writeHurtAnimal(friendKnown: friendKnown)
        case .building: teller.writeBuilding(friendKnown: friendKnown)
        case .garden: teller.writeGarden(friendKnown: friendKnown)
        }
        rng = teller.rng
        return Story(text: teller.text, characterNames: teller.cast.names, questions: teller.questions)
    }
}

/// The problems a story can be about; each is written by one `StoryTeller.write…` method.
enum StoryPlot: CaseIterable, Sendable {
    case lostTreasure, stuckUpHigh, brokenToy, missingPet, race, sharing, birthdaySurprise, journey
    case bravery, hurtAnimal, building, garden
}
