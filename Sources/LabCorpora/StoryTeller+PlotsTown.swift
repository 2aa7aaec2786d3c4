// Plots in town: shopping at the market with coins, a show on a stage, a new neighbor.
//
// The market plot does its sums in the open ("Plums cost two coins each, so Mia paid six
// coins"), and every number it prints follows from the others, so a model trained on many such
// stories is shown small arithmetic in context.

extension StoryTeller {
    // MARK: - Shopping at the market

    mutating func writeMarket(friendKnown: Bool) {
        let place = place(["market"])
        let goods = rng.pickDistinct(2, from: StoryVocabulary.foods)
        let counts = [rng.number(in: 2...5), rng.number(in: 2...4)]
        let prices = [rng.number(in: 1...3), rng.number(in: 1...4)]
        let spent = counts[0] * prices[0] + counts[1] * prices[1]
        let coins = spent + rng.number(in: 1...4)
        newParagraph()
        add("One \(rng.pick(["Saturday", "Sunday", "Wednesday", "Friday"])) morning, \(cast.helperRelation) gave \(hero.name) \(numberWord(coins)) shiny coins and a little list.")
        note("How many coins did \(hero.name) get?", "\(hero.name) got \(numberWord(coins)) coins.")
        say(helper, "Please buy \(goods[0].counted(counts[0])) and \(goods[1].counted(counts[1])) at the market. You can keep what is left.")
        add(friendKnown ? "\(hero.name) asked \(friend.name) to come along, and off they went to the market in \(town)."
                        : "So \(hero.name) set off to the market in \(town).")
        if !friendKnown { meetFriend(at: place) }
        sceneDetail(at: place, alone: false)

        newParagraph()
        add("At the first stall, \(goods[0].plural) cost \(numberWord(prices[0])) \(prices[0] == 1 ? "coin" : "coins") each.")
        add("\(hero.name) bought \(numberWord(counts[0])), so \(hero.subject) paid \(numberWord(counts[0] * prices[0])) coins.")
        note("How much did the \(goods[0].plural) cost?", "They cost \(numberWord(prices[0])) \(prices[0] == 1 ? "coin" : "coins") each.")
        add("At the next stall, \(goods[1].plural) cost \(numberWord(prices[1])) \(prices[1] == 1 ? "coin" : "coins") each.")
        add("\(hero.name) bought \(numberWord(counts[1])) and paid \(numberWord(counts[1] * prices[1])) coins.")
        let left = coins - spent
        say(friend, "How many coins do you have left?", tag: "asked")
        add("\(hero.name) counted carefully. \(hero.subject.capitalizedFirst) had \(numberWord(left)) \(left == 1 ? "coin" : "coins") left.")
        note("How many coins did \(hero.name) have left?", "\(hero.name) had \(numberWord(left)) \(left == 1 ? "coin" : "coins") left.")
        let treat = rng.pick(["a bag of sweets", "a bag of popcorn", "a bag of toffees", "a packet of raisins", "a box of crackers"])
        let gift = rng.pick(["a bunch of flowers", "a little pot of honey", "a pretty card", "a bright red rose"])
        add("At the last stall, \(hero.subject) saw \(treat). \(hero.name) wanted it very much.")
        add("But then \(hero.subject) saw \(gift), and \(hero.subject) thought of \(cast.helperRelation).")
        switch rng.variant(2) {
        case 0:
            add("\(hero.name) used the \(left == 1 ? "last coin" : "coins") to buy \(gift).")
            note("What did \(hero.name) buy with the coins that were left?", "\(hero.name) bought \(gift) for \(helper.name).")
            add("When they got home, \(hero.name) gave \(helper.name) the shopping and the surprise.")
            say(helper, "For me? Oh, thank you! That is so kind of you.")
            writeEnding(theme: .kindness)
        default:
            add("\(hero.name) bought \(treat) and shared it with \(friend.name) on the way home.")
            note("What did \(hero.name) buy with the coins that were left?", "\(hero.name) bought \(treat) and shared it with \(friend.name).")
            say(friend, "Thank you! This is the best market day ever!")
            writeEnding(theme: .sharing)
        }
    }

    // MARK: - A show

