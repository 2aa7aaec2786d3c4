// Plots about friends: a race, sharing a snack, a birthday surprise, a long walk that goes astray.
//
// These plots carry most of the stories' numbers: distances in meters and km, clock times,
// counts that are shared out and added up ("Now they each had four plums."), so that a model
// trained on the corpus sees numbers used consistently within a story.

extension StoryTeller {
    // MARK: - A race

    mutating func writeRace(friendKnown: Bool) {
        let place = place(["park", "meadow", "beach", "hill", "playground", "farm", "snowy field", "orchard"])
        newParagraph()
        beginDay(at: place, weather: place.name == "snowy field" ? [.snowy] : [.sunny, .cloudy, .windy], alone: !friendKnown)
        if !friendKnown { meetFriend(at: place) }
        let goal = rng.pick(["the big tree", "the old gate", "the wooden fence", "the big rock", "the red bench",
                             "the flagpole", "the little bridge", "the tall lamp post", "the scarecrow"])
        let meters = rng.number(in: 5...40) * 10
        say(friend, "Let's have a race! The first one to reach \(goal) wins!")
        add("\(goal.capitalizedFirst) was \(meters) meters away.")
        note("How far away was the finish?", "The finish was \(meters) meters away.")
        say(hero, rng.pick(["Ready, set, go!", "One, two, three, go!"]), tag: "shouted")
        let run = rng.pick(StoryVocabulary.movements)
        add("\(hero.name) \(run.past) as fast as \(hero.subject) could, and \(friend.name) was right behind \(hero.object).")
        let halfway = meters / 2
        add("After \(halfway) meters, \(hero.name) was in front.")

        newParagraph()
        add("\(rng.pick(StoryVocabulary.transitions)), \(friend.name) tripped over a \(rng.pick(["root", "stone", "stick", "bump"])) and fell down.")
        say(friend, rng.pick(["Ouch! My knee!", "Ow! That hurts!", "Oh no! I fell!"]))
        note("Who fell down during the race?", "\(friend.name) fell down.")
        add("\(hero.name) could see the finish. \(hero.subject.capitalizedFirst) could win!")
        switch rng.variant(2) {
        case 0:
            add("But \(hero.subject) stopped, turned around and \(rng.pick(["ran", "hurried", "rushed"])) back to \(friend.name).")
            say(hero, "Are you okay? Here, hold my hand.")
            add("\(hero.name) helped \(friend.name) up, and they walked to \(goal) together, side by side.")
            say(friend, "You could have won. Why did you come back?")
            say(hero, "Because you are my friend. Friends are more important than winning.", reply: true)
            note("Who won the race?", "Nobody won. \(hero.name) went back to help \(friend.name), and they finished together.")
        default:
            add("\(hero.name) reached \(goal) first, but when \(hero.subject) looked back, \(friend.name) was still sitting on the ground.")
            add("\(hero.name) did not feel like a winner at all. \(hero.subject.capitalizedFirst) ran back to help.")
            say(hero, "I'm sorry I didn't stop. Let's walk back together.")
            note("Who won the race?", "\(hero.name) won the race, but then went back to help \(friend.name).")
        }
        let races = rng.number(in: 2...5)
        let heroWins = rng.number(in: 0...races)
        add("Later, when \(friend.owner) knee felt better, they raced \(numberWord(races)) more times.")
        switch heroWins {
        case 0: add("\(friend.name) won every time, and \(hero.name) laughed and laughed.")
        case races: add("\(hero.name) won every time, and \(friend.name) laughed and cheered.")
        default:
            add("\(hero.name) won \(numberWord(heroWins)) \(heroWins == 1 ? "time" : "times"), and \(friend.name) won \(numberWord(races - heroWins)) \(races - heroWins == 1 ? "time" : "times").")
        }
        note("How many more times did they race?", "They raced \(numberWord(races)) more times.")
        writeEnding(theme: .friendship, moral: rng.pick(["being a good friend matters more than winning",
                                                         "helping a friend is better than winning a race"]))
    }

    // MARK: - Sharing

