// The two fine-tuning corpora: recipes and story questions keep their layouts, the parsers
// accept exactly those layouts, and the content is consistent (every listed ingredient is used,
// every answer's names and numbers come from its story).

import Foundation
import XCTest
@testable import LabCorpora

final class CorpusDomainTests: XCTestCase {
    // MARK: - Recipes

    func testRecipesParseBackToThemselves() {
        var generator = RecipeGenerator(seed: 1)
        for _ in 0..<500 {
            let recipe = generator.nextRecipe()
            XCTAssertEqual(Recipe(parsing: recipe.text), recipe, "this recipe does not parse back:\n\(recipe.text)")
        }
    }

    func testRecipesAreConsistent() {
        var generator = RecipeGenerator(seed: 2)
        var titles = Set<String>()
        for _ in 0..<500 {
            let recipe = generator.nextRecipe()
            titles.insert(recipe.title)
            let steps = recipe.steps.joined(separator: " ")
            for ingredient in recipe.ingredients {
                XCTAssertTrue(steps.contains("the \(ingredient.name)") || steps.contains("of \(ingredient.name)"),
                              "'\(ingredient.name)' is listed but no step uses it:\n\(recipe.text)")
            }
            XCTAssertEqual(Set(recipe.ingredients.map(\.name)).count, recipe.ingredients.count, "an ingredient is listed twice:\n\(recipe.text)")
            XCTAssertTrue((2...8).contains(recipe.servings))
            // The total time includes every timed step, so no single step can be longer.
            let longest = minutesMentioned(in: steps).max() ?? 0
            XCTAssertGreaterThanOrEqual(recipe.minutes, longest, "a step takes longer than the whole recipe:\n\(recipe.text)")
            XCTAssertTrue(recipe.steps.allSatisfy { $0.first!.isUppercase && ".!".contains($0.last!) }, "a step is not a sentence:\n\(recipe.text)")
        }
        XCTAssertGreaterThan(titles.count, 350, "too many repeated titles in 500 recipes")
    }

    func testRecipeAmountsAgreeWithTheirUnits() {
        var generator = RecipeGenerator(seed: 3)
        for _ in 0..<500 {
            for ingredient in generator.nextRecipe().ingredients {
                let words = ingredient.amount.split(separator: " ")
                guard let unit = words.last, Recipe.units.contains(String(unit)) else { continue }
                // "1 cup", "1/2 cup", "3/4 teaspoon" but "2 cups", "1 1/2 cups".
                let quantity = words.dropLast().joined(separator: " ")
                let singular = quantity == "1" || (quantity.contains("/") && !quantity.contains(" "))
                if unit != "g", unit != "ml" {
                    XCTAssertEqual(unit.hasSuffix("s"), !singular, "'\(ingredient.amount) \(ingredient.name)' disagrees in number")
                }
            }
        }
    }

    func testRecipeParserRejectsBrokenLayouts() {
        let good = """
            Recipe: Toast
            Serves: 2
            Time: 5 minutes
            Ingredients:
            - 2 slices bread
            - 1 tablespoon butter
            Steps:
            1. Toast the bread.
            2. Spread the butter on the bread.
            Tip: Eat it warm.
            """
        XCTAssertNotNil(Recipe(parsing: good))
        XCTAssertEqual(Recipe(parsing: good)?.ingredients.first, Recipe.Ingredient(amount: "2 slices", name: "bread"))
        let broken = [
            good.replacingOccurrences(of: "Recipe: Toast\n", with: ""),                 // no title
            good.replacingOccurrences(of: "Serves: 2", with: "Serves: two"),           // not a number
            good.replacingOccurrences(of: "Steps:\n", with: ""),                       // no "Steps:"
            good.replacingOccurrences(of: "2. Spread", with: "3. Spread"),             // numbering skips
            good.replacingOccurrences(of: "- 2 slices bread", with: "- some bread"),   // no amount
            good.replacingOccurrences(of: "- 1 tablespoon butter", with: "- 1 tablespoon"),  // no name
            good + "\nAnd then some chatter.",                                         // an extra line
            good.replacingOccurrences(of: "- 1 tablespoon butter\n", with: ""),        // one ingredient
        ]
        for (index, text) in broken.enumerated() {
            XCTAssertNil(Recipe(parsing: text), "broken layout \(index) was accepted:\n\(text)")
        }
    }

    func testRecipesDifferFromStories() {
        let recipeWords = Set(lowercaseWords(generateCorpus(kind: .recipes, bytes: 300_000, seed: 1)))
        let storyWords = Set(lowercaseWords(generateCorpus(kind: .stories, bytes: 300_000, seed: 1)))
        let shared = recipeWords.intersection(storyWords)
        // A different domain: most recipe words (simmer, whisk, cumin, ...) never occur in the stories.
        XCTAssertLessThan(Double(shared.count) / Double(recipeWords.count), 0.6,
                          "\(shared.count) of \(recipeWords.count) recipe words also occur in the stories")
        for word in ["simmer", "whisk", "preheat", "teaspoon", "tablespoons"] {
            XCTAssertTrue(recipeWords.contains(word) && !storyWords.contains(word), "'\(word)' should mark the recipe domain")
        }
    }

