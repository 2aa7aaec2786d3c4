// RecipeWriter: builds one recipe, keeping its list, its steps and its time consistent.
//
// Scope: the state of a recipe being written and the helpers that add an ingredient with an
// amount ("450 g carrots", "1 1/2 teaspoons cumin", "2 onions") and return the name the steps
// must use, so a dish cannot list something it never uses (a test checks that every listed name
// appears in a step). Amounts scale with the number of servings. The dishes are in
// RecipeWriter+Dishes.swift.

import LabKernel

struct RecipeWriter {
    var rng: SeededGenerator
    let servings: Int
    private var title = ""
    private var ingredients: [Recipe.Ingredient] = []
    private var steps: [String] = []
    private var tip: String?
    /// Preparation time plus every time a step mentions.
    private var minutes: Int

    init(rng: SeededGenerator) {
        self.rng = rng
        servings = self.rng.number(in: 2...8)
        minutes = self.rng.number(in: 1...3) * 5
    }

    var recipe: Recipe {
        Recipe(title: title, servings: servings, minutes: minutes, ingredients: ingredients, steps: steps, tip: tip)
    }

    /// Sets the title in title case, keeping the small words in lower case:
    /// "carrot and leek soup with thyme" → "Carrot and Leek Soup with Thyme".
    mutating func setTitle(_ words: String) {
        let small: Set<String> = ["and", "with", "of", "in", "on"]
        title = words.split(separator: " ").enumerated().map { index, word in
            index > 0 && small.contains(String(word)) ? String(word) : capitalizingFirstLetter(String(word))
        }.joined(separator: " ")
    }

    mutating func step(_ text: String) {
        steps.append(capitalizingFirstLetter(text))
    }

    /// Counts `minutes` into the recipe's total time and returns them for the step's text.
    mutating func cook(_ range: ClosedRange<Int>) -> Int {
        let time = rng.number(in: range)
        minutes += time
        return time
    }

    /// Adds a closing tip from `tips`, half of the time.
    mutating func maybeTip(_ tips: [String]) {
        if rng.chance(50) { tip = rng.pick(tips) }
    }

    // MARK: - Ingredients with amounts

    /// A counted ingredient, "2 onions"; `perServing` is multiplied by the servings and rounded up.
    @discardableResult
    mutating func count(_ noun: Noun, perServing: Double = 0, fixed: ClosedRange<Int>? = nil) -> String {
        let amount = fixed.map { rng.number(in: $0) } ?? max(1, Int((perServing * Double(servings)).rounded(.up)))
        let name = amount == 1 ? noun.singular : noun.plural
        ingredients.append(Recipe.Ingredient(amount: String(amount), name: name))
        return name
    }

    /// A weighed ingredient, "450 g carrots": grams per serving, rounded to 25 g.
    @discardableResult
    mutating func grams(_ name: String, perServing: ClosedRange<Int>) -> String {
        let total = rng.number(in: perServing) * servings
        let rounded = max(25, (total + 12) / 25 * 25)
        ingredients.append(Recipe.Ingredient(amount: "\(rounded) g", name: name))
        return name
    }

    /// A liquid in milliliters, "750 ml vegetable stock", rounded to 50 ml.
    @discardableResult
    mutating func milliliters(_ name: String, perServing: ClosedRange<Int>) -> String {
        let total = rng.number(in: perServing) * servings
        let rounded = max(50, (total + 25) / 50 * 50)
        ingredients.append(Recipe.Ingredient(amount: "\(rounded) ml", name: name))
        return name
    }

    /// A measured ingredient in quarters of a unit: `spoons(2, "teaspoon", "salt")` is
    /// "1/2 teaspoon salt", `spoons(6, "cup", "milk")` is "1 1/2 cups milk".
    @discardableResult
    mutating func spoons(_ quarters: Int, _ unit: String, _ name: String) -> String {
        precondition(quarters > 0, "RecipeWriter.spoons: expected a positive number of quarters, got \(quarters)")
        let whole = quarters / 4
        let fraction = ["", "1/4", "1/2", "3/4"][quarters % 4]
        let number = whole == 0 ? fraction : fraction.isEmpty ? String(whole) : "\(whole) \(fraction)"
        let units = quarters > 4 ? unit + "s" : unit
        ingredients.append(Recipe.Ingredient(amount: "\(number) \(units)", name: name))
        return name
    }

    /// An ingredient in whole units: "2 cloves garlic", "1 can chickpeas".
    @discardableResult
    mutating func units(_ count: Int, _ unit: String, _ name: String) -> String {
        ingredients.append(Recipe.Ingredient(amount: "\(count) \(count == 1 ? unit : unit + "s")", name: name))
        return name
    }
}

/// "is" for a mass noun ("the spinach is"), "are" for a plural ("the carrots are").
func verbBe(_ noun: Noun) -> String {
    noun.singular == noun.plural ? "is" : "are"
}

/// Oven temperatures in °C (the ° makes the recipes' text non-ASCII).
func ovenTemperature(_ celsius: Int) -> String {
    "\(celsius) °C"
}
