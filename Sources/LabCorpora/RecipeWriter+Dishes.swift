// The dishes a recipe can be: each writes its title, ingredients and steps.
//
// Every dish adds its ingredients through RecipeWriter's helpers and refers to them by the
// returned names, so the list and the steps always agree. Choices inside a dish (a second
// vegetable, a spice, cream or not, a topping) give each dish many shapes.

/// The kinds of dish the recipe corpus contains.
enum RecipeDish: CaseIterable, Sendable {
    case soup, salad, cake, cookies, pancakes, pasta, curry, smoothie, omelette, bread, crumble, stirFry
}

extension RecipeWriter {
    mutating func write(_ dish: RecipeDish) {
        switch dish {
        case .soup: writeSoup()
        case .salad: writeSalad()
        case .cake: writeCake()
        case .cookies: writeCookies()
        case .pancakes: writePancakes()
        case .pasta: writePasta()
        case .curry: writeCurry()
        case .smoothie: writeSmoothie()
        case .omelette: writeOmelette()
        case .bread: writeBread()
        case .crumble: writeCrumble()
        case .stirFry: writeStirFry()
        }
        switch dish {
        case .soup, .pasta, .curry, .omelette, .stirFry: maybeTip(RecipeVocabulary.cookedTips)
        case .salad: maybeTip(RecipeVocabulary.saladTips)
        case .cake, .cookies, .bread, .crumble: maybeTip(RecipeVocabulary.bakingTips)
        case .pancakes, .smoothie: maybeTip(RecipeVocabulary.breakfastTips)
        }
    }

    private mutating func titleWord() -> String {
        rng.pick(RecipeVocabulary.titleWords)
    }

    // MARK: - Soup

    /// Vegetables for dishes that already start with an onion.
    private static let vegetablesBesideOnion = RecipeVocabulary.vegetables.filter { !$0.noun.singular.contains("onion") }

    private mutating func writeSoup() {
        let vegetables = rng.pickDistinct(2, from: RecipeWriter.vegetablesBesideOnion)
        let main = vegetables[0]
        let second = rng.chance(50) ? vegetables[1] : nil
        let herb = rng.pick(RecipeVocabulary.herbs)
        if let second {
            setTitle("\(main.titleName) and \(second.titleName) soup")
        } else {
            setTitle(rng.chance(50) ? "\(titleWord()) \(main.titleName) soup" : "\(main.titleName) soup with \(herb)")
        }
        let mainName = grams(main.noun.plural, perServing: 100...175)
        let secondName = second.map { grams($0.noun.plural, perServing: 50...100) }
        let onion = count(noun("onion"), fixed: 1...2)
        let garlic = units(rng.number(in: 1...3), "clove", "garlic")
        let fat = rng.pick(["olive oil", "butter"])
        spoons(rng.number(in: 1...2) * 4, "tablespoon", fat)
        let stock = milliliters(rng.pick(["vegetable stock", "chicken stock"]), perServing: 200...300)
        let spice = rng.chance(50) ? spoons(rng.number(in: 2...4), "teaspoon", rng.pick(RecipeVocabulary.spices)) : nil
        let cream = rng.chance(50) ? milliliters(rng.pick(["double cream", "crème fraîche", "coconut milk", "milk"]), perServing: 25...40) : nil
        let salt = spoons(2, "teaspoon", "salt")
        let herbName = spoons(rng.number(in: 1...2) * 4, "tablespoon", "chopped \(herb)")

        step(main.preparationStep(for: mainName))
        if let second, let secondName { step(second.preparationStep(for: secondName)) }
        step("Peel and finely chop the \(onion), and crush the \(garlic).")
        step(fat == "butter" ? "Melt the butter in a large pot over medium heat." : "Heat the olive oil in a large pot over medium heat.")
        step("Add the \(onion) and cook for \(cook(5...8)) minutes, until soft.")
        step(spice.map { "Stir in the \(garlic) and the \($0), and cook for 1 more minute." } ?? "Stir in the \(garlic) and cook for 1 more minute.")
        step("Add the \(mainName)\(secondName.map { " and the \($0)" } ?? "") and pour in the \(stock).")
        step("Bring to the boil, then lower the heat and simmer for \(cook(15...30)) minutes, until the \(mainName) \(verbBe(main.noun)) tender.")
        step(rng.chance(70) ? "Blend until smooth." : "Blend half of the soup and leave the rest chunky.")
        step(cream.map { "Stir in the \($0) and season with the \(salt)." } ?? "Season with the \(salt).")
        step("Serve hot, sprinkled with the \(herbName).")
    }

