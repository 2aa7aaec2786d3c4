// The corpus API's contracts: determinism, the size contract, streaming, separators, encodings,
// speed, and pins that notice any change to the generators.
//
// Content checks live beside this file: CorpusStoryTests (what the stories contain),
// CorpusDomainTests (recipes and questions), CorpusPhrasingTests (grammar helpers, word lists).

import XCTest
import Dispatch
@testable import LabCorpora

final class CorpusTests: XCTestCase {
    func testSameSeedSameTextDifferentSeedDifferentText() {
        for kind in CorpusKind.allCases {
            let first = generateCorpus(kind: kind, bytes: 30_000, seed: 1)
            XCTAssertEqual(first, generateCorpus(kind: kind, bytes: 30_000, seed: 1), "\(kind) is not deterministic")
            XCTAssertNotEqual(first, generateCorpus(kind: kind, bytes: 30_000, seed: 2), "\(kind): seeds 1 and 2 agree")
        }
    }

    func testSizeContractNeverBelowAndLessThanOneDocumentAbove() {
        for kind in CorpusKind.allCases {
            for separator in CorpusSeparator.allCases {
                for bytes in [0, 1, 999, 20_000] {
                    let text = generateCorpus(kind: kind, bytes: bytes, seed: 3, separator: separator)
                    let size = text.utf8.count
                    XCTAssertGreaterThanOrEqual(size, bytes, "\(kind), \(separator): asked for \(bytes) bytes")
                    if bytes == 0 {
                        XCTAssertEqual(text, "", "bytes: 0 must give an empty corpus")
                        continue
                    }
                    XCTAssertTrue(text.hasSuffix(separator.text), "every document is followed by the separator")
                    // Without its last document, the corpus must be shorter than the request.
                    let documents = splitDocuments(text, separator: separator)
                    let last = documents.last!.utf8.count + separator.text.utf8.count
                    XCTAssertLessThan(size - last, bytes, "\(kind), \(separator): more than one document beyond \(bytes) bytes")
                }
            }
        }
    }

    func testSmallerRequestIsPrefixOfLargerOne() {
        for kind in CorpusKind.allCases {
            let small = generateCorpus(kind: kind, bytes: 5_000, seed: 9)
            let large = generateCorpus(kind: kind, bytes: 40_000, seed: 9)
            XCTAssertTrue(large.hasPrefix(small), "\(kind): the 5 KB corpus is not the start of the 40 KB one")
        }
    }

    func testStreamingGivesTheSameTextInWholeDocumentChunks() {
        for kind in CorpusKind.allCases {
            var chunks: [String] = []
            let written = generateCorpus(kind: kind, bytes: 50_000, seed: 4, separator: .blankLine, chunkBytes: 4096) {
                chunks.append($0)
            }
            let whole = generateCorpus(kind: kind, bytes: 50_000, seed: 4, separator: .blankLine)
            XCTAssertEqual(chunks.joined(), whole, "\(kind): streamed chunks differ from the single string")
            XCTAssertEqual(written, whole.utf8.count, "the returned count is the number of bytes written")
            XCTAssertGreaterThan(chunks.count, 5, "50 KB in 4 KB chunks should arrive in several pieces")
            for (index, chunk) in chunks.enumerated() {
                XCTAssertTrue(chunk.hasSuffix("\n\n"), "chunk \(index) does not end at a document boundary")
                if index < chunks.count - 1 { XCTAssertGreaterThanOrEqual(chunk.utf8.count, 4096, "chunk \(index) is too small") }
            }
        }
    }

    func testSeparatedTextSplitsBackIntoTheDocuments() {
        for kind in CorpusKind.allCases {
            for separator in CorpusSeparator.allCases {
                let text = generateCorpus(kind: kind, bytes: 20_000, seed: 5, separator: separator)
                let documents = splitDocuments(text, separator: separator)
                let expected = Array(CorpusDocuments(kind: kind, seed: 5).prefix(documents.count))
                XCTAssertEqual(documents, expected, "\(kind), \(separator): splitting at the separator must recover the documents")
            }
        }
    }

