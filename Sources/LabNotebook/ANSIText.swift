// ANSIText: text with terminal colors, made plain or turned into HTML.
//
// Style.swift paints text with SGR escape sequences (`ESC [ … m`) only. The notebook records text
// without them (`strippingANSI`), except output a lesson painted itself; the HTML renderer shows
// that output's 24-bit colors, bold and dim as inline `<span style>`s (`ansiToHTML`). Other
// escape sequences are removed; nothing else about the terminal is imitated.

/// `text` without its ANSI escape sequences.
public func strippingANSI(_ text: String) -> String {
    guard text.contains("\u{1B}") else { return text }
    return ansiRuns(text).map(\.text).joined()
}

/// `text` escaped for HTML, its SGR colors as `<span style="…">` runs.
public func ansiToHTML(_ text: String) -> String {
    ansiRuns(text).map { run in
        let escaped = escapeMarkup(run.text)
        guard !run.css.isEmpty else { return escaped }
        return "<span style=\"\(run.css)\">\(escaped)</span>"
    }.joined()
}

/// A piece of text in one look.
private struct ANSIRun {
    var text: String
    var css: String
}

/// Splits `text` at its escape sequences into runs of text with the CSS of their SGR state.
private func ansiRuns(_ text: String) -> [ANSIRun] {
    var runs: [ANSIRun] = []
    var current = ""
    var state = SGRState()
    var scalars = text.unicodeScalars.makeIterator()
    while let scalar = scalars.next() {
        guard scalar == "\u{1B}" else { current.unicodeScalars.append(scalar); continue }
        // ESC [ parameters final-byte; a lone ESC or another kind of sequence is dropped.
        guard scalars.next() == "[" else { continue }
        var parameters = ""
        var final: Unicode.Scalar?
        while let next = scalars.next() {
            if (0x40...0x7E).contains(next.value) { final = next; break }
            parameters.unicodeScalars.append(next)
        }
        guard final == "m" else { continue }
        if !current.isEmpty { runs.append(ANSIRun(text: current, css: state.css)); current = "" }
        state.apply(parameters)
    }
    if !current.isEmpty { runs.append(ANSIRun(text: current, css: state.css)) }
    return runs
}

/// The look set by SGR sequences so far.
private struct SGRState {
    var bold = false, dim = false, italic = false
    var foreground: String?, background: String?

    mutating func apply(_ parameters: String) {
        var codes = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }[...]
        if codes.isEmpty { codes = [0] }
        while let code = codes.popFirst() {
            switch code {
            case 0: self = SGRState()
            case 1: bold = true
            case 2: dim = true
            case 3: italic = true
            case 22: bold = false; dim = false
            case 23: italic = false
            case 39: foreground = nil
            case 49: background = nil
            case 38, 48:
                // 24-bit colors only (`38;2;r;g;b`), which is all Style.swift writes.
                guard codes.first == 2, codes.count >= 4 else { codes.removeAll(); break }
                let rgb = Array(codes.dropFirst().prefix(3))
                codes = codes.dropFirst(4)
                let color = "rgb(\(rgb[0]),\(rgb[1]),\(rgb[2]))"
                if code == 38 { foreground = color } else { background = color }
            default: break
            }
        }
    }

    var css: String {
        var parts: [String] = []
        if let foreground { parts.append("color:\(foreground)") }
        if let background { parts.append("background:\(background)") }
        if bold { parts.append("font-weight:bold") }
        if dim { parts.append("opacity:0.7") }
        if italic { parts.append("font-style:italic") }
        return parts.joined(separator: ";")
    }
}

/// `text` safe inside HTML or XML (SVG) elements and attribute values.
public func escapeMarkup(_ text: String) -> String {
    guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" }) else { return text }
    var result = ""
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        default: result.append(character)
        }
    }
    return result
}

extension Table {
    /// The table with its headers and cells stripped of ANSI colors.
    func strippingANSI() -> Table {
        var plain = Table(headers.map(LabNotebook.strippingANSI), alignments: alignments)
        for row in rows { plain.append(row.map(LabNotebook.strippingANSI)) }
        return plain
    }
}
