// The cast of one story: its hero, a friend, and a grown-up (or wise animal) who can help.
//
// Scope: choosing the characters from the vocabulary so that names differ within a story, and
// the words that refer to a character (name, pronouns, what they are). Animal heroes get animal
// parents ("Mama Fox"); children get a family member or a neighbor ("Mrs. Green").
// Left out: more than three named characters (small models learn more from a small cast that
// recurs than from many names that each appear once).

import LabKernel

/// One person or animal in a story and the words that refer to them.
struct StoryCharacter: Sendable {
    /// How the text names them: "Mia", "Grandpa", "Mrs. Green", "Mama Fox".
    let name: String
    let gender: Gender
    /// What they are, without an article: "girl", "boy", "fox", "teacher".
    let kind: String
    let isAnimal: Bool
    /// A word that describes them in their introduction: "curious".
    let trait: String
    /// Someone met on the way ("the old owl"): never called "he" or "she", so that a story's
    /// pronouns always belong to its cast.
    var isStranger = false

    var subject: String { gender == .female ? "she" : "he" }
    var object: String { gender == .female ? "her" : "him" }
    var possessive: String { gender == .female ? "her" : "his" }
    var reflexive: String { gender == .female ? "herself" : "himself" }
    /// "Mia's"
    var owner: String { name.hasSuffix("s") ? name + "'" : name + "'s" }
    /// "a curious fox", "an old owl"
    var description: String { withArticle("\(trait) \(kind)") }
}

extension StoryCharacter {
    /// Someone outside the cast who speaks once: "the old owl", "the baker".
    static func stranger(_ name: String) -> StoryCharacter {
        StoryCharacter(name: name, gender: .female, kind: name, isAnimal: false, trait: "", isStranger: true)
    }
}

/// The three characters of a story.
struct StoryCast: Sendable {
    let hero: StoryCharacter
    let friend: StoryCharacter
    let helper: StoryCharacter
    /// What the helper is to the hero, with a possessive: "her mom", "his teacher Mr. Hill".
    let helperRelation: String

    /// Whether the helper is family (a parent or grandparent), who can be there at bedtime.
    let helperIsFamily: Bool

    /// Every name in the story, for the questions and the tests.
    var names: [String] { [hero.name, friend.name, helper.name] }

    /// Draws a cast: the hero is a child two times in three, otherwise an animal; the friend is
    /// a child or an animal; the helper fits the hero (animal parents for an animal hero).
    init(using rng: inout SeededGenerator) {
        hero = StoryCast.randomCharacter(childPercent: 65, excluding: [], using: &rng)
        friend = StoryCast.randomCharacter(childPercent: 50, excluding: [hero.name], using: &rng)
        (helper, helperRelation, helperIsFamily) = StoryCast.randomHelper(for: hero, using: &rng)
    }

    private static func randomCharacter(childPercent: Int, excluding taken: [String],
                                        using rng: inout SeededGenerator) -> StoryCharacter {
        let gender: Gender = rng.chance(50) ? .female : .male
        let isChild = rng.chance(childPercent)
        let kind = isChild ? (gender == .female ? "girl" : "boy") : rng.pick(StoryVocabulary.characterAnimals).noun.singular
        var name: String
        repeat {
            let children = gender == .female ? StoryVocabulary.girlNames : StoryVocabulary.boyNames
            if isChild || rng.chance(35) {
                name = rng.pick(children)
            } else {
                name = rng.chance(50) ? rng.pick(StoryVocabulary.petNames) : inventedName(using: &rng)
            }
        } while taken.contains(name)
        var trait = rng.pick(StoryVocabulary.traits)
        if !isChild, rng.chance(30) { trait = rng.pick(StoryVocabulary.animalTraits) }
        return StoryCharacter(name: name, gender: gender, kind: kind, isAnimal: !isChild, trait: trait)
    }

    /// A made-up name for an animal, from two or three syllables: "Zumbiko", "Flenkie".
    /// Each is rare, so a model can only get it right later in a story by copying it from
    /// earlier in the same story, which is the kind of context use the attention lesson shows.
    static func inventedName(using rng: inout SeededGenerator) -> String {
        let onsets = ["b", "br", "ch", "d", "f", "fl", "g", "gl", "gr", "h", "j", "k", "l", "m", "n", "p", "pl",
                      "r", "s", "sn", "sp", "t", "tr", "v", "w", "z"]
        let vowels = ["a", "e", "i", "o", "u", "oo", "ee"]
        let codas = ["", "", "", "", "l", "m", "n", "r", "s", "x", "ck", "nk"]
        let consonants = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"]
        let endings = ["o", "y", "a", "ie", "ee", "er", "ix", "us", "oo", "et", "in"]
        let coda = rng.pick(codas)
        var name = rng.pick(onsets) + rng.pick(vowels) + coda
        // A middle syllable only after an open one, so that consonants never pile up ("Zoomppiper").
        if coda.isEmpty, rng.chance(40) { name += rng.pick(consonants) + rng.pick(["a", "e", "i", "o", "u"]) }
        name += rng.pick(consonants) + rng.pick(endings)
        return capitalizingFirstLetter(name)
    }

    private static func randomHelper(for hero: StoryCharacter,
                                      using rng: inout SeededGenerator) -> (StoryCharacter, String, Bool) {
        let trait = rng.pick(["kind", "wise", "gentle", "patient", "clever", "cheerful", "old", "friendly"])
        if hero.isAnimal {
            // Animal parents share the hero's species: "Mama Fox", "Papa Fox".
            let gender: Gender = rng.chance(50) ? .female : .male
            let title = gender == .female ? rng.pick(["Mama", "Mother", "Grandma"]) : rng.pick(["Papa", "Father", "Grandpa"])
            let species = titleCased(hero.kind)
            let helper = StoryCharacter(name: "\(title) \(species)", gender: gender, kind: hero.kind,
                                        isAnimal: true, trait: trait)
            return (helper, "\(hero.possessive) \(title.lowercased())", true)
        }
        if rng.chance(60) {
            let family = rng.pick(StoryVocabulary.familyHelpers)
            let helper = StoryCharacter(name: family.name, gender: family.gender, kind: family.role,
                                        isAnimal: false, trait: trait)
            return (helper, "\(hero.possessive) \(family.role)", true)
        }
        let neighbor = rng.pick(StoryVocabulary.neighborRoles)
        let title = neighbor.gender == .female ? "Mrs." : "Mr."
        let helper = StoryCharacter(name: "\(title) \(rng.pick(StoryVocabulary.surnames))", gender: neighbor.gender,
                                    kind: neighbor.role, isAnimal: false, trait: trait)
        return (helper, "\(hero.possessive) \(neighbor.role) \(helper.name)", false)
    }
}