    func testDocumentsHoldNoSeparatorAndNoStrayWhitespace() {
        for kind in CorpusKind.allCases {
            for document in CorpusDocuments(kind: kind, seed: 6).prefix(300) {
                XCTAssertFalse(document.isEmpty)
                XCTAssertFalse(document.contains("\n\n"), "\(kind): a blank line inside a document:\n\(document)")
                XCTAssertFalse(document.contains(CorpusSeparator.endOfTextMarker), "\(kind): the marker inside a document")
                XCTAssertFalse(document.contains("  "), "\(kind): a double space:\n\(document)")
                for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
                    XCTAssertEqual(line, line.trimmingSpaces()[...], "\(kind): a line starts or ends with a space: '\(line)'")
                }
            }
        }
    }

    func testStoriesAreASCIIAndRecipesAreUTF8WithSomeMultiByteCharacters() {
        let stories = generateCorpus(kind: .stories, bytes: 200_000, seed: 1)
        XCTAssertTrue(stories.utf8.allSatisfy { $0 < 128 }, "stories must be ASCII")
        let questions = generateCorpus(kind: .questions, bytes: 200_000, seed: 1)
        XCTAssertTrue(questions.utf8.allSatisfy { $0 < 128 }, "story questions must be ASCII")
        let recipes = generateCorpus(kind: .recipes, bytes: 200_000, seed: 1)
        // A Swift String is always valid UTF-8; check the bytes decode back to the same text.
        XCTAssertEqual(String(decoding: Array(recipes.utf8), as: UTF8.self), recipes)
        XCTAssertTrue(recipes.contains("°C"), "recipes should carry the degree sign")
        XCTAssertTrue(recipes.utf8.contains { $0 >= 128 }, "recipes should contain multi-byte characters")
    }

    func testFiveMegabytesOfStoriesAreQuick() {
        let start = DispatchTime.now().uptimeNanoseconds
        let written = generateCorpus(kind: .stories, bytes: 5_000_000, seed: 1) { _ in }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        XCTAssertGreaterThanOrEqual(written, 5_000_000)
        // Measured 0.3-0.5 s on a busy 2-core machine (the generator is optimized even in debug);
        // 10 s only catches an accidental slowdown by an order of magnitude or more.
        XCTAssertLessThan(seconds, 10, "5 MB of stories took \(seconds) s")
    }

    /// Pins of seed 1's output. They exist to notice accidental changes: any edit to a word list,
    /// a template or the order of random draws changes them. When you change a generator on
    /// purpose, update the pins here (print the new values from this test's failure message) and
    /// expect the lessons' golden output files to change too (they train on this text).
    func testSeedOneIsPinned() {
        var stories = StoryGenerator(seed: 1)
        let firstStory = stories.nextStory().text
        let firstLine = String(firstStory.split(separator: "\n")[0])
        XCTAssertEqual(firstLine, pinnedFirstLine, "the first paragraph of seed 1 changed (see the comment above)")
        for kind in CorpusKind.allCases {
            let hash = fnv1a64(generateCorpus(kind: kind, bytes: 65_536, seed: 1))
            XCTAssertEqual(hash, pinnedHashes[kind], "\(kind): the first 64 KB of seed 1 changed, new FNV-1a hash \(hash) (see the comment above)")
        }
    }

    private let pinnedFirstLine = "In the town of Rockybeck, there was a timid boy named Aldo. He loved to paddle a canoe. "
        + "When he grew up, he wanted to be a baker. Aldo's best friend was Lars, a tidy boy."
    private let pinnedHashes: [CorpusKind: UInt64] = [
        .stories: 8_754_427_265_195_243_757, .recipes: 12_985_565_597_371_224_622, .questions: 4_118_986_499_831_169_981,
    ]

    /// Wider pins, as the length in UTF-8 bytes and the FNV-1a hash: every kind at four seeds
    /// (0 and UInt64.max among them), with both separators, up to 1 MB, and every field of the
    /// generators' structured output (a story's names and questions, a recipe's parts, a question
    /// example's three parts), which the corpus text alone does not show. They were recorded from
    /// the generator while it was still part of the kernel (Sources/LabKernel/Data at commit
    /// b8715e3), before it moved into LabCorpora: the move changed no byte. Update them like the
    /// pins above.
    func testManySeedsAndEveryFieldArePinned() {
        for pin in pinnedCorpora {
            let text = generateCorpus(kind: pin.kind, bytes: pin.bytes, seed: pin.seed, separator: pin.separator)
            let name = "\(pin.kind), \(pin.bytes) bytes of seed \(pin.seed), \(pin.separator)"
            XCTAssertEqual(text.utf8.count, pin.length, "\(name): the length changed (see the comment above)")
            XCTAssertEqual(fnv1a64(text), pin.hash, "\(name): the text changed, new FNV-1a hash \(fnv1a64(text))")
        }
        let records = [
            (name: "300 stories of seed 1", text: storyRecords(seed: 1, count: 300), length: 550_463,
             hash: 10_543_069_320_793_561_032 as UInt64),
            (name: "300 recipes of seed 1", text: recipeRecords(seed: 1, count: 300), length: 217_061,
             hash: 1_619_807_988_631_952_372),
            (name: "300 story questions of seed 1", text: questionRecords(seed: 1, count: 300), length: 360_491,
             hash: 16_077_042_562_085_979_050),
        ]
        for record in records {
            XCTAssertEqual(record.text.utf8.count, record.length, "\(record.name): the length changed (see the comment above)")
            XCTAssertEqual(fnv1a64(record.text), record.hash, "\(record.name) changed, new FNV-1a hash \(fnv1a64(record.text))")
        }
    }

    private let pinnedCorpora: [(kind: CorpusKind, seed: UInt64, separator: CorpusSeparator, bytes: Int, length: Int, hash: UInt64)] = [
        (.stories, 0, .endOfText, 100_000, 100_384, 11_737_475_392_836_089_051),
        (.stories, 1, .endOfText, 100_000, 100_723, 8_124_751_180_196_765_448),
        (.stories, 42, .endOfText, 100_000, 100_033, 5_576_800_255_464_897_547),
        (.stories, UInt64.max, .endOfText, 100_000, 100_754, 5_972_860_059_277_065_993),
        (.stories, 3, .blankLine, 100_000, 100_049, 536_613_004_586_445_457),
        (.stories, 1, .endOfText, 1_000_000, 1_000_228, 9_650_282_937_207_794_359),
        (.recipes, 0, .endOfText, 100_000, 100_187, 3_255_709_318_666_549_501),
        (.recipes, 1, .endOfText, 100_000, 100_037, 14_593_076_148_693_611_452),
        (.recipes, 42, .endOfText, 100_000, 100_463, 1_171_941_202_779_506_825),
        (.recipes, UInt64.max, .endOfText, 100_000, 100_282, 3_660_860_161_723_549_453),
        (.recipes, 3, .blankLine, 100_000, 100_632, 13_432_219_021_169_787_619),
        (.recipes, 1, .endOfText, 1_000_000, 1_000_680, 4_180_480_080_027_942_923),
        (.questions, 0, .endOfText, 100_000, 100_109, 12_616_803_514_835_715_461),
        (.questions, 1, .endOfText, 100_000, 100_328, 17_212_038_286_182_201_901),
        (.questions, 42, .endOfText, 100_000, 100_798, 9_534_616_790_120_481_638),
        (.questions, UInt64.max, .endOfText, 100_000, 101_164, 8_302_318_527_148_069_891),
        (.questions, 3, .blankLine, 100_000, 101_286, 10_322_143_475_896_871_991),
        (.questions, 1, .endOfText, 1_000_000, 1_000_392, 17_609_173_168_416_843_459),
    ]
}