    // MARK: - Salad

    private mutating func writeSalad() {
        let greens = rng.pick(["rocket", "baby spinach", "mixed leaves", "lettuce", "watercress"])
        let raw = rng.pickDistinct(2, from: ["cucumber", "radish", "avocado", "celery stalk", "spring onion", "carrot", "red pepper"])
            .map { noun($0) }
        let protein = rng.variant(4)
        let nut = rng.pick(RecipeVocabulary.nuts)
        let acid = rng.pick(["lemon juice", "red wine vinegar", "apple cider vinegar", "lime juice"])
        let sweet = rng.pick(["honey", "maple syrup", "mustard"])
        let cheese = rng.pick(["feta", "goat's cheese", "mozzarella", "parmesan"])
        switch protein {
        case 0: setTitle("\(titleWord()) chickpea salad")
        case 1: setTitle("\(titleWord()) egg and \(raw[0].singular) salad")
        case 2: setTitle("halloumi salad with \(nut)")
        default: setTitle("\(cheese) and \(raw[0].singular) salad")
        }
        let greensName = grams(greens, perServing: 30...50)
        let first = count(raw[0], perServing: 0.5)
        let second = count(raw[1], perServing: 0.5)
        let proteinName: String
        switch protein {
        case 0: proteinName = units(max(1, servings / 3), "can", "chickpeas")
        case 1: proteinName = count(noun("egg"), perServing: 1)
        case 2: proteinName = grams("halloumi", perServing: 50...75)
        default: proteinName = grams(cheese, perServing: 30...50)
        }
        let nutName = grams(nut, perServing: 10...15)
        let oil = spoons(rng.number(in: 2...4) * 4, "tablespoon", "olive oil")
        let acidName = spoons(rng.number(in: 1...2) * 4, "tablespoon", acid)
        let sweetName = spoons(4, "teaspoon", sweet)
        let salt = spoons(1, "teaspoon", "salt")

        step("Wash the \(greensName) and dry it well.")
        step("Slice the \(first) and the \(second).")
        switch protein {
        case 0: step("Drain and rinse the \(proteinName).")
        case 1: step("Boil the \(proteinName) for \(cook(8...10)) minutes, then cool them in cold water, peel and quarter them.")
        case 2: step("Slice the \(proteinName) and fry it in a dry pan for \(cook(2...3)) minutes on each side, until golden.")
        default: step("Crumble or slice the \(proteinName).")
        }
        step("Toast the \(nutName) in a dry pan for \(cook(2...4)) minutes, shaking the pan often.")
        step("Whisk the \(oil), the \(acidName), the \(sweetName) and the \(salt) in a small bowl.")
        step("Put the \(greensName), the \(first) and the \(second) in a large bowl, pour over the dressing and toss gently.")
        step("Top with the \(proteinName) and the \(nutName), and serve straight away.")
    }

    // MARK: - Cake

