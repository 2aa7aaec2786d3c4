// TokenizerError: everything that can go wrong when building, loading or using a tokenizer.
//
// Tokenizers are loaded from files a user points at, and fed text a user typed, so bad input is
// an error to report, never a crash. Every message names what was read (the file and the field,
// or the position in the input) and what was expected instead, so it can be fixed without a
// debugger. Programming mistakes inside the kit still trap through preconditions.

/// A tokenizer could not be built, loaded, saved or used; the description says why.
///
///     do { _ = try BPETokenizer.load(vocabulary: url, merges: mergesURL) }
///     catch { print(error) }   // "merges.txt line 12: token "Ġxyz" is not in vocab.json"
public struct TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
