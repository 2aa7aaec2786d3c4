// Plots about things: a treasure lost, a toy stuck up high, a toy broken, a pet gone missing.
//
// Each plot writes the middle paragraphs of a story (a problem, a search or attempts with
// dialogue and numbers, a resolution) and then the ending, and notes the questions its facts
// answer. The shared opening and ending are in StoryTeller+Opening.swift.

extension StoryTeller {
    // MARK: - A lost treasure

    mutating func writeLostTreasure(friendKnown: Bool) {
        let place = place(["park", "beach", "forest", "garden", "playground", "meadow", "farm", "library",
                           "school", "market", "zoo", "campsite", "backyard", "museum", "fair", "train station",
                           "aquarium", "lighthouse", "fairground", "bookshop", "ice rink", "stable", "windmill"])
        let noun = rng.pick(StoryVocabulary.treasures)
        let thing = describedThing(noun)
        newParagraph()
        beginDay(at: place, weather: [.sunny, .cloudy, .windy], alone: !friendKnown)
        if !friendKnown { meetFriend(at: place) }
        switch rng.variant(3) {
        case 0: add("\(hero.name) had brought \(hero.possessive) \(thing) along.")
        case 1: add("\(hero.name) took \(hero.possessive) \(thing) everywhere, and today was no different.")
        default: add("\(hero.name) held \(hero.possessive) \(thing) tightly as they played.")
        }
        let hours = rng.number(in: 2...4)
        add(rng.pick(["They played until the sun was low in the sky.", "They played for \(numberWord(hours)) whole hours.",
                      "They ran, laughed and played all afternoon."]))
        switch rng.variant(2) {
        case 0: add("When it was time to go home, \(hero.name) looked for \(hero.possessive) \(noun.singular), but it was gone!")
        default: add("Suddenly, \(hero.name) stopped. \(hero.possessive.capitalizedFirst) \(noun.singular) was not in \(hero.possessive) hands anymore!")
        }
        note("What did \(hero.name) lose?", "\(hero.name) lost \(hero.possessive) \(thing).")
        say(hero, "\(rng.pick(StoryVocabulary.alarmExclamations)) Where is my \(noun.singular)?")
        add("\(hero.name) \(rng.pick(StoryVocabulary.sadReactions)).")
        say(friend, rng.pick(["Don't worry, \(hero.name). I will help you find it.",
                              "Don't be sad. We can look for it together!",
                              "Let's look for it. Two pairs of eyes are better than one!",
                              "It can't be far. Where did you have it last?"]), reply: true)
        note("Who helped \(hero.name) look for the \(noun.singular)?", "\(friend.name) helped \(hero.name) look for it.")

        newParagraph()
        let spots = rng.pickDistinct(3, from: place.spots)
        add("First, they looked \(spots[0]), but the \(noun.singular) was not there.")
        switch rng.variant(2) {
        case 0:
            let found = rng.pick(StoryVocabulary.natureThings)
            let count = rng.number(in: 2...9)
            add("Then \(friend.name) looked \(spots[1]). \(friend.subject.capitalizedFirst) found \(found.counted(count)), but no \(noun.singular).")
        default:
            add("Next, they searched \(spots[1]). It was not there either.")
        }
        say(hero, rng.pick(["What if we never find it?", "Where can it be?", "Maybe it is lost forever."]))
        switch rng.variant(3) {
        case 0:
            add("\(rng.pick(StoryVocabulary.transitions)), \(friend.name) pointed at something \(spots[2]).")
            say(friend, "\(rng.pick(StoryVocabulary.joyExclamations)) There it is!")
            add("There was \(hero.possessive) \(thing), \(spots[2])!")
            note("Where did they find the \(noun.singular)?", "They found it \(spots[2]).")
        case 1:
            let animal = rng.pick(StoryVocabulary.characterAnimals)
            add("Just then, they saw a little \(animal.noun.singular) \(spots[2]). It was holding the \(noun.singular)!")
            say(hero, "Hey! That's my \(noun.singular)!")
            add("The \(animal.noun.singular) \(animal.sound) and dropped it. Maybe it had only wanted to play.")
            note("Who had the \(noun.singular)?", "A little \(animal.noun.singular) had it.")
            note("Where did they find the \(noun.singular)?", "They found it \(spots[2]), with a little \(animal.noun.singular).")
        default:
            add("They ran to \(cast.helperRelation) and told \(helper.object) what had happened.")
            say(helper, "Hmm. Did you look \(spots[2])?", tag: "asked")
            add("They had not! They hurried back, and there it was.")
            note("Where did they find the \(noun.singular)?", "They found it \(spots[2]).")
            note("Who told them where to look?", "\(helper.name) told them where to look.")
        }
        add("\(hero.name) \(rng.pick(StoryVocabulary.happyReactions)) and hugged \(hero.possessive) \(noun.singular).")
        say(hero, rng.pick(["Thank you, \(friend.name)! You are a true friend.", "I will never lose it again!",
                            "Thank you for helping me!"]))
        writeEnding(theme: rng.chance(50) ? .care : .friendship,
                    habit: "always kept \(hero.possessive) \(noun.singular) close")
    }

