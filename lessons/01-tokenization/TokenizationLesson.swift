// Lesson 01, tokenization: the order of the cells, the sizes, the corpus and the closing summary.
//
// Each cell is a method in the file named after its topic: TextAsBytes.swift (two cells),
// BPETraining.swift (two cells, with the lesson's trainer and encoder in NaiveBPE.swift),
// EncodingDecoding.swift, PreTokenization.swift, SpecialTokens.swift, TokenBoundaries.swift,
// Compression.swift, Languages.swift and GPT2Vocabulary.swift; TokenDisplay.swift shows tokens.
// The text is LabCorpora's generated stories, the same on every machine, so the lesson prints
// identical text on every run apart from measured times (masked by `--mask-timings`).

import Foundation
import LabCorpora
import LabKernel
import LabNotebook

/// GPT-2's special token between documents, also the separator of the kit's corpus.
let endOfText = "<|endoftext|>"

/// Stories from the kit's corpus generator, as one text and cut apart.
struct Corpus {
    /// The stories, each followed by "\n<|endoftext|>\n".
    let text: String
    /// The stories alone.
    let documents: [String]
    /// The text cut at every "<|endoftext|>": what training sees between special tokens.
    let segments: [String]

    /// At least `bytes` bytes of stories generated from `seed`.
    init(bytes: Int, seed: UInt64) {
        self.init(text: generateCorpus(kind: .stories, bytes: bytes, seed: seed))
    }

    init(text: String) {
        self.text = text
        segments = text.components(separatedBy: endOfText)
        documents = segments.map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }
    }

    /// The first stories, at least `bytes` bytes of them with their separators.
    func prefix(bytes: Int) -> Corpus {
        var text = ""
        for segment in segments.dropLast() where text.utf8.count < bytes { text += segment + endOfText }
        return Corpus(text: text + "\n")
    }

    /// The stories separated by blank lines, without special tokens.
    var plainText: String { documents.joined(separator: "\n\n") }

    /// The first paragraphs of the first story, at least 400 bytes of them (or the whole story).
    var opening: String {
        var text = ""
        for paragraph in documents[0].split(separator: "\n") where text.utf8.count < 400 {
            text += (text.isEmpty ? "" : "\n") + paragraph
        }
        return text
    }
}

struct TokenizationLesson {
    let notebook: Notebook
    /// GPT-2's tokenizer, when the lesson was started with `--gpt2 DIR`.
    let gpt2: BPETokenizer?

    /// The lesson's one option of its own.
    static let gpt2Option = LessonOption("--gpt2", valueName: "DIR",
                                         summary: "also show GPT-2's tokenization (DIR holds its vocab.json and merges.txt)")

    /// How much text and how many tokens each part uses; `--quick` keeps the lesson to seconds.
    struct Sizes {
        /// The naive and the kernel's trainer race on this much text, for this vocabulary.
        var comparisonBytes: Int
        var comparisonVocabulary: Int
        /// The lesson's tokenizer is trained on this much text, for this vocabulary.
        var trainingBytes: Int
        var vocabularySize: Int
        /// Unseen stories for measuring it.
        var heldOutBytes: Int
        /// The vocabularies compared in the compression cell (the largest is `vocabularySize`).
        var compressionVocabularies: [Int]
    }

    var sizes: Sizes {
        notebook.quick
            ? Sizes(comparisonBytes: 12_000, comparisonVocabulary: 300, trainingBytes: 200_000, vocabularySize: 1024,
                    heldOutBytes: 8_000, compressionVocabularies: [257, 300, 512, 1024])
            : Sizes(comparisonBytes: 300_000, comparisonVocabulary: 1024, trainingBytes: 2_000_000, vocabularySize: 4096,
                    heldOutBytes: 50_000, compressionVocabularies: [257, 300, 512, 1024, 2048, 4096])
    }

    /// The stories the lesson's tokenizer is trained on.
    var corpusForTraining: Corpus { Corpus(bytes: sizes.trainingBytes, seed: 1) }

    func run() {
        notebook.header(lesson: 1, title: "Tokenization",
                        summary: "From text to the numbers a model reads: Unicode scalars and UTF-8 bytes, byte-pair encoding trained from scratch, encoding and decoding, special tokens, and what a tokenizer costs in different languages.")
        let corpus = corpusForTraining
        let heldOut = Corpus(bytes: sizes.heldOutBytes, seed: 2)
        notebook.cell("Characters, Unicode scalars and bytes") { charactersScalarsAndBytes() }
        notebook.cell("Why a model reads bytes") { whyBytes(corpus) }
        notebook.cell("Byte-pair encoding by hand") { bytePairEncodingByHand() }
        notebook.cell("Training on the stories") { trainingOnTheStories(corpus) }
        let tokenizer = try! BPETokenizer.train(text: corpus.text, vocabularySize: sizes.vocabularySize, specialTokens: [endOfText])
        notebook.cell("Encoding and decoding") { encodingAndDecoding(tokenizer, heldOut: heldOut) }
        notebook.cell("The pre-tokenizer is a regular expression") { preTokenizer(corpus) }
        notebook.cell("Special tokens") { specialTokens(tokenizer) }
        notebook.cell("Seeing the tokens") { seeingTheTokens(tokenizer, heldOut: heldOut) }
        notebook.cell("Compression and vocabulary size") { compression(tokenizer, heldOut: heldOut) }
        notebook.cell("Not every language costs the same") { languages(tokenizer) }
        notebook.cell("A real vocabulary: GPT-2's files") { realVocabulary(tokenizer, heldOut: heldOut) }

        notebook.summary([
            "Text is Unicode scalars, stored as 1 to 4 UTF-8 bytes each; Swift's characters are a reader's view on top.",
            "Byte-level BPE starts from the 256 bytes, so it can encode any text, and learns merges of frequent pairs: the lesson's naive trainer and the kernel's fast one learn identical merges.",
            "Encoding replays the merges in the order they were learned; decoding concatenates bytes, which may end inside a character.",
            "A regular expression cuts text into pieces first; the kernel's scanner makes the same cuts much faster.",
            "Special tokens such as <|endoftext|> are matched before anything else and never merged.",
            "A larger vocabulary compresses better with diminishing returns, and a tokenizer charges languages unequally.",
        ], next: [
            "Exercises: `exercises/01-tokenization/` (UTF8Bytes, PairCounts, MergePair, TrainBPE, EncodeWithMerges, DecodeTokens). Check them with `LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter ExerciseTests`.",
            "Lesson 02: `swift run language-models`, predicting the next token.",
        ])
    }
}
