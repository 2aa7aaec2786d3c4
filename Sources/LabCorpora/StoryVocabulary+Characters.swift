// Story vocabulary, part 1: who the stories are about.
//
// Names of girls, boys and pets, family and neighbors, the animals that can be characters (with
// the sound each one makes), and the words that describe a character. Written for this kit. The
// lists are long on purpose: a tokenizer trained on the corpus should meet thousands of distinct
// words, and a model should see the same grammar with many different names in it.
// No name is also an ordinary word of the stories (no "Daisy" beside the flower, no "Will" beside
// the verb): a test checks this, so that a capitalized name always means a character.
// Other parts: StoryVocabulary+World.swift (places, weather, time), +Things.swift (objects, food),
// +Actions.swift (verbs, feelings, speech).

enum StoryVocabulary {
    // MARK: - Names

    static let girlNames = wordList("""
        Mia Lily Ava Emma Olivia Sophie Chloe Zoe Ella Grace Lucy Anna Sara Maya Nora Hannah Leah
        Rosa Alice Clara Eva Fiona Greta Jenna Julia Kate Lena Luna Mila Nina Penny Rita Stella Tara
        Una Vera Wendy Yara Zara Abby Bella Cora Dora Elsie Freya Gina Isla Jenny Kira Lola Molly
        Nell Pia Rosie Sadie Tess Willa Amy Beth Carla Dana Erin Faye Gemma Heidi Ingrid Kayla
        Lara Maria Naomi Olga Paula Rachel Sofia Tina Vicky Amira Priya Aisha Fatima Leila Nadia
        Yuki Mei Sakura Hana Aiko Keiko Ana Lucia Carmen Elena Isabel Paloma Marta Chiara Giulia
        Francesca Astrid Sigrid Elin Maja Anya Katya Mira Zuri Amara Ayo Nia Imani Kemi Adaeze
        Esi Ama Lana Kiri Aroha Mele Leilani Talia Esther Miriam Ruth Abigail Harriet Matilda
        Beatrice Edith Mabel Florence Winnie Pippa Tilly Milly Evie Maisie Phoebe Imogen Lottie
        Hattie Alma Agnes Ada Cleo Delia Eliza Georgia Lydia Maeve Margot Nadine Octavia Paige
        Roxy Sienna Thea Vivian Xena Yvonne Zelda Bonnie Cassie Dolly Ellie Gwen Jasmine Meg
        Nancy Queenie Rhea Sally Trudy Uma Valerie Wanda Camila Daniela Gabriela Valentina
        Ximena Renata Adela Bianca Celeste Dorothy Emilia Felicity Gloria Helena Irene Josephine
        Karina Lorena Marisol Noemi Ophelia Petra Rosalind Selma Tabitha Ulla Vanessa Wilma Zoya
        Ines Lotta Britta Hedda Saga Liv Noor Samira Yasmin Zainab Anika Devi Kavya Meera Riya
        Tanvi Suki Nami Rin Akira Ling Xiu Efua Folake Ngozi Wanjiru Zola Aurora Beatrix Cecily
        Delphine Eloise Genevieve Henrietta Isadora Juliet Katarina Leonora Marguerite Nerys
        Odette Philippa Rosamund Serafina Theodora Ursa Viola Wilhelmina Yolanda Agathe
        Brigid Colette Dagny Elodie Gisela Hester Ilse Johanna Karin Liesel Magda Nanna
        Oona Perpetua Ronja Solveig Tove Ylva Amaia Begonia Catalina Dolores Estrella Fernanda
        Guadalupe Luz Mercedes Nieves Pilar Rocio Soledad Teresa Ayesha Farah Habiba Jamila
        Laila Malika Nour Rania Salma Zahra Chioma Ifeoma Nkechi Titilayo Abena Akosua
        Adwoa Makena Njeri Wambui Anjali Deepa Ishita Lakshmi Nandini Pooja Shreya Sunita
        Haruka Emi Mai Naoko Sayuri Yoko Hyun Xiaoli Yan Kalinda
        Marlee Tahlia Ngaio Moana Hinemoa Kailani Malia Anela Tsering Pema Dawa Saule Aigerim
        """)