    private mutating func writeCake() {
        let fruit = rng.chance(70) ? rng.pick(RecipeVocabulary.fruits) : nil
        let shape = rng.variant(3)
        let flavor = rng.pick(["vanilla extract", "almond extract", "grated lemon zest", "grated orange zest"])
        let kind = ["cake", "loaf", "muffins"][shape]
        let base = fruit.map { $0.titleName } ?? rng.pick(["vanilla", "chocolate", "honey", "marble"])
        setTitle("\(base) \(kind)")
        let butter = grams("soft butter", perServing: 20...30)
        let sugar = grams(rng.pick(["caster sugar", "brown sugar"]), perServing: 20...30)
        let eggs = count(noun("egg"), perServing: 0.4)
        let flour = grams("self-raising flour", perServing: 25...35)
        let bakingPowder = spoons(rng.number(in: 2...4), "teaspoon", "baking powder")
        let milk = milliliters("milk", perServing: 10...20)
        let flavorName = spoons(rng.number(in: 2...4), "teaspoon", flavor)
        let fruitName = fruit.map { grams($0.noun.plural, perServing: 20...40) }
        let cocoa = base == "chocolate" || base == "marble" ? spoons(rng.number(in: 2...4) * 4, "tablespoon", "cocoa powder") : nil
        let temperature = rng.pick([170, 180, 190])

        switch shape {
        case 0: step("Preheat the oven to \(ovenTemperature(temperature)) and line a 20 cm round tin with baking paper.")
        case 1: step("Preheat the oven to \(ovenTemperature(temperature)) and line a loaf tin with baking paper.")
        default: step("Preheat the oven to \(ovenTemperature(temperature)) and put paper cases in a muffin tray.")
        }
        step("Beat the \(butter) and the \(sugar) together until pale and fluffy.")
        step(eggs == "egg" ? "Beat in the egg." : "Beat in the \(eggs) one at a time.")
        step("Fold in the \(flour) and the \(bakingPowder)\(cocoa.map { ", then the \($0)" } ?? "").")
        step("Stir in the \(milk) and the \(flavorName).")
        if let fruit, let fruitName {
            step(fruit.preparationStep(for: fruitName))
            step("Gently fold in the \(fruitName).")
        }
        step(shape == 2 ? "Spoon the mixture into the cases." : "Pour the mixture into the tin and smooth the top.")
        step("Bake for \(cook(shape == 2 ? 18...25 : 35...50)) minutes, until golden and a skewer comes out clean.")
        step("Leave to cool for \(cook(10...15)) minutes before serving.")
    }

    // MARK: - Cookies

    private mutating func writeCookies() {
        let extra = rng.pick(["chocolate chips", "raisins", "rolled oats", "chopped hazelnuts", "dried cranberries", "white chocolate chunks"])
        setTitle("\(titleWord()) \(extra.split(separator: " ").last.map(String.init) ?? extra) cookies")
        let butter = grams("soft butter", perServing: 15...25)
        let sugar = grams("brown sugar", perServing: 15...25)
        let egg = count(noun("egg"), fixed: 1...1)
        let vanilla = spoons(4, "teaspoon", "vanilla extract")
        let flour = grams("plain flour", perServing: 25...35)
        let soda = spoons(2, "teaspoon", "baking soda")
        let salt = spoons(1, "teaspoon", "salt")
        let extraName = grams(extra, perServing: 15...25)
        let cookies = servings * 3

        step("Preheat the oven to \(ovenTemperature(180)) and line two baking trays with baking paper.")
        step("Cream the \(butter) and the \(sugar) until smooth.")
        step("Beat in the \(egg) and the \(vanilla).")
        step("Mix the \(flour), the \(soda) and the \(salt), then stir them into the butter mixture.")
        step("Stir in the \(extraName).")
        step("Roll the dough into \(cookies) balls and place them on the trays, 5 cm apart.")
        step("Bake for \(cook(10...14)) minutes, until the edges are golden but the middles are still soft.")
        step("Let the cookies cool on the trays for \(cook(5...10)) minutes.")
    }

    // MARK: - Pancakes