    // MARK: - Stuck up high

    mutating func writeStuckUpHigh(friendKnown: Bool) {
        let place = place(["park", "garden", "backyard", "playground", "meadow", "hill", "orchard", "campsite", "farm",
                           "vegetable patch", "windmill"])
        let noun = rng.pick(StoryVocabulary.flyingThings)
        let thing = describedThing(noun)
        newParagraph()
        beginDay(at: place, weather: [.windy, .sunny], alone: !friendKnown)
        if !friendKnown { meetFriend(at: place) }
        add("\(hero.name) had \(withArticle(thing)).")
        switch noun.singular {
        case "kite": add("\(hero.subject) let out the string, and the kite flew higher and higher.")
        case "balloon": add("\(hero.subject) held it by its long string and watched it bob in the breeze.")
        case "hat", "scarf", "ribbon", "sock": add("\(hero.subject) was wearing it proudly.")
        default: add("\(hero.name) and \(friend.name) threw it back and forth \(numberWord(rng.number(in: 10...30))) times without dropping it.")
        }
        let spot = rng.pick(["in the branches of a tall tree", "on a high branch of an old oak", "on the roof of a shed",
                             "on top of a tall fence", "at the top of a lamp post", "high up in a pine tree",
                             "on the roof of a little house", "in a tall, prickly hedge"])
        add("But then a big gust of wind came. Whoosh! The \(noun.singular) flew up and got stuck \(spot).")
        note("Where did the \(noun.singular) get stuck?", "It got stuck \(spot).")
        say(hero, "\(rng.pick(StoryVocabulary.alarmExclamations)) My \(noun.singular) is stuck!")
        let meters = rng.number(in: 3...6)
        add("It was about \(meters) meters above the ground.")
        note("How high was the \(noun.singular)?", "It was about \(meters) meters above the ground.")
        add("\(hero.name) jumped and jumped, but \(hero.subject) could not reach it.")
        say(friend, rng.pick(["Let me try with this stick!", "Maybe I can reach it if I stand on this rock!"]))
        add("\(friend.name) tried, but the \(noun.singular) was still too high.")

        newParagraph()
        let climber = ["cat", "kitten", "squirrel", "monkey", "bird", "owl", "chipmunk", "robin", "sparrow",
                       "parrot", "raccoon", "bat", "gecko", "lizard", "spider"].contains(friend.kind)
        switch climber ? 3 : rng.variant(3) {
        case 0:
            add("\(hero.name) ran to get \(cast.helperRelation).")
            say(helper, "I have a ladder in the shed. Let's get it!", reply: true)
            add("\(helper.name) climbed the ladder, one step at a time, and brought the \(noun.singular) down.")
            note("How did they get the \(noun.singular) down?", "\(helper.name) climbed a ladder and brought it down.")
        case 1:
            say(hero, "I have an idea! Let's wait for the wind.")
            add("They waited for \(rng.number(in: 2...10)) minutes. Then the wind blew again, and the \(noun.singular) tumbled down, right into \(friend.owner) arms!")
            say(friend, "I caught it!")
            note("How did they get the \(noun.singular) down?", "The wind blew it down, and \(friend.name) caught it.")
        case 2:
            add("A tall farmer with a long rake was walking by.")
            say(.stranger("the farmer"), "Let me help you with that.")
            add("The farmer reached up with the rake and gently pulled the \(noun.singular) down.")
            note("How did they get the \(noun.singular) down?", "A farmer pulled it down with a long rake.")
        default:
            say(friend, "Don't worry! I am a good climber.")
            add("\(friend.name) climbed up quickly and pushed the \(noun.singular) free. It floated down to \(hero.name).")
            note("How did they get the \(noun.singular) down?", "\(friend.name) climbed up and pushed it free.")
        }
        say(hero, rng.pick(["Thank you so much!", "Hooray! My \(noun.singular) is back!", "You saved my \(noun.singular)!"]))
        writeEnding(theme: .teamwork, habit: rng.chance(50) ? "always played far away from tall trees" : nil)
    }