    static let boyNames = wordList("""
        Tom Max Leo Sam Ben Finn Noah Liam Oscar Theo Hugo Felix Adam Eli Ethan Owen Ryan Luke Jake
        Alex Carl Dan Fred Hank Ian Kai Lars Milo Ned Otto Paul Sid Ted Vic Zack Arlo Bruno Caleb
        Emil George Harry Isaac James Kevin Louis Marco Nico Omar Pablo Rafael Simon Tariq Umar
        Victor Walter Xavier Yusuf Zane Ali Amir Hassan Karim Malik Idris Kofi Kwame Tunde Chidi
        Jabari Musa Obi Sipho Tendai Hiro Kenji Taro Yuto Ren Sora Haruto Chen Wei Jun Arjun Ravi
        Rohan Dev Sanjay Vikram Mateo Diego Lucas Pedro Carlos Javier Luis Tomas Enzo Luca Paolo
        Matteo Gianni Anton Boris Ivan Dmitri Pavel Sasha Nils Sven Erik Olaf Leif Bjorn Timo Jonas
        Henrik Magnus Rory Angus Callum Fergus Declan Seamus Connor Patrick Dylan Evan Gareth Rhys
        Tane Nikau Koa Kalani Manu Albert Arthur Bernard Cecil Douglas Edgar Frederick Gilbert
        Harold Herbert Jasper Lionel Norman Percy Rupert Stanley Wilbur Barney Charlie Dexter Eddie
        Freddie Harvey Jamie Louie Ollie Robbie Toby Alfie Bobby Archie Benny Danny Jimmy Johnny
        Joey Billy Tommy Peter Andrew Martin Oliver Henry Daniel Samuel Joseph Benjamin David
        Michael Jacob Gabriel Julian Jude Silas Ezra Asher Levi Axel Ronan Caspar Cyrus Dario
        Elias Felipe Gideon Hector Ignacio Joaquin Kian Lorenzo Nolan Orion Quentin Remy Soren
        Tobias Ulrich Vincent Wesley Yannick Zeke Aldo Bram Cosmo Darius Ewan Flynn Gordon Hamish
        Iker Jonah Kieran Lenny Mason Nate Otis Quincy Reuben Stellan Tristan Vaughn Wyatt Yosef
        Zoltan Emeka Kayode Obinna Sefu Juma Baraka Ayaan Ishaan Kabir Neel Omkar Ryu Daichi Kaito
        Alastair Bertram Clement Desmond Ellis Fabian Gregor Horace Ivor Jerome Konrad Leopold
        Mortimer Nathaniel Oswald Phineas Roderick Sebastian Thaddeus Ulysses Virgil Wendell
        Augustin Benedikt Casimir Dietrich Eberhard Florian Gustav Ingmar Jannik Klaus
        Lukas Moritz Niklas Oskar Piet Rasmus Stig Torben Ulf Viggo Anders Alonso Benito Cristobal
        Emilio Esteban Fermin Gonzalo Horacio Inigo Julio Leandro Marcelo Nestor Octavio Ramon
        Santiago Teodoro Valentin Abdullah Bilal Faisal Hamza Ibrahim Jamal Khalid Mustafa Nabil
        Rashid Samir Yasin Ade Chinedu Dayo Femi Ikenna Jide Kunle Nnamdi Segun Uche Kwabena
        Kojo Yaw Kamau Otieno Mwangi Anand Gopal Harish Kiran Mohan Pranav Rahul Suresh Varun
        Akio Haru Isamu Kazuki Makoto Osamu Shin Takeshi Jin Dong Hao Ming Bao Jarrah Kiah
        Tama Rawiri Tipene Keanu Makoa Nalu Tenzin Norbu Arman Daulet Timur
        """)

    /// Names for animal characters. A story's animal may also get a child's name.
    static let petNames = wordList("""
        Biscuit Coco Ziggy Waffles Bandit Sparky Bingo Dotty Nibbles Twinkle
        Nutmeg Pip Scout Comet Tango Mocha Toffee Fudge Sprinkles Doodle Patches Zippy
        Buddy Chester Winston Bailey Murphy Rocco Ruffles Gizmo Widget Pudding
        Marmalade Pippin Sesame Tofu Noodles Pickles Smudge Wiggles Fuzzball Snickerdoodle
        Tinker Jingles Mopsy Flopsy Bumble Pepperoni Truffle Bramble
        Jellybean Stardust Sprocket Twiggy Nugget Fidget Taffy Ripple Pixie Sparkle
        Trixie Dixie Lulu Mimi Fifi Gigi Kiki Bobo Momo Chico Paco Sushi Miso Pesto
        Crumpet Digby Fennel Gumdrop Inky Kipper
        Lupin Nacho Orbit Pixel Quiver Rascal Skipper Tumble Wally Yodel Zuzu
        """)

