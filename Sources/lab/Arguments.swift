// A tiny command-line option reader shared by every `lab` command.
//
// Scope: flags (`--json`), options with a value (`--sizes 256,512` or `--sizes=256,512`), and
// positional words, with an error naming whatever is left unrecognized. Deliberately small: no
// short-flag bundling, no generated help (each command writes its own usage text).

import Foundation

/// The arguments of one command, consumed piece by piece.
struct Arguments {
    private var remaining: [String]
    private let command: String

    init(_ arguments: [String], command: String) {
        self.remaining = arguments
        self.command = command
    }

    /// Removes `name` (and any alias) if present; true when it was given.
    mutating func flag(_ names: String...) -> Bool {
        guard let index = remaining.firstIndex(where: { names.contains($0) }) else { return false }
        remaining.remove(at: index)
        return true
    }

    /// Removes `name value` or `name=value` and returns the value, or nil when absent.
    mutating func value(_ name: String) throws -> String? {
        if let index = remaining.firstIndex(where: { $0.hasPrefix(name + "=") }) {
            let value = String(remaining[index].dropFirst(name.count + 1))
            remaining.remove(at: index)
            return value
        }
        guard let index = remaining.firstIndex(of: name) else { return nil }
        guard index + 1 < remaining.count, !remaining[index + 1].hasPrefix("--") else {
            throw UsageError(message: "option \(name) needs a value", command: command)
        }
        let value = remaining[index + 1]
        remaining.removeSubrange(index...(index + 1))
        return value
    }

    /// Removes and returns the first word that is not an option, if any.
    mutating func positional() -> String? {
        guard let index = remaining.firstIndex(where: { !$0.hasPrefix("-") }) else { return nil }
        return remaining.remove(at: index)
    }

    /// Throws for the first argument nobody consumed.
    func finish() throws {
        guard let first = remaining.first else { return }
        let kind = first.hasPrefix("-") ? "option" : "argument"
        throw UsageError(message: "unknown \(kind) '\(first)'", command: command)
    }
}

/// Parses a comma-separated list of positive integers such as `256,512`.
func parsePositiveIntegers(_ text: String, option: String, command: String) throws -> [Int] {
    let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
        throw UsageError(message: "\(option) expects positive integers separated by commas, got '\(text)'",
                         command: command)
    }
    return values.map { $0! }
}

/// Parses an option's `1,2,3` into token ids, each a whole number from 0.
/// - Throws: `UsageError` naming `option` and the part that is not an id.
func parseTokenIDs(_ text: String, option: String, command: String) throws -> [Int] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    return try parts.map { part in
        guard let id = Int(part), id >= 0 else {
            throw UsageError(message: "\(option) expects token ids (whole numbers from 0) separated by commas, "
                + "e.g. \(option) 15496,11,995; '\(part)' in '\(text)' is not one", command: command)
        }
        return id
    }
}
