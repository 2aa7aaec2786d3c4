// JupyterExport: a lesson run's record as a Jupyter notebook (nbformat 4.5).
//
// The record's blocks map onto notebook cells in order:
//
//     the banner                  a markdown cell: "# Lesson 00 · Tensors", the summary, the command
//     each cell's title           a markdown cell: "## [1] What is a tensor?"
//     prose                       a markdown cell (prose markup turned into Markdown)
//     code                        a code cell holding the Swift listing
//     anything printed            outputs of the code cell before it (a code cell with no source
//                                 when prose came in between): text as `stream` output, tables as
//                                 `display_data` with `text/html` and `text/plain`, figures as
//                                 `display_data` with `image/svg+xml`, the same picture as an
//                                 `<img>` in `text/html` (which untrusted notebooks show too) and
//                                 the terminal picture as `text/plain`
//     the summary                 a markdown cell
//
// Cell ids and execution counts come from positions in the record (`c03-02` is cell 3's second
// notebook cell), and JSON is written with sorted keys, so two exports of the same run are
// byte-identical. The notebook names Swift as its language; it was executed by the lesson
// executable, not by a Jupyter kernel, so re-running it in Jupyter needs a Swift kernel.

import Foundation
import LabKernel

/// The record as the text of an `.ipynb` file.
func jupyterNotebook(_ document: NotebookDocument) -> String {
    var builder = JupyterCells()
    var opening = "# \(document.lessonName) · \(markdownEscaped(document.title))\n\n\(markdownProse(document.summary))"
    if let command = document.command {
        opening += "\n\nThis notebook is one run of `\(command)`, exported with `--export`: every number, table and "
            + "picture below was computed by that run."
    }
    builder.markdown(opening, id: "lesson")
    if !document.introduction.isEmpty {
        builder.add(document.introduction, cell: 0)
    }
    for cell in document.cells {
        builder.markdown("## [\(cell.number)] \(markdownEscaped(cell.title))", id: String(format: "c%02d-title", cell.number))
        builder.add(cell.blocks, cell: cell.number)
    }
    if let closing = document.closing {
        var text = "## What we built\n\n" + closing.points.map { "- " + markdownProse($0) }.joined(separator: "\n")
        text += "\n\n## Next\n\n" + closing.next.map { "- " + markdownProse($0) }.joined(separator: "\n")
        text += "\n\n*" + markdownEscaped(closing.footer) + "*"
        builder.markdown(text, id: "summary")
    }
    let metadata: JSONValue = .object([
        "kernelspec": .object(["display_name": .string("Swift"), "language": .string("swift"), "name": .string("swift")]),
        "language_info": .object(["file_extension": .string(".swift"), "mimetype": .string("text/x-swift"),
                                  "name": .string("swift")]),
        "openmodellab": .object([
            "lesson": document.lesson.map { .number(Double($0)) } ?? .null,
            "title": .string(document.title),
            "command": document.command.map { .string($0) } ?? .null,
        ]),
    ])
    let notebook: JSONValue = .object(["cells": .array(builder.cells), "metadata": metadata,
                                  "nbformat": .number(4), "nbformat_minor": .number(5)])
    return notebook.text(indent: 1) + "\n"  // as nbformat writes: sorted keys, indent 1
}

/// Notebook cells as they are built: a code cell stays open for the outputs that follow it.
private struct JupyterCells {
    var cells: [JSONValue] = []
    var executionCount = 0
    /// The open code cell: its id, source and outputs so far.
    var open: (id: String, source: String, outputs: [JSONValue])?
    /// Consecutive text outputs are merged into one stream, as the terminal shows them.
    var pendingText: [String] = []
    var countInCell = 0

    mutating func nextID(_ cell: Int) -> String {
        countInCell += 1
        return String(format: "c%02d-%02d", cell, countInCell)
    }

    mutating func markdown(_ text: String, id: String) {
        close()
        cells.append(.object(["cell_type": .string("markdown"), "id": .string(id), "metadata": .object([:]),
                              "source": lines(text)]))
    }

