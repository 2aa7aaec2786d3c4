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
        saunter/sauntered scuttle/scuttled toddle/toddled prance/pranced shuffle/shuffled
        stride/strode lope/loped patter/pattered tramp/tramped meander/meandered romp/romped
        bound/bounded hasten/hastened barrel/barreled scoot/scooted
        """).map { entry in
            let forms = entry.split(separator: "/").map(String.init)
            return (forms[0], forms[1])
        }

    /// What a character can do on a stage, as `base/past`: "sing a song", "sang a song".
    static let performances: [(base: String, past: String)] = wordList("""
        sing_a_song/sang_a_song dance/danced play_the_drums/played_the_drums play_the_piano/played_the_piano
        play_the_flute/played_the_flute do_a_magic_trick/did_a_magic_trick juggle_three_balls/juggled_three_balls
        tell_funny_jokes/told_funny_jokes read_a_poem/read_a_poem do_cartwheels/did_cartwheels
        play_the_violin/played_the_violin put_on_a_puppet_show/put_on_a_puppet_show tap-dance/tap-danced
        whistle_a_tune/whistled_a_tune play_the_recorder/played_the_recorder hula-hoop/hula-hooped
        """).map { entry in
            let forms = entry.split(separator: "/").map(String.init)
            return (forms[0], forms[1])
        }

    /// How something is done: "she ran quickly".
    static let mannerAdverbs = wordList("""
        quickly slowly carefully quietly happily gently bravely softly proudly loudly eagerly
        nervously excitedly cheerfully calmly patiently boldly kindly gladly busily swiftly
        merrily briskly lazily steadily playfully hopefully curiously joyfully noisily carelessly
        smoothly breathlessly clumsily giddily
        """)

    /// How a character feels when things go well.
    static let goodFeelings = wordList("""
        happy glad proud excited thankful grateful relieved joyful delighted cheerful calm
        thrilled peaceful overjoyed content cheery jubilant ecstatic blissful light-hearted
        satisfied
        """)

    /// How a character feels when something goes wrong.
    static let badFeelings = wordList("""
        sad worried upset scared nervous lonely grumpy frustrated confused disappointed gloomy
        miserable unhappy frightened cross anxious heartbroken glum downhearted troubled uneasy
        panicky forlorn dismayed
        """)

    /// What a happy character does: "Mia smiled."
    static let happyReactions = wordList("""
        smiled laughed giggled grinned cheered clapped beamed danced_around jumped_for_joy
        clapped_happily spun_around did_a_little_dance whooped chuckled hummed_a_happy_tune
        skipped_in_a_circle waved_both_arms laughed_out_loud
        """)

    /// What an upset character does: "Tom sniffled."
    static let sadReactions = wordList("""
        cried sniffled frowned sighed pouted sobbed sat_down_on_the_ground looked_at_the_ground
        wept whimpered sulked groaned moped looked_down_sadly stared_at_the_floor
        """)

    /// Speech tags after a statement, a reply, a question and an exclamation ("said" is the
    /// most common, as in real stories).
    static let statementTags = wordList("said said said said said said whispered")
    static let replyTags = wordList("replied answered said said")
    static let questionTags = wordList("asked asked asked asked asked asked_softly")
    static let exclamationTags = wordList("said said exclaimed cried shouted called")

    /// Words that open an exclamation: "Oh no!"
    static let alarmExclamations = wordList("Oh_no! Oh_dear! Uh-oh! Oops! Help! Oh,_no!")
    static let joyExclamations = wordList("Hooray! Yay! Wow! Yippee! Hurray! Look! Ta-da! Woohoo!")

    /// What a story can teach, completing "learned that …".
    static let morals: [(theme: MoralTheme, text: String)] = [
        (.friendship, "friends help each other"), (.friendship, "a good friend is the best treasure"),
        (.friendship, "everything is more fun with a friend"), (.friendship, "true friends stick together"),
        (.teamwork, "it is okay to ask for help"), (.teamwork, "two heads are better than one"),
        (.teamwork, "teamwork makes hard things easy"), (.teamwork, "many hands make light work"),
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
    case friendship, teamwork, sharing, courage, care, patience, kindness
}