    private mutating func writePancakes() {
        let topping = rng.pick(RecipeVocabulary.fruits)
        let syrup = rng.pick(["maple syrup", "honey", "golden syrup"])
        setTitle(rng.chance(50) ? "\(titleWord()) pancakes with \(topping.noun.plural)" : "fluffy \(topping.titleName) pancakes")
        let flour = grams("plain flour", perServing: 40...60)
        let bakingPowder = spoons(4, "teaspoon", "baking powder")
        let sugar = spoons(rng.number(in: 1...2) * 4, "tablespoon", "sugar")
        let salt = spoons(1, "teaspoon", "salt")
        let eggs = count(noun("egg"), perServing: 0.5)
        let milk = milliliters("milk", perServing: 60...80)
        let butter = spoons(rng.number(in: 2...3) * 4, "tablespoon", "melted butter")
        let toppingName = grams(topping.noun.plural, perServing: 40...60)
        let syrupName = spoons(rng.number(in: 2...4) * 4, "tablespoon", syrup)

        step("Whisk the \(flour), the \(bakingPowder), the \(sugar) and the \(salt) in a large bowl.")
        step("In a jug, whisk the \(eggs) with the \(milk) and the \(butter).")
        step("Pour the wet mixture into the dry one and stir until just combined. A few lumps are fine.")
        step("Let the batter rest for \(cook(5...10)) minutes.")
        step(topping.preparationStep(for: toppingName))
        step("Heat a frying pan over medium heat and pour in about 3 tablespoons of batter for each pancake.")
        step("Cook for \(cook(2...3)) minutes, until bubbles appear, then flip and cook for 1 minute more.")
        step("Makes about \(servings * 3) pancakes. Serve with the \(toppingName) and a drizzle of \(syrupName).")
    }

    // MARK: - Pasta

    private mutating func writePasta() {
        let pasta = rng.pick(RecipeVocabulary.pastas)
        let vegetable = rng.pick(RecipeVocabulary.vegetables)
        let cheese = rng.pick(["parmesan", "pecorino", "mozzarella", "ricotta"])
        let herb = rng.pick(["basil", "parsley", "oregano"])
        setTitle("\(pasta) with \(vegetable.titleName) and \(herb)")
        let pastaName = grams(pasta, perServing: 75...100)
        let oil = spoons(rng.number(in: 2...3) * 4, "tablespoon", "olive oil")
        let garlic = units(rng.number(in: 2...4), "clove", "garlic")
        let vegetableName = grams(vegetable.noun.plural, perServing: 60...90)
        let tomatoes = units(max(1, servings / 3), "can", "chopped tomatoes")
        let purée = spoons(rng.number(in: 1...2) * 4, "tablespoon", "tomato purée")
        let chili = rng.chance(40) ? spoons(rng.number(in: 1...2), "teaspoon", rng.chance(50) ? "chili flakes" : "chopped jalapeño") : nil
        let cheeseName = grams(cheese, perServing: 15...25)
        let herbName = spoons(rng.number(in: 2...3) * 4, "tablespoon", "chopped \(herb)")

        step("Bring a large pan of salted water to the boil.")
        step(vegetable.preparationStep(for: vegetableName))
        step("Heat the \(oil) in a deep frying pan and sauté the \(garlic)\(chili.map { " and the \($0)" } ?? "") for 1 minute.")
        step("Add the \(vegetableName) and cook for \(cook(4...8)) minutes, stirring now and then.")
        step("Stir in the \(tomatoes) and the \(purée), and simmer for \(cook(10...15)) minutes.")
        step("Meanwhile, cook the \(pastaName) for \(rng.number(in: 8...12)) minutes, until al dente.")
        step("Drain the \(pastaName), keeping a cup of the cooking water.")
        step("Toss the \(pastaName) with the sauce, adding a splash of the water if it looks dry.")
        step("Serve with the \(cheeseName) and the \(herbName) on top.")
    }

    // MARK: - Curry or stew

