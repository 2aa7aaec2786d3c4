// Story vocabulary, part 2: where and when the stories happen.
//
// Places (each with what can be seen there and where something can hide), the names of towns
// (built from two halves, "Oak" + "brook", so a tokenizer sees shared pieces inside new words),
// homes, weather, times of day and seasons. Written for this kit.
// Other parts: StoryVocabulary+Characters.swift, +Things.swift, +Actions.swift.

/// A place where part of a story happens.
struct Place: Sendable {
    /// The noun, used as "the park".
    let name: String
    /// The preposition that puts something there: "in the park", "at the beach", "on the farm".
    let preposition: String
    /// Things one can see there, with their articles: "a tall oak tree".
    let features: [String]
    /// Where something can be, as prepositional phrases: "under the slide".
    let spots: [String]

    /// "in the park"
    var location: String { "\(preposition) the \(name)" }
}

extension StoryVocabulary {
    /// Every place, as `name | preposition | features, … | spots, …` lines.
    static let places: [Place] = """
        park | in | a tall oak tree, a pond with ducks, a red slide, green benches, a sandbox | under the slide, behind the oak tree, near the pond, under a bench, in the sandbox
        garden | in | rows of tulips, a little fountain, a vegetable patch, a wooden shed, a bird bath | under a leaf, behind the shed, in the flower bed, next to the fountain, under the watering can
        forest | in | tall pine trees, mossy rocks, a little stream, a hollow log, mushrooms | inside a hollow log, under a pile of leaves, behind a mossy rock, in a bush, near the stream
        beach | at | soft yellow sand, big waves, seashells, a striped umbrella, a lighthouse | under the sand, behind a rock, near the water, in a rock pool, under the striped umbrella
        farm | on | a red barn, a muddy pen, a tall haystack, a tractor, a chicken coop | in the haystack, behind the barn, under the tractor, in the chicken coop, next to the water trough
        lake | by | clear blue water, a wooden dock, tall reeds, a rowboat, water lilies | under the dock, in the tall reeds, inside the rowboat, on a flat rock, near the shore
        meadow | in | wildflowers, long grass, buzzing bees, an old stone wall, a crooked fence | in the long grass, behind the stone wall, under a bush, near the crooked fence, among the wildflowers
        hill | on | soft green grass, a lonely tree, a winding path, a view of the whole town, sheep far away | behind the lonely tree, under a rock, at the bottom of the hill, near the winding path, in a rabbit hole
        mountain | on | snowy peaks, a rocky trail, a cold waterfall, pine trees, a little cabin | behind a boulder, in a crack between rocks, near the waterfall, inside the cabin, under a pine tree
        zoo | at | a lion's den, a monkey house, a penguin pool, a giraffe yard, a snack stand | near the penguin pool, under the snack stand, behind the monkey house, next to a bin, by the gate
        school | at | a big blackboard, rows of desks, a playground, a music room, a bright hallway | under a desk, in the cubby, behind the blackboard, in the music room, near the lockers
        library | at | tall shelves of books, soft chairs, a reading corner, a big globe, a quiet librarian's desk | between two books, under a soft chair, behind the globe, in the reading corner, on a high shelf
        playground | at | swings, a climbing frame, a seesaw, a spinning roundabout, a sandpit | under the swings, in the sandpit, behind the seesaw, on top of the climbing frame, near the gate
        market | at | stalls of fruit, baskets of bread, a flower cart, busy shoppers, a man selling balloons | under a stall, behind the flower cart, in a basket, next to the fruit boxes, near the fountain
        bakery | at | warm ovens, trays of buns, a glass counter, sacks of flour, a tall cake | behind the counter, under a sack of flour, next to the ovens, on a tray, by the window
        toy shop | at | shelves of dolls, a train set, boxes of blocks, a rocking horse, a counter with a bell | behind the rocking horse, under the train set, in a box of blocks, near the counter, on the bottom shelf
        castle | in | tall towers, a drawbridge, long hallways, a throne room, old suits of armor | behind a suit of armor, under the throne, in a tower, near the drawbridge, inside an old chest
        cave | in | dark stone walls, dripping water, glowing crystals, a narrow tunnel, sleeping bats | behind a big stone, in the narrow tunnel, near the glowing crystals, in a dark corner, under a ledge
        island | on | palm trees, white sand, a rocky cove, coconuts, a small hut | under a palm tree, in the rocky cove, behind the small hut, near the coconuts, in the warm sand
        pond | by | floating water lilies, quacking ducks, a little bridge, cattails, croaking frogs | under the little bridge, among the cattails, on a big round leaf, near the edge, behind a rock
        orchard | in | rows of apple trees, a ladder, baskets of fruit, a wooden cart, buzzing bees | under an apple tree, in a basket, behind the wooden cart, at the top of the ladder, in the grass
        harbor | at | fishing boats, seagulls, ropes and nets, a long pier, a red lighthouse | under a net, behind a pile of ropes, at the end of the pier, inside a boat, near the lighthouse
        museum | at | dinosaur bones, old paintings, shiny gems, a big map, quiet halls | behind a statue, under a bench, near the dinosaur bones, in the gift shop, by the big map
        circus | at | a striped tent, clowns, jugglers, a tightrope, a ring of sawdust | under the bleachers, behind the striped tent, in a clown's car, near the ring, inside a prop box
        fair | at | a big wheel, a carousel, cotton candy, game stalls, colorful lights | under the carousel, behind a game stall, near the big wheel, in the hay maze, by the ticket booth
        campsite | at | tents, a crackling campfire, tall trees, a lake nearby, sleeping bags | inside a tent, behind a log, near the campfire, under a sleeping bag, by the woodpile
        backyard | in | a swing set, a little vegetable patch, a birdhouse, a clothesline, a big flat rock | under the swing set, behind the birdhouse, in the vegetable patch, under the big flat rock, by the fence
        attic | in | old trunks, dusty boxes, a rocking chair, a round window, cobwebs | inside an old trunk, behind a dusty box, under the rocking chair, by the round window, in a dark corner
        kitchen | in | a warm stove, a big table, shelves of jars, a ticking clock, a bowl of fruit | under the table, behind the jars, in a drawer, next to the stove, on top of the fridge
        village | in | little houses, a stone well, a bakery, a market square, a church bell | near the stone well, behind the bakery, under a cart, in the market square, by the bridge
        jungle | in | giant leaves, hanging vines, noisy parrots, a rushing river, tall trees | under a giant leaf, behind the hanging vines, in a hollow tree, near the river, on a high branch
        desert | in | golden dunes, a cactus, a small oasis, hot sand, a rocky canyon | behind a cactus, under the hot sand, near the oasis, in the rocky canyon, behind a dune
        river | by | a wooden bridge, smooth stones, fast water, willow trees, a little waterfall | under the wooden bridge, between two stones, near the willow trees, in the shallow water, on the bank
        snowy field | in | deep white snow, icy puddles, a frozen pond, snowy pine trees, a sled hill | under the snow, behind a snowy pine tree, near the frozen pond, at the top of the sled hill, in a snowdrift
        swimming pool | at | blue water, a diving board, a lifeguard chair, floating rings, a little slide | at the bottom of the pool, under the diving board, near the lifeguard chair, by the little slide, in the shallow end
        train station | at | long platforms, a big clock, puffing trains, a ticket office, a waiting room | under a bench, near the ticket office, in the waiting room, behind a pillar, by the big clock
        bus stop | at | a little shelter, a timetable, a red post box, a lamp post, a wooden bench | under the wooden bench, behind the shelter, near the post box, by the lamp post, in a puddle
        treehouse | in | a rope ladder, a tiny window, a pile of comics, a flag on the roof, a secret box | under the rope ladder, inside the secret box, behind the pile of comics, by the tiny window, in a corner
        aquarium | at | glass tanks, tiny clownfish, a giant turtle, waving seaweed, a shark tunnel | under a bench, behind the turtle tank, near the shark tunnel, by the jellyfish, in the gift shop
        vegetable patch | in | rows of carrots, fat pumpkins, runner beans on poles, a scarecrow, a compost heap | under a pumpkin leaf, behind the scarecrow, between the bean poles, near the compost heap, in the wheelbarrow
        lighthouse | at | a spiral staircase, a huge lamp, round windows, a red door, crashing waves below | under the stairs, behind the red door, by a round window, near the lamp, on the rocks outside
        windmill | at | great turning sails, sacks of grain, a creaking wooden door, a millstone, a little stream | behind a sack of grain, under the millstone, by the creaking door, near the stream, on a dusty shelf
        fairground | at | a helter-skelter, bumper cars, a coconut shy, a candy floss stand, flashing lights | under the helter-skelter, behind the bumper cars, by the coconut shy, near the candy floss stand, in the grass
        marsh | in | tall reeds, a wooden boardwalk, herons wading, dragonflies, still brown water | under the boardwalk, among the tall reeds, on a mossy tussock, near the still water, behind a willow
        greenhouse | in | tomato plants, hanging baskets, warm damp air, seed trays, a watering can | under a seed tray, behind the tomato plants, in a flower pot, next to the watering can, on a high shelf
        stable | at | horses in their stalls, bales of hay, shiny saddles, a water trough, a big brush | in a bale of hay, behind the water trough, under a saddle, in an empty stall, by the door
        bookshop | at | tall shelves, a sleepy cat, a cozy armchair, piles of new books, a ladder on wheels | under the armchair, behind a pile of books, on the ladder, by the window, near the sleepy cat
        ice rink | at | smooth white ice, skates for hire, a little cafe, twinkling lights, a high fence | under a bench, by the skate counter, near the fence, in the cafe, at the edge of the ice
        """.split(separator: "\n").map { line in
            let fields = line.split(separator: "|").map { $0.trimmingSpaces() }
            let list = { (text: String) in text.split(separator: ",").map { $0.trimmingSpaces() } }
            return Place(name: fields[0], preposition: fields[1], features: list(fields[2]), spots: list(fields[3]))
        }

