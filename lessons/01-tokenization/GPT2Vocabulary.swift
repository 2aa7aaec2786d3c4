// Cell: a real vocabulary. GPT-2's file format (vocab.json + merges.txt) shown with the lesson's
// own tokenizer saved in it, and GPT-2's tokenizer itself when the lesson is started with
// `--gpt2 DIR` (a folder holding the two files from the Hugging Face Hub).
//
// Reading and writing the files is the kernel's (Sources/LabKernel/Formats/GPT2VocabularyFiles.swift).

import Foundation
import LabKernel
import LabNotebook

/// Commands that download GPT-2's tokenizer files into the current folder.
let gpt2DownloadCommands = [
    "curl -LO https://huggingface.co/openai-community/gpt2/resolve/main/vocab.json",
    "curl -LO https://huggingface.co/openai-community/gpt2/resolve/main/merges.txt",
]

/// Where to get GPT-2's tokenizer files, for error messages.
let gpt2DownloadHint = "Download vocab.json and merges.txt of the openai-community/gpt2 repository on the Hugging Face Hub "
    + "(https://huggingface.co/openai-community/gpt2), for example with\n" + gpt2DownloadCommands.map { "  " + $0 }.joined(separator: "\n")

/// Loads GPT-2's tokenizer from a folder holding `vocab.json` and `merges.txt`.
///
/// - Throws: `TokenizerError` naming the folder and every missing file (with where to get
///   them), or the file and line of anything wrong inside them.
func loadGPT2Tokenizer(folder path: String) throws -> BPETokenizer {
    let folder = URL(fileURLWithPath: path, isDirectory: true)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw TokenizerError("--gpt2 \(path): no such folder. It should hold GPT-2's vocab.json and merges.txt.\n" + gpt2DownloadHint)
    }
    let files = ["vocab.json", "merges.txt"].map { folder.appendingPathComponent($0) }
    let missing = files.filter { !FileManager.default.fileExists(atPath: $0.path) }.map(\.lastPathComponent)
    guard missing.isEmpty else {
        throw TokenizerError("--gpt2 \(path): \(missing.joined(separator: " and ")) not found in that folder.\n" + gpt2DownloadHint)
    }
    return try BPETokenizer.loadGPT2(vocabulary: files[0], merges: files[1])
}