    private mutating func writeCurry() {
        let protein = rng.pick(RecipeVocabulary.proteins)
        let vegetable = rng.pick(RecipeWriter.vegetablesBesideOnion)
        let curry = rng.chance(60)
        let spices = rng.pickDistinct(2, from: RecipeVocabulary.spices)
        setTitle("\(titleWord()) \(protein.titleName) and \(vegetable.titleName) \(curry ? "curry" : "stew")")
        // Beans come in cans and lentils are weighed dry; both go in with the liquid, unbrowned.
        let canned = protein.noun.singular.hasSuffix("bean") || protein.noun.singular == "chickpea"
        let lentils = protein.noun.singular.hasSuffix("lentil")
        let proteinName = canned ? units(max(1, servings / 3), "can", protein.noun.plural)
            : grams(protein.noun.plural, perServing: lentils ? 50...75 : 100...150)
        let vegetableName = grams(vegetable.noun.plural, perServing: 60...100)
        let onion = count(noun("onion"), fixed: 1...2)
        let garlic = units(rng.number(in: 2...4), "clove", "garlic")
        let ginger = spoons(4, "tablespoon", "grated fresh ginger")
        let spiceNames = spices.map { spoons(rng.number(in: 2...6), "teaspoon", $0) }
        let jalapeño = rng.chance(30) ? count(noun("jalapeño"), fixed: 1...2) : nil
        let liquid = curry && rng.chance(60)
            ? units(max(1, servings / 3), "can", "coconut milk")
            : milliliters(rng.pick(["vegetable stock", "chicken stock"]), perServing: 100...150)
        let oil = spoons(rng.number(in: 1...2) * 4, "tablespoon", "sunflower oil")
        let rice = grams(curry ? "basmati rice" : "crusty bread", perServing: 60...80)

        step(protein.preparationStep(for: proteinName))
        step(vegetable.preparationStep(for: vegetableName))
        step("Chop the \(onion) and crush the \(garlic)\(jalapeño.map { "; deseed and slice the \($0)" } ?? "").")
        step("Heat the \(oil) in a heavy pan and fry the \(onion) for \(cook(6...10)) minutes, until golden.")
        step("Add the \(garlic), the \(ginger), the \(spiceNames[0]) and the \(spiceNames[1])\(jalapeño.map { " and the \($0)" } ?? ""), and stir for 1 minute.")
        if canned || lentils {
            step("Add the \(vegetableName), the \(proteinName) and the \(liquid).")
        } else {
            step("Add the \(proteinName) and cook for \(cook(4...6)) minutes, turning them so they color on all sides.")
            step("Add the \(vegetableName) and the \(liquid).")
        }
        step("Cover and simmer for \(cook(20...40)) minutes, stirring from time to time.")
        if curry {
            step("While it cooks, rinse the \(rice) and simmer it in twice its volume of water for \(rng.number(in: 10...12)) minutes.")
            step("Serve the curry over the \(rice).")
        } else {
            step("Serve the stew in warm bowls, with the \(rice) on the side.")
        }
    }

    // MARK: - Smoothie

    private mutating func writeSmoothie() {
        let fruits = rng.pickDistinct(2, from: RecipeVocabulary.fruits)
        let liquid = rng.pick(["milk", "oat milk", "almond milk", "orange juice", "apple juice"])
        let extra = rng.pick(["rolled oats", "chia seeds", "peanut butter", "baby spinach", "honey"])
        setTitle("\(fruits[0].titleName) and \(fruits[1].titleName) smoothie")
        let first = grams(fruits[0].noun.plural, perServing: 60...100)
        let second = grams(fruits[1].noun.plural, perServing: 40...80)
        let yogurt = spoons(rng.number(in: 2...4) * 4, "tablespoon", "natural yogurt")
        let liquidName = milliliters(liquid, perServing: 100...150)
        let extraName = spoons(rng.number(in: 1...2) * 4, "tablespoon", extra)
        let ice = count(noun("ice cube"), fixed: 4...8)

        step(fruits[0].preparationStep(for: first))
        step(fruits[1].preparationStep(for: second))
        step("Put the \(first), the \(second), the \(yogurt) and the \(extraName) in a blender.")
        step("Pour in the \(liquidName) and add the \(ice).")
        step("Blend for \(cook(1...2)) minutes, until smooth.")
        step("Pour into \(servings) glasses and serve straight away.")
    }

