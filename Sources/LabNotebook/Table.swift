// Table: rows of text in aligned columns, with a header and a rule under it.
//
// Columns of numbers are right-aligned (so the units and decimal points line up when every row
// prints the same number of decimals), text is left-aligned. By default each column decides by
// looking at its cells; a lesson can also say so explicitly. Cells are plain strings: the lesson
// formats its numbers (with `formatFixed`, `formatDuration`, …) so it controls the precision.
// No cell wrapping, no multi-line cells, no column spanning.

/// A table to print in a notebook (`notebook.table(_:)`) or render to lines.
///
///     var table = Table(["size", "time", "speed-up"])
///     table.append(["64", "1.20 ms", "1.00×"])
///     table.append(["128", "9.80 ms", "8.17×"])
///     table.render()
///     // size  time     speed-up
///     // ────  ───────  ────────
///     //   64  1.20 ms     1.00×
///     //  128  9.80 ms     8.17×
public struct Table: Sendable, Equatable {
    /// The column titles.
    public var headers: [String]
    /// One alignment per column; nil means automatic (right when every cell looks like a number).
    public var alignments: [Alignment?]
    /// The rows, each with one cell per column.
    public private(set) var rows: [[String]] = []

    public init(_ headers: [String], alignments: [Alignment?]? = nil) {
        precondition(alignments == nil || alignments!.count == headers.count,
                     "Table: \(headers.count) headers but \(alignments!.count) alignments")
        self.headers = headers
        self.alignments = alignments ?? Array(repeating: nil, count: headers.count)
    }

    /// Adds a row; it must have one cell per column.
    public mutating func append(_ row: [String]) {
        precondition(row.count == headers.count,
                     "Table.append: the table has \(headers.count) columns (\(headers.joined(separator: ", "))) but the row has \(row.count) cells")
        rows.append(row)
    }

    /// The alignment used for `column`: the explicit one, or right when every non-empty cell
    /// looks like a number.
    public func alignment(ofColumn column: Int) -> Alignment {
        if let explicit = alignments[column] { return explicit }
        let cells = rows.map { $0[column] }.filter { !$0.isEmpty }
        return !cells.isEmpty && cells.allSatisfy(looksNumeric) ? .right : .left
    }

    /// The table as lines of text: header, rule, rows; columns separated by two spaces.
    public func render(style: Style = .plain) -> [String] {
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(displayWidth).max() ?? 0
        }
        let aligns = headers.indices.map(alignment(ofColumn:))
        func line(_ cells: [String], _ paint: (String) -> String) -> String {
            let text = cells.indices.map { paint(padded(cells[$0], to: widths[$0], alignment: aligns[$0])) }
                .joined(separator: "  ")
            return trimmingTrailingSpaces(text)
        }
        var lines = [line(headers) { style.paint($0, .heading) }]
        lines.append(style.paint(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "), .muted))
        for row in rows { lines.append(line(row) { $0 }) }
        return lines
    }
}

/// Whether a cell reads as a number, possibly with a unit or a suffix: `"12"`, `"-0.5"`,
/// `"1.20 ms"`, `"8.17×"`, `"45%"`, and the timing placeholder `"…"`.
func looksNumeric(_ cell: String) -> Bool {
    var characters = Substring(cell)
    if characters == "…" { return true }
    if characters.first == "-" || characters.first == "+" || characters.first == "−" { characters = characters.dropFirst() }
    return characters.first?.isNumber ?? false
}

/// `text` without spaces at its end (a left-aligned last column pads with spaces otherwise).
func trimmingTrailingSpaces(_ text: String) -> String {
    var text = Substring(text)
    while text.last == " " { text = text.dropLast() }
    return String(text)
}
