// HTMLExport: a lesson run's record as one self-contained web page.
//
// Everything is inside the file: the stylesheet, the figures as inline SVG, the code already
// highlighted (SwiftHighlighting.swift). No scripts and no fonts or images fetched from anywhere,
// so the page opens from a USB stick, an LMS upload or a course site alike. The layout is one
// column that narrows to a phone's width (preformatted text and wide tables scroll inside their
// own box, figures scale down) and grows to a projector's; colors follow the reader's light or
// dark setting (`prefers-color-scheme`), figures included. A print stylesheet keeps cells whole.
//
// `htmlCoursePage` writes the index `lab notebook --all` puts beside the lesson pages.

import Foundation

/// The record as the text of an `.html` file.
func htmlPage(_ document: NotebookDocument) -> String {
    var body = ""
    if let index = document.indexLink {
        body += "<nav><a href=\"\(escapeMarkup(index))\">← OpenModelLab: all lessons</a></nav>\n"
    }
    body += "<header>\n<p class=\"kicker\">OpenModelLab · \(escapeMarkup(document.lessonName))</p>\n"
    body += "<h1>\(escapeMarkup(document.title))</h1>\n<p class=\"summary\">\(inlineHTML(document.summary))</p>\n"
    if let command = document.command {
        body += "<p class=\"command\">One run of <code>\(escapeMarkup(command))</code>: every number and picture below comes from it.</p>\n"
    }
    if !document.cells.isEmpty {
        body += "<ol class=\"contents\">\n" + document.cells.map {
            "<li><a href=\"#cell-\($0.number)\">\(escapeMarkup($0.title))</a></li>"
        }.joined(separator: "\n") + "\n</ol>\n"
    }
    body += "</header>\n"
    if !document.introduction.isEmpty {
        body += "<section class=\"cell\">\n" + document.introduction.map(htmlBlock).joined() + "</section>\n"
    }
    for cell in document.cells {
        body += "<section class=\"cell\" id=\"cell-\(cell.number)\">\n"
        body += "<h2><span class=\"number\">[\(cell.number)]</span> \(escapeMarkup(cell.title))</h2>\n"
        body += cell.blocks.map(htmlBlock).joined()
        body += "</section>\n"
    }
    if let closing = document.closing {
        body += "<footer>\n<h2>What we built</h2>\n<ul>\n" + closing.points.map { "<li>\(inlineHTML($0))</li>\n" }.joined()
        body += "</ul>\n<h2>Next</h2>\n<ul>\n" + closing.next.map { "<li>\(inlineHTML($0))</li>\n" }.joined()
        body += "</ul>\n<p class=\"muted\">\(escapeMarkup(closing.footer))</p>\n</footer>\n"
    }
    return htmlDocument(title: "\(document.lessonName) · \(document.title) · OpenModelLab", body: body)
}

/// The index page of a whole-course export: one entry per lesson page, in course order.
public func htmlCoursePage(title: String, introduction: String,
                           lessons: [(number: Int, title: String, summary: String, page: String, notebook: String?)]) -> String {
    var body = "<header>\n<p class=\"kicker\">OpenModelLab</p>\n<h1>\(escapeMarkup(title))</h1>\n"
    body += "<p class=\"summary\">\(inlineHTML(introduction))</p>\n</header>\n<section class=\"cell\">\n<ol class=\"lessons\">\n"
    for lesson in lessons {
        let number = (lesson.number < 10 ? "0" : "") + String(lesson.number)
        body += "<li><a href=\"\(escapeMarkup(lesson.page))\"><span class=\"number\">\(number)</span> \(escapeMarkup(lesson.title))</a>"
        if let notebook = lesson.notebook {
            body += " <a class=\"muted\" href=\"\(escapeMarkup(notebook))\" download>notebook</a>"
        }
        body += "<br><span class=\"muted\">\(inlineHTML(lesson.summary))</span></li>\n"
    }
    body += "</ol>\n</section>\n"
    return htmlDocument(title: title, body: body)
}

/// A table as an HTML `<table>`, numeric columns right-aligned as in the terminal.
func htmlTable(_ table: Table) -> String {
    let aligns = table.headers.indices.map { table.alignment(ofColumn: $0) == .right ? " class=\"right\"" : "" }
    var html = "<table>\n<thead><tr>" + table.headers.indices.map { "<th\(aligns[$0])>\(escapeMarkup(table.headers[$0]))</th>" }.joined()
    html += "</tr></thead>\n<tbody>\n"
    for row in table.rows {
        html += "<tr>" + row.indices.map { "<td\(aligns[$0])>\(escapeMarkup(row[$0]))</td>" }.joined() + "</tr>\n"
    }
    return html + "</tbody>\n</table>"
}

/// One block of a cell as HTML.
private func htmlBlock(_ block: NotebookBlock) -> String {
    switch block.content {
    case .prose(let text):
        return proseParagraphs(text).map { items -> String in
            var html = ""
            var inList = false
            for item in items {
                if item.hasPrefix("- ") {
                    if !inList { html += "<ul>\n"; inList = true }
                    html += "<li>\(inlineHTML(String(item.dropFirst(2))))</li>\n"
                } else {
                    if inList { html += "</ul>\n"; inList = false }
                    html += "<p>\(inlineHTML(item))</p>\n"
                }
            }
            return html + (inList ? "</ul>\n" : "")
        }.joined()
    case .code(let source):
        return "<pre class=\"code\"><code>\(highlightSwift(source))</code></pre>\n"
    case .output(let text):
        return "<pre class=\"output\">\(ansiToHTML(text))</pre>\n"
    case .checks(let checks):
        return "<ul class=\"checks\">\n" + checks.map {
            "<li class=\"\($0.passed ? "pass" : "fail")\"><span class=\"mark\">\($0.passed ? "✓" : "✗")</span> \(escapeMarkup($0.text))</li>\n"
        }.joined() + "</ul>\n"
    case .table(let table):
        return "<div class=\"table\">\n\(htmlTable(table))\n</div>\n"
    case .series, .bars, .heatmap:
        let plain = escapeMarkup(block.plainLines.joined(separator: "\n"))
        return "<figure>\n\(block.svg ?? "")<details><summary>as text</summary><pre class=\"output\">\(plain)</pre></details>\n</figure>\n"
    }
}

