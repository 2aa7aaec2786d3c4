// The parts every story shares: who the hero is, the day the adventure begins, and how it ends.
//
// Scope: the first paragraph (the hero, a detail or two, the friend), the first sentences of the
// adventure (when, where, the weather, what the place looks like), and the last paragraph (how
// the hero feels, what they learned, sometimes "The end."). Also small phrase helpers the plots
// share: a described thing ("shiny red kite"), town names, "the" for a feature of a place.
// The middle of each story is its plot: StoryTeller+Plots*.swift.

extension StoryTeller {
    // MARK: - Opening

    /// The first paragraph: the hero, one or two details, and (usually) the friend. When the
    /// friend is not introduced here, the plot calls `meetFriendIfNeeded()`.
    /// Returns whether the friend was introduced.
    mutating func writeOpening() -> Bool {
        town = townName()
        var saidHome = false
        switch rng.variant(7) {
        case 0:
            add("Once upon a time, there was \(hero.description) named \(hero.name).")
        case 1:
            let size = rng.pick(["small", "quiet", "busy", "sleepy", "pretty", "little"])
            add("Once upon a time, in a \(size) \(rng.pick(["town", "village"])) called \(town), there lived \(hero.description) named \(hero.name).")
            note("Where did \(hero.name) live?", "\(hero.name) lived in \(town).")
            saidHome = true
        case 2:
            let home = rng.pick(hero.isAnimal ? StoryVocabulary.animalHomes : StoryVocabulary.homes)
            add("\(hero.name) was \(hero.description) who lived in \(home).")
            note("Where did \(hero.name) live?", "\(hero.name) lived in \(home).")
            saidHome = true
        case 3:
            add("There once was \(hero.description) called \(hero.name).")
        case 4:
            add("In the town of \(town), there was \(hero.description) named \(hero.name).")
            note("Where did \(hero.name) live?", "\(hero.name) lived in the town of \(town).")
            saidHome = true
        case 5:
            add("Once there was \(hero.description).")
            add("\(hero.possessive) name was \(hero.name).")
        default:
            add("\(hero.name) was \(hero.description).")
        }
        note("Who is the story about?", "The story is about \(hero.name), \(hero.description).")

        if !hero.isAnimal, rng.chance(45) {
            let age = rng.number(in: 3...9)
            add("\(hero.subject) was \(numberWord(age)) years old.")
            note("How old was \(hero.name)?", "\(hero.name) was \(numberWord(age)) years old.")
        }
        hobby = rng.pick(StoryVocabulary.hobbies)
        switch rng.variant(4) {
        case 0: add("\(hero.subject) loved to \(hobby.base).")
        case 1: add("\(hero.possessive) favorite thing to do was \(hobby.ing).")
        case 2: add("More than anything, \(hero.subject) liked \(hobby.ing).")
        default: add("Every day after breakfast, \(hero.subject) \(hobby.past).")
        }
        note("What did \(hero.name) like to do?", "\(hero.name) liked \(hobby.ing).")
        if rng.chance(40) { describeLooks() }
        if !hero.isAnimal, rng.chance(20) {
            let job = rng.pick(StoryVocabulary.dreamJobs)
            add("When \(hero.subject) grew up, \(hero.subject) wanted to be \(withArticle(job)).")
            note("What did \(hero.name) want to be?", "\(hero.name) wanted to be \(withArticle(job)).")
        }
        if rng.chance(15) {
            let food = rng.pick(StoryVocabulary.foods)
            add("\(hero.possessive) favorite food was \(food.plural), and \(hero.possessive) favorite color was \(rng.pick(StoryVocabulary.colors)).")
            note("What was \(hero.owner) favorite food?", "\(hero.owner) favorite food was \(food.plural).")
        }
        if !saidHome, cast.helperIsFamily, rng.chance(30) {
            let home = rng.pick(hero.isAnimal ? StoryVocabulary.animalHomes : StoryVocabulary.homes)
            add("\(hero.subject) lived with \(cast.helperRelation) in \(home).")
            note("Where did \(hero.name) live?", "\(hero.name) lived in \(home).")
        }

        guard rng.chance(75) else { return false }
        switch rng.variant(4) {
        case 0: add("\(hero.possessive) best friend was \(friend.description) named \(friend.name).")
        case 1: add("\(hero.name) had a friend called \(friend.name), who was \(friend.description).")
        case 2: add("\(hero.owner) best friend was \(friend.name), \(friend.description).")
        default: add("\(hero.name) and \(friend.name), \(friend.description), were the best of friends.")
        }
        noteFriend()
        return true
    }

    /// One sentence on how the hero looks: hair for a child, a feature or two for an animal.
    private mutating func describeLooks() {
        if hero.isAnimal {
            let features = rng.pickDistinct(2, from: StoryVocabulary.animalFeatures)
            add("\(hero.subject) had \(features[0]) and \(features[1]).")
        } else {
            let hair = "\(rng.pick(StoryVocabulary.hairStyles)) \(rng.pick(StoryVocabulary.hairColors)) hair"
            // The details are written for "her"; a boy's become "his".
            var detail = rng.pick(StoryVocabulary.childDetails)
            if hero.gender == .male { detail = detail.split(separator: " ").map { $0 == "her" ? "his" : String($0) }.joined(separator: " ") }
            add(rng.chance(50) ? "\(hero.subject) had \(hair) and \(detail)." : "\(hero.subject) had \(hair).")
        }
    }