    // MARK: - Omelette or frittata

    private mutating func writeOmelette() {
        let fillings = rng.pickDistinct(2, from: RecipeVocabulary.vegetables)
        let cheese = rng.pick(RecipeVocabulary.cheeses)
        let herb = rng.pick(RecipeVocabulary.herbs)
        let frittata = servings > 3
        setTitle("\(fillings[0].titleName) and \(cheese) \(frittata ? "frittata" : "omelette")")
        let eggs = count(noun("egg"), perServing: 2)
        let milk = spoons(rng.number(in: 2...4) * 4, "tablespoon", "milk")
        let salt = spoons(1, "teaspoon", "salt")
        let butter = spoons(rng.number(in: 1...2) * 4, "tablespoon", "butter")
        let first = grams(fillings[0].noun.plural, perServing: 40...60)
        let second = grams(fillings[1].noun.plural, perServing: 30...50)
        let cheeseName = grams(cheese, perServing: 15...25)
        let herbName = spoons(rng.number(in: 1...2) * 4, "tablespoon", "chopped \(herb)")

        step("Whisk the \(eggs), the \(milk) and the \(salt) in a bowl.")
        step(fillings[0].preparationStep(for: first))
        step(fillings[1].preparationStep(for: second))
        step("Melt the \(butter) in a \(frittata ? "large ovenproof" : "small non-stick") frying pan and sauté the \(first) and the \(second) for \(cook(4...6)) minutes.")
        step("Pour in the eggs and cook gently for \(cook(3...6)) minutes, until almost set.")
        step("Scatter over the \(cheeseName) and the \(herbName).")
        step(frittata ? "Put the pan under a hot grill for \(cook(3...5)) minutes, until golden, then cut into \(servings) slices."
                      : "Fold the omelette in half and slide it onto a warm plate.")
    }

    // MARK: - Bread

    private mutating func writeBread() {
        let seeds = rng.chance(50) ? rng.pick(["sunflower seeds", "pumpkin seeds", "sesame seeds", "poppy seeds"]) : nil
        let loaves = max(1, servings / 4)
        setTitle(seeds.map { "\(titleWord()) bread with \($0)" } ?? "\(titleWord()) white loaf")
        let flour = grams("strong white flour", perServing: 60...70)
        let yeast = spoons(rng.number(in: 2...3) * 2, "teaspoon", "dried yeast")
        let salt = spoons(rng.number(in: 2...4) * 2, "teaspoon", "salt")
        let honey = spoons(4, "teaspoon", "honey")
        let water = milliliters("warm water", perServing: 40...45)
        let oil = spoons(rng.number(in: 1...2) * 4, "tablespoon", "olive oil")
        let seedName = seeds.map { grams($0, perServing: 5...10) }

        step("Mix the \(flour), the \(yeast) and the \(salt) in a large bowl\(seedName.map { ", with half of the \($0)" } ?? "").")
        step("Stir the \(honey) into the \(water), then pour it into the flour with the \(oil).")
        step("Mix to a soft dough, then knead it on a floured table for \(cook(8...12)) minutes, until smooth and stretchy.")
        step("Cover and leave in a warm place for \(cook(50...90)) minutes, until doubled in size.")
        step(loaves == 1 ? "Shape the dough into a round loaf and put it on a floured tray." : "Divide the dough in \(loaves) and shape each piece into a round loaf.")
        if let seedName { step("Brush the top with water and press on the rest of the \(seedName).") }
        step("Leave to rise for \(cook(20...40)) minutes while the oven heats to \(ovenTemperature(220)).")
        step("Bake for \(cook(25...35)) minutes, until the loaf sounds hollow when tapped underneath.")
        step("Cool on a wire rack before slicing.")
    }

    // MARK: - Crumble