    // MARK: - A broken toy

    mutating func writeBrokenToy(friendKnown: Bool) {
        let noun = rng.pick(StoryVocabulary.breakableToys)
        let thing = describedThing(noun)
        let giver = rng.chance(50) ? cast.helperRelation : nil
        newParagraph()
        if let giver {
            add("\(hero.name) had \(withArticle(thing)) that \(giver) had given \(hero.object) for \(hero.possessive) birthday.")
            note("Who gave \(hero.name) the \(noun.singular)?", "\(giver.capitalizedFirst) gave it to \(hero.object).")
        } else {
            add("\(hero.name) had \(withArticle(thing)) that \(hero.subject) loved more than any other toy.")
        }
        add("\(hero.subject) played with it every single day.")
        if !friendKnown {
            add("One day, \(withArticle(friend.kind)) named \(friend.name) came to play.")
            noteFriend()
        }
        let place = place(["backyard", "kitchen", "attic", "playground", "park", "garden", "treehouse"])
        add("One \(rng.pick(StoryVocabulary.timesOfDay)), \(hero.name) and \(friend.name) were playing with the \(noun.singular) \(place.location).")
        say(friend, "Can I have a turn?")
        let fault = rng.chance(50)
        if fault {
            say(hero, "No, it's mine!")
            add("They both pulled at it, and then, crack! The \(noun.singular) broke into \(numberWord(rng.number(in: 2...5))) pieces.")
        } else {
            add("\(hero.name) passed it over, but it slipped out of \(friend.owner) hands. Crash! It landed on the hard ground, and one piece broke off.")
        }
        note("What broke?", "\(hero.owner) \(noun.singular) broke.")
        add("\(hero.name) \(rng.pick(StoryVocabulary.sadReactions)).")
        say(hero, rng.pick(["My \(noun.singular) is broken!", "Oh no! Now I can't play with it anymore."]))
        if fault {
            say(friend, "I'm sorry, \(hero.name). I shouldn't have pulled so hard.")
            say(hero, "I'm sorry too. I should have shared.", reply: true)
        } else {
            say(friend, "I'm so sorry! It was an accident.")
        }

        newParagraph()
        add("They carried the pieces to \(cast.helperRelation).")
        say(helper, rng.pick(["Don't worry. We can fix it with some glue and a little patience.",
                              "Let me see. I think we can mend it together."]), reply: true)
        let minutes = rng.number(in: 2...6) * 10
        switch rng.variant(2) {
        case 0:
            add("\(helper.name) got out a tube of glue, some tape and a tiny brush.")
            add("They worked for \(minutes) minutes. \(friend.name) held the pieces while \(hero.name) added the glue.")
            add("At last, the \(noun.singular) was as good as new. It even had a fresh coat of \(rng.pick(StoryVocabulary.colors)) paint!")
            note("How did they fix the \(noun.singular)?", "They glued the pieces together with \(helper.name).")
        default:
            let boxes = rng.number(in: 2...5)
            add("But the \(noun.singular) could not be fixed. So they made a new one out of \(numberWord(boxes)) cardboard boxes, some string and lots of paint.")
            add("It took \(minutes) minutes, and it was the funniest \(noun.singular) anyone had ever seen.")
            note("How many boxes did they use?", "They used \(numberWord(boxes)) cardboard boxes.")
            note("How did they fix the \(noun.singular)?", "They could not fix it, so they made a new one out of boxes.")
        }
        say(hero, rng.pick(["Now it is even better than before!", "Let's play with it together!"]))
        writeEnding(theme: fault ? .sharing : .friendship, habit: fault ? "always shared \(hero.possessive) toys" : nil)
    }