    /// Introduces the friend in the middle of the story: "There, she met a shy duck named Coco."
    mutating func meetFriend(at place: Place) {
        switch rng.variant(3) {
        case 0: add("There, \(hero.subject) met \(friend.description) named \(friend.name).")
        case 1: add("\(place.location.capitalizedFirst), \(hero.name) met \(friend.description) called \(friend.name).")
        default:
            add("Soon \(hero.subject) saw \(friend.description).")
            add("\(friend.possessive) name was \(friend.name).")
        }
        switch rng.variant(3) {
        case 0:
            say(friend, "Hello! Do you want to play with me?")
            say(hero, "Yes, let's play together!", reply: true)
        case 1:
            say(friend, "Hi! I'm \(friend.name). Can I play too?")
            say(hero, "Of course! I'm \(hero.name). Let's be friends!", reply: true)
        default:
            say(friend, "Hello there! What are you doing?")
            say(hero, "I'm just exploring. Do you want to come with me?", reply: true)
        }
        noteFriend()
    }

    /// Records the question about the friend, once the friend has been introduced.
    mutating func noteFriend() {
        note("Who was \(hero.owner) friend?", "\(hero.owner) friend was \(friend.name), \(friend.description).")
    }

    // MARK: - The day the adventure begins

    /// The weather of a story, as a sentence and as an adjective for "One windy morning".
    mutating func weather(_ kinds: [WeatherKind]) -> (sentence: String, adjective: String, kind: WeatherKind) {
        let kind = rng.pick(kinds)
        let sentences = StoryVocabulary.weather.filter { $0.kind == kind }
        let adjective: String
        switch kind {
        case .sunny: adjective = rng.pick(["sunny", "bright", "warm", "lovely"])
        case .windy: adjective = rng.pick(["windy", "breezy", "blustery"])
        case .rainy: adjective = rng.pick(["rainy", "wet", "gray"])
        case .snowy: adjective = rng.pick(["snowy", "frosty", "cold"])
        case .cloudy: adjective = rng.pick(["cloudy", "cool", "quiet"])
        }
        return (rng.pick(sentences).sentence, adjective, kind)
    }

    /// "Mia put on her yellow raincoat and her green wellies." Clothes fit the weather; animals
    /// (who mostly wear fur) are left as they are.
    mutating func dress(for kind: WeatherKind) {
        guard !hero.isAnimal else { return }
        let items = StoryVocabulary.clothes.first(where: { $0.kind == kind })?.items ?? []
        guard items.count >= 2 else { return }
        let chosen = rng.pickDistinct(2, from: items)
        let colors = rng.pickDistinct(2, from: StoryVocabulary.clothesColors)
        add("\(hero.name) put on \(hero.possessive) \(colors[0]) \(chosen[0]) and \(hero.possessive) \(colors[1]) \(chosen[1]).")
        note("What did \(hero.name) wear?", "\(hero.name) wore \(hero.possessive) \(colors[0]) \(chosen[0]) and \(hero.possessive) \(colors[1]) \(chosen[1]).")
    }

    /// One sentence of sound, smell or animals, to make a place feel alive; `alone` when the
    /// hero is there without the friend.
    mutating func sceneDetail(at place: Place, alone: Bool) {
        switch rng.variant(3) {
        case 0:
            add(rng.chance(50) ? "\(alone ? hero.subject : "they") could hear \(rng.pick(StoryVocabulary.sounds))."
                               : "In the distance, \(hero.subject) could hear \(rng.pick(StoryVocabulary.sounds)).")
        case 1:
            add("The air smelled of \(rng.pick(StoryVocabulary.smells)).")
        default:
            let animal = rng.pick(StoryVocabulary.sceneryAnimals)
            let count = rng.number(in: 2...7)
            add("\(animal.counted(count).capitalizedFirst) were \(rng.pick(StoryVocabulary.animalDoings)) \(rng.pick(place.spots)).")
        }
    }