    mutating func add(_ blocks: [NotebookBlock], cell: Int) {
        countInCell = 0
        for block in blocks {
            switch block.content {
            case .prose(let text):
                markdown(markdownProse(text), id: nextID(cell))
            case .code(let source):
                close()
                open = (nextID(cell), source, [])
            case .output(let text) where text.contains("\u{1B}"):
                // Output the lesson painted itself (lesson 01's token boundaries): the colors as
                // HTML, which every viewer shows, and the plain text.
                output(.object(["data": .object(["text/html": lines("<pre>" + ansiToHTML(text) + "</pre>"),
                                                 "text/plain": lines(strippingANSI(text))]),
                                "metadata": .object([:]), "output_type": .string("display_data")]), cell: cell)
            case .output(let text):
                appendText(text, cell: cell)
            case .checks, .series, .bars, .heatmap, .table:
                if block.isFigure || isTable(block) {
                    output(display(block), cell: cell)
                } else {
                    appendText(block.plainLines.joined(separator: "\n"), cell: cell)
                }
            }
        }
        close()
    }

    private func isTable(_ block: NotebookBlock) -> Bool {
        if case .table = block.content { return true }
        return false
    }

    /// A `display_data` output: the picture or HTML table, and the terminal's text as fallback.
    private func display(_ block: NotebookBlock) -> JSONValue {
        var data: [String: JSONValue] = ["text/plain": lines(block.plainLines.joined(separator: "\n"))]
        if let svg = block.svg {
            data["image/svg+xml"] = lines(svg)
            // JupyterLab shows image/svg+xml only in notebooks the reader has trusted (an SVG can
            // carry scripts), and an exported notebook is not trusted where it is opened. An
            // <img> with the same picture as a data URI is safe HTML, shown either way.
            let uri = "data:image/svg+xml;base64," + Data(svg.utf8).base64EncodedString()
            data["text/html"] = .string("<img src=\"\(uri)\" alt=\"\(escapeMarkup(block.title ?? "figure"))\" style=\"max-width: 100%\">")
        }
        if case .table(let table) = block.content { data["text/html"] = lines(htmlTable(table)) }
        return .object(["data": .object(data), "metadata": .object([:]), "output_type": .string("display_data")])
    }

    private mutating func appendText(_ text: String, cell: Int) {
        if open == nil { open = (nextID(cell), "", []) }
        if !pendingText.isEmpty { pendingText.append("") }
        pendingText.append(text)
    }

    private mutating func output(_ output: JSONValue, cell: Int) {
        if open == nil { open = (nextID(cell), "", []) }
        flushText()
        open!.outputs.append(output)
    }

    private mutating func flushText() {
        guard !pendingText.isEmpty, open != nil else { return }
        open!.outputs.append(.object(["name": .string("stdout"), "output_type": .string("stream"),
                                      "text": lines(pendingText.joined(separator: "\n") + "\n")]))
        pendingText = []
    }

    /// Ends the open code cell, if any.
    mutating func close() {
        flushText()
        guard let cell = open else { return }
        executionCount += 1
        cells.append(.object(["cell_type": .string("code"), "execution_count": .number(Double(executionCount)),
                              "id": .string(cell.id), "metadata": .object([:]),
                              "outputs": .array(cell.outputs), "source": lines(cell.source)]))
        open = nil
    }
}

/// Text as nbformat's list of lines, each but the last ending in a newline.
private func lines(_ text: String) -> JSONValue {
    // Split at the newline byte (ASCII, so always a character boundary): comparing Characters
    // would break the text into graphemes first, which costs more than the rest of the export.
    var result: [JSONValue] = []
    var start = text.startIndex
    while let newline = text.utf8[start...].firstIndex(of: UInt8(ascii: "\n")) {
        let next = text.utf8.index(after: newline)
        result.append(.string(String(text[start..<next])))
        start = next
    }
    if start < text.endIndex { result.append(.string(String(text[start...]))) }
    return .array(result)
}

/// Prose markup (paragraphs, `- ` bullets, `code spans`) as Markdown.
func markdownProse(_ text: String) -> String {
    proseParagraphs(text).map { items in
        items.map { item in
            item.hasPrefix("- ") ? "- " + markdownEscaped(String(item.dropFirst(2))) : markdownEscaped(item)
        }.joined(separator: "\n")
    }.joined(separator: "\n\n")
}

/// `text` with the characters Markdown (and Jupyter's math rendering) would interpret escaped,
/// outside `code spans`, which Markdown shows literally.
func markdownEscaped(_ text: String) -> String {
    var result = ""
    var inCode = false
    for (offset, character) in text.enumerated() {
        if character == "`" { inCode.toggle(); result.append(character); continue }
        if inCode { result.append(character); continue }
        switch character {
        case "\\", "*", "_", "$", "[", "]": result += "\\" + String(character)
        case "<": result += "&lt;"
        case "&": result += "&amp;"
        case "#" where offset == 0: result += "\\#"
        default: result.append(character)
        }
    }
    return result
}
