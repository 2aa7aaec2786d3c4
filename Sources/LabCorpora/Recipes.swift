// Recipes: the kit's second corpus, a domain clearly different from the stories.
//
// The fine-tuning lesson adapts a model trained on stories to a new domain and a strict layout
// (the first recipe of seed 1, shortened):
//
//     Recipe: Best Chicken and Spinach Curry
//     Serves: 6
//     Time: 51 minutes
//     Ingredients:
//     - 775 g chicken breasts
//     - 600 g spinach
//     - 2 onions
//     - 1 1/4 teaspoons paprika
//     …
//     Steps:
//     1. Cut the chicken breasts into strips.
//     2. Wash the spinach.
//     …
//     8. Cover and simmer for 30 minutes, stirring from time to time.
//     …
//     Tip: A squeeze of lemon at the end brightens the flavor.
//
// Every ingredient in the list is used by name in the steps, amounts grow with the number of
// servings, the time is the sum of the steps' times plus preparation, and a few characters are
// not ASCII (°C, crème fraîche, jalapeño), so a byte-level tokenizer has multi-byte characters
// to learn. `Recipe(parsing:)` checks the layout, which turns "how many generated recipes are
// well formed" into a before/after measure for fine-tuning.
// Scope: the Recipe type, its text and parsing, and the generator. The dishes themselves are
// written in RecipeWriter+Dishes.swift, from the lists in RecipeVocabulary.swift.
// Left out: blank lines inside a recipe (documents are separated by blank lines or by
// <|endoftext|>, see Corpus.swift), units other than those in `Recipe.units`.

import LabKernel

/// A recipe: title, servings, total time, ingredients with amounts, numbered steps, an optional tip.
public struct Recipe: Sendable, Equatable {
    /// One line of the ingredient list: an amount ("250 g", "1/2 teaspoon", "2") and a name.
    public struct Ingredient: Sendable, Equatable {
        /// A number (`2`, `1/2`, `1 1/2`, `250`) and, unless the ingredient is counted, a unit.
        public let amount: String
        /// The name as the steps use it: "carrots", "olive oil".
        public let name: String

        public init(amount: String, name: String) {
            self.amount = amount
            self.name = name
        }
    }

    public let title: String
    public let servings: Int
    public let minutes: Int
    public let ingredients: [Ingredient]
    public let steps: [String]
    public let tip: String?

    /// The units an amount may have, singular and plural.
    public static let units: Set<String> = [
        "g", "ml", "cup", "cups", "tablespoon", "tablespoons", "teaspoon", "teaspoons",
        "clove", "cloves", "can", "cans", "slice", "slices", "sprig", "sprigs",
    ]

    public init(title: String, servings: Int, minutes: Int, ingredients: [Ingredient], steps: [String], tip: String?) {
        self.title = title
        self.servings = servings
        self.minutes = minutes
        self.ingredients = ingredients
        self.steps = steps
        self.tip = tip
    }

    /// The recipe in the corpus layout (see the top of this file), without a trailing newline.
    public var text: String {
        var lines = ["Recipe: \(title)", "Serves: \(servings)", "Time: \(minutes) minutes", "Ingredients:"]
        lines += ingredients.map { "- \($0.amount) \($0.name)" }
        lines.append("Steps:")
        lines += steps.enumerated().map { "\($0.offset + 1). \($0.element)" }
        if let tip { lines.append("Tip: \(tip)") }
        return lines.joined(separator: "\n")
    }

    /// Reads a recipe in the layout of `text`; nil when anything is out of place: a header
    /// line missing, fewer than two ingredients or steps, an amount that is not a number with
    /// an optional unit from `units`, steps not numbered 1, 2, 3, …, or an unknown extra line.
    public init?(parsing text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        func take(_ prefix: String) -> String? {
            guard let line = lines.first, line.hasPrefix(prefix), line.count > prefix.count else { return nil }
            lines = lines.dropFirst()
            return String(line.dropFirst(prefix.count))
        }
        guard let title = take("Recipe: "),
              let servings = take("Serves: ").flatMap({ Int($0) }), servings > 0,
              let time = take("Time: "), time.hasSuffix(" minutes"),
              let minutes = Int(time.dropLast(" minutes".count)), minutes > 0,
              lines.first == "Ingredients:" else { return nil }
        lines = lines.dropFirst()
        var ingredients: [Ingredient] = []
        while let line = lines.first, line.hasPrefix("- ") {
            guard let ingredient = Recipe.parseIngredient(line.dropFirst(2)) else { return nil }
            ingredients.append(ingredient)
            lines = lines.dropFirst()
        }
        guard ingredients.count >= 2, lines.first == "Steps:" else { return nil }
        lines = lines.dropFirst()
        var steps: [String] = []
        while let step = take("\(steps.count + 1). ") { steps.append(step) }
        guard steps.count >= 2 else { return nil }
        let tip = take("Tip: ")
        guard lines.isEmpty else { return nil }
        self.init(title: title, servings: servings, minutes: minutes, ingredients: ingredients, steps: steps, tip: tip)
    }

    /// "250 g carrots" → ("250 g", "carrots"); "1 1/2 cups milk" → ("1 1/2 cups", "milk").
    private static func parseIngredient(_ line: Substring) -> Ingredient? {
        let words = line.split(separator: " ")
        func isNumber(_ word: Substring) -> Bool {
            let parts = word.split(separator: "/", omittingEmptySubsequences: false)
            return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && Int($0) != nil }
        }
        guard let first = words.first, isNumber(first) else { return nil }
        var amountWords = 1
        if words.count > 1, words[1].contains("/"), isNumber(words[1]) { amountWords = 2 }  // "1 1/2"
        if words.count > amountWords, units.contains(String(words[amountWords])) { amountWords += 1 }
        guard words.count > amountWords else { return nil }
        return Ingredient(amount: words[..<amountWords].joined(separator: " "),
                          name: words[amountWords...].joined(separator: " "))
    }
}

/// An endless, deterministic stream of recipes.
///
///     var generator = RecipeGenerator(seed: 1)
///     print(generator.nextRecipe().text)
public struct RecipeGenerator: Sendable {
    private var rng: SeededGenerator

    /// A generator whose recipes are determined by `seed`.
    public init(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
    }

    /// The next recipe of the stream.
    public mutating func nextRecipe() -> Recipe {
        var writer = RecipeWriter(rng: rng)
        let dish = writer.rng.pick(RecipeDish.allCases)
        writer.write(dish)
        rng = writer.rng
        return writer.recipe
    }
}
