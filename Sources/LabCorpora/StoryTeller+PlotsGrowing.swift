// Plots about growing up: being scared and brave, caring for a hurt animal, building something
// and building it again, and waiting for a garden to grow.
//
// These plots carry the stories' sense of time: nights and days counted, a storm counted in
// seconds, seeds that take a number of days to sprout.

extension StoryTeller {
    // MARK: - Scared, then brave

    mutating func writeBraveryLesson(friendKnown: Bool) {
        if !friendKnown {
            // Still part of the opening paragraph.
            add("\(hero.name) had a good friend named \(friend.name), who was \(friend.description).")
            noteFriend()
        }
        newParagraph()
        // A storm at bedtime needs a grown-up who is there at night: family only.
        switch cast.helperIsFamily ? rng.variant(4) : 1 + rng.variant(3) {
        case 0:
            add("One stormy night, \(hero.name) was lying in bed when the sky lit up. Flash! Then came a loud noise. Boom!")
            add("\(hero.name) was scared of thunder. \(hero.subject.capitalizedFirst) hid under \(hero.possessive) blanket.")
            note("What was \(hero.name) scared of?", "\(hero.name) was scared of thunder.")
            say(hero, "\(helper.name)! I'm scared!", tag: "called")
            add("\(helper.name) came with a cup of \(rng.pick(["warm milk", "hot chocolate", "cocoa", "peppermint tea"])) and sat on the bed.")
            say(helper, "Thunder is just the sound that lightning makes. It can't hurt you in here. Let's count the seconds after the next flash.", reply: true)
            newParagraph()
            let seconds = rng.number(in: 3...6)
            add("Flash! They counted together: \((1...seconds).map(numberWord).joined(separator: ", ")). Boom!")
            let later = seconds + rng.number(in: 2...4)
            add("The next time, they counted all the way to \(numberWord(later)).")
            say(helper, "You see? The storm is moving away.", reply: true)
            note("Who helped \(hero.name) feel brave?", "\(helper.name) helped \(hero.object) by counting the seconds after each flash.")
            add("\(hero.name) was not scared anymore. Soon \(hero.subject) was fast asleep. In the morning, \(hero.subject) told \(friend.name) all about it.")
        case 1:
            add("\(hero.name) was afraid of the dark. Every night at \(rng.number(in: 7...9)) o'clock, when the light went out, the shadows on the wall looked like monsters.")
            note("What was \(hero.name) scared of?", "\(hero.name) was scared of the dark.")
            add("One night, \(friend.name) came for a sleepover.")
            say(hero, "Do you see that big shadow with long arms? I think it's a monster!", tag: "whispered")
            say(friend, "Let's be brave and look. I have a flashlight.", reply: true)
            newParagraph()
            let thing = rng.pick(["a coat hanging on a chair", "a pile of teddy bears", "the branches of the tree outside the window",
                                  "a tall lamp with a round hat", "a broom leaning on the wall"])
            add("\(friend.name) switched on the flashlight. The monster was only \(thing)!")
            note("What was the monster?", "The monster was only \(thing).")
            add("\(hero.name) and \(friend.name) laughed so much that their tummies hurt.")
            say(hero, "I'm not scared of the dark anymore.")
            note("Who helped \(hero.name) feel brave?", "\(friend.name) helped, with a flashlight.")
        case 2:
            let place = place(["swimming pool", "lake"])
            add("\(hero.name) and \(friend.name) went to the \(place.name). \(friend.name) jumped right into the water, but \(hero.name) stayed on the edge.")
            add("\(hero.name) was scared of deep water.")
            note("What was \(hero.name) scared of?", "\(hero.name) was scared of deep water.")
            say(friend, "Come on in! It's fun!")
            say(hero, "What if I sink?", reply: true)
            newParagraph()
            say(friend, "Let's start where it's not deep. I'll stay right next to you.")
            let kicks = rng.number(in: 5...12)
            let meters = rng.number(in: 3...10)
            add("So \(hero.name) stepped into the shallow water. First, \(hero.subject) held on to the side and kicked \(numberWord(kicks)) times.")
            add("Then, with \(friend.name) beside \(hero.object), \(hero.subject) swam \(meters) meters all by \(hero.reflexive)!")
            note("How far did \(hero.name) swim?", "\(hero.name) swam \(meters) meters.")
            note("Who helped \(hero.name) feel brave?", "\(friend.name) stayed next to \(hero.object) in the water.")
            say(hero, "I did it! I'm swimming!", tag: "shouted")
        default:
            let steps = rng.number(in: 12...30)
            add("At the playground, there was a new slide. It was the tallest slide \(hero.name) had ever seen, with \(steps) steps to the top.")
            add("\(hero.name) was scared of high places.")
            note("What was \(hero.name) scared of?", "\(hero.name) was scared of high places.")
            say(friend, "Let's climb it together! I'll go right behind you.")
            newParagraph()
            add("\(hero.name) started to climb. \(rng.pick(["One step, two steps, three steps.", "Step by step, slowly, slowly."]))")
            add("Halfway up, \(hero.subject) looked down and froze.")
            say(friend, "Don't look down. Look at the sky! You can do it!")
            add("\(hero.name) took a deep breath and climbed all \(steps) steps. Then, whoosh! Down the slide \(hero.subject) went.")
            note("How many steps did the slide have?", "The slide had \(steps) steps.")
            note("Who helped \(hero.name) feel brave?", "\(friend.name) climbed right behind \(hero.object).")
            say(hero, "Again! Let's do it again!", tag: "shouted")
        }
        writeEnding(theme: .courage)
    }