// MARK: - The generators' fields as text, for the pins

// Each field is followed by U+001F (unit separator) and each record by U+001E (record separator),
// so that moving text from one field to the next changes the hash.
private let endOfField = "\u{1F}"
private let endOfRecord = "\u{1E}"

/// Each story's text, its characters' names, then its questions and answers.
private func storyRecords(seed: UInt64, count: Int) -> String {
    var generator = StoryGenerator(seed: seed)
    var text = ""
    for _ in 0..<count {
        let story = generator.nextStory()
        for field in [story.text] + story.characterNames { text += field; text += endOfField }
        for fact in story.questions {
            text += fact.question; text += endOfField
            text += fact.answer; text += endOfField
        }
        text += endOfRecord
    }
    return text
}

/// Each recipe's title, servings, minutes, ingredients (amount, name), steps and tip.
private func recipeRecords(seed: UInt64, count: Int) -> String {
    var generator = RecipeGenerator(seed: seed)
    var text = ""
    for _ in 0..<count {
        let recipe = generator.nextRecipe()
        var fields = [recipe.title, String(recipe.servings), String(recipe.minutes)]
        for ingredient in recipe.ingredients { fields += [ingredient.amount, ingredient.name] }
        fields += recipe.steps
        fields.append(recipe.tip.map { "tip: " + $0 } ?? "no tip")
        for field in fields { text += field; text += endOfField }
        text += endOfRecord
    }
    return text
}

/// Each example's story, question and answer.
private func questionRecords(seed: UInt64, count: Int) -> String {
    var generator = StoryQuestionGenerator(seed: seed)
    var text = ""
    for _ in 0..<count {
        let example = generator.nextExample()
        for field in [example.story, example.question, example.answer] { text += field; text += endOfField }
        text += endOfRecord
    }
    return text
}

// MARK: - Helpers shared by the corpus tests

/// The documents of a corpus: the text between separators (each document is followed by one).
func splitDocuments(_ text: String, separator: CorpusSeparator) -> [String] {
    var pieces = text.split(separator: separator.text, omittingEmptySubsequences: false).map(String.init)
    if pieces.last == "" { pieces.removeLast() }
    return pieces
}

/// The 64-bit FNV-1a hash of the text's UTF-8 bytes: a simple, fixed checksum for pins.
func fnv1a64(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
}

/// The words of a text: maximal runs of letters, lower-cased ("Let's" gives "let" and "s").
func lowercaseWords(_ text: String) -> [String] {
    letterRuns(text).map { $0.lowercased() }
}

/// Maximal runs of ASCII letters, in their original case.
func letterRuns(_ text: String) -> [Substring] {
    text.split(whereSeparator: { !($0.isASCII && $0.isLetter) })
}
