// Recipe vocabulary: ingredients, how they are prepared, and the words of a recipe's title.
//
// The recipes are the kit's second domain, chosen to differ from the stories in every way a
// model can notice: vocabulary (cumin, simmer, whisk), layout (a title, a list, numbered steps),
// numbers with units (250 g, 1/2 teaspoon, 180 °C) and a few non-ASCII characters (°, é, ñ) that
// the stories never contain, so byte-level tokenization has something to show. Written for
// this kit. Used by RecipeWriter+Dishes.swift.

/// An ingredient: its name as listed and as the steps refer to it, and how it is prepared.
struct RecipeIngredient: Sendable {
    /// "carrot" / "carrots"
    let noun: Noun
    /// How it is prepared before cooking, as an imperative: "peel and dice" (the ingredient
    /// follows: "peel and dice the carrots"), or with `*` where the ingredient goes:
    /// "cut * into florets".
    let preparation: String

    /// The name in a title: the singular without the word for the part ("rhubarb stalk" →
    /// "rhubarb", "salmon fillet" → "salmon").
    var titleName: String {
        for part in [" stalk", " fillet", " breast", " thigh", " bulb"] where noun.singular.hasSuffix(part) {
            return String(noun.singular.dropLast(part.count))
        }
        return noun.singular
    }

    /// The preparation as a step: "Peel and dice the carrots." for the listed name "carrots".
    func preparationStep(for name: String) -> String {
        let object = "the \(name)"
        let words = preparation.contains("*")
            ? preparation.split(separator: "*", omittingEmptySubsequences: false).joined(separator: object)
            : "\(preparation) \(object)"
        return capitalizingFirstLetter(words) + "."
    }
}

enum RecipeVocabulary {
    /// Reads `noun/plural:preparation` entries (a noun as in `nounList`, `_` for spaces).
    private static func ingredients(_ text: String) -> [RecipeIngredient] {
        wordList(text).map { entry in
            let parts = entry.split(separator: ":").map(String.init)
            return RecipeIngredient(noun: noun(parts[0]), preparation: parts.count > 1 ? parts[1] : "chop")
        }
    }

    /// Vegetables for soups, stews, trays and stir-fries, weighed in grams.
    static let vegetables = ingredients("""
        carrot:peel_and_dice potato/potatoes:peel_and_cube sweet_potato/sweet_potatoes:peel_and_cube
        leek:wash_and_slice parsnip:peel_and_chop butternut_squash/butternut_squashes:peel_and_cube
        pumpkin:peel_and_cube zucchini/zucchini:slice broccoli/broccoli:cut_*_into_small_florets
        cauliflower/cauliflower:cut_*_into_florets mushroom:wipe_and_slice celery_stalk:slice
        red_pepper:deseed_and_slice yellow_pepper:deseed_and_slice green_bean:trim
        tomato/tomatoes:chop beetroot/beetroot:peel_and_grate fennel_bulb:slice_thinly
        cabbage/cabbage:shred kale/kale:strip_the_leaves_from_*_and_chop_them spinach/spinach:wash
        aubergine:cube asparagus/asparagus:trim_*_and_cut_it_into_short_pieces pea/peas:rinse
        sweetcorn/sweetcorn:drain celeriac/celeriac:peel_and_cube turnip:peel_and_dice
        red_onion:cut_*_into_wedges cherry_tomato/cherry_tomatoes:halve pak_choi/pak_choi:quarter
        """)

    /// Fruit for cakes, crumbles, smoothies and salads.
    static let fruits = ingredients("""
        apple:peel,_core_and_slice pear:core_and_slice banana:peel_and_slice mango/mangoes:peel_and_dice
        strawberry/strawberries:hull_and_halve blueberry/blueberries:rinse raspberry/raspberries:rinse
        peach/peaches:stone_and_slice plum:stone_and_quarter apricot:stone_and_halve
        cherry/cherries:pit pineapple/pineapple:peel_and_cube kiwi:peel_and_slice orange:peel_and_segment
        rhubarb_stalk:cut_*_into_short_pieces fig:quarter nectarine:stone_and_slice
        blackberry/blackberries:rinse grape:halve
        """)