extension TokenizationLesson {
    func realVocabulary(_ tokenizer: BPETokenizer, heldOut: Corpus) {
        notebook.prose("""
            A trained tokenizer is just its tables, and GPT-2 published its in two files that \
            many later models copied: vocab.json, a JSON object from each token to its id, and \
            merges.txt, the merges in the order learned, one per line. Both write tokens as text, \
            and a token can be any bytes, so GPT-2 maps every byte to a visible character: the \
            printable ones stand for themselves, and the others (space, line break, control bytes) \
            get stand-ins from U+0100 on. A space becomes "Ġ" and a line break "Ċ", which is why \
            " the" appears as "Ġthe" in every GPT-2-style vocabulary. Our tokenizer, saved in this \
            format by the kernel's `saveGPT2`:
            """)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("openmodellab-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabularyURL = folder.appendingPathComponent("vocab.json"), mergesURL = folder.appendingPathComponent("merges.txt")
        var reloaded: BPETokenizer?
        var shown: [String] = []
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try tokenizer.saveGPT2(vocabulary: vocabularyURL, merges: mergesURL)
            let merges = try String(contentsOf: mergesURL, encoding: .utf8).split(separator: "\n")
            let vocabulary = try String(contentsOf: vocabularyURL, encoding: .utf8).split(separator: "\n")
            // The first merges; vocab.json's opening brace, a few bytes (id 32 is the space,
            // on line 34), the first merged tokens, and the end with the special token.
            let indented = { (lines: ArraySlice<Substring>) -> [String] in lines.map { "  " + $0 } }
            shown = ["merges.txt"] + indented(merges.prefix(6)) + ["  …", "", "vocab.json"]
            shown += indented(vocabulary.prefix(1)) + ["  …"] + indented(vocabulary[33...35]) + ["  …"]
            shown += indented(vocabulary[257...260]) + ["  …"] + indented(vocabulary.suffix(2))
            reloaded = try BPETokenizer.loadGPT2(vocabulary: vocabularyURL, merges: mergesURL)
        } catch {
            notebook.check(false, "saving and loading the GPT-2 files failed: \(error)")
            return
        }
        notebook.output(shown.joined(separator: "\n"))
        notebook.check(reloaded?.encode(heldOut.text) == tokenizer.encode(heldOut.text),
                       "loaded back with `BPETokenizer.loadGPT2`, it encodes the unseen stories to the same ids")

        guard let gpt2 else {
            notebook.prose("""
                GPT-2's own files have exactly this form, with 50,000 merges and 50,257 tokens. To \
                see GPT-2's real tokenization in this lesson (the boundaries of a story, and a \
                GPT-2 column in the languages table), download its two files into a folder and \
                run the lesson with `--gpt2`:
                """)
            notebook.code((["mkdir gpt2 && cd gpt2"] + gpt2DownloadCommands + ["cd .. && swift run tokenization --gpt2 gpt2"])
                .joined(separator: "\n"))
            return
        }
        let hello = gpt2.encode("Hello world")
        notebook.prose("""
            GPT-2's own files, from the folder given with --gpt2: \(grouped(gpt2.vocabularySize)) tokens, \
            \(grouped(gpt2.merges.count)) merges, and one special token, "<|endoftext|>" = \
            \(gpt2.specialTokens[endOfText].map(String.init) ?? "missing"). Its first merges and a \
            well-known encoding (OpenAI's tiktoken gives [15496, 995] for "Hello world"):
            """)
        let printable = gpt2.printableMerges()
        notebook.values([("first merges", printable.prefix(8).map { "\($0.0) \($0.1)" }.joined(separator: ", ")),
                         ("encode(\"Hello world\")", hello.map(String.init).joined(separator: ", "))])
        notebook.check(hello == [15496, 995], "GPT-2's ids for \"Hello world\" are [15496, 995], as in tiktoken")
        let story = heldOut.opening
        let ids = gpt2.encode(story)
        notebook.prose("""
            The beginning of the unseen story again, now in GPT-2's tokens: \(grouped(ids.count)) of them, against \
            \(grouped(tokenizer.encode(story).count)) with our \(grouped(tokenizer.vocabularySize))-token vocabulary:
            """)
        notebook.output(tokenBoundaries(ids, tokenizer: gpt2, width: notebook.width - 2 * notebook.indent,
                                        style: notebook.style).joined(separator: "\n"))
        let longest = longestTokens(gpt2, count: 5)
        notebook.prose("""
            A vocabulary is a mirror of its training data. GPT-2's was trained on web pages linked \
            from Reddit, and its longest tokens show it (ids and lengths in bytes):
            """)
        notebook.values(longest.map { id in
            let shown = visibleToken(gpt2.tokens[id])
            return ("id \(id), \(gpt2.tokens[id].count) bytes", shown.count > 50 ? shown.prefix(50) + "…" : shown)
        })
        notebook.prose("""
            Lines of "=" and "-" were common on web pages, and so was "ÃÂ" repeated: the bytes \
            of text that was decoded with the wrong character set and encoded again, many times \
            over. Frequent enough, such garbage earns a token and a row in the embedding table \
            like any word. Tokens that were frequent in the tokenizer's data but rare in the \
            model's (a famous one is "␣SolidGoldMagikarp", a Reddit user name, id \
            \(gpt2.id(for: " SolidGoldMagikarp").map(String.init) ?? "missing")) were barely trained, and made models \
            that share this vocabulary, GPT-3 among them, behave strangely when they appeared.
            """)
    }
}