    /// Family names for grown-ups: Mrs. Green, Mr. Baker.
    static let surnames = wordList("""
        Brown Green Smith Miller Baker Hill Wood Fisher Potter Parker Turner Walker Young
        King Wright Lee Clark Lewis Hall Allen Scott Adams Nelson Carter Mitchell Roberts Campbell
        Evans Edwards Collins Stewart Morris Rogers Reed Cook Morgan Bell Rivera
        Richardson Cox Howard Ward Torres Peterson Gray Ramirez Watson Brooks Kelly Sanders
        Price Bennett Barnes Ross Henderson Jenkins Perry Powell Long Patterson Hughes Flores
        Washington Butler Simmons Foster Gonzales Bryant Alexander Russell Griffin Hayes Myers Ford
        Hamilton Graham Sullivan Wallace West Cole Jordan Reynolds Marshall Owens Harrison Gibson
        Wells Tucker Porter Hunter Hicks Crawford Boyd Warren Dixon Burns Shaw
        Holmes Rice Robertson Hunt Black Daniels Palmer Mills Nichols Grant Knight Ferguson Stone
        Hawkins Dunn Perkins Hudson Spencer Gardner Stephens Payne Pierce Berry Matthews Arnold
        Wagner Willis Ray Watkins Olson Carroll Duncan Snyder Hart Cunningham Bradley Lane Andrews
        Ruiz Harper Fox Riley Armstrong Carpenter Weaver Greene Lawrence Elliott Chavez Sims Austin
        Peters Kelley Franklin Lawson Fields Nakamura Tanaka Sato Okafor Mensah Novak Kowalski
        Petrov Larsen Jensen Haddad Rossi Bianchi Moreau Dubois Schmidt Fischer Weber Becker
        """)

    // MARK: - Kinds of characters

    /// Animals that can be the hero or the friend, each as `noun:sound`: the noun (in the
    /// notation of `nounList`) and the sound it makes as a past-tense verb ("the duck quacked").
    static let characterAnimals: [(noun: Noun, sound: String)] = wordList("""
        dog:barked puppy:yipped cat:meowed kitten:mewed bunny:squeaked rabbit:sniffed fox:yelped
        bear:growled owl:hooted duck:quacked duckling:peeped mouse/mice:squeaked squirrel:chattered
        frog:croaked turtle:yawned lion:roared elephant:trumpeted giraffe:hummed penguin:squawked
        pig:oinked piglet:squealed cow:mooed horse:neighed pony:whinnied sheep/sheep:baaed
        lamb:bleated goat:bleated hedgehog:snuffled raccoon:chittered deer/deer:snorted fawn:snorted
        panda:giggled koala:yawned monkey:chattered tiger:growled zebra:snorted hippo:grunted
        badger:grumbled otter:chirped beaver:chattered mole:sniffed chipmunk:chirped goose/geese:honked
        hen:clucked chick:cheeped donkey:brayed camel:grunted kangaroo:thumped wolf/wolves:howled
        seal:barked crab:clicked snail:sighed ladybug:buzzed butterfly:fluttered bee:buzzed ant:clicked
        caterpillar:wiggled dragon:roared unicorn:neighed dinosaur:stomped robot:beeped bird:chirped
        robin:sang sparrow:chirped parrot:squawked hamster:squeaked guinea_pig:squeaked llama:hummed
        alpaca:hummed moose/moose:bellowed walrus:bellowed puffin:grunted flamingo:honked
        peacock:called swan:hissed crow:cawed bat:squeaked firefly:blinked dolphin:clicked whale:sang
        octopus/octopuses:bubbled starfish/starfish:sighed lizard:hissed gecko:chirped toad:croaked
        worm:wiggled spider:tapped grasshopper:chirped cricket:chirped polar_bear:growled
        seahorse:bubbled armadillo:snuffled platypus/platypuses:chirped meerkat:chattered lemur:squeaked
        sloth:yawned weasel:squeaked ferret:dooked stoat:hissed vole:squeaked shrew:squeaked
        porcupine:grunted skunk:stamped opossum:hissed lynx/lynxes:purred bobcat:growled cheetah:chirped
        leopard:growled jaguar:roared gorilla:grunted orangutan:hooted chimpanzee:hooted baboon:barked
        gazelle:snorted antelope:snorted bison/bison:bellowed buffalo/buffaloes:bellowed yak:grunted
        ox/oxen:lowed reindeer/reindeer:grunted elk/elk:bugled hare:thumped pelican:clacked stork:clattered
        heron:croaked crane:trumpeted kingfisher:whistled woodpecker:drummed hummingbird:hummed
        toucan:croaked ostrich/ostriches:boomed emu:drummed cockatoo:screeched budgie:chirped
        canary/canaries:sang goldfish/goldfish:blew_bubbles tortoise:yawned iguana:blinked
        chameleon:blinked salamander:blinked newt:blinked jellyfish/jellyfish:wobbled lobster:clicked
        shrimp/shrimp:clicked otter_pup:squeaked raven:croaked magpie:chattered owlet:hooted
        bear_cub:growled lion_cub:mewled tiger_cub:mewled foal:whinnied calf/calves:mooed
        kid_goat:bleated gosling:peeped cygnet:peeped tadpole:wriggled dragonfly/dragonflies:hummed
        beetle:clicked moth:fluttered glowworm:glowed bumblebee:buzzed wasp:buzzed
        """).map { entry in
            let parts = entry.split(separator: ":").map(String.init)
            return (noun(parts[0]), parts[1])
        }

