// Tokenizer files for the `lab` tools: finding and loading a tokenizer from a path a user typed,
// and reading a text file that must be UTF-8.
//
// Scope: what `lab tokenize`, `lab train-tokenizer` and `lab bench tokenizer` share. A tokenizer
// path is a Hugging Face `tokenizer.json`, or a folder holding one, or a folder holding GPT-2's
// `vocab.json` + `merges.txt`; files with other names are given as `--vocab FILE --merges FILE`.
// The parsing itself is the kernel's (Formats/TokenizerJSON.swift, Formats/GPT2VocabularyFiles.swift);
// this file only decides which loader to call and words the errors for a command line. Every
// problem is a thrown `TokenizerError` that names the path and what was expected there.
// Left out: downloading from the Hugging Face Hub (point the tools at a downloaded folder).

import Foundation
import LabCorpora
import LabKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum TokenizerFiles {
    /// What a tokenizer path may be, for usage texts and error messages.
    static let pathDescription = "a tokenizer.json file, or a folder holding tokenizer.json or vocab.json + merges.txt"

    /// Loads the tokenizer at `path` (see the file header).
    static func load(path: String) throws -> BPETokenizer {
        let url = URL(fileURLWithPath: path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw TokenizerError("no tokenizer at \(path): no such file or folder (expected \(pathDescription))")
        }
        if !isFolder.boolValue {
            if url.lastPathComponent.hasSuffix("vocab.json") {
                throw TokenizerError("\(path) looks like GPT-2's vocab.json, which needs its merges.txt: give the folder "
                    + "holding both, or --vocab \(path) --merges MERGES_FILE")
            }
            return try BPETokenizer.load(tokenizerJSON: url)
        }
        let tokenizerJSON = url.appendingPathComponent("tokenizer.json")
        if FileManager.default.fileExists(atPath: tokenizerJSON.path) {
            return try BPETokenizer.load(tokenizerJSON: tokenizerJSON)
        }
        let vocabulary = url.appendingPathComponent("vocab.json"), merges = url.appendingPathComponent("merges.txt")
        let hasVocabulary = FileManager.default.fileExists(atPath: vocabulary.path)
        let hasMerges = FileManager.default.fileExists(atPath: merges.path)
        guard hasVocabulary && hasMerges else {
            let found = hasVocabulary ? "vocab.json but no merges.txt (and no tokenizer.json)"
                : hasMerges ? "merges.txt but no vocab.json (and no tokenizer.json)"
                : "neither tokenizer.json nor vocab.json + merges.txt"
            throw TokenizerError("the folder \(path) holds \(found); expected \(pathDescription)")
        }
        return try loadGPT2(vocabulary: vocabulary.path, merges: merges.path)
    }

    /// Loads GPT-2-style files. `<|endoftext|>` is a special token when the vocabulary has it
    /// (GPT-2's does); a vocabulary without it is loaded without special tokens.
    static func loadGPT2(vocabulary: String, merges: String) throws -> BPETokenizer {
        let vocabularyURL = URL(fileURLWithPath: vocabulary), mergesURL = URL(fileURLWithPath: merges)
        do {
            return try BPETokenizer.loadGPT2(vocabulary: vocabularyURL, merges: mergesURL,
                                             specialTokens: [CorpusSeparator.endOfTextMarker])
        } catch {
            // Whatever went wrong, loading without the special token either succeeds (it was only
            // missing) or fails again with the file's real problem, which is the one to report.
            return try BPETokenizer.loadGPT2(vocabulary: vocabularyURL, merges: mergesURL, specialTokens: [])
        }
    }

    /// The tokenizer named by the options of a command: `--tokenizer PATH`, or `--vocab FILE`
    /// with `--merges FILE`; nil when none was given. Throws `UsageError` for half a pair or both forms.
    static func load(path: String?, vocabulary: String?, merges: String?, command: String) throws -> BPETokenizer? {
        switch (path, vocabulary, merges) {
        case (nil, nil, nil):
            return nil
        case (let path?, nil, nil):
            return try load(path: path)
        case (nil, let vocabulary?, let merges?):
            return try loadGPT2(vocabulary: vocabulary, merges: merges)
        case (nil, _, _):
            throw UsageError(message: "--vocab and --merges go together (GPT-2's vocab.json and merges.txt)", command: command)
        default:
            throw UsageError(message: "give either --tokenizer PATH or --vocab FILE --merges FILE, not both", command: command)
        }
    }

    // MARK: - Text files

    /// The contents of a text file, which must be UTF-8 (at most `maximumTextFileBytes`).
    /// - Throws: `TokenizerError` naming the path when it is not a regular file (a folder, a FIFO,
    ///   a device) or cannot be read, and the byte offset of the first invalid UTF-8 sequence.
    static func readText(path: String) throws -> String {
        do {
            return try readUTF8File(URL(fileURLWithPath: path), maximumBytes: maximumTextFileBytes)
        } catch {
            throw TokenizerError("\(error)")
        }
    }

    /// The bytes of a regular file (at most `maximumTextFileBytes`), or a `TokenizerError` naming it.
    static func readBytes(path: String) throws -> Data {
        do {
            return try readRegularFile(URL(fileURLWithPath: path), maximumBytes: maximumTextFileBytes)
        } catch {
            throw TokenizerError("\(error)")
        }
    }

    /// Throws a `TokenizerError` naming `path` unless it is a regular file the kit may read whole
    /// (not a folder, FIFO or device): a check to make before long work that will need the file.
    static func checkFileExists(path: String) throws {
        do {
            let (descriptor, _) = try openRegularFile(URL(fileURLWithPath: path), maximumBytes: maximumTextFileBytes)
            close(descriptor)
        } catch {
            throw TokenizerError("\(error)")
        }
    }

    /// `data` as a string, or a `TokenizerError` naming `source` and the byte offset of the first
    /// invalid UTF-8 sequence (decoding would silently turn it into U+FFFD "�").
    static func text(ofUTF8 data: Data, source: String) throws -> String {
        do { return try utf8Text(data, source: source) } catch { throw TokenizerError("\(error)") }
    }
}