    // MARK: - Story questions

    func testStoryQuestionsParseBackAndSplitIntoPromptAndAnswer() {
        var generator = StoryQuestionGenerator(seed: 1)
        for _ in 0..<500 {
            let example = generator.nextExample()
            XCTAssertEqual(StoryQuestion(parsing: example.text), example, "does not parse back:\n\(example.text)")
            XCTAssertEqual(example.text, example.prompt + " " + example.answer)
            XCTAssertTrue(example.prompt.hasSuffix("\n### Answer:"))
            XCTAssertTrue(example.question.hasSuffix("?"))
            XCTAssertTrue(example.answer.hasSuffix("."), "an answer is not a sentence: \(example.answer)")
        }
    }

    func testAnswersComeFromTheirStories() {
        var generator = StoryQuestionGenerator(seed: 2)
        var questions = Set<String>()
        for _ in 0..<1000 {
            let example = generator.nextExample()
            let shapeOfQuestion = example.question.split(separator: " ").prefix(3).joined(separator: " ")
            questions.insert(shapeOfQuestion)
            let storyWords = Set(letterRuns(example.story).map(String.init))
            // Every capitalized word of the answer after its first (names, towns) and every
            // number must be found in the story: the answer is grounded in the text.
            for word in letterRuns(example.answer).dropFirst() where word.first!.isUppercase {
                XCTAssertTrue(storyWords.contains(String(word)), "'\(word)' of the answer is not in the story:\n\(example.text)")
            }
            for number in example.answer.split(whereSeparator: { !$0.isNumber }) {
                XCTAssertTrue(example.story.contains(number), "the number \(number) is not in the story:\n\(example.text)")
            }
        }
        XCTAssertGreaterThan(questions.count, 40, "few kinds of questions: \(questions.sorted())")
    }

    func testShortStoryQuestionsCutTheStoryAfterTheParagraphThatAnswers() {
        var generator = StoryQuestionGenerator(seed: 3)
        var again = StoryQuestionGenerator(seed: 3)
        var cutSomewhere = 0
        for _ in 0..<60 {
            let example = generator.nextShortExample(maximumStoryBytes: 600)
            XCTAssertEqual(example, again.nextShortExample(maximumStoryBytes: 600), "the same examples for the same seed")
            XCTAssertLessThanOrEqual(example.story.utf8.count, 600)
            XCTAssertFalse(example.story.hasSuffix("\n") || example.story.isEmpty, example.story)
            XCTAssertEqual(StoryQuestion(parsing: example.text), example)
            // The answer's subject (its first word, a name, or "The story is about NAME") is in the kept story.
            let subject = example.answer.hasPrefix("The story is about ")
                ? String(example.answer.dropFirst(19).prefix { $0.isLetter }) : String(example.answer.prefix { $0.isLetter })
            XCTAssertTrue(example.story.contains(subject), "\(subject) should be in the kept story: \(example.text)")
            if !example.story.contains("From that day on") { cutSomewhere += 1 }
        }
        XCTAssertGreaterThan(cutSomewhere, 40, "most kept stories end before the story's ending")
    }

    func testStoryQuestionParserRejectsBrokenLayouts() {
        let example = StoryQuestion(story: "Mia had a red kite.\nShe loved it.", question: "What did Mia have?", answer: "Mia had a red kite.")
        XCTAssertEqual(StoryQuestion(parsing: example.text), example)
        let broken = [
            example.text.replacingOccurrences(of: "### Story:\n", with: ""),
            example.text.replacingOccurrences(of: "### Question: ", with: "Question: "),
            example.text.replacingOccurrences(of: "### Answer: ", with: "### Answer:"),
            example.text.replacingOccurrences(of: "have?", with: "have"),
            example.text + "\nOnce upon a time, ...",
            example.prompt,
        ]
        for (index, text) in broken.enumerated() {
            XCTAssertNil(StoryQuestion(parsing: text), "broken layout \(index) was accepted:\n\(text)")
        }
    }

    func testQuestionStoriesAreNotThePlainStories() {
        let plain = Set(CorpusDocuments(kind: .stories, seed: 1).prefix(200))
        var generator = StoryQuestionGenerator(seed: 1)
        let overlap = (0..<200).filter { _ in plain.contains(generator.nextExample().story) }.count
        XCTAssertEqual(overlap, 0, "the question corpus reuses stories of the story corpus with the same seed")
    }
}

/// Every "N minutes" in a text.
private func minutesMentioned(in text: String) -> [Int] {
    let words = text.split(separator: " ")
    return words.indices.dropLast().compactMap { index in
        words[index + 1].hasPrefix("minute") ? Int(words[index]) : nil
    }
}
