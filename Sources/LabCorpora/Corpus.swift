// Corpus: the kit's text corpora as one string or as a stream, any size, from a seed.
//
// No lesson needs a download: `generateCorpus(kind: .stories, bytes: 5_000_000, seed: 1)` makes
// five megabytes of stories, the same bytes on every machine. Three kinds exist:
//
//   stories    short children's stories (Stories.swift), the pretraining corpus
//   recipes    recipes in a fixed layout (Recipes.swift), a different domain for fine-tuning
//   questions  a story, a question and its answer (StoryQuestions.swift), an instruction format
//
// A corpus is a sequence of documents, each followed by the separator: a blank line, or a line
// holding `<|endoftext|>` (the special token of GPT-2's tokenizer, which the tokenizer lesson
// treats as one token). Documents never contain a blank line or that marker themselves.
//
// Size contract: generation stops after the first document that brings the total to at least
// `bytes` UTF-8 bytes, so the result is never shorter than asked and longer by less than one
// document and its separator (stories are about 1–2 KB). A smaller request gives a prefix of
// a larger one with the same seed. `bytes: 0` gives an empty corpus.
//
// This module, LabCorpora, is the kit's data, kept apart from LabKernel (the algorithms a student
// reads); it needs nothing from the kernel but `SeededGenerator`.
// Left out: reading a user's own text (the lessons and `lab` take a file path for that).

/// The kinds of text the kit can generate.
public enum CorpusKind: String, CaseIterable, Sendable {
    case stories, recipes, questions

    /// One line for help texts.
    public var summary: String {
        switch self {
        case .stories: return "short children's stories with dialogue and numbers (the pretraining corpus)"
        case .recipes: return "recipes: title, ingredients with amounts, numbered steps (a second domain)"
        case .questions: return "a story, then \"### Question: …\" and \"### Answer: …\" (an instruction format)"
        }
    }
}

/// What follows each document of a corpus.
public enum CorpusSeparator: String, CaseIterable, Sendable {
    /// An empty line: documents are separated by "\n\n".
    case blankLine = "blank-line"
    /// A line holding `<|endoftext|>`: "\n<|endoftext|>\n".
    case endOfText = "endoftext"

    /// The text written after each document.
    public var text: String {
        switch self {
        case .blankLine: return "\n\n"
        case .endOfText: return "\n\(CorpusSeparator.endOfTextMarker)\n"
        }
    }

    /// The marker GPT-2's tokenizer uses between documents.
    public static let endOfTextMarker = "<|endoftext|>"
}

/// An endless, deterministic stream of documents of one kind (without separators).
///
///     var documents = CorpusDocuments(kind: .recipes, seed: 1)
///     let first = documents.next()!   // "Recipe: …"
public struct CorpusDocuments: Sequence, IteratorProtocol, Sendable {
    private enum Source: Sendable {
        case stories(StoryGenerator)
        case recipes(RecipeGenerator)
        case questions(StoryQuestionGenerator)
    }
    private var source: Source

    public init(kind: CorpusKind, seed: UInt64) {
        switch kind {
        case .stories: source = .stories(StoryGenerator(seed: seed))
        case .recipes: source = .recipes(RecipeGenerator(seed: seed))
        case .questions: source = .questions(StoryQuestionGenerator(seed: seed))
        }
    }

    /// The next document; never nil (the stream does not end).
    public mutating func next() -> String? {
        switch source {
        case .stories(var generator):
            let text = generator.nextStory().text
            source = .stories(generator)
            return text
        case .recipes(var generator):
            let text = generator.nextRecipe().text
            source = .recipes(generator)
            return text
        case .questions(var generator):
            let text = generator.nextExample().text
            source = .questions(generator)
            return text
        }
    }
}

/// Generates a corpus of at least `bytes` UTF-8 bytes (see the size contract above) and
/// hands it to `write` in chunks of about `chunkBytes`, so a 100 MB corpus never needs to be
/// in memory at once. Returns the number of bytes written.
///
///     var file = ""
///     generateCorpus(kind: .stories, bytes: 10_000, seed: 1) { chunk in file += chunk }
///
/// - Parameters:
///   - kind: which text to generate
///   - bytes: the smallest size of the result, in UTF-8 bytes, >= 0
///   - seed: the same seed always gives the same text
///   - separator: what follows each document
///   - chunkBytes: roughly how much text to collect before calling `write`, > 0
///   - write: receives consecutive pieces of the corpus; whole documents with their separators
@discardableResult
public func generateCorpus(kind: CorpusKind, bytes: Int, seed: UInt64, separator: CorpusSeparator = .endOfText,
                           chunkBytes: Int = 1 << 16, write: (String) throws -> Void) rethrows -> Int {
    precondition(bytes >= 0, "generateCorpus: bytes must be >= 0, got \(bytes)")
    precondition(chunkBytes > 0, "generateCorpus: chunkBytes must be > 0, got \(chunkBytes)")
    var documents = CorpusDocuments(kind: kind, seed: seed)
    let separatorText = separator.text
    var written = 0
    var chunk = ""
    chunk.reserveCapacity(min(chunkBytes, bytes) + 4096)
    while written < bytes, let document = documents.next() {
        chunk += document
        chunk += separatorText
        written += document.utf8.count + separatorText.utf8.count
        if chunk.utf8.count >= chunkBytes {
            try write(chunk)
            chunk.removeAll(keepingCapacity: true)
        }
    }
    if !chunk.isEmpty { try write(chunk) }
    return written
}

/// A corpus of at least `bytes` UTF-8 bytes as one string (see the size contract above).
///
///     let text = generateCorpus(kind: .stories, bytes: 1_000_000, seed: 1)
public func generateCorpus(kind: CorpusKind, bytes: Int, seed: UInt64, separator: CorpusSeparator = .endOfText) -> String {
    var text = ""
    text.reserveCapacity(bytes + 4096)
    generateCorpus(kind: kind, bytes: bytes, seed: seed, separator: separator) { text += $0 }
    return text
}