    // MARK: - A missing pet

    /// Needs a child hero and an animal friend (the hero's pet).
    mutating func writeMissingPet(friendKnown: Bool) {
        newParagraph()
        if !friendKnown {
            add("\(hero.name) had a pet \(friend.kind) named \(friend.name).")
            noteFriend()
        }
        add("\(friend.name) lived with \(hero.name), and every night \(friend.subject) slept at the end of \(hero.owner) bed.")
        add(weather([.sunny, .rainy, .snowy, .cloudy]).sentence)
        add("But one morning, \(friend.name) was not there. \(hero.name) looked in the kitchen, under the bed and behind the sofa.")
        say(hero, "\(friend.name)! Where are you?", tag: "called")
        add("Then \(hero.subject) saw that the garden gate was open!")
        note("Who went missing?", "\(friend.name), \(hero.owner) \(friend.kind), went missing.")
        add("\(hero.name) felt \(rng.pick(StoryVocabulary.badFeelings)).")

        newParagraph()
        add("\(hero.name) and \(cast.helperRelation) went out to look.")
        let place = place(["park", "market", "bakery", "farm", "river", "garden", "library", "bus stop", "pond",
                           "vegetable patch", "greenhouse", "bookshop", "stable"])
        let blocks = rng.number(in: 2...9)
        switch rng.variant(3) {
        case 0:
            add("They found little paw prints in the mud and followed them for \(blocks) blocks, all the way to the \(place.name).")
        case 1:
            add("They asked at the \(place.name).")
            let people = ["market": "the fruit seller", "bakery": "the baker", "farm": "the farmer", "river": "the fisherman",
                          "pond": "the fisherman", "library": "the librarian", "bookshop": "the bookseller",
                          "stable": "the stable keeper", "bus stop": "the bus driver"]
            say(.stranger(people[place.name] ?? "the gardener"), "Yes! I saw a little \(friend.kind) run past about \(numberWord(blocks)) minutes ago.")
            add("So they hurried to the \(place.name).")
        default:
            add("They walked up and down \(numberWord(blocks)) streets, calling and calling, until they came to the \(place.name).")
        }
        let spot = rng.pick(place.spots)
        let playmates = rng.number(in: 2...6)
        let animal = rng.pick(StoryVocabulary.characterAnimals)
        switch rng.variant(2) {
        case 0:
            add("And there was \(friend.name), \(spot), playing with \(animal.noun.counted(playmates))!")
            note("What was \(friend.name) doing?", "\(friend.name) was playing with \(animal.noun.counted(playmates)).")
        default:
            add("And there was \(friend.name), \(spot), fast asleep!")
            note("What was \(friend.name) doing?", "\(friend.name) was fast asleep.")
        }
        note("Where did they find \(friend.name)?", "They found \(friend.object) \(spot).")
        say(hero, "\(friend.name)! I missed you so much!")
        add("\(friend.name) ran to \(hero.name), and \(hero.name) gave \(friend.object) the biggest hug.")
        writeEnding(theme: .care, habit: "always closed the garden gate")
    }
}
