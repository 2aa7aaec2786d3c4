// JUnit XML, the format CI test reporters read (GitHub Actions reporters, GitLab, Jenkins).
//
//     <testsuites name="OpenModelLab exercises" tests="…" failures="…" errors="…" skipped="0" time="…">
//       <testsuite name="tensors.dot-product" tests="9" failures="1" errors="0" skipped="0" time="0.21">
//         <testcase classname="ExerciseTests.DotProductTests" name="testEmptyVectorsGiveZero" time="0.02"/>
//         <testcase …><failure type="failed" message="first line">whole message</failure></testcase>
//         <testcase …><error type="crashed" message="crashed at …">…</error></testcase>
//       </testsuite>
//     </testsuites>
//
// One testsuite per exercise, one testcase per test, every test exactly once. A failed assertion
// is a `<failure>`; a crash, a time-out, a compile error or a test not run because another test
// of its exercise hung is an `<error>` (the test could not finish), with the verdict in `type`
// (`not-run`, with the hung test's name in the message). Text is escaped for XML, and characters XML 1.0 cannot
// hold (terminal escape codes, other control characters) are dropped. `swift test
// --xunit-output` is not used: it writes nothing when a test hangs, and says only "failure".
//
// Left out: `<system-out>` (a test's own printing is not part of the verdict).

import Foundation
import LabCourse

public enum JUnitReport {
    public static func render(_ report: CheckReport, name: String = "OpenModelLab exercises") -> String {
        let tests = report.allTests
        let errors = tests.filter { [.crashed, .timedOut, .notCompiled, .notRun].contains($0.status) }.count
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            "<testsuites name=\"\(attribute(name))\" tests=\"\(tests.count)\" failures=\"\(report.count(.failed))\" "
                + "errors=\"\(errors)\" skipped=\"0\" time=\"\(seconds(tests.map(\.duration).reduce(0, +)))\">",
        ]
        for exercise in report.exercises {
            let suiteErrors = exercise.tests.filter { [.crashed, .timedOut, .notCompiled, .notRun].contains($0.status) }.count
            let suiteFailures = exercise.tests.filter { $0.status == .failed }.count
            lines.append("  <testsuite name=\"\(attribute(exercise.exercise.id))\" tests=\"\(exercise.tests.count)\" "
                + "failures=\"\(suiteFailures)\" errors=\"\(suiteErrors)\" skipped=\"0\" "
                + "time=\"\(seconds(exercise.tests.map(\.duration).reduce(0, +)))\">")
            for test in exercise.tests {
                let opening = "    <testcase classname=\"\(attribute("\(Exercise.testTarget).\(test.testClass)"))\" "
                    + "name=\"\(attribute(test.name))\" time=\"\(seconds(test.duration))\""
                if test.status == .passed {
                    lines.append(opening + "/>")
                    continue
                }
                let element = test.status == .failed ? "failure" : "error"
                let firstLine = String(test.message.split(separator: "\n").first ?? "")
                let located = test.location.map { "at \($0)\n" } ?? ""
                lines.append(opening + ">")
                lines.append("      <\(element) type=\"\(test.status.rawValue)\" message=\"\(attribute(firstLine))\">"
                    + text(located + test.message) + "</\(element)>")
                lines.append("    </testcase>")
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Escaping

    /// Text content: `&`, `<` and `>` escaped, characters XML cannot hold dropped.
    static func text(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars where isAllowed(scalar) {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// An attribute value in double quotes: also quotes, and line breaks and tabs as character
    /// references (a parser would turn literal ones into spaces).
    static func attribute(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars where isAllowed(scalar) {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\n": result += "&#10;"
            case "\r": result += "&#13;"
            case "\t": result += "&#9;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// XML 1.0's Char production: tab, newline, carriage return, and everything from space up
    /// except the surrogates and U+FFFE/U+FFFF.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }
}
