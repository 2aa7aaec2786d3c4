// What every lesson's golden test also checks: the run it just recorded exports well. The
// notebook passes the nbformat 4.5 schema check, each figure is well-formed SVG in both the
// notebook and the page, and the page fetches nothing and runs no script. The byte-for-byte
// exports of one lesson are held by TensorsLessonTests' golden files.

import Foundation
import XCTest
import LabNotebook
import LabTestSupport

/// Asserts that the run `notebook` recorded exports as a valid notebook and a self-contained page.
func assertExportsAreWellFormed(_ notebook: Notebook, file: StaticString = #filePath, line: UInt = #line) {
    let document = notebook.document
    XCTAssertEqual(document.cells.count, notebook.cellCount, "the record lost cells", file: file, line: line)
    XCTAssertNotNil(document.closing, "the record has no summary", file: file, line: line)
    for (index, figure) in document.figures.enumerated() {
        guard let svg = figure.svg else { XCTFail("figure \(index) draws no SVG", file: file, line: line); continue }
        if let problem = xmlProblem(svg) {
            XCTFail("figure \(index) (\(figure.title ?? "untitled")): \(problem)", file: file, line: line)
        }
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), "figure \(index) is not an SVG document", file: file, line: line)
        XCTAssertFalse((figure.title ?? "").isEmpty, "figure \(index) has no title", file: file, line: line)
    }

    let ipynb = NotebookExport.render(document, as: .jupyter)
    XCTAssertEqual(jupyterSchemaProblems(Data(ipynb.utf8)), [], file: file, line: line)
    XCTAssertEqual(ipynb.components(separatedBy: "\"image/svg+xml\"").count - 1, document.figures.count,
                   "the notebook should show every figure as image/svg+xml", file: file, line: line)
    XCTAssertEqual(ipynb, NotebookExport.render(document, as: .jupyter), "two exports of one run differ", file: file, line: line)

    let html = NotebookExport.render(document, as: .html)
    let svgs = inlineSVGs(html)
    XCTAssertEqual(svgs.count, document.figures.count, "the page should draw every figure", file: file, line: line)
    for (index, svg) in svgs.enumerated() {
        if let problem = xmlProblem(svg) { XCTFail("page figure \(index): \(problem)", file: file, line: line) }
    }
    XCTAssertFalse(html.contains("<script"), "the page must not run scripts", file: file, line: line)
    XCTAssertFalse(html.contains("src=\"http") || html.contains("href=\"http") || html.contains("url(http"),
                   "the page must fetch nothing", file: file, line: line)
}

/// The `<svg>…</svg>` elements of a page, in order.
func inlineSVGs(_ html: String) -> [String] {
    var result: [String] = []
    var rest = html[...]
    while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
        result.append(String(rest[start.lowerBound..<end.upperBound]))
        rest = rest[end.upperBound...]
    }
    return result
}