    mutating func writeSharing(friendKnown: Bool) {
        let place = place(["park", "beach", "meadow", "hill", "school", "lake", "river", "garden", "zoo", "campsite",
                           "vegetable patch", "windmill", "aquarium", "marsh"])
        let food = rng.pick(StoryVocabulary.foods)
        let count = rng.number(in: 2...6) * 2
        let adjective = rng.chance(50) ? rng.pick(["big", "sweet", "juicy", "fresh", "little", "tasty", "warm", "crunchy"]) : ""
        newParagraph()
        beginDay(at: place, weather: [.sunny, .cloudy], alone: !friendKnown)
        if !friendKnown { meetFriend(at: place) }
        add("\(hero.name) had a \(rng.pick(["picnic basket", "lunchbox", "paper bag", "little basket"])) with \(food.counted(count, adjective)) inside.")
        note("How many \(food.plural) did \(hero.name) have?", "\(hero.name) had \(food.counted(count)).")
        add("\(friend.name) had forgotten \(friend.possessive) lunch at home.")
        add("\(friend.owner) tummy rumbled. Grumble, grumble!")
        say(friend, rng.pick(["I'm so hungry.", "I wish I had something to eat.", "Those look yummy."]), tag: "said quietly")
        add("\(hero.name) wanted to eat all \(numberWord(count)) \(food.plural) \(hero.reflexive). \(hero.subject.capitalizedFirst) loved \(food.plural) more than anything.")
        add("But then \(hero.subject) saw how \(rng.pick(StoryVocabulary.badFeelings)) \(friend.name) looked.")

        newParagraph()
        let half = count / 2
        switch rng.variant(2) {
        case 0:
            say(hero, "Here, \(friend.name). Let's share them. You can have half.")
            add("\(hero.name) gave \(friend.name) \(numberWord(half)) \(half == 1 ? food.singular : food.plural). Now they each had \(numberWord(half)).")
            note("How many \(food.plural) did \(hero.name) give to \(friend.name)?", "\(hero.name) gave \(friend.name) \(food.counted(half)).")
        default:
            let given = rng.number(in: 1...(count - 1))
            say(hero, "Would you like some of my \(food.plural)?")
            say(friend, "Yes, please! Thank you!", reply: true)
            add("\(hero.name) gave \(friend.name) \(food.counted(given)) and kept \(numberWord(count - given)) for \(hero.reflexive).")
            note("How many \(food.plural) did \(hero.name) give to \(friend.name)?", "\(hero.name) gave \(friend.name) \(food.counted(given)).")
        }
        add("They sat together \(place.location), ate and drank \(rng.pick(StoryVocabulary.drinks)), and everything tasted better because they were sharing.")
        let other = rng.pick(StoryVocabulary.foods)
        let next = rng.number(in: 2...8)
        add("The next day, \(friend.name) brought \(other.counted(next)) and shared them with \(hero.name).")
        note("What did \(friend.name) bring the next day?", "\(friend.name) brought \(other.counted(next)).")
        say(friend, "You shared with me, so now I share with you!")
        writeEnding(theme: .sharing, habit: "always shared \(hero.possessive) snacks")
    }

    // MARK: - A birthday surprise

    mutating func writeBirthdaySurprise(friendKnown: Bool) {
        let bake = rng.pick(StoryVocabulary.bakes)
        let dish = String(bake.split(separator: " ").last ?? "cake")
        let age = rng.number(in: 4...9)
        let day = rng.pick(StoryVocabulary.weekdays)
        newParagraph()
        if !friendKnown {
            add("\(hero.name) had a new friend, \(friend.description) named \(friend.name).")
            noteFriend()
        }
        add("\(friend.owner) birthday was on \(day), and \(hero.name) wanted to bake \(withArticle(bake)) as a surprise.")
        note("Whose birthday was it?", "It was \(friend.owner) birthday.")
        note("What did \(hero.name) make for \(friend.name)?", "\(hero.name) made \(withArticle(bake)).")
        let eggs = rng.number(in: 2...4)
        let cups = rng.number(in: 1...3)
        let fruit = rng.pick(StoryVocabulary.berries)
        let fruits = rng.number(in: 3...9)
        add("\(hero.subject) went to the market with \(cast.helperRelation) to buy what they needed.")
        add("They bought \(numberWord(eggs)) eggs, \(numberWord(cups)) \(cups == 1 ? "cup" : "cups") of flour, a bag of sugar and \(fruit.counted(fruits)).")
        note("How many eggs did they buy?", "They bought \(numberWord(eggs)) eggs.")
        let start = rng.number(in: 1...4)
        add("At \(start) o'clock, they started to bake.")
        add("\(hero.name) cracked the eggs and mixed everything in a big bowl, while \(helper.name) warmed up the oven.")
        let minutes = rng.number(in: 3...6) * 10
        add("The \(dish) baked for \(minutes) minutes, and the whole house smelled wonderful.")

        newParagraph()
        switch rng.variant(3) {
        case 0:
            add("But when they took it out, the \(dish) was a little burnt on one side!")
            say(hero, "\(rng.pick(StoryVocabulary.alarmExclamations)) It's ruined!")
            say(helper, "Not at all. We can cover it with frosting, and nobody will ever know.", reply: true)
            add("So they covered it with pink frosting and put \(fruit.counted(fruits)) on top.")
        case 1:
            add("While it was cooling, a hungry \(rng.pick(["dog", "cat", "goat", "raccoon"])) crept into the kitchen and took a big bite!")
            say(hero, "Hey! That's for \(friend.name)!")
            add("\(hero.name) was upset, but \(helper.name) cut off the bitten part, and the \(dish) was still big enough for everyone.")
        default:
            add("It came out golden and perfect. \(hero.name) decorated it with \(fruit.counted(fruits)) and a little flag that said \"Happy Birthday\".")
        }
        let party = start + rng.number(in: 2...3)
        add("At \(party) o'clock, \(friend.name) came over.")
        say(hero, "Surprise! Happy birthday!", tag: "shouted")
        add("There were \(numberWord(age)) candles on the \(dish), and \(friend.name) blew them all out with one big puff.")
        note("How many candles were on the \(dish)?", "There were \(numberWord(age)) candles.")
        say(friend, rng.pick(["This is the best birthday ever!", "You made this for me? Thank you!",
                              "I love it! You are the best friend in the world!"]))
        writeEnding(theme: .kindness)
    }