    /// Animals that can be part of the scenery ("Four geese were paddling in circles"): the
    /// character animals that one could really meet in a park, a garden or on a farm.
    static let sceneryAnimals: [Noun] = characterAnimals.map(\.noun).filter {
        ["duck", "rabbit", "squirrel", "frog", "bird", "sparrow", "robin", "goose", "hen", "chick", "goat",
         "cow", "sheep", "pony", "horse", "hedgehog", "ladybug", "butterfly", "bee", "snail", "mouse",
         "duckling", "lamb", "crow", "chipmunk", "grasshopper", "cricket", "toad", "worm", "ant"].contains($0.singular)
    }

    /// Grown-ups of the family who can help a child: what the child calls them ("Grandma"), and
    /// what they are to the child ("her grandma").
    static let familyHelpers: [(name: String, role: String, gender: Gender)] = [
        ("Mom", "mom", .female), ("Dad", "dad", .male), ("Mama", "mama", .female), ("Papa", "papa", .male),
        ("Grandma", "grandma", .female), ("Grandpa", "grandpa", .male), ("Granny", "granny", .female),
        ("Nana", "nana", .female), ("Grandad", "grandad", .male),
    ]

    /// Grown-ups outside the family, called Mr. or Mrs. and a surname, by what they are to the
    /// child ("her neighbor Mrs. Green", "his piano teacher Mr. Hill").
    static let neighborRoles: [(role: String, gender: Gender)] = [
        ("teacher", .female), ("teacher", .male), ("neighbor", .female), ("neighbor", .male),
        ("neighbor", .female), ("neighbor", .male), ("piano teacher", .female), ("music teacher", .male),
        ("art teacher", .female), ("swimming coach", .male), ("babysitter", .female), ("dance teacher", .male),
        ("football coach", .female), ("next-door neighbor", .male), ("next-door neighbor", .female),
    ]

    // MARK: - Describing a character

    /// Words for what a character is like, before the noun: "a curious little fox".
    static let traits = wordList("""
        kind brave curious shy happy clever friendly gentle cheerful silly playful busy sleepy
        grumpy proud careful polite quiet loud funny helpful honest smart bold calm eager jolly
        lively lonely patient thoughtful wise young cute energetic adventurous generous
        hardworking caring cheeky daring dreamy fearless giggly humble imaginative joyful loyal merry
        mischievous neat noisy peaceful quick restless sensible sweet talented tidy timid trusty
        bright bouncy bubbly charming clumsy confident creative determined fussy graceful hungry
        jumpy nervous nosy picky plucky sneaky speedy spunky stubborn tough sporty chatty
        gentle-hearted sleepyheaded forgetful absent-minded brainy bashful boastful courageous
        dependable easygoing fidgety gallant gleeful good-humored heroic inventive lighthearted
        musical nimble observant outgoing perky polite quirky resourceful sassy serious sociable
        spirited studious tenderhearted thrifty trustworthy unselfish vivacious whimsical zealous
        artistic bookish brisk cautious cheery contented dainty diligent feisty fretful frisky
        gracious hasty lively-eyed mellow modest nifty pensive prim rambunctious sprightly
        tiny little small big tall strong smiley good-natured soft-spoken quick-witted bright-eyed
        """)

