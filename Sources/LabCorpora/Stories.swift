// Stories: short, simple children's stories generated from a seed, the kit's main corpus.
//
// Every lesson needs real-looking English without a download, so the kit writes its own:
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

import LabKernel

/// One generated story, with the facts a reader could be asked about.
public struct Story: Sendable {
    /// The story: one paragraph per line, ASCII only, no trailing newline.
    public let text: String
    /// The names of the hero, the friend and the grown-up, in that order ("Mia", "Tom", "Grandma").
    public let characterNames: [String]
    /// Questions the text answers, with full-sentence answers, in the order the facts appear.
    public let questions: [QuestionAnswer]
    /// The characters with their genders and kinds, for tests of consistency.
    let cast: StoryCast
}

/// An endless, deterministic stream of stories.
///
///     var generator = StoryGenerator(seed: 1)
///     let story = generator.nextStory()
///     print(story.text)
///
/// The first story of seed 1 (real output; one line per paragraph, wrapped here):
///
///     In the town of Rockybeck, there was a timid boy named Aldo. He loved to paddle a canoe.
///     When he grew up, he wanted to be a baker. Aldo's best friend was Lars, a tidy boy.
///     On Friday, Aldo and Lars went to the lake. It was a cool autumn day, and orange leaves were
///     falling. Aldo put on his black coat and his gray boots. The lake had clear blue water, tall
///     reeds and a rowboat. The air smelled of ripe strawberries. Aldo had a little basket with six
///     buns inside. Lars had forgotten his lunch at home. Lars' tummy rumbled. Grumble, grumble! "I
///     wish I had something to eat," Lars said quietly. Aldo wanted to eat all six buns himself. […]
///     "Would you like some of my buns?" Aldo asked softly. "Yes, please! Thank you!" Lars said.
///     Aldo gave Lars five buns and kept one for himself. […]
///     Aldo and Lars were both very thrilled. Aldo knew now that a treat tastes better when you
///     share it.
///
/// `story.questions` then holds, among others, ("How many buns did Aldo have?", "Aldo had six
/// buns.") and ("Where did Aldo and Lars go?", "Aldo and Lars went to the lake.").
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
        // A missing pet needs a child whose friend is an animal, and a new neighbor needs a friend
        // not met yet; every other plot fits every cast.
        let petPossible = !teller.hero.isAnimal && teller.friend.isAnimal
        var plot = teller.rng.pick(StoryPlot.allCases)
        while (plot == .missingPet && !petPossible) || (plot == .newNeighbor && friendKnown) {
            plot = teller.rng.pick(StoryPlot.allCases)
        }
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
        case .market: teller.writeMarket(friendKnown: friendKnown)
        case .show: teller.writeShow(friendKnown: friendKnown)
        case .newNeighbor: teller.writeNewNeighbor()
        }
        rng = teller.rng
        return Story(text: teller.text, characterNames: teller.cast.names, questions: teller.questions, cast: teller.cast)
    }
}

/// The problems a story can be about; each is written by one `StoryTeller.write…` method.
enum StoryPlot: CaseIterable, Sendable {
    case lostTreasure, stuckUpHigh, brokenToy, missingPet, race, sharing, birthdaySurprise, journey
    case bravery, hurtAnimal, building, garden, market, show, newNeighbor
}