    /// First halves of town names: "Oak" of "Oakbrook".
    static let townStarts = wordList("""
        Oak Maple Pine Willow Cedar Birch Elm Ash Fern Moss Stone River Brook Lake Sun Moon Star
        Fox Wolf Bear Deer Hare Owl Finch Lark Apple Cherry Plum Pear Amber Silver Golden Misty
        Rainy Windy Snowy Green Blue Red White Black Little Big Long High North South East West Mill
        Bridge Bell Copper Iron Salt Honey Berry Thistle Bramble Heather Clover Meadow Hazel Rose
        Briar Frost Cloud Rain Storm Summer Winter Autumn Spring Crystal Pebble Sand Shell Coral
        Alder Aspen Beech Larch Rowan Yew Holly Ivy Laurel Poppy Daisy Bluebell Primrose Tulip
        Marigold Saffron Juniper Sorrel Nettle Rush Reed Heron Swan Kestrel Raven Wren Badger
        Otter Beaver Squirrel Dormouse Acorn Chestnut Walnut Bracken Foxglove Lantern Candle
        Kettle Thimble Button Ribbon Marble Velvet Amberly Tumble Whistle Puddle Merry Jolly
        Sunny Starry Frosty Dewy Mossy Sandy Rocky Stony Hilly Dusky Dappled Gilded Hollow
        """)