    /// The first sentences of the adventure: when, where, with whom, the weather, and a look
    /// around. With `alone`, the hero goes without the friend (who may be met there).
    mutating func beginDay(at place: Place, weather kinds: [WeatherKind], alone: Bool = false) {
        let (sentence, adjective, kind) = weather(kinds)
        let time = rng.pick(StoryVocabulary.timesOfDay)
        let who = alone ? hero.name : "\(hero.name) and \(friend.name)"
        switch rng.variant(4) {
        case 0:
            add(rng.chance(50) ? "One \(adjective) \(time), \(who) went to the \(place.name)."
                               : "One \(adjective) \(time), \(who) went to the \(place.name) in \(town).")
        case 1:
            if rng.chance(30) {
                add("On a \(adjective) day in \(rng.pick(StoryVocabulary.months)), \(who) went to the \(place.name).")
            } else {
                add("On \(rng.pick(StoryVocabulary.weekdays)), \(who) went to the \(place.name).")
            }
            add(sentence)
        case 2:
            add(sentence)
            add("It was a perfect day to go to the \(place.name), so \(who) \(rng.pick(["went there", "set off", "headed out"])).")
        default:
            let movement = rng.pick(StoryVocabulary.movements)
            add("One \(adjective) \(time), \(who) \(movement.past) \(rng.pick(StoryVocabulary.mannerAdverbs)) all the way to the \(place.name).")
        }
        if rng.chance(35) { dress(for: kind) }
        let answerWho = alone ? hero.name : "\(hero.name) and \(friend.name)"
        note(alone ? "Where did \(hero.name) go?" : "Where did \(hero.name) and \(friend.name) go?",
             "\(answerWho) went to the \(place.name).")
        if rng.chance(60) {
            let features = rng.pickDistinct(3, from: place.features)
            switch rng.variant(3) {
            case 0: add("The \(place.name) had \(features[0]), \(features[1]) and \(features[2]).")
            case 1: add("\(place.location.capitalizedFirst), there were \(features[0]) and \(features[1]).")
            default: add("\(hero.name) loved \(withDefiniteArticle(features[0])) and \(withDefiniteArticle(features[1])).")
            }
        }
        if rng.chance(50) { sceneDetail(at: place, alone: alone) }
    }

    // MARK: - Ending

    /// The last paragraph: a feeling, a lesson of the given theme, sometimes a closing line.
    /// `habit`, when given, is what the hero did from then on, in the past tense
    /// ("always held the string tight"); `moral`, when given, replaces the theme's lessons.
    mutating func writeEnding(theme: MoralTheme, habit: String? = nil, moral chosenMoral: String? = nil) {
        newParagraph()
        let feeling = rng.pick(StoryVocabulary.goodFeelings)
        let feelingVariant = rng.variant(3)
        switch feelingVariant {
        case 0: add("\(hero.name) felt \(feeling).")
        case 1: add("That \(rng.pick(["night", "evening"])), \(hero.name) went to bed feeling \(feeling).")
        default: add("\(hero.name) and \(friend.name) were both very \(feeling).")
        }
        note("How did \(hero.name) feel at the end?", "\(hero.name) felt \(feeling).")
        let moral = chosenMoral ?? rng.pick(StoryVocabulary.morals.filter { $0.theme == theme }).text
        if let habit, rng.chance(50) {
            add("From that day on, \(hero.name) \(habit).")
        } else {
            switch rng.variant(3) {
            // "She learned" only right after a sentence about the hero alone, never after "Mia and Tom".
            case 0 where feelingVariant < 2: add("\(hero.subject) learned that \(moral).")
            case 1: add("That day, \(hero.name) learned that \(moral).")
            default: add("\(hero.name) knew now that \(moral).")
            }
            note("What did \(hero.name) learn?", "\(hero.name) learned that \(moral).")
        }
        if rng.chance(25) { add("The end.") }
    }

    // MARK: - Phrase helpers

    /// A thing with one or two adjectives, without an article: "shiny red kite".
    mutating func describedThing(_ noun: Noun) -> String {
        switch rng.variant(4) {
        case 0: return "\(rng.pick(StoryVocabulary.colors)) \(noun.singular)"
        case 1: return "\(rng.pick(StoryVocabulary.thingAdjectives)) \(noun.singular)"
        case 2: return "\(rng.pick(StoryVocabulary.thingAdjectives)) \(rng.pick(StoryVocabulary.colors)) \(noun.singular)"
        default: return "favorite \(noun.singular)"
        }
    }

    /// A town name from two halves: "Oakbrook", "Silverdale".
    mutating func townName() -> String {
        let start = rng.pick(StoryVocabulary.townStarts)
        var end = rng.pick(StoryVocabulary.townEnds)
        while end == start.lowercased() { end = rng.pick(StoryVocabulary.townEnds) }
        return start + end
    }

    /// A place by name; the names are those of `StoryVocabulary.places`.
    mutating func place(_ names: [String]) -> Place {
        let name = rng.pick(names)
        guard let place = StoryVocabulary.places.first(where: { $0.name == name }) else {
            preconditionFailure("StoryTeller.place: no place named '\(name)' in StoryVocabulary.places")
        }
        return place
    }
}

/// "a tall oak tree" → "the tall oak tree".
func withDefiniteArticle(_ phrase: String) -> String {
    if phrase.hasPrefix("a ") { return "the " + phrase.dropFirst(2) }
    if phrase.hasPrefix("an ") { return "the " + phrase.dropFirst(3) }
    return "the " + phrase
}

extension String {
    /// The string with its first letter in upper case (see `capitalizingFirstLetter`).
    var capitalizedFirst: String { capitalizingFirstLetter(self) }
}
