// SwiftHighlighting: plain syntax highlighting of a Swift listing for the HTML export.
//
// A small scanner, done once at export time, marks four kinds of token with a CSS class:
// keywords (`kw`), string literals (`str`, including multi-line `"""` and raw `#"…"#` strings,
// with their interpolations left in the string's color), comments (`com`, line and block) and
// number literals (`num`). Everything else is escaped text. It does not parse Swift: an
// identifier that is a keyword only in some positions (`get`, `set`) is not highlighted.

/// `code` as HTML with `<span class="kw|str|com|num">` around its tokens.
public func highlightSwift(_ code: String) -> String {
    let characters = Array(code)
    var html = ""
    var index = 0
    func span(_ kind: String, _ range: Range<Int>) {
        html += "<span class=\"\(kind)\">" + escapeMarkup(String(characters[range])) + "</span>"
    }
    func starts(_ text: String, at position: Int) -> Bool {
        var index = position
        for character in text {
            guard index < characters.count, characters[index] == character else { return false }
            index += 1
        }
        return true
    }
    while index < characters.count {
        let character = characters[index]
        let start = index
        if starts("//", at: index) {
            while index < characters.count && characters[index] != "\n" { index += 1 }
            span("com", start..<index)
        } else if starts("/*", at: index) {
            index += 2
            while index < characters.count && !starts("*/", at: index) { index += 1 }
            index = min(index + 2, characters.count)
            span("com", start..<index)
        } else if character == "\"" || (character == "#" && starts("#\"", at: index)) {
            index = endOfString(characters, from: index)
            span("str", start..<index)
        } else if character.isNumber && (start == 0 || !isIdentifierCharacter(characters[start - 1])) {
            while index < characters.count && (isIdentifierCharacter(characters[index])
                    || (characters[index] == "." && index + 1 < characters.count && characters[index + 1].isNumber)) {
                index += 1
            }
            span("num", start..<index)
        } else if isIdentifierCharacter(character) {
            while index < characters.count && isIdentifierCharacter(characters[index]) { index += 1 }
            let word = String(characters[start..<index])
            if swiftKeywords.contains(word) && (start == 0 || characters[start - 1] != ".") {
                span("kw", start..<index)
            } else {
                html += escapeMarkup(word)
            }
        } else {
            html += escapeMarkup(String(character))
            index += 1
        }
    }
    return html
}

/// The index just past the string literal starting at `start` (`"…"`, `"""…"""`, `#"…"#`).
private func endOfString(_ characters: [Character], from start: Int) -> Int {
    var index = start
    var hashes = 0
    while index < characters.count && characters[index] == "#" { hashes += 1; index += 1 }
    let quotes = index + 2 < characters.count && characters[index + 1] == "\"" && characters[index + 2] == "\"" ? 3 : 1
    index += quotes
    let closing = Array(String(repeating: "\"", count: quotes) + String(repeating: "#", count: hashes))
    while index < characters.count {
        if characters[index] == "\\" && hashes == 0 { index += 2; continue }
        if quotes == 1 && characters[index] == "\n" { return index }  // unterminated: stop at the line end
        if index + closing.count <= characters.count && Array(characters[index..<index + closing.count]) == closing {
            return index + closing.count
        }
        index += 1
    }
    return characters.count
}

private func isIdentifierCharacter(_ character: Character) -> Bool {
    character == "_" || character.isLetter || character.isNumber
}

/// Swift's keywords that a listing in this course uses or could.
private let swiftKeywords: Set<String> = [
    "associatedtype", "as", "break", "case", "catch", "class", "continue", "default", "defer", "do", "else", "enum",
    "extension", "fallthrough", "false", "fileprivate", "for", "func", "guard", "if", "import", "in", "init", "inout",
    "internal", "is", "let", "mutating", "nil", "private", "protocol", "public", "repeat", "rethrows", "return",
    "self", "Self", "static", "struct", "subscript", "super", "switch", "throw", "throws", "true", "try", "typealias",
    "var", "where", "while", "async", "await", "some", "any", "final", "override", "lazy", "weak", "nonisolated",
]
