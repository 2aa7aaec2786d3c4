// Reading what one XCTest process printed: did the test run, what failed, where did it crash.
//
// The checker runs one test per process, so the output holds one test's story. It is read line
// by line as it streams (a chatty test may print megabytes), keeping only:
//
//   - the summary `Executed 1 test, with 1 failure …`, to confirm the test ran at all (an unknown
//     name runs nothing and exits 0);
//   - failures, `<path>:<line>: error: <Class>.<test> : <message>`, with the lines after them
//     until XCTest's next `Test Case`/`Test Suite` line, because a failure message can span
//     several lines (a closeness report's table); XCTFail's "failed - " prefix is dropped;
//   - the runtime's last words before a trap, `<Module>/<File>.swift:<line>: Fatal error: …`;
//   - the backtrace that SWIFT_BACKTRACE makes the runtime print on a crash, or on SIGQUIT at a
//     time-out: its frames name functions and `at <path>:<line>:<column>`, and the first frame in
//     the exercise's own file tells the student where their code stopped, even when the trap
//     itself happened inside the standard library (an index out of range).
//
// Left out: output of several tests in one process (the checker runs tests at the same time only
// in separate processes, each with its own output).

import Foundation

/// Collects the facts of one test run from its output lines.
public struct TestRunOutput: Sendable {
    /// An assertion failure: where, and the message lines.
    public struct Failure: Sendable, Equatable {
        public var file: String
        public var line: Int
        public var message: String
    }

    /// A frame of a crash backtrace that names a source file.
    public struct Frame: Sendable, Equatable {
        public var function: String
        public var file: String
        /// nil for the innermost frame of a time-out probe, which often has no line.
        public var line: Int?
    }

    /// How many tests XCTest says it executed (nil if it never said).
    public private(set) var executedCount: Int?
    public private(set) var failures: [Failure] = []
    /// `Fatal error: …`, `Precondition failed: …` and similar, with the location the runtime gave.
    public private(set) var fatalError: (location: String?, message: String)?
    /// What the backtracer says killed the process: "Illegal instruction", "Terminated", ….
    public private(set) var crashKind: String?
    /// Backtrace frames with a source file, innermost first.
    public private(set) var frames: [Frame] = []

    /// Limits that keep a run's memory small whatever it prints.
    static let maximumFailures = 20
    static let maximumLinesPerFailure = 200
    static let maximumFrames = 64

    private var inFailure = false
    private var linesInFailure = 0

    public init() {}

    public mutating func consume(_ rawLine: Substring) {
        let line = String(rawLine)
        if line.hasPrefix("Test Case '") || line.hasPrefix("Test Suite '") {
            inFailure = false
            return
        }
        if let summary = Self.executedCount(in: line) {
            inFailure = false
            executedCount = max(executedCount ?? 0, summary)
            return
        }
        if let failure = Self.parseFailure(line) {
            inFailure = failures.count < Self.maximumFailures
            if inFailure { failures.append(failure) }
            linesInFailure = 1
            return
        }
        if let fatal = Self.parseFatalError(line), fatalError == nil {
            fatalError = fatal
            inFailure = false
            return
        }
        if let kind = Self.parseCrashKind(line) {
            crashKind = kind
            inFailure = false
            return
        }
        if let frame = Self.parseFrame(line) {
            if frames.count < Self.maximumFrames { frames.append(frame) }
            inFailure = false
            return
        }
        if inFailure, linesInFailure < Self.maximumLinesPerFailure {
            failures[failures.count - 1].message += "\n" + line
            linesInFailure += 1
        }
    }

    // MARK: - Line formats

    /// `Executed 3 tests, with 1 failure (0 unexpected) in …` → 3.
    static func executedCount(in line: String) -> Int? {
        guard let range = line.range(of: "Executed ") else { return nil }
        let digits = line[range.upperBound...].prefix { $0.isNumber }
        guard !digits.isEmpty, line[range.upperBound...].dropFirst(digits.count).hasPrefix(" test") else { return nil }
        return Int(digits)
    }

    /// `/path/T.swift:12: error: T.testX : XCTAssertEqual failed: …` → the failure.
    static func parseFailure(_ line: String) -> Failure? {
        guard let marker = line.range(of: ": error: ") else { return nil }
        let location = line[..<marker.lowerBound]
        guard let colon = location.lastIndex(of: ":"), let number = Int(location[location.index(after: colon)...]) else {
            return nil
        }
        let rest = line[marker.upperBound...]
        guard let separator = rest.range(of: " : ") else { return nil }
        var message = String(rest[separator.upperBound...])
        if message.hasPrefix("failed - ") { message.removeFirst("failed - ".count) }   // XCTFail's prefix
        return Failure(file: String(location[..<colon]), line: number, message: message)
    }

    /// `ExerciseX/X.swift:5: Fatal error: message` → (location, "Fatal error: message").
    static func parseFatalError(_ line: String) -> (location: String?, message: String)? {
        for kind in ["Fatal error", "Precondition failed", "Assertion failed"] {
            guard let range = line.range(of: kind) else { continue }
            // The kind ends the line or is followed by ": message".
            let after = line[range.upperBound...]
            guard after.isEmpty || after.hasPrefix(": ") else { continue }
            let before = line[..<range.lowerBound]
            let message = String(line[range.lowerBound...])
            if before.isEmpty { return (nil, message) }
            guard before.hasSuffix(": ") else { continue }
            return (String(before.dropLast(2)), message)
        }
        return nil
    }

    /// `*** Program crashed: Illegal instruction at 0x… ***` → "Illegal instruction".
    static func parseCrashKind(_ line: String) -> String? {
        guard let range = line.range(of: "Program crashed: ") else { return nil }
        let rest = line[range.upperBound...]
        let end = rest.range(of: " at 0x")?.lowerBound ?? rest.range(of: " ***")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    /// `  3 [ra] 0x… third(_:) + 40 in Bundle.xctest at /path/File.swift:5:25` → the frame.
    static func parseFrame(_ line: String) -> Frame? {
        let trimmed = line.drop { $0 == " " }
        guard let first = trimmed.first, first.isNumber, let at = line.range(of: " at /", options: .backwards),
              let address = line.range(of: " 0x") else { return nil }
        var location = line[line.index(after: at.lowerBound)...].dropFirst("at ".count)
        var number: Int?
        // `path:line:column`, or just `path` for an innermost frame without line information.
        if let lastColon = location.lastIndex(of: ":"), Int(location[location.index(after: lastColon)...]) != nil,
           let lineColon = location[..<lastColon].lastIndex(of: ":"),
           let lineNumber = Int(location[location.index(after: lineColon)..<lastColon]) {
            number = lineNumber
            location = location[..<lineColon]
        }
        guard location.hasSuffix(".swift") else { return nil }
        // The function is between the address and " + offset in …".
        let afterAddress = line[address.upperBound...].drop { $0 != " " }.dropFirst()
        let function = afterAddress.range(of: " + ").map { String(afterAddress[..<$0.lowerBound]) } ?? String(afterAddress)
        return Frame(function: function, file: String(location), line: number)
    }
}