    /// Proteins for stews, curries, salads and stir-fries.
    static let proteins = ingredients("""
        chickpea/chickpeas:drain_and_rinse red_lentil/red_lentils:rinse black_bean/black_beans:drain_and_rinse
        kidney_bean/kidney_beans:drain_and_rinse chicken_thigh:cut_*_into_bite-sized_pieces
        chicken_breast:cut_*_into_strips tofu/tofu:press_and_cube prawn:peel_and_devein
        salmon_fillet:cut_*_into_chunks cod_fillet:cut_*_into_chunks beef/beef:cut_*_into_cubes
        halloumi/halloumi:slice paneer/paneer:cube white_bean/white_beans:drain_and_rinse
        """)

    /// Herbs, added at the end: "a handful of basil".
    static let herbs = wordList("""
        basil parsley coriander mint dill chives thyme rosemary oregano sage tarragon
        """)

    /// Ground spices, measured in teaspoons.
    static let spices = wordList("""
        cumin paprika smoked_paprika turmeric ground_coriander cinnamon nutmeg ginger garam_masala
        chili_flakes curry_powder allspice cardamom five-spice_powder ras_el_hanout sumac
        """)

    /// Pasta shapes.
    static let pastas = wordList("""
        spaghetti penne fusilli farfalle linguine rigatoni orzo tagliatelle macaroni conchiglie
        """)

    /// Cheeses, grated or crumbled over a dish.
    static let cheeses = wordList("""
        parmesan cheddar feta mozzarella pecorino goat's_cheese gruyère ricotta
        """)

    /// Nuts and seeds for salads, crumbles and porridge.
    static let nuts = wordList("""
        walnuts almonds hazelnuts pecans cashews pistachios pine_nuts sunflower_seeds pumpkin_seeds
        sesame_seeds
        """)

    /// Words that begin a title: "Creamy Carrot Soup".
    static let titleWords = wordList("""
        Easy Quick Simple Creamy Hearty Cozy Golden Spicy Fresh Summer Winter Autumn Rustic
        Weeknight Sunday Homestyle Zesty Smoky Sunny Little Best Grandma's Farmhouse Garden
        """)

    /// Fruit that bakes well under a crumble.
    static let crumbleFruits = fruits.filter {
        ["apple", "pear", "plum", "rhubarb stalk", "blackberry", "blueberry", "raspberry", "peach", "apricot",
         "cherry", "nectarine", "strawberry"].contains($0.noun.singular)
    }

    // MARK: - Tips for the optional last line, by kind of dish

    static let cookedTips = wordList("""
        Taste_before_serving_and_add_more_salt_if_needed.
        Swap_the_herbs_for_whatever_you_have_in_the_garden.
        A_squeeze_of_lemon_at_the_end_brightens_the_flavor.
        Warm_the_plates_first_so_the_food_stays_hot.
        Leftovers_keep_in_the_fridge_for_up_to_three_days.
        Make_a_double_batch_and_share_it_with_a_neighbor.
        """)

    static let saladTips = wordList("""
        Dress_the_salad_just_before_serving_so_the_leaves_stay_crisp.
        Any_crunchy_vegetable_from_the_garden_works_here.
        A_squeeze_of_lemon_at_the_end_brightens_the_flavor.
        """)

    static let bakingTips = wordList("""
        Use_a_timer,_and_check_a_few_minutes_early.
        Children_can_help_with_the_weighing,_mixing_and_decorating.
        It_keeps_for_three_days_in_an_airtight_tin.
        You_can_freeze_this_for_up_to_two_months.
        Make_a_double_batch_and_share_it_with_a_neighbor.
        """)

    static let breakfastTips = wordList("""
        Children_can_help_with_the_washing_and_mixing.
        Frozen_fruit_works_just_as_well_as_fresh.
        For_a_vegan_version,_use_plant-based_milk.
        """)
}
