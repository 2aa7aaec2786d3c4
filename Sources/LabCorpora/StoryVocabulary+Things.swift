// Story vocabulary, part 3: the things in the stories.
//
// Toys and treasures (grouped by what can happen to them: lost, stuck up high, broken), food that
// can be counted and shared, flowers, trees and small things of nature, vehicles, and the
// adjectives that describe things (colors, materials, sizes). Written for this kit.
// Other parts: StoryVocabulary+Characters.swift, +World.swift, +Actions.swift.

extension StoryVocabulary {
    // MARK: - Toys and treasures

    /// Small things a character owns and can lose.
    static let treasures = nounList("""
        ball kite teddy_bear doll toy_car toy_train yo-yo marble hat scarf mitten shoe book crayon
        whistle flute toy_robot puzzle_piece seashell feather ribbon necklace bracelet ring key coin
        bucket spade spoon cup blanket umbrella backpack lunchbox map compass flashlight lantern bell
        button sticker paper_boat toy_boat jar basket sock glove sweater cap crown wand wooden_sword
        trumpet harmonica notebook pencil paintbrush magnifying_glass snow_globe music_box pinwheel
        kaleidoscope jump_rope spinning_top toy_dinosaur stuffed_rabbit toy_bus toy_plane rubber_duck
        beach_ball hair_clip watch/watches medal badge postcard photo drawing letter treasure_map
        toy_truck toy_tractor toy_horse puppet balloon bubble_wand pocket_knife/pocket_knives
        wristband headband marble_bag piggy_bank tiara cape magic_stone lucky_charm fishing_rod
        butterfly_net toy_drum harp ukulele recorder tambourine picture_book storybook sketchbook
        paint_box pencil_case glitter_pen rocket_ship_toy toy_castle toy_soldier wooden_duck
        hobby_horse toy_giraffe clay_owl tin_robot toy_submarine wind-up_mouse toy_fire_engine
        glass_bead silver_locket acorn_cup toy_telescope paper_fan origami_frog wooden_spoon
        friendship_bracelet goldfish_bowl wooly_hat knitted_glove toy_parrot tin_whistle
        fossil crystal pinecone_owl sea_glass_necklace birthday_badge clockwork_bird
        accordion banjo bugle cymbal xylophone triangle maraca castanet kazoo glockenspiel
        pogo_stick skipping_rope hula_hoop frisbee kite_string marionette nesting_doll
        jigsaw_puzzle board_game chess_piece domino playing_card dice/dice snow_shovel sled
        flippers/flippers snorkel goggles/goggles swimming_ring water_pistol sand_bucket spyglass
        walkie-talkie alarm_clock pocket_watch camera binoculars/binoculars hourglass barometer
        thermometer weathervane sundial abacus atlas encyclopedia diary scrapbook photo_album
        sticker_book coloring_book comic_book bookmark fountain_pen quill chalk_board slate
        eraser ruler protractor stapler paperweight pencil_sharpener crayon_box
        satchel purse wallet keyring lanyard medallion brooch hairband hair_ribbon bow_tie
        bonnet beret beanie fedora sombrero top_hat sunhat visor headscarf shawl apron
        teapot teacup saucer ladle whisk rolling_pin cookie_cutter jelly_mold
        lunch_tin thermos picnic_blanket hammock tent_peg fishing_net rowboat_oar
        paddle bicycle_bell tricycle scooter skateboard roller_skate wagon_wheel wheelbarrow
        watering_can trowel flowerpot birdhouse bird_feeder wind_chime fairy_light
        candle candlestick matchbox firefly_jar bug_box seed_packet
        """)

    /// Things that can fly off or be thrown and get stuck somewhere high.
    static let flyingThings = nounList("""
        kite ball balloon frisbee hat paper_plane scarf shuttlecock toy_plane beach_ball boomerang
        paper_lantern ribbon sock
        """)

    /// Toys that can break and be mended.
    static let breakableToys = nounList("""
        toy_car toy_train doll toy_robot kite toy_drum music_box toy_boat wagon toy_plane
        rocking_horse puppet toy_castle spinning_top wooden_duck toy_truck dollhouse
        """)

    // MARK: - Describing things

    static let colors = wordList("""
        red blue green yellow orange purple pink brown black white gray golden silver turquoise
        crimson lilac navy scarlet emerald amber sky-blue cherry-red mint-green coral maroon cream
        indigo magenta teal lemon-yellow rosy copper bronze
        """)

    /// Colors that clothes have (no metals: "a silver raincoat" reads oddly).
    static let clothesColors = wordList("""
        red blue green yellow orange purple pink brown black white gray turquoise navy scarlet
        lilac mint-green coral sky-blue cherry-red lemon-yellow striped spotted
        """)

    /// Adjectives a treasure can have besides its color: "a shiny red ball".
    /// (Materials such as "wooden" or "velvet" are left out: they fit some things and not others.)
    static let thingAdjectives = wordList("""
        shiny sparkly striped spotted tiny little big new old special lucky bright glittery
        polka-dot handmade precious sparkling gleaming battered patched faded brand-new secondhand
        enormous miniature checkered twinkly shimmering spotless well-loved beautiful pretty
        colorful dusty scratched favorite
        """)

    /// Sizes and looks for scenery: "a huge tree", "a narrow path".
    static let sizeAdjectives = wordList("""
        big small huge tiny giant little tall short wide narrow long deep
        """)