    // MARK: - A hurt animal

    mutating func writeHurtAnimal(friendKnown: Bool) {
        let place = place(["park", "garden", "forest", "meadow", "backyard", "beach", "river", "orchard",
                           "marsh", "vegetable patch", "greenhouse", "stable"])
        let animal = rng.pick(["bird", "sparrow", "robin", "duckling", "bunny", "hedgehog", "kitten", "squirrel", "butterfly", "turtle"])
        newParagraph()
        beginDay(at: place, weather: [.sunny, .cloudy], alone: !friendKnown)
        if !friendKnown { meetFriend(at: place) }
        let spot = rng.pick(place.spots)
        add("\(rng.pick(StoryVocabulary.transitions)), \(hero.name) heard a tiny sound coming from \(spot.hasPrefix("in ") || spot.hasPrefix("on ") ? "somewhere nearby" : spot).")
        let hurt = ["bird", "sparrow", "robin", "duckling", "butterfly"].contains(animal) ? "wing" : "leg"
        add("It was a little \(animal) with a hurt \(hurt).")
        note("What animal did \(hero.name) find?", "\(hero.name) found a little \(animal).")
        note("What was wrong with the \(animal)?", "It had a hurt \(hurt).")
        say(hero, "Poor little \(animal). We have to help it!")
        say(friend, "Let's take it home. We can make it a bed.", reply: true)

        newParagraph()
        add("They carried the \(animal) home very gently, and \(cast.helperRelation) found a shoe box.")
        add("They lined it with a soft blanket, and \(hero.name) put the \(animal) inside.")
        let food = rng.pick(["seeds", "berries", "leaves", "bits of apple", "drops of water"])
        let times = rng.number(in: 2...4)
        add("\(hero.name) fed it \(food) \(numberWord(times)) times a day.")
        let days = rng.number(in: 3...12)
        switch rng.variant(2) {
        case 0:
            add("After \(numberWord(days)) days, the \(animal)'s \(hurt) was better.")
            add("\(hero.name) and \(friend.name) took the \(animal) back to the \(place.name) and opened the box. The \(animal) looked at them, then \(hurt == "wing" ? "flapped its wings and flew up into the sky" : "hopped away into the grass").")
        default:
            add("Slowly, day by day, the \(animal) got stronger. After \(numberWord(days)) days, it could \(hurt == "wing" ? "fly" : "walk") again.")
            add("It was sad to say goodbye, but the \(animal) belonged \(place.location).")
        }
        note("How many days did it take for the \(animal) to get better?", "It took \(numberWord(days)) days.")
        say(hero, "Goodbye, little \(animal)! Be careful!", tag: "called")
        add("From then on, every \(rng.pick(["morning", "evening"])), the little \(animal) came back to visit, as if to say thank you.")
        writeEnding(theme: .kindness)
    }

    // MARK: - Building, and building again