    /// Second halves of town names: "brook" of "Oakbrook".
    static let townEnds = wordList("""
        wood field brook dale ford ton ville bury hill ridge haven moor vale stead wick worth by port
        bridge mouth cliff grove meadow land mere well gate hollow crest bay glen burn fell shaw
        side wold thorpe minster combe leigh ley holm ness wich chester cester hurst marsh kirk
        bourne stow cote den don field hope lea more ham stoke bank beck garth heath pool tor
        """)

    /// Homes of children: "in a little house at the edge of the woods".
    static let homes = wordList("""
        a_little_house_at_the_edge_of_the_woods a_blue_house_near_the_sea a_tall_house_on_a_hill
        a_cozy_cottage_by_the_river a_small_flat_above_a_bakery a_farmhouse_with_a_red_roof
        a_yellow_house_with_a_round_door a_flat_on_a_busy_street_in_the_middle_of_town
        a_houseboat_on_a_quiet_canal a_cabin_in_the_mountains a_white_cottage_with_a_garden_full_of_roses
        a_lighthouse_by_the_shore a_big_old_house_with_creaky_stairs a_little_house_next_to_the_school
        a_red_house_on_a_quiet_street an_apartment_with_a_view_of_the_park
        """)

    /// Homes of animals: "in a burrow under an old oak tree".
    static let animalHomes = wordList("""
        a_burrow_under_an_old_oak_tree a_nest_high_in_a_tree a_hollow_log_in_the_forest
        a_cozy_den_by_the_river a_little_hole_in_a_stone_wall a_barn_on_a_big_farm
        a_snug_hollow_in_a_willow_tree a_house_made_of_leaves_and_twigs a_cave_behind_a_waterfall
        a_little_hut_on_a_sunny_island a_nest_of_straw_in_the_meadow a_basket_by_the_fire
        """)