    // MARK: - Clothes

    /// Clothes for each kind of weather: "She put on her yellow raincoat and her green boots."
    static let clothes: [(kind: WeatherKind, items: [String])] = [
        (.sunny, wordList("sun_hat T-shirt shorts sandals summer_dress baseball_cap swimsuit straw_hat")),
        (.windy, wordList("jacket hoodie scarf cardigan windbreaker knitted_hat sweater")),
        (.rainy, wordList("raincoat rain_boots wellies rain_hat waterproof_jacket poncho")),
        (.snowy, wordList("winter_coat woolly_hat mittens snow_boots thick_scarf earmuffs snowsuit")),
        (.cloudy, wordList("jumper coat dungarees overalls sweatshirt tights boots cardigan")),
    ]

    // MARK: - Food

    /// Food that can be counted, shared and packed for a picnic.
    static let foods = nounList("""
        apple banana pear peach plum cherry grape strawberry blueberry raspberry blackberry orange
        lemon tangerine apricot fig carrot cookie cupcake pie sandwich cracker pretzel lollipop
        pancake donut bun egg acorn nut berry jam_tart gingerbread_man/gingerbread_men cinnamon_roll
        plum_tart honey_cake watermelon_slice melon_slice radish cucumber potato/potatoes
        tomato/tomatoes corn_cob rice_cake cheese_sandwich sugar_cookie brownie scone bagel
        pumpkin_seed sunflower_seed oatcake fruit_bar gooseberry mandarin nectarine kiwi_slice
        pineapple_ring peanut_butter_sandwich toasted_muffin jam_sandwich carrot_stick apple_slice
        cheese_cube pear_drop sugar_plum chocolate_button flapjack noodle_cup rice_ball olive
        macaroon meringue eclair doughnut_hole crepe tortilla taco burrito pita_bread naan_bread
        pretzel_stick breadstick croissant brioche baguette teacake shortbread_finger
        custard_tart lemon_tart cherry_tart apple_turnover fig_roll date ginger_snap oat_cookie
        plum_dumpling peach_slice mango_slice papaya_slice coconut_chunk lychee guava passion_fruit
        pomegranate persimmon quince clementine satsuma grapefruit cranberry gooseberry_tart
        sweet_potato/sweet_potatoes baked_potato/baked_potatoes corn_muffin pea_pod green_bean
        broad_bean sausage_roll cheese_straw cucumber_sandwich egg_sandwich tomato_sandwich
        """)

    /// Drinks for a picnic or a cold day.
    static let drinks = wordList("""
        lemonade milk apple_juice hot_chocolate water orange_juice cocoa peppermint_tea
        pear_juice strawberry_milkshake
        """)

    /// Cakes and pies a character can bake for someone; the last word names the dish ("the cake").
    static let bakes = wordList("""
        chocolate_cake strawberry_cake apple_pie lemon_cake carrot_cake blueberry_pie cherry_pie
        honey_cake plum_tart pumpkin_pie banana_cake vanilla_cake raspberry_tart peach_pie
        orange_cake coconut_cake jam_tart rhubarb_pie walnut_cake apple_crumble
        """)

    /// Small fruit to decorate a cake with: "six strawberries on top".
    static let berries = nounList("""
        strawberry cherry blueberry raspberry blackberry grape
        """)

    /// Colors that flowers have.
    static let flowerColors = wordList("red yellow pink purple white orange blue")

    // MARK: - Nature

    static let flowers = nounList("""
        tulip sunflower daisy poppy rose dandelion buttercup bluebell marigold daffodil pansy orchid
        snowdrop primrose lilac cornflower foxglove hollyhock peony carnation geranium petunia
        forget-me-not crocus hyacinth iris sweet_pea zinnia aster cosmos clover_flower
        camellia gardenia larkspur snapdragon nasturtium cowslip celandine harebell
        edelweiss anemone freesia gladiolus
        """)

    static let trees = nounList("""
        oak pine maple birch willow apple_tree cherry_tree palm_tree elm cedar chestnut_tree beech
        sycamore spruce fir hawthorn rowan hazel_tree walnut_tree plum_tree magnolia redwood yew
        """)

    /// Small things of nature to find or count: "three smooth pebbles".
    static let natureThings = nounList("""
        leaf/leaves stone pebble stick pinecone mushroom shell feather acorn snail_shell
        four-leaf_clover rainbow_stone seed conker twig berry_sprig fern_frond toadstool
        sycamore_seed beetle_wing eggshell piece_of_driftwood piece_of_sea_glass hazelnut
        blade_of_grass petal moss_ball crystal_pebble
        """)

    // MARK: - Getting around

    /// Ways to travel: "they took the bus".
    static let vehicles = wordList("""
        bus train boat ferry tram bike
        """)

    /// Gifts a character can make or give.
    static let gifts = wordList("""
        a_drawing a_birthday_card a_bunch_of_flowers a_necklace_of_shells a_clay_pot a_paper_crown
        a_friendship_bracelet a_painted_stone a_little_poem a_knitted_scarf a_jar_of_jam
        a_paper_star a_picture_frame a_bookmark a_song a_clay_bowl a_woven_basket a_pressed_flower
        a_painted_mug a_shell_box a_paper_lantern a_cardboard_crown a_bead_necklace
        """)
}