    /// Words that describe only an animal: "a fluffy bunny" (not "a fluffy girl").
    static let animalTraits = wordList("""
        fluffy fuzzy scruffy cuddly roly-poly wiggly
        """)

    // MARK: - Looks and dreams

    /// How a child looks, as phrases after "had": "curly red hair".
    static let hairStyles = wordList("curly straight wavy long short messy braided spiky fluffy shiny")
    static let hairColors = wordList("red brown black blond golden dark ginger sandy")
    /// Other details of a child: "She had freckles on her nose."
    static let childDetails = wordList("""
        freckles_on_her_nose a_gap_between_her_front_teeth round_glasses a_big_bright_smile
        dimples_in_her_cheeks a_loud_laugh a_bandage_on_her_knee rosy_cheeks a_wobbly_tooth
        paint_on_her_fingers a_tiny_scar_on_her_chin a_dreamy_look_in_her_eyes
        """)

    /// Details of an animal that fit any animal: "He had big round eyes and a funny little walk."
    static let animalFeatures = wordList("""
        big_round_eyes a_funny_little_walk a_very_loud_voice a_tiny_nose bright_shiny_eyes
        a_wiggly_way_of_dancing a_big_heart a_gentle_face a_cheeky_grin a_soft_voice
        a_happy_little_hum a_very_big_appetite
        """)

    /// Dream jobs: "When he grew up, he wanted to be an astronaut."
    static let dreamJobs = wordList("""
        astronaut firefighter doctor vet baker pilot teacher painter singer dancer farmer gardener
        explorer inventor scientist zookeeper builder chef sailor train_driver librarian
        lighthouse_keeper detective juggler musician photographer carpenter beekeeper diver
        mountain_climber dentist nurse writer poet architect clown magician weather_reporter
        park_ranger toy_maker ice_cream_seller astronomer archaeologist ballerina bus_driver
        cartographer clockmaker fisherman florist glassblower gymnast jockey lifeguard mapmaker
        marine_biologist mechanic pastry_chef potter puppeteer racing_driver sculptor shepherd
        storyteller tailor tightrope_walker violinist weaver zoologist
        """)