    // MARK: - A walk that goes astray

    mutating func writeJourney(friendKnown: Bool) {
        let destination = rng.pick(["the big lake", "the old mill", "the top of Windy Hill", "the waterfall",
                                    "the lighthouse", "the berry bushes by the river", "the castle on the hill",
                                    "the farm where the ponies lived", "the old stone bridge", "the sunflower field"])
        let kilometers = rng.number(in: 2...6)
        let leave = rng.number(in: 7...10)
        newParagraph()
        if !friendKnown {
            add("One day, \(hero.name) met \(friend.description) named \(friend.name).")
            noteFriend()
        }
        add("\(hero.name) and \(friend.name) wanted to visit \(destination), which was \(kilometers) km from \(rng.chance(50) ? "home" : town).")
        note("Where did \(hero.name) and \(friend.name) want to go?", "They wanted to go to \(destination).")
        note("How far away was \(destination)?", "It was \(kilometers) km away.")
        let weather = weather([.sunny, .cloudy, .windy])
        add(weather.sentence)
        if rng.chance(40) { dress(for: weather.kind) }
        let sandwiches = rng.number(in: 1...3) * 2
        let drink = rng.pick(["water", "lemonade", "apple juice", "orange juice", "pear juice"])
        add("They left at \(leave) o'clock in the morning with \(numberWord(sandwiches)) sandwiches and a bottle of \(drink).")
        note("What did they take with them?", "They took \(numberWord(sandwiches)) sandwiches and a bottle of \(drink).")
        note("What time did they leave?", "They left at \(leave) o'clock.")
        let place = place(["forest", "meadow", "river", "hill", "village", "orchard"])
        let features = rng.pickDistinct(2, from: place.features)
        add("They walked along a winding path, past \(features[0]) and \(features[1]).")
        add("After a while, the path split in two. One way went left, and the other went right.")
        say(friend, "Which way should we go?")
        say(hero, "I don't know. I think we are lost!", reply: true)
        add("They both felt \(rng.pick(["scared", "worried", "nervous", "a little frightened"])).")

        newParagraph()
        switch rng.variant(3) {
        case 0:
            add("Just then, they heard a voice above them. It was an old owl, sitting in a tree.")
            say(.stranger("the owl"), "Follow the stream, and it will lead you where you want to go.")
            add("They followed the stream for \(rng.number(in: 10...40)) minutes, and there it was: \(destination)!")
            note("Who showed them the way?", "An old owl showed them the way.")
        case 1:
            add("\(hero.name) remembered the map in \(hero.possessive) pocket.")
            say(hero, "Look! If we go left, we will get there.")
            add("They went left, counted \(rng.number(in: 100...500)) steps, and soon they reached \(destination).")
            note("Who showed them the way?", "\(hero.name) used a map to find the way.")
        default:
            add("\(friend.name) climbed a big rock and looked all around.")
            say(friend, "I can see it! It's that way!")
            add("They hurried on, and before long they were at \(destination).")
            note("Who showed them the way?", "\(friend.name) climbed a rock and saw the way.")
        }
        add("It was even more beautiful than they had imagined. They sat down and ate the sandwiches, \(numberWord(sandwiches / 2)) each.")
        let home = rng.number(in: 5...7)
        add("They got home just in time for dinner at \(home) o'clock.")
        note("When did they get home?", "They got home at \(home) o'clock.")
        say(helper, "There you are! How was your adventure?", tag: "asked")
        say(hero, "We got lost, but we found the way together!", reply: true)
        writeEnding(theme: rng.chance(50) ? .courage : .teamwork)
    }
}
