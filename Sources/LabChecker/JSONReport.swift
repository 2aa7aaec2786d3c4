// The checker's own JSON: everything the terminal shows, for scripts and editors.
//
//     {"mode": "exercises", "passed": false, "counts": {"passed": 30, "failed": 4, …},
//      "started": "2026-11-29T04:50:52Z", "build_seconds": 3.1, "test_seconds": 1.2,
//      "exercises": [{"id": "tensors.dot-product", "title": "Dot product", "lesson": 0,
//                     "file": "exercises/00-tensors/DotProduct.swift", "points": 1,
//                     "status": "done", "passed": 9, "total": 9,
//                     "tests": [{"name": "testEmptyVectorsGiveZero", "class": "DotProductTests",
//                                "status": "passed", "message": "", "location": null,
//                                "seconds": 0.02}, …]}, …]}
//
// Keys are stable: `status` of an exercise is one of done, failing, not-started, not-compiled,
// crashed, timed-out; of a test one of passed, failed, crashed, timed-out, not-compiled, not-run.

import Foundation

public enum JSONReport {
    struct Report: Encodable {
        var mode: String
        var passed: Bool
        var counts: [String: Int]
        var started: String
        var buildSeconds: Double
        var testSeconds: Double
        var exercises: [ExerciseEntry]
    }

    struct ExerciseEntry: Encodable {
        var id: String
        var title: String
        var lesson: Int
        var file: String
        var points: Int
        var status: String
        var passed: Int
        var total: Int
        var tests: [TestEntry]
    }

    struct TestEntry: Encodable {
        var name: String
        var `class`: String
        var status: String
        var message: String
        var location: String?
        var seconds: Double

        func encode(to encoder: any Encoder) throws {
            // Written by hand so that a missing location is `null`, not a missing key.
            enum Key: String, CodingKey { case name, `class`, status, message, location, seconds }
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(name, forKey: .name)
            try container.encode(`class`, forKey: .class)
            try container.encode(status, forKey: .status)
            try container.encode(message, forKey: .message)
            try container.encode(location, forKey: .location)
            try container.encode(seconds, forKey: .seconds)
        }
    }

    public static func render(_ report: CheckReport) -> String {
        let counts = Dictionary(uniqueKeysWithValues: TestStatus.allCases.map { ($0.rawValue, report.count($0)) })
        let entries = report.exercises.map { result in
            ExerciseEntry(
                id: result.exercise.id, title: result.exercise.title, lesson: result.exercise.lessonNumber,
                file: report.mode == .solutions ? result.exercise.solutionPath : result.exercise.exercisePath,
                points: result.exercise.points, status: result.summary.rawValue, passed: result.passedCount,
                total: result.tests.count,
                tests: result.tests.map {
                    TestEntry(name: $0.name, class: $0.testClass, status: $0.status.rawValue, message: $0.message,
                              location: $0.location, seconds: ($0.duration * 1000).rounded() / 1000)
                })
        }
        let value = Report(mode: report.mode.rawValue, passed: report.allPassed, counts: counts,
                           started: ISO8601DateFormatter().string(from: report.started),
                           buildSeconds: (report.buildDuration * 100).rounded() / 100,
                           testSeconds: (report.testDuration * 100).rounded() / 100, exercises: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }
}
