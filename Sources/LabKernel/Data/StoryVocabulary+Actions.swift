// Story vocabulary, part 4: what characters do, feel and say.
//
// Ways of moving (with past tenses), manner adverbs, feelings, reactions, speech tags,
// exclamations, and the lessons a story's ending can draw. Written for this kit.
// Other parts: StoryVocabulary+Characters.swift, +World.swift, +Things.swift.

extension StoryVocabulary {
    /// Ways of going somewhere, as `base/past`: "Let's run to the tree!", "Mia ran to the tree."
    static let movements: [(base: String, past: String)] = wordList("""
        run/ran walk/walked hop/hopped skip/skipped race/raced dash/dashed hurry/hurried
        wander/wandered march/marched tiptoe/tiptoed zoom/zoomed stroll/strolled jog/jogged
        rush/rushed scurry/scurried trot/trotted bounce/bounced dart/darted stomp/stomped
        waddle/waddled gallop/galloped sprint/sprinted amble/ambled plod/plodded trudge/trudged
        leap/leapt glide/glided scramble/scrambled zigzag/zigzagged wobble/wobbled
        """).map { entry in
            let forms = entry.split(separator: "/").map(String.init)
            return (forms[0], forms[1])
        }

    /// How something is done: "she ran quickly".
    static let mannerAdverbs = wordList("""
        quickly slowly carefully quietly happily gently bravely softly proudly loudly eagerly
        nervously excitedly cheerfully calmly patiently boldly kindly gladly busily swiftly
        """)

    /// How a character feels when things go well.
    static let goodFeelings = wordList("""
        happy glad proud excited thankful grateful relieved joyful delighted cheerful calm
        thrilled peaceful
        """)

    /// How a character feels when something goes wrong.
    static let badFeelings = wordList("""
        sad worried upset scared nervous lonely grumpy frustrated confused disappointed gloomy
        miserable unhappy frightened cross
        """)

    /// What a happy character does: "Mia smiled."
    static let happyReactions = wordList("""
        smiled laughed giggled grinned cheered clapped beamed danced_around jumped_for_joy
        clapped_happily spun_around did_a_little_dance
        """)

    /// What an upset character does: "Tom sniffled."
    static let sadReactions = wordList("""
        cried sniffled frowned sighed pouted sobbed sat_down_on_the_ground looked_at_the_ground
        """)

    /// Speech tags after a statement, a reply, a question and an exclamation ("said" is the
    /// most common, as in real stories).
    static let statementTags = wordList("said said said said said said whispered")
    static let replyTags = wordList("replied answered said said")
    static let questionTags = wordList("asked asked asked asked wondered")
    static let exclamationTags = wordList("said said exclaimed cried shouted called")

    /// Words that open an exclamation: "Oh no!"
    static let alarmExclamations = wordList("Oh_no! Oh_dear! Uh-oh! Oops! Help! Oh,_no!")
    static let joyExclamations = wordList("Hooray! Yay! Wow! Yippee! Hurray! Look! Ta-da! Woohoo!")

    /// What a story can teach, completing "learned that …".
    static let morals: [(theme: MoralTheme, text: String)] = [
        (.friendship, "friends help each other"), (.friendship, "a good friend is the best treasure"),
        (.friendship, "everything is more fun with a friend"), (.friendship, "it is okay to ask for help"),
        (.friendship, "two heads are better than one"), (.friendship, "teamwork makes hard things easy"),
        (.sharing, "sharing makes everyone happy"), (.sharing, "sharing is a kind thing to do"),
        (.sharing, "a treat tastes better when you share it"), (.sharing, "giving can feel even better than getting"),
        (.courage, "being brave does not mean you are never scared"), (.courage, "new things are not so scary once you try them"),
        (.courage, "it is fine to be scared, as long as you keep going"), (.courage, "you can do more than you think"),
        (.care, "it is important to be careful with your things"), (.care, "you should always look after what you love"),
        (.care, "a little care goes a long way"), (.patience, "good things come to those who wait"),
        (.patience, "patience helps things grow"), (.patience, "trying again is how you get better"),
        (.patience, "you should never give up"), (.kindness, "kindness is the best gift"),
        (.kindness, "helping others makes your own heart happy"), (.kindness, "small acts of kindness make a big difference"),
        (.kindness, "every creature needs a friend"),
    ]
}

/// What a story's lesson is about; each plot picks a fitting one.
enum MoralTheme: Sendable {
    case friendship, sharing, courage, care, patience, kindness
}