    private mutating func writeCrumble() {
        let fruits = rng.pickDistinct(2, from: RecipeVocabulary.crumbleFruits)
        let withSecond = rng.chance(50)
        let nut = rng.chance(40) ? rng.pick(RecipeVocabulary.nuts) : nil
        setTitle(withSecond ? "\(fruits[0].titleName) and \(fruits[1].titleName) crumble" : "\(titleWord()) \(fruits[0].titleName) crumble")
        let first = grams(fruits[0].noun.plural, perServing: 100...150)
        let second = withSecond ? grams(fruits[1].noun.plural, perServing: 40...60) : nil
        let sugar = grams("caster sugar", perServing: 10...15)
        let cinnamon = spoons(rng.number(in: 2...4), "teaspoon", "cinnamon")
        let flour = grams("plain flour", perServing: 25...35)
        let butter = grams("cold butter", perServing: 15...25)
        let brownSugar = grams("brown sugar", perServing: 10...20)
        let oats = grams("rolled oats", perServing: 10...15)
        let nutName = nut.map { grams($0, perServing: 5...10) }
        let serve = milliliters(rng.pick(["custard", "single cream", "crème fraîche"]), perServing: 40...60)

        step("Preheat the oven to \(ovenTemperature(190)).")
        step(fruits[0].preparationStep(for: first))
        if let second { step(fruits[1].preparationStep(for: second)) }
        step("Toss the \(first)\(second.map { " and the \($0)" } ?? "") with the \(sugar) and the \(cinnamon), and tip into a baking dish.")
        step("Rub the \(butter) into the \(flour) with your fingertips until it looks like breadcrumbs.")
        step("Stir in the \(brownSugar) and the \(oats)\(nutName.map { ", then the \($0)" } ?? "").")
        step("Scatter the crumble over the fruit.")
        step("Bake for \(cook(30...45)) minutes, until golden and bubbling at the edges.")
        step("Serve warm with the \(serve).")
    }

    // MARK: - Stir-fry

    private mutating func writeStirFry() {
        let protein = rng.pick(RecipeVocabulary.proteins.filter { !$0.noun.singular.hasSuffix("bean") && $0.noun.singular != "chickpea" && $0.noun.singular != "red lentil" })
        let vegetables = rng.pickDistinct(2, from: RecipeVocabulary.vegetables)
        let noodles = rng.pick(["egg noodles", "rice noodles", "udon noodles", "cooked rice"])
        setTitle("\(titleWord()) \(protein.titleName) stir-fry")
        let noodleName = grams(noodles, perServing: 75...100)
        let proteinName = grams(protein.noun.plural, perServing: 80...120)
        let first = grams(vegetables[0].noun.plural, perServing: 50...80)
        let second = grams(vegetables[1].noun.plural, perServing: 40...60)
        let garlic = units(rng.number(in: 2...3), "clove", "garlic")
        let ginger = spoons(4, "tablespoon", "grated fresh ginger")
        let soy = spoons(rng.number(in: 2...4) * 4, "tablespoon", "soy sauce")
        let sesameOil = spoons(4, "tablespoon", "sesame oil")
        let honey = spoons(rng.number(in: 2...4), "teaspoon", "honey")
        let oil = spoons(rng.number(in: 1...2) * 4, "tablespoon", "sunflower oil")
        let springOnions = count(noun("spring onion"), fixed: 2...4)

        if noodles != "cooked rice" { step("Cook the \(noodleName) for \(cook(3...5)) minutes, then drain and rinse them in cold water.") }
        step(protein.preparationStep(for: proteinName))
        step(vegetables[0].preparationStep(for: first))
        step(vegetables[1].preparationStep(for: second))
        step("Mix the \(soy), the \(sesameOil) and the \(honey) in a cup.")
        step("Heat the \(oil) in a wok over high heat and stir-fry the \(proteinName) for \(cook(3...5)) minutes.")
        step("Add the \(first), the \(second), the \(garlic) and the \(ginger), and stir-fry for \(cook(2...4)) minutes more.")
        step("Add the \(noodleName) and the sauce, and toss for \(cook(1...2)) minutes until everything is hot.")
        step("Slice the \(springOnions) and scatter them on top before serving.")
    }
}