    mutating func writeShow(friendKnown: Bool) {
        let act = rng.pick(StoryVocabulary.performances)
        let venue = rng.pick(["school hall", "village hall", "town square", "library", "park bandstand"])
        let days = rng.number(in: 3...9)
        newParagraph()
        if !friendKnown {
            add("\(hero.name) had a friend named \(friend.name), who was \(friend.description).")
            noteFriend()
        }
        add("There was going to be a talent show in the \(venue), and \(hero.name) wanted to \(act.base).")
        note("What did \(hero.name) do in the talent show?", "\(hero.name) \(act.past).")
        add("But every time \(hero.subject) thought about all the people watching, \(hero.possessive) tummy felt funny.")
        say(hero, "What if I make a mistake?", tag: "asked")
        say(friend, "Then you smile and keep going. I'll help you practice!", reply: true)
        add("So \(hero.name) practiced every day for \(numberWord(days)) days, and \(friend.name) was the audience.")
        note("How many days did \(hero.name) practice?", "\(hero.name) practiced for \(numberWord(days)) days.")

        newParagraph()
        let hour = rng.number(in: 4...7)
        let people = rng.number(in: 3...9) * 10
        add("The show started at \(hour) o'clock. There were \(people) people in the \(venue)!")
        note("How many people came to the show?", "\(people) people came.")
        add("When it was \(hero.owner) turn, \(hero.possessive) knees were shaking.")
        add("Then \(hero.subject) saw \(friend.name) in the front row, smiling and waving.")
        add("\(hero.name) took a deep breath and began to \(act.base).")
        if rng.chance(50) {
            add("Halfway through, \(hero.subject) made a tiny mistake. But \(hero.subject) remembered what \(friend.name) had said, smiled and kept going.")
        }
        add("When \(hero.subject) finished, everyone clapped and cheered. \(rng.pick(["Some people even stood up!", "The clapping went on and on.", "Someone shouted, \"Bravo!\""]))")
        say(hero, "I did it! Thank you for helping me, \(friend.name)!")
        writeEnding(theme: .courage)
    }

    // MARK: - A new neighbor

    /// Needs a friend who has not been introduced yet: the friend is the new neighbor.
    mutating func writeNewNeighbor() {
        newParagraph()
        add("One morning, a big moving van stopped outside the house next door.")
        add("\(withArticle(friend.trait).capitalizedFirst) \(friend.kind) named \(friend.name) was moving in.")
        noteFriend()
        add("\(friend.name) stood by the gate, looking \(rng.pick(["shy", "lonely", "a little sad", "nervous", "unsure"])).")
        say(hero, "Hello! I'm \(hero.name). Do you want to play?")
        say(friend, "I don't know anyone here.", tag: "said quietly")
        say(hero, "You know me now!", reply: true)
        add("\(friend.name) smiled a little.")
        say(friend, "What do you like to do?", tag: "asked")
        say(hero, "I love \(hobby.ing)!", reply: true)
        let same = rng.chance(50)
        if same {
            add("\(friend.owner) eyes lit up. \(friend.subject.capitalizedFirst) loved \(hobby.ing) too!")
        } else {
            var other = rng.pick(StoryVocabulary.hobbies)
            while other.ing == hobby.ing { other = rng.pick(StoryVocabulary.hobbies) }
            add("\(friend.name) had never tried it, but \(friend.subject) loved \(other.ing), so they did both.")
            note("What did \(friend.name) like to do?", "\(friend.name) liked \(other.ing).")
        }

        newParagraph()
        let places = rng.pickDistinct(3, from: StoryVocabulary.places.map(\.name).filter { !["kitchen", "attic", "treehouse", "cave", "island", "jungle", "desert", "castle", "mountain"].contains($0) })
        add("The next day, \(hero.name) showed \(friend.name) the three best places in \(town): the \(places[0]), the \(places[1]) and the \(places[2]).")
        note("What places did \(hero.name) show \(friend.name)?", "\(hero.name) showed \(friend.object) the \(places[0]), the \(places[1]) and the \(places[2]).")
        add("At the \(places[2]), they met \(cast.helperRelation), who smiled to see them together.")
        say(helper, "I see you have made a new friend!")
        say(friend, "Yes! I was scared that I would be lonely here, but now I'm not.", reply: true)
        writeEnding(theme: rng.chance(50) ? .friendship : .kindness)
    }
}
