// Phrasing: the small pieces of English grammar the corpus generators need, and their dice.
//
// Scope: "a" or "an", regular and listed irregular plurals, number words up to ninety-nine,
// capitalizing a sentence, the word-list notation of the vocabulary files, and a few ways of
// drawing from a `SeededGenerator` (pick, chance, a number in a range). Everything works on plain
// `String`s with no Foundation and no locale, so the same seed gives the same bytes everywhere.
// Left out: anything a template can say directly (verb forms are listed in the vocabulary, not
// derived: English past tenses are too irregular for rules to read well).

import LabKernel

// MARK: - Words

/// A countable noun with its plural, e.g. `apple`/`apples`, `mouse`/`mice`.
struct Noun: Sendable {
    let singular: String
    let plural: String

    /// `"one red apple"`, `"three red apples"`: the count in words, then the words in between,
    /// then the noun in the form the count needs.
    func counted(_ count: Int, _ adjective: String = "") -> String {
        let noun = count == 1 ? singular : plural
        return adjective.isEmpty ? "\(numberWord(count)) \(noun)" : "\(numberWord(count)) \(adjective) \(noun)"
    }
}

/// Reads a whitespace-separated word list. `_` stands for a space inside one entry
/// (`teddy_bear`), so multi-word phrases fit the same notation.
func wordList(_ text: String) -> [String] {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { entry in
        String(entry.map { $0 == "_" ? " " : $0 })
    }
}

/// Reads a list of nouns: each entry is a singular with a regular plural (`kite`, `box`,
/// `puppy`), or `singular/plural` when the plural is irregular (`mouse/mice`, `sheep/sheep`).
func nounList(_ text: String) -> [Noun] {
    wordList(text).map(noun)
}

/// One entry of a noun list (after `_` became a space): `kite` or `mouse/mice`.
func noun(_ entry: String) -> Noun {
    if let slash = entry.firstIndex(of: "/") {
        return Noun(singular: String(entry[..<slash]), plural: String(entry[entry.index(after: slash)...]))
    }
    return Noun(singular: entry, plural: regularPlural(of: entry))
}

/// The regular English plural: `-es` after s, x, z, ch and sh; `-ies` after a consonant and y;
/// `-s` otherwise. Only the last word of a phrase changes (`teddy bear` → `teddy bears`).
func regularPlural(of noun: String) -> String {
    let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
    if noun.hasSuffix("s") || noun.hasSuffix("x") || noun.hasSuffix("z")
        || noun.hasSuffix("ch") || noun.hasSuffix("sh") {
        return noun + "es"
    }
    if noun.hasSuffix("y"), noun.count >= 2, !vowels.contains(noun[noun.index(noun.endIndex, offsetBy: -2)]) {
        return noun.dropLast() + "ies"
    }
    return noun + "s"
}

/// "a" or "an" for the word that follows, by its first sound: `an apple`, `a unicorn`,
/// `an hour`. Spelling decides, except for the listed beginnings that are pronounced otherwise.
func indefiniteArticle(for phrase: String) -> String {
    guard let first = phrase.first else { return "a" }
    let lower = phrase.lowercased()
    // A vowel letter that sounds like "you" or "won" takes "a"; a silent h takes "an".
    for prefix in ["uni", "use", "usu", "uk", "eu", "one", "once"] where lower.hasPrefix(prefix) { return "a" }
    for prefix in ["hour", "honest", "honor", "heir"] where lower.hasPrefix(prefix) { return "an" }
    return "aeiouAEIOU".contains(first) ? "an" : "a"
}

/// `"an old owl"`: the phrase with its indefinite article.
func withArticle(_ phrase: String) -> String {
    "\(indefiniteArticle(for: phrase)) \(phrase)"
}

private let unitWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                         "eighteen", "nineteen"]
private let tensWords = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

/// A number in words, as a children's story writes small numbers: 3 → "three",
/// 42 → "forty-two". Numbers from 100 up are written in digits.
func numberWord(_ number: Int) -> String {
    precondition(number >= 0, "numberWord: expected a number >= 0, got \(number)")
    if number < 20 { return unitWords[number] }
    if number < 100 {
        let unit = number % 10
        return unit == 0 ? tensWords[number / 10] : "\(tensWords[number / 10])-\(unitWords[unit])"
    }
    return String(number)
}

/// The text with its first letter in upper case, skipping a leading quotation mark:
/// `she smiled.` → `She smiled.`, `"oh no!"` → `"Oh no!"`. ASCII letters only (the stories are
/// ASCII), so no locale is involved; text that already starts in upper case is returned as is.
func capitalizingFirstLetter(_ text: String) -> String {
    let quote = UInt8(ascii: "\"")
    var bytes = text.utf8.makeIterator()
    var first = bytes.next()
    let skip = first == quote ? 1 : 0
    if skip == 1 { first = bytes.next() }
    guard let letter = first, letter >= UInt8(ascii: "a"), letter <= UInt8(ascii: "z") else { return text }
    let start = text.utf8.index(text.utf8.startIndex, offsetBy: skip + 1)
    return (skip == 1 ? "\"" : "") + String(UnicodeScalar(letter - 32)) + text[start...]
}

/// Every word with its first letter in upper case: `guinea pig` → `Guinea Pig`.
func titleCased(_ text: String) -> String {
    text.split(separator: " ").map { capitalizingFirstLetter(String($0)) }.joined(separator: " ")
}

// MARK: - Dice

extension SeededGenerator {
    /// One element of a non-empty array, each equally likely.
    mutating func pick<Element>(_ items: [Element]) -> Element {
        items[nextInt(below: items.count)]
    }

    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool {
        nextInt(below: 100) < percent
    }

    /// A whole number in the closed range, each equally likely.
    mutating func number(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.count)
    }

    /// Which of `count` variants to write: `switch rng.variant(3) { case 0: … }`. Only the chosen
    /// sentence is built, which keeps generation fast.
    mutating func variant(_ count: Int) -> Int {
        nextInt(below: count)
    }

    /// `count` different elements of `items` in a random order (a partial Fisher-Yates shuffle of
    /// the indices, written out so the order does not depend on the standard library's shuffle).
    mutating func pickDistinct<Element>(_ count: Int, from items: [Element]) -> [Element] {
        precondition(count <= items.count, "pickDistinct: asked for \(count) of \(items.count) items")
        var indices = Array(items.indices)
        var result: [Element] = []
        result.reserveCapacity(count)
        for position in 0..<count {
            let chosen = position + nextInt(below: indices.count - position)
            indices.swapAt(position, chosen)
            result.append(items[indices[position]])
        }
        return result
    }
}