    /// How the day looks, as a sentence, and whether it is good weather for playing outside.
    static let weather: [(sentence: String, kind: WeatherKind)] = [
        ("The sun was shining and the sky was blue.", .sunny), ("It was a warm and sunny day.", .sunny),
        ("The sky was bright and there was not a single cloud.", .sunny),
        ("The air was warm and the birds were singing.", .sunny),
        ("It was a windy day, and the trees were swaying.", .windy), ("A strong wind was blowing.", .windy),
        ("The wind whistled through the trees.", .windy),
        ("Gray clouds filled the sky, and soon it began to rain.", .rainy),
        ("It was a rainy day, and puddles covered the ground.", .rainy),
        ("Rain tapped on the windows all morning.", .rainy),
        ("Snow had fallen in the night, and everything was white.", .snowy),
        ("It was a cold winter day, and the ground was covered with snow.", .snowy),
        ("Soft snowflakes were falling from the sky.", .snowy),
        ("It was a cool autumn day, and orange leaves were falling.", .cloudy),
        ("The sky was gray and cloudy, but it was not raining.", .cloudy),
        ("A thick fog hid the houses and the trees.", .cloudy),
    ]

    /// What one can hear outside: "They could hear the buzzing of bees."
    static let sounds = wordList("""
        the_buzzing_of_bees the_splash_of_the_waves children_laughing church_bells_ringing
        leaves_rustling_in_the_wind a_train_whistle_far_away frogs_croaking wind_chimes_tinkling
        a_woodpecker_tapping_on_a_tree a_dog_barking_somewhere birds_singing_in_the_hedges
        the_rumble_of_a_tractor a_rooster_crowing the_bubbling_of_a_brook an_ice_cream_van_playing_a_tune
        a_cow_mooing_in_a_field the_creak_of_an_old_gate raindrops_pattering_on_the_leaves
        crickets_chirping_in_the_grass a_band_playing_in_the_square a_foghorn_groaning
        seagulls_squabbling a_donkey_braying a_kettle_whistling the_hum_of_a_lawnmower
        a_bicycle_bell_ringing a_distant_thunderclap owls_hooting_in_the_woods a_clock_chiming
        sheep_bleating_on_the_hill geese_honking_overhead a_tractor_chugging a_fountain_splashing
        a_radio_playing_softly the_crunch_of_footsteps_on_gravel
        """)

    /// What the air can smell of: "The air smelled of fresh bread."
    static let smells = wordList("""
        fresh_bread wet_grass pine_needles the_salty_sea roses warm_hay rain popcorn hot_chocolate
        cut_grass honeysuckle wood_smoke cinnamon buttered_toast wild_garlic lavender ripe_strawberries
        warm_pancakes autumn_leaves orange_blossom baking_cookies fresh_paint seaweed
        sawdust freshly_picked_apples wet_earth cocoa_beans toasted_marshmallows lemon_peel
        mint_leaves chimney_smoke roasting_chestnuts
        """)

    /// What a few animals of the scenery can be doing: "Three ducks were paddling in circles."
    static let animalDoings = wordList("""
        playing_together sleeping_in_the_sun looking_for_food chasing_each_other paddling_in_circles
        resting_in_the_shade nibbling_on_some_grass splashing_about hopping_around sitting_very_still
        racing_in_circles peeking_out_from_their_homes stretching_lazily munching_on_leaves
        """)

    /// When something happens: "One sunny morning", "Early one day".
    static let timesOfDay = wordList("""
        morning afternoon evening day
        """)

    static let seasons = wordList("spring summer autumn winter")

    static let months = wordList("""
        January February March April May June July August September October November December
        """)

    /// Days of the week, for "On Saturday, …".
    static let weekdays = wordList("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

    /// Words for "later": "After a while", "Soon", …
    static let transitions = wordList("""
        Soon After_a_while Then Suddenly Just_then A_little_later All_at_once Before_long
        At_that_moment A_few_minutes_later
        """)
}

/// The kind of weather a story has; some plots need a particular kind (a kite needs wind,
/// a snowman needs snow).
enum WeatherKind: Sendable {
    case sunny, windy, rainy, snowy, cloudy
}

extension Substring {
    /// The text without spaces at either end (Foundation's `trimmingCharacters` is not used, so
    /// the corpus code needs no Foundation).
    func trimmingSpaces() -> String {
        var slice = self[...]
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
