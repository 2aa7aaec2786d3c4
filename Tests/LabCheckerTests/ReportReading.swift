// Reading the checker's JUnit and Gradescope files back, as a CI reporter or Gradescope would,
// and checking that they describe a report completely. Shared by the synthetic report tests and
// the fixture run.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import LabChecker
import LabCourse

/// A JUnit document, parsed by Foundation's XML parser.
struct JUnitDocument {
    struct Case {
        var suite: String
        var className: String
        var name: String
        /// "failure" or "error", nil for a pass.
        var outcome: String?
        var type: String?
        var message: String?
        var text = ""
    }

    var rootAttributes: [String: String] = [:]
    var suiteAttributes: [String: [String: String]] = [:]
    var cases: [Case] = []

    /// Parses `xml`; nil (with the parser's error) when it is not well-formed.
    static func parse(_ xml: String) -> (document: JUnitDocument?, error: String?) {
        let delegate = Delegate()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = delegate
        guard parser.parse() else { return (nil, "\(parser.parserError.map { "\($0)" } ?? "unknown error")") }
        return (delegate.document, nil)
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var document = JUnitDocument()
        var suite = ""
        var inOutcome = false

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            switch element {
            case "testsuites": document.rootAttributes = attributes
            case "testsuite":
                suite = attributes["name"] ?? ""
                document.suiteAttributes[suite] = attributes
            case "testcase":
                document.cases.append(Case(suite: suite, className: attributes["classname"] ?? "",
                                           name: attributes["name"] ?? ""))
            case "failure", "error":
                document.cases[document.cases.count - 1].outcome = element
                document.cases[document.cases.count - 1].type = attributes["type"]
                document.cases[document.cases.count - 1].message = attributes["message"]
                inOutcome = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inOutcome { document.cases[document.cases.count - 1].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            if element == "failure" || element == "error" { inOutcome = false }
        }
    }
}

/// Checks that JUnit XML and Gradescope JSON rendered from `report` are well-formed and complete:
/// every test once, counts that agree, statuses mapped, scores that add up.
func assertReportsDescribeEveryTest(_ report: CheckReport, file: StaticString = #filePath, line: UInt = #line) throws {
    let tests = report.exercises.flatMap { exercise in exercise.tests.map { (exercise.exercise, $0) } }
    let errors = tests.filter { [.crashed, .timedOut, .notCompiled, .notRun].contains($0.1.status) }.count
    let failures = tests.filter { $0.1.status == .failed }.count

    // JUnit.
    let (parsed, error) = JUnitDocument.parse(JUnitReport.render(report))
    let junit = try XCTUnwrap(parsed, "the JUnit XML is not well-formed: \(error ?? "")", file: file, line: line)
    XCTAssertEqual(junit.rootAttributes["tests"], "\(tests.count)", "testsuites tests=", file: file, line: line)
    XCTAssertEqual(junit.rootAttributes["failures"], "\(failures)", "testsuites failures=", file: file, line: line)
    XCTAssertEqual(junit.rootAttributes["errors"], "\(errors)", "testsuites errors=", file: file, line: line)
    XCTAssertEqual(junit.cases.count, tests.count, "one testcase per test", file: file, line: line)
    XCTAssertEqual(Set(junit.cases.map { "\($0.suite)/\($0.name)" }).count, tests.count, "no test twice", file: file, line: line)
    XCTAssertEqual(junit.suiteAttributes.count, report.exercises.count, "one testsuite per exercise", file: file, line: line)
    for (exercise, test) in tests {
        guard let element = junit.cases.first(where: { $0.suite == exercise.id && $0.name == test.name }) else {
            XCTFail("no testcase for \(exercise.id)/\(test.name)", file: file, line: line)
            continue
        }
        XCTAssertEqual(element.className, "ExerciseTests.\(test.testClass)", file: file, line: line)
        switch test.status {
        case .passed:
            XCTAssertNil(element.outcome, "\(test.name) passed: no failure or error element", file: file, line: line)
        case .failed:
            XCTAssertEqual(element.outcome, "failure", test.name, file: file, line: line)
        case .crashed, .timedOut, .notCompiled, .notRun:
            XCTAssertEqual(element.outcome, "error", test.name, file: file, line: line)
        }
        if test.status != .passed {
            XCTAssertEqual(element.type, test.status.rawValue, file: file, line: line)
            // What survives XML: the message without the characters XML 1.0 cannot hold.
            let storable = String(String.UnicodeScalarView(test.message.unicodeScalars.filter(JUnitReport.isAllowed)))
            XCTAssertEqual(element.message, String(storable.split(separator: "\n").first ?? ""),
                           "the message attribute is the first line", file: file, line: line)
            XCTAssertTrue(element.text.contains(storable),
                          "the element's text holds the whole message of \(test.name)", file: file, line: line)
        }
    }
    for exercise in report.exercises {
        let attributes = junit.suiteAttributes[exercise.exercise.id] ?? [:]
        XCTAssertEqual(attributes["tests"], "\(exercise.tests.count)", exercise.exercise.id, file: file, line: line)
    }

    // Gradescope.
    let data = Data(GradescopeReport.render(report).utf8)
    let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any],
                             "results.json must be a JSON object", file: file, line: line)
    let entries = try XCTUnwrap(root["tests"] as? [[String: Any]], "results.json needs tests", file: file, line: line)
    XCTAssertEqual(entries.count, tests.count, "one Gradescope test per test", file: file, line: line)
    XCTAssertEqual(Set(entries.compactMap { $0["name"] as? String }).count, tests.count, "unique names", file: file, line: line)
    var score = 0.0
    var maximum = 0.0
    for ((exercise, test), entry) in zip(tests, entries) {
        XCTAssertEqual(entry["name"] as? String, "\(exercise.id): \(test.name)", file: file, line: line)
        XCTAssertEqual(entry["status"] as? String, test.status == .passed ? "passed" : "failed", file: file, line: line)
        XCTAssertEqual(entry["visibility"] as? String, "visible", file: file, line: line)
        let testScore = try XCTUnwrap(entry["score"] as? Double, file: file, line: line)
        let testMaximum = try XCTUnwrap(entry["max_score"] as? Double, file: file, line: line)
        XCTAssertEqual(testScore, test.status == .passed ? testMaximum : 0, file: file, line: line)
        let output = try XCTUnwrap(entry["output"] as? String, file: file, line: line)
        if test.status != .passed {
            XCTAssertTrue(output.hasPrefix(test.status.label), "output starts with the verdict: \(output)", file: file, line: line)
            XCTAssertTrue(output.contains(test.message), file: file, line: line)
        }
        score += testScore
        maximum += testMaximum
    }
    let points = Double(report.exercises.map(\.exercise.points).reduce(0, +))
    // Shares are multiples of 0.0001 that add up to each exercise's points; sums of Doubles may
    // differ from the exact total in the last bits.
    XCTAssertEqual(maximum, points, accuracy: 1e-9, "the tests' max_score add up to the exercises' points", file: file, line: line)
    XCTAssertEqual(root["score"] as? Double ?? -1, score, accuracy: 1e-9, "score is the sum of the tests' scores",
                   file: file, line: line)
    XCTAssertEqual((root["extra_data"] as? [String: Any])?["max_score"] as? Double ?? -1, points, accuracy: 1e-9,
                   file: file, line: line)
}