    /// Things a character loves doing: base form, past tense, -ing form, with their object
    /// (`paint pictures`, `painted pictures`, `painting pictures`).
    static let hobbies: [(base: String, past: String, ing: String)] = wordList("""
        paint_pictures/painted_pictures/painting_pictures draw_animals/drew_animals/drawing_animals
        sing_songs/sang_songs/singing_songs dance/danced/dancing read_books/read_books/reading_books
        build_towers/built_towers/building_towers fly_kites/flew_kites/flying_kites
        play_in_the_mud/played_in_the_mud/playing_in_the_mud climb_trees/climbed_trees/climbing_trees
        collect_shells/collected_shells/collecting_shells collect_stones/collected_stones/collecting_stones
        jump_rope/jumped_rope/jumping_rope ride_a_bike/rode_a_bike/riding_a_bike
        play_the_drums/played_the_drums/playing_the_drums play_the_piano/played_the_piano/playing_the_piano
        play_the_flute/played_the_flute/playing_the_flute play_hide-and-seek/played_hide-and-seek/playing_hide-and-seek
        bake_cookies/baked_cookies/baking_cookies plant_flowers/planted_flowers/planting_flowers
        look_at_the_stars/looked_at_the_stars/looking_at_the_stars tell_jokes/told_jokes/telling_jokes
        make_paper_boats/made_paper_boats/making_paper_boats blow_bubbles/blew_bubbles/blowing_bubbles
        swim/swam/swimming run_races/ran_races/running_races splash_in_puddles/splashed_in_puddles/splashing_in_puddles
        count_clouds/counted_clouds/counting_clouds watch_the_birds/watched_the_birds/watching_the_birds
        build_sandcastles/built_sandcastles/building_sandcastles skip_stones/skipped_stones/skipping_stones
        play_tag/played_tag/playing_tag roll_down_hills/rolled_down_hills/rolling_down_hills
        make_up_songs/made_up_songs/making_up_songs knit_scarves/knitted_scarves/knitting_scarves
        fold_paper_cranes/folded_paper_cranes/folding_paper_cranes dig_for_treasure/dug_for_treasure/digging_for_treasure
        chase_butterflies/chased_butterflies/chasing_butterflies pick_berries/picked_berries/picking_berries
        play_ball/played_ball/playing_ball do_puzzles/did_puzzles/doing_puzzles
        write_letters/wrote_letters/writing_letters whistle_tunes/whistled_tunes/whistling_tunes
        juggle/juggled/juggling skate/skated/skating hop_on_one_foot/hopped_on_one_foot/hopping_on_one_foot
        spin_in_circles/spun_in_circles/spinning_in_circles make_mud_pies/made_mud_pies/making_mud_pies
        feed_the_ducks/fed_the_ducks/feeding_the_ducks watch_the_rain/watched_the_rain/watching_the_rain
        catch_leaves/caught_leaves/catching_leaves build_forts/built_forts/building_forts
        make_necklaces/made_necklaces/making_necklaces sew_puppets/sewed_puppets/sewing_puppets
        play_chess/played_chess/playing_chess do_cartwheels/did_cartwheels/doing_cartwheels
        bounce_on_the_trampoline/bounced_on_the_trampoline/bouncing_on_the_trampoline
        mold_clay_animals/molded_clay_animals/molding_clay_animals grow_tomatoes/grew_tomatoes/growing_tomatoes
        search_for_bugs/searched_for_bugs/searching_for_bugs press_flowers/pressed_flowers/pressing_flowers
        make_pancakes/made_pancakes/making_pancakes hum_lullabies/hummed_lullabies/humming_lullabies
        stack_cups/stacked_cups/stacking_cups map_the_neighborhood/mapped_the_neighborhood/mapping_the_neighborhood
        tap-dance/tap-danced/tap-dancing roller-skate/roller-skated/roller-skating
        invent_machines/invented_machines/inventing_machines practice_magic_tricks/practiced_magic_tricks/practicing_magic_tricks
        put_on_puppet_shows/put_on_puppet_shows/putting_on_puppet_shows scribble_stories/scribbled_stories/scribbling_stories
        arrange_flowers/arranged_flowers/arranging_flowers decorate_cakes/decorated_cakes/decorating_cakes
        race_toy_cars/raced_toy_cars/racing_toy_cars wade_in_streams/waded_in_streams/wading_in_streams
        gaze_at_the_moon/gazed_at_the_moon/gazing_at_the_moon sort_buttons/sorted_buttons/sorting_buttons
        carve_pumpkins/carved_pumpkins/carving_pumpkins fly_paper_planes/flew_paper_planes/flying_paper_planes
        weave_baskets/wove_baskets/weaving_baskets embroider_flowers/embroidered_flowers/embroidering_flowers
        build_birdhouses/built_birdhouses/building_birdhouses paint_pebbles/painted_pebbles/painting_pebbles
        collect_feathers/collected_feathers/collecting_feathers collect_stamps/collected_stamps/collecting_stamps
        learn_new_words/learned_new_words/learning_new_words solve_riddles/solved_riddles/solving_riddles
        play_marbles/played_marbles/playing_marbles play_hopscotch/played_hopscotch/playing_hopscotch
        toboggan/tobogganed/tobogganing paddle_a_canoe/paddled_a_canoe/paddling_a_canoe
        ice-skate/ice-skated/ice-skating somersault/somersaulted/somersaulting
        dress_up/dressed_up/dressing_up draw_maps/drew_maps/drawing_maps
        hunt_for_fossils/hunted_for_fossils/hunting_for_fossils watch_the_clouds/watched_the_clouds/watching_the_clouds
        recite_poems/recited_poems/reciting_poems make_snow_angels/made_snow_angels/making_snow_angels
        fish_for_tadpoles/fished_for_tadpoles/fishing_for_tadpoles whittle_sticks/whittled_sticks/whittling_sticks
        """).map { entry in
            let forms = entry.split(separator: "/").map(String.init)
            return (forms[0], forms[1], forms[2])
        }
}

/// Whether a character is "she" or "he". The stories keep a character's pronouns from the first
/// sentence to the last; a test checks it.
enum Gender: Sendable {
    case female, male
}