/// A line of prose: escaped, `code spans` as `<code>`.
private func inlineHTML(_ text: String) -> String {
    var html = ""
    var span: String?
    for character in text {
        if character == "`" {
            if let code = span { html += "<code>\(escapeMarkup(code))</code>"; span = nil } else { span = "" }
        } else if span != nil {
            span!.append(character)
        } else {
            html += escapeMarkup(String(character))
        }
    }
    if let unclosed = span { html += escapeMarkup("`" + unclosed) }
    return html
}

/// A whole page around `body`.
private func htmlDocument(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="generator" content="OpenModelLab">
    <title>\(escapeMarkup(title))</title>
    <style>
    \(pageStyle)
    </style>
    </head>
    <body>
    <main>
    \(body)</main>
    </body>
    </html>

    """
}

/// The page's stylesheet: one readable column, light and dark, figures that scale.
private let pageStyle = """
    :root { --bg: #ffffff; --fg: #1d1d1f; --muted: #6b6b70; --rule: #d9d9de; --panel: #f5f5f7;
      --code: #f3f4f6; --kw: #a626a4; --str: #50a14f; --com: #8a8f98; --num: #b76b01; --accent: #0b63c5;
      --pass: #1a7f37; --fail: #cf222e; color-scheme: light dark; }
    @media (prefers-color-scheme: dark) {
      :root { --bg: #16171a; --fg: #e6e6e9; --muted: #9a9aa2; --rule: #33343a; --panel: #1f2024;
        --code: #202227; --kw: #d38cf2; --str: #98c379; --com: #7f848e; --num: #e5a35b; --accent: #6cb2ff;
        --pass: #56d364; --fail: #ff7b72; }
      .figure-bg { fill: #1f2024; }
      .figure-text { fill: #e6e6e9; }
      .figure-grid { stroke: #3a3b41; }
      .figure-frame { stroke: #8a8a92; }
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0; background: var(--bg); color: var(--fg);
      font: 17px/1.55 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 52rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
    @media (min-width: 1400px) { body { font-size: 19px; } main { max-width: 60rem; } }
    a { color: var(--accent); }
    nav { font-size: 0.9rem; margin-bottom: 1rem; }
    h1 { font-size: 2rem; line-height: 1.2; margin: 0.2rem 0 0.6rem; }
    h2 { font-size: 1.3rem; line-height: 1.3; margin: 0 0 0.6rem; }
    .kicker, .muted, .command { color: var(--muted); }
    .kicker { margin: 0; font-size: 0.9rem; letter-spacing: 0.02em; }
    .summary { font-size: 1.1rem; }
    .number { color: var(--muted); font-variant-numeric: tabular-nums; }
    .contents { columns: 2 16rem; font-size: 0.95rem; padding-left: 1.4rem; }
    .lessons { list-style: none; padding: 0; }
    .lessons li { margin: 0 0 1rem; }
    section.cell, footer { border-top: 1px solid var(--rule); padding-top: 1.2rem; margin-top: 1.6rem; }
    p, ul { margin: 0 0 0.9rem; overflow-wrap: anywhere; }
    code { font: 0.88em/1.45 ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
      background: var(--code); border-radius: 4px; padding: 0.05em 0.3em; }
    pre { font: 13.5px/1.45 ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
      overflow-x: auto; margin: 0 0 0.9rem; padding: 0.7rem 0.85rem; border-radius: 6px; max-width: 100%; }
    pre.code { background: var(--code); border-left: 3px solid var(--accent); }
    pre.code code { background: none; padding: 0; font: inherit; }
    pre.output { background: var(--panel); }
    .kw { color: var(--kw); } .str { color: var(--str); } .com { color: var(--com); font-style: italic; } .num { color: var(--num); }
    .checks { list-style: none; padding-left: 0; }
    .checks li { padding-left: 1.5em; text-indent: -1.5em; overflow-wrap: anywhere; }
    .checks .mark { display: inline-block; width: 1.5em; text-indent: 0; font-weight: bold; }
    .checks .pass .mark { color: var(--pass); } .checks .fail .mark { color: var(--fail); }
    .table { overflow-x: auto; margin: 0 0 0.9rem; }
    table { border-collapse: collapse; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
    th, td { padding: 0.3rem 0.7rem; border-bottom: 1px solid var(--rule); text-align: left; white-space: nowrap; }
    th { font-weight: 600; }
    th.right, td.right { text-align: right; }
    figure { margin: 0 0 1rem; }
    figure svg { display: block; max-width: 100%; height: auto; border-radius: 6px; }
    details { margin-top: 0.3rem; font-size: 0.85rem; color: var(--muted); }
    @media print { body { background: white; color: black; } section.cell { break-inside: avoid-page; } details { display: none; } }
    """
