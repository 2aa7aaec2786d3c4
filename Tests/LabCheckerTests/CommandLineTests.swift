// The `lab` executable itself on the checker fixture: exit statuses, report files, Ctrl-C, and
// the student commands end to end. The executable is the one `swift test` built next to the test
// bundle; where it is not found (e.g. under Xcode), these tests are skipped.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import LabChecker
import LabTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class CommandLineTests: XCTestCase {
    private var lab: URL!
    private var temporary: URL!

    override func setUpWithError() throws {
        let besideBundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lab")
        guard FileManager.default.isExecutableFile(atPath: besideBundle.path) else {
            throw XCTSkip("the lab executable is not next to the test bundle (\(besideBundle.path))")
        }
        lab = besideBundle
        temporary = FileManager.default.temporaryDirectory.appendingPathComponent("lab-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let temporary { try? FileManager.default.removeItem(at: temporary) }
        // `lab check` on the fixture records progress there; the fixture stays as committed.
        try? FileManager.default.removeItem(at: CheckerFixture.root.appendingPathComponent(".lab"))
    }

    /// Runs lab with `arguments`; returns the termination and the output lines.
    @discardableResult
    private func run(_ arguments: [String], timeout: Double = 300, isCancelled: () -> Bool = { false },
                     onLine: (String) -> Void = { _ in }) throws -> (Termination, [String]) {
        var lines: [String] = []
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        let result = try Subprocess.run(lab.path, arguments, environment: environment, timeout: timeout,
                                        isCancelled: isCancelled, onLine: {
            lines.append(String($0))
            onLine(String($0))
        })
        return (result.termination, lines)
    }

    private func fixtureArguments(timeout: Int = Int(CheckerFixture.timeout)) -> [String] {
        ["--package-path", CheckerFixture.root.path,
         "--scratch-path", CheckerFixture.scratchRoot.appendingPathComponent("exercises").path, "--timeout", "\(timeout)"]
    }

    func testCheckExitsOneAndWritesAJUnitFileWithEveryTest() throws {
        let file = temporary.appendingPathComponent("reports/junit.xml")
        let (termination, lines) = try run(["check"] + fixtureArguments() + ["--jobs", "2", "--format", "junit", "--output", file.path])
        XCTAssertEqual(termination, .exited(1), lines.joined(separator: "\n"))
        // The looping exercise's 4 tests: 1 or 2 (the two running at once) time out, the rest are not run.
        XCTAssertTrue(lines.contains { $0.hasPrefix("tests: 4 passed, 4 failed, 3 crashed, 1 timed out, 2 not compiled, 3 not run")
                                       || $0.hasPrefix("tests: 4 passed, 4 failed, 3 crashed, 2 timed out, 2 not compiled, 2 not run") },
                      lines.joined(separator: "\n"))
        let (document, error) = JUnitDocument.parse(try String(contentsOf: file, encoding: .utf8))
        XCTAssertNil(error)
        XCTAssertEqual(document?.cases.count, 17, "every test, those not run included")
        XCTAssertEqual(document?.rootAttributes["errors"], "9", "3 crashed + 4 timed out or not run + 2 not compiled")
        let notRun = document?.cases.filter { $0.type == "not-run" } ?? []
        XCTAssertTrue([2, 3].contains(notRun.count), "tests not run: \(notRun.map(\.name))")
        XCTAssertTrue(notRun.allSatisfy { $0.message?.contains("timed out") == true }, "the reason names the hang")
    }

    func testCheckOfPassingExerciseExitsZeroAndGradescopeGoesToStandardOutput() throws {
        let (termination, lines) = try run(["check", "fixtures.passing", "--format", "gradescope"] + fixtureArguments())
        XCTAssertEqual(termination, .exited(0), lines.joined(separator: "\n"))
        // Standard output and error share the pipe here; the JSON object is on its own lines.
        let json = lines.drop { $0 != "{" }.prefix { $0 != "}" } + ["}"]
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.joined(separator: "\n").utf8)) as? [String: Any],
                                 lines.joined(separator: "\n"))
        XCTAssertEqual(root["score"] as? Double, 2, "fixtures.passing is worth 2 points")
        XCTAssertEqual((root["tests"] as? [Any])?.count, 2)
    }

    func testCtrlCStopsTheRunningTestAndExitsWith130() throws {
        #if os(Linux)
        _ = testProcessMark  // lab and its test processes inherit it (see runningProcesses)
        let process = Process()
        process.executableURL = lab
        process.arguments = ["check", "fixtures.infinite-loop"] + fixtureArguments(timeout: 60)
        let log = temporary.appendingPathComponent("interrupted.txt")
        XCTAssertTrue(FileManager.default.createFile(atPath: log.path, contents: nil))
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // Wait until the endless test runs (after the build), then press Ctrl-C.
        let deadline = Date().addingTimeInterval(180)
        while runningProcesses(containing: "InfiniteLoopTests").isEmpty && Date() < deadline && process.isRunning {
            usleep(50_000)
        }
        XCTAssertFalse(runningProcesses(containing: "InfiniteLoopTests").isEmpty, "the endless test never started")
        let interrupted = Date()
        process.interrupt()
        while process.isRunning && Date().timeIntervalSince(interrupted) < 10 { usleep(20_000) }
        XCTAssertFalse(process.isRunning, "lab did not stop within 10 s of Ctrl-C")
        let output = try String(contentsOf: log, encoding: .utf8)
        XCTAssertEqual(process.terminationStatus, 130, output)
        XCTAssertEqual(runningProcesses(containing: "InfiniteLoopTests"), [], "the test process was stopped too")
        XCTAssertTrue(output.contains("interrupted; no test process is left running"), output)
        #else
        throw XCTSkip("process listing via /proc is Linux-only")
        #endif
    }

    func testEveryCommandTheTeachingGuideUsesExists() throws {
        let (termination, help) = try run(["--help"])
        XCTAssertEqual(termination, .exited(0))
        let commands = Set(help.compactMap { line -> String? in
            line.hasPrefix("  ") ? line.split(separator: " ").first.map(String.init) : nil
        })
        let guide = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("TEACHING.md"), encoding: .utf8)
        // `swift run lab <command>` and `` `lab <command>` `` in the guide.
        let used = Set(["swift run lab ", "`lab "].flatMap { marker in
            guide.components(separatedBy: marker).dropFirst().compactMap { rest -> String? in
                let word = rest.prefix { $0.isLetter || $0 == "-" }
                return word.isEmpty ? nil : String(word)
            }
        })
        XCTAssertFalse(used.isEmpty)
        XCTAssertEqual(used.subtracting(commands), [], "TEACHING.md uses commands that `lab --help` does not list: \(commands)")
        for command in used {
            XCTAssertEqual(try run([command, "--help"]).0, .exited(0), "lab \(command) --help")
        }
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try run(["check", "--format", "xml"] + fixtureArguments()).0, .exited(2))
        XCTAssertEqual(try run(["check", "no-such-exercise"] + fixtureArguments()).0, .exited(2))
        XCTAssertEqual(try run(["hint", "--package-path", CheckerFixture.root.path, "nope"]).0, .exited(2))
    }
}
