// Exports from the command line: a lesson's `--export` (a bad path is refused before the lesson
// runs, and nothing is written), and `lab notebook` writing pages, notebooks and the index.

import Foundation
import XCTest
import LabTestSupport

final class NotebookCommandTests: XCTestCase {
    func testLessonExportsBothFormatsFromOneRun() throws {
        let folder = try makeTemporaryFolder(self)
        let run = try LabTool.run(["--quick", "--mask-timings", "--export", "t.ipynb", "--export", "t.html"], program: "tensors", in: folder)
        assertStatus(run, 0)
        XCTAssertTrue(run.output.contains("Lesson 00"), "the terminal text is printed as always")
        XCTAssertTrue(run.errors.contains("exported 8 cells and 5 figures to t.ipynb"), run.transcript)
        let notebook = try Data(contentsOf: folder.appendingPathComponent("t.ipynb"))
        XCTAssertEqual(jupyterSchemaProblems(notebook), [])
        XCTAssertTrue(String(decoding: notebook, as: UTF8.self).contains("\"command\": \"swift run tensors --quick --mask-timings\""),
                      "the notebook names the command without its exports")
        let page = try String(contentsOf: folder.appendingPathComponent("t.html"), encoding: .utf8)
        XCTAssertEqual(page.components(separatedBy: "<svg xmlns=").count - 1, 5)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)), ["t.ipynb", "t.html"],
                       "no temporary file is left")
    }

    func testBadExportPathsAreRefusedBeforeTheLessonRuns() throws {
        let folder = try makeTemporaryFolder(self)
        try Data("keep".utf8).write(to: folder.appendingPathComponent("a.html"))
        for (arguments, phrases) in [
            (["--export", "missing/a.ipynb"], ["missing", "does not exist"]),
            (["--export", "a.pdf"], ["a.pdf", ".ipynb", ".html"]),
            (["--export", "a.html/b.html"], ["does not exist"]),
            (["--export", "."], [".ipynb", ".html"]),
            (["--export", "a.html", "--export", "gone/b.ipynb"], ["gone", "does not exist"]),
            (["--export"], ["--export", "needs a value"]),
        ] {
            let run = try LabTool.run(["--quick"] + arguments, program: "tensors", in: folder)
            assertFailure(run, status: 2, mentioning: phrases)
        }
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("a.html"), encoding: .utf8), "keep",
                       "a refused run leaves the files it would have replaced alone")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["a.html"])
    }

    func testLabNotebookWritesPagesNotebooksAndAnIndex() throws {
        let folder = try makeTemporaryFolder(self)
        let run = try LabTool.run(["notebook", "tensors", "03", "--quick", "--mask-timings", "--no-build", "--output", "site"],
                                  in: folder, deadline: 120)
        assertStatus(run, 0)
        let site = folder.appendingPathComponent("site")
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: site.path)),
                       ["index.html", "tensors.html", "tensors.ipynb", "attention.html", "attention.ipynb"])
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertLessThan(try XCTUnwrap(index.range(of: "href=\"tensors.html\"")).lowerBound,
                          try XCTUnwrap(index.range(of: "href=\"attention.html\"")).lowerBound, "course order")
        XCTAssertTrue(index.contains("href=\"attention.ipynb\" download"))
        let page = try String(contentsOf: site.appendingPathComponent("attention.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("<nav><a href=\"index.html\">"), "a lesson page links back to the index")
        XCTAssertEqual(jupyterSchemaProblems(try Data(contentsOf: site.appendingPathComponent("attention.ipynb"))), [])
        XCTAssertTrue(run.output.contains("attention") && run.output.contains("10 cells and 7 figures"), run.transcript)
    }

    func testLabNotebookRefusesBadArguments() throws {
        let folder = try makeTemporaryFolder(self)
        try Data("x".utf8).write(to: folder.appendingPathComponent("file"))
        for (arguments, status, phrases) in [
            (["notebook", "--all"], Int32(2), ["--output DIR is required"]),
            (["notebook", "--output", "site"], 2, ["name the lessons", "--all"]),
            (["notebook", "--all", "tensors", "--output", "site"], 2, ["not both"]),
            (["notebook", "nonsense", "--output", "site"], 2, ["no lesson 'nonsense'", "tensors (00)"]),
            (["notebook", "--all", "--format", "pdf", "--output", "site"], 2, ["--format", "pdf"]),
            (["notebook", "--all", "--timeout", "-1", "--output", "site"], 2, ["--timeout"]),
            (["notebook", "--all", "--output", "file/site"], 2, ["cannot create the folder"]),
        ] {
            let run = try LabTool.run(arguments, in: folder)
            assertFailure(run, status: status, mentioning: phrases)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("site").path))
    }
}
