// Gradescope's autograder `results.json`: a score and one entry per test.
//
//     {"score": 3.5, "execution_time": 12, "output": "…", "visibility": "visible",
//      "stdout_visibility": "hidden", "extra_data": {"max_score": 5, …},
//      "tests": [{"name": "tensors.dot-product: testEmptyVectorsGiveZero", "name_format": "text",
//                 "number": "1.3", "status": "passed", "score": 0.1111, "max_score": 0.1111,
//                 "output": "", "output_format": "text", "visibility": "visible",
//                 "tags": ["tensors.dot-product"]}, …]}
//
// An exercise is worth its registry `points`, shared equally by its tests, so a half-working
// exercise earns half its points; the shares are rounded to 4 decimals in a way that adds up
// exactly to the exercise's points. A test passes or fails; a crash, a time-out, a compile
// error or a test not run because another one hung is a failure whose output says which. The keys follow Gradescope's autograder
// specification; the total possible score goes in `extra_data` (Gradescope takes the maximum
// from the assignment's settings, which the teacher sets to the sum of the points).
//
// Left out: hidden tests and leaderboards (every exercise test is visible to the student).

import Foundation

public enum GradescopeReport {
    struct Results: Encodable {
        var score: Double
        var executionTime: Int
        var output: String
        var visibility = "visible"
        var stdoutVisibility = "hidden"
        var extraData: Extra
        var tests: [Test]
    }

    struct Extra: Encodable {
        var maxScore: Double
        var mode: String
        var exercisesDone: Int
        var exercisesTotal: Int
    }

    struct Test: Encodable {
        var name: String
        var nameFormat = "text"
        var number: String
        var status: String
        var score: Double
        var maxScore: Double
        var output: String
        var outputFormat = "text"
        var visibility = "visible"
        var tags: [String]
    }

    /// The `results.json` text for a report.
    public static func render(_ report: CheckReport) -> String {
        var tests: [Test] = []
        var score = 0.0
        var maximum = 0.0
        for (exerciseIndex, exercise) in report.exercises.enumerated() {
            let shares = Self.shares(points: exercise.exercise.points, count: exercise.tests.count)
            maximum += Double(exercise.exercise.points)
            for (testIndex, test) in exercise.tests.enumerated() {
                let passed = test.status == .passed
                if passed { score += shares[testIndex] }
                let output = passed ? "" : "\(test.status.label)" + (test.location.map { " at \($0)" } ?? "")
                    + ":\n" + test.message
                tests.append(Test(name: "\(exercise.exercise.id): \(test.name)",
                                  number: "\(exerciseIndex + 1).\(testIndex + 1)",
                                  status: passed ? "passed" : "failed",
                                  score: passed ? shares[testIndex] : 0, maxScore: shares[testIndex],
                                  output: output, tags: [exercise.exercise.id]))
            }
        }
        let done = report.exercises.filter(\.isDone).count
        let passedTests = report.count(.passed)
        let results = Results(
            score: round4(score),
            executionTime: Int((report.buildDuration + report.testDuration).rounded()),
            output: "\(passedTests) of \(report.allTests.count) tests passed; \(done) of \(report.exercises.count) "
                + "exercises done. Score \(round4(score)) of \(round4(maximum)).",
            extraData: Extra(maxScore: round4(maximum), mode: report.mode.rawValue, exercisesDone: done,
                              exercisesTotal: report.exercises.count),
            tests: tests)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: (try? encoder.encode(results)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }

    /// `points` split over `count` tests, rounded to 4 decimals, summing to exactly `points`:
    /// share i is round((i+1)·p/n) − round(i·p/n) in units of 0.0001.
    static func shares(points: Int, count: Int) -> [Double] {
        guard count > 0 else { return [] }
        let units = points * 10_000
        return (0..<count).map { index in
            let upper = (units * (index + 1) + count / 2) / count
            let lower = (units * index + count / 2) / count
            return Double(upper - lower) / 10_000
        }
    }

    static func round4(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