    mutating func writeBuilding(friendKnown: Bool) {
        // What is built decides the weather and the place.
        let project = rng.variant(4)
        let place: Place
        let weatherKinds: [WeatherKind]
        switch project {
        case 0: (place, weatherKinds) = (self.place(["beach"]), [.sunny])
        case 1: (place, weatherKinds) = (self.place(["snowy field", "backyard", "park", "hill"]), [.snowy])
        case 2: (place, weatherKinds) = (self.place(["forest", "backyard", "garden"]), [.sunny, .cloudy])
        default: (place, weatherKinds) = (self.place(["kitchen", "attic"]), [.rainy])
        }
        newParagraph()
        beginDay(at: place, weather: weatherKinds, alone: !friendKnown)
        if !friendKnown { meetFriend(at: place) }
        let parts = rng.number(in: 3...6)
        let what: String
        switch project {
        case 0:
            what = "sandcastle"
            add("\(hero.name) and \(friend.name) decided to build a sandcastle. They filled their buckets with sand and patted it down.")
            add("It had \(numberWord(parts)) towers and a moat all around it.")
            note("How many towers did the first sandcastle have?", "It had \(numberWord(parts)) towers.")
        case 1:
            what = "snowman"
            add("\(hero.name) and \(friend.name) decided to build a snowman. They rolled three big snowballs and stacked them up.")
            add("They gave it a carrot nose, \(numberWord(parts)) stones for buttons and an old scarf.")
            note("How many buttons did the snowman have?", "It had \(numberWord(parts)) stones for buttons.")
        case 2:
            what = "fort"
            add("\(hero.name) and \(friend.name) decided to build a fort out of sticks and leaves.")
            add("They collected \(parts * 5) sticks and leaned them together in a circle.")
            note("How many sticks did they collect?", "They collected \(parts * 5) sticks.")
        default:
            what = "tower"
            add("It was too wet to play outside, so \(hero.name) and \(friend.name) decided to build a tower out of blocks.")
            add("They stacked the blocks higher and higher, until it was \(parts * 5) blocks tall.")
            note("How tall was the tower?", "It was \(parts * 5) blocks tall.")
        }
        note("What did \(hero.name) and \(friend.name) build?", "They built a \(what).")
        say(hero, rng.pick(["It's the best \(what) in the whole world!", "Look at our \(what)! Isn't it wonderful?"]))

        newParagraph()
        let disaster: String
        switch project {
        case 0: disaster = "a big wave rolled up the beach and washed it away"
        case 1: disaster = "the sun came out, and the snowman began to melt"
        case 2: disaster = "a strong wind blew, and the sticks fell down in a heap"
        default: disaster = "a curious cat jumped onto the table and knocked it over"
        }
        add("But then \(disaster)!")
        note("What happened to the \(what)?", "\(disaster.capitalizedFirst).")
        add("\(hero.name) \(rng.pick(StoryVocabulary.sadReactions)).")
        say(hero, "All our work is gone!")
        say(friend, "Don't be sad. Let's build it again, and this time we'll make it even better!", reply: true)
        let tip: String
        switch project {
        case 0: tip = "This time, they built it far away from the water, using wet sand so it would stay strong."
        case 1: tip = "This time, they built it in the shade of a big tree, where the sun could not reach it."
        case 2: tip = "This time, \(helper.name) showed them how to tie the sticks together with string."
        default: tip = "This time, they put the biggest blocks at the bottom and built it in a corner, away from the cat."
        }
        add(tip)
        let more = parts + rng.number(in: 1...3)
        switch project {
        case 0: add("The new sandcastle had \(numberWord(more)) towers, and the waves could not reach it.")
        case 1: add("The new snowman was even taller, and it stayed for \(numberWord(more)) whole days.")
        case 2: add("The new fort was big enough for both of them, and \(numberWord(more)) of their toys too.")
        default: add("The new tower was \(more * 5) blocks tall, and it did not fall.")
        }
        writeEnding(theme: .patience, habit: "never gave up when something went wrong")
    }

    // MARK: - A garden

    mutating func writeGarden(friendKnown: Bool) {
        let flower = rng.pick(StoryVocabulary.flowers)
        let seeds = rng.number(in: 4...12)
        newParagraph()
        if !friendKnown {
            add("\(hero.name) lived next door to \(friend.description) named \(friend.name).")
            noteFriend()
        }
        let season = rng.chance(70) ? "spring" : "summer"
        add("One \(season) morning, \(cast.helperRelation) gave \(hero.name) a little packet of \(flower.singular) seeds.")
        say(helper, "If you look after them, they will grow into beautiful flowers.")
        add("\(hero.name) and \(friend.name) dug \(numberWord(seeds)) small holes in a row and put one seed in each.")
        note("What did \(hero.name) plant?", "\(hero.name) planted \(flower.singular) seeds.")
        note("How many seeds did \(hero.name) plant?", "\(hero.name) planted \(numberWord(seeds)) seeds.")
        add("Every day, \(hero.subject) watered them with \(hero.possessive) little watering can.")
        add("\(hero.name) waited and waited, but nothing happened.")
        say(hero, "Why aren't they growing?", tag: "asked")
        say(helper, "Seeds need time, sunshine and water. You have to be patient.", reply: true)

        newParagraph()
        let days = rng.number(in: 5...14)
        add("After \(numberWord(days)) days, tiny green shoots popped out of the ground.")
        note("How many days did it take for the shoots to appear?", "It took \(numberWord(days)) days.")
        var grown = seeds
        if rng.chance(50) {
            let pest = rng.pick(["rabbit", "snail", "slug", "goat", "caterpillar"])
            let eaten = rng.number(in: 1...3)
            grown = seeds - eaten
            add("But one night, a hungry \(pest) came and nibbled \(numberWord(eaten)) of the little plants!")
            say(friend, "Let's build a fence to keep them safe!")
            add("So they built a little fence out of sticks and string, and the other plants kept growing.")
            note("What ate some of the plants?", "A hungry \(pest) ate some of the plants.")
        }
        add("By the end of \(season), \(flower.counted(grown, rng.pick(StoryVocabulary.flowerColors))) were blooming in the garden.")
        note("How many flowers grew?", "\(flower.counted(grown).capitalizedFirst) grew.")
        say(hero, "We did it! Look how beautiful they are!", tag: "said proudly")
        add("\(hero.name) picked \(numberWord(min(3, grown))) of them and gave them to \(friend.name).")
        writeEnding(theme: .patience, habit: rng.chance(50) ? "planted new seeds every spring" : nil)
    }
}
