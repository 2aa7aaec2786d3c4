// Running the built `lab` tool as a subprocess, the way a student or a script runs it.
//
// The binary sits next to the test bundle in the build folder (`.build/debug/lab` beside
// `.build/debug/OpenModelLabPackageTests.xctest`): on Linux the bundle is the executable the
// test process runs (`arguments[0]`), on macOS it is a bundle whose folder is found with `Bundle`.
// `LAB_BINARY` overrides both. A test is skipped, with the reason, when no binary is found (e.g.
// a test run that did not build the `lab` product). Output goes to temporary files rather than
// pipes, so a command that prints a lot can never block on a full pipe; a deadline ends a
// command that hangs. Left out: interactive terminals (every run here has pipes or files for
// its standard streams, so the no-color, no-progress paths are the ones tested).

import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one run of `lab` did.
struct LabRun {
    let arguments: [String]
    /// The exit status, or nil when the process was killed by a signal.
    let status: Int32?
    /// The signal that ended the process (a crash: 4 = trap, 11 = segmentation fault), if any.
    let signal: Int32?
    let standardOutput: Data
    let standardError: Data

    var output: String { String(decoding: standardOutput, as: UTF8.self) }
    var errors: String { String(decoding: standardError, as: UTF8.self) }

    /// For assertion messages: the command line and what it printed.
    var transcript: String {
        "lab \(arguments.joined(separator: " ")) -> status \(status.map(String.init) ?? "none"), "
            + "signal \(signal.map(String.init) ?? "none")\nstdout: \(output.prefix(2000))\nstderr: \(errors.prefix(2000))"
    }
}

enum LabTool {
    /// The `lab` executable of this build, or nil.
    static let binary: URL? = {
        var folders: [URL] = []
        if let override = ProcessInfo.processInfo.environment["LAB_BINARY"] {
            return URL(fileURLWithPath: override)
        }
        folders.append(URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        return folders.map { $0.appendingPathComponent("lab") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// The binary, or an `XCTSkip` saying why the test cannot run.
    static func requireBinary() throws -> URL {
        guard let binary else {
            throw XCTSkip("the lab executable was not found next to the test bundle "
                + "(\(ProcessInfo.processInfo.arguments[0])); build it with `swift build --build-tests` or set LAB_BINARY")
        }
        return binary
    }

    /// Another executable of this build (a lesson: `tensors`), found beside `lab`.
    static func requireSibling(_ name: String) throws -> URL {
        let sibling = try requireBinary().deletingLastPathComponent().appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: sibling.path) else {
            throw XCTSkip("\(sibling.path) was not built; build it with `swift build --build-tests`")
        }
        return sibling
    }

    /// Runs `lab` (or `program`, another executable beside it) with `arguments` in `folder`,
    /// feeding `input` to its standard input (empty when nil), with extra environment variables,
    /// and waits at most `deadline` seconds.
    @discardableResult
    static func run(_ arguments: [String], program: String? = nil, input: Data? = nil, in folder: URL,
                    environment: [String: String] = [:], deadline: Double = 60) throws -> LabRun {
        let binary = try program.map(requireSibling) ?? requireBinary()
        let id = UUID().uuidString
        let outputURL = folder.appendingPathComponent(".stdout-\(id)")
        let errorURL = folder.appendingPathComponent(".stderr-\(id)")
        let inputURL = folder.appendingPathComponent(".stdin-\(id)")
        defer {
            for url in [outputURL, errorURL, inputURL] { try? FileManager.default.removeItem(at: url) }
        }
        try (input ?? Data()).write(to: inputURL)
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)
        let standardInput = try FileHandle(forReadingFrom: inputURL)
        let standardOutput = try FileHandle(forWritingTo: outputURL)
        let standardError = try FileHandle(forWritingTo: errorURL)
        defer {
            try? standardInput.close()
            try? standardOutput.close()
            try? standardError.close()
        }

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var variables = ProcessInfo.processInfo.environment
        // The default for tests: no colors, whatever the environment of the test run says.
        variables["FORCE_COLOR"] = nil
        variables["NO_COLOR"] = nil
        variables.merge(environment) { $1 }
        process.environment = variables
        process.standardInput = standardInput
        process.standardOutput = standardOutput
        process.standardError = standardError
        try process.run()
        let start = Date()
        while process.isRunning && Date().timeIntervalSince(start) < deadline {
            usleep(5_000)
        }
        if process.isRunning {
            process.terminate()
            usleep(200_000)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            XCTFail("lab \(arguments.joined(separator: " ")) did not finish within \(deadline) s; it was stopped")
        }
        process.waitUntilExit()
        let exited = process.terminationReason == .exit
        return LabRun(arguments: arguments, status: exited ? process.terminationStatus : nil,
                      signal: exited ? nil : process.terminationStatus,
                      standardOutput: try Data(contentsOf: outputURL), standardError: try Data(contentsOf: errorURL))
    }
}

/// A fresh temporary folder for one test, removed afterwards.
func makeTemporaryFolder(_ test: XCTestCase) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lab-cli-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder.resolvingSymlinksInPath()
}

// MARK: - Assertions

/// Asserts that `run` exited normally with `status`.
func assertStatus(_ run: LabRun, _ status: Int32, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertNil(run.signal, "lab crashed (signal \(run.signal ?? 0)) instead of reporting an error\n\(run.transcript)",
                 file: file, line: line)
    XCTAssertEqual(run.status, status, "unexpected exit status\n\(run.transcript)", file: file, line: line)
}

/// Asserts a clean failure: the given non-zero exit status, no crash, nothing on standard
/// output, and a message on standard error containing every one of `phrases`.
func assertFailure(_ run: LabRun, status: Int32, mentioning phrases: [String],
                   file: StaticString = #filePath, line: UInt = #line) {
    assertStatus(run, status, file: file, line: line)
    XCTAssertTrue(run.output.isEmpty, "a failed command printed to standard output\n\(run.transcript)", file: file, line: line)
    for phrase in phrases {
        XCTAssertTrue(run.errors.contains(phrase), "the error message does not mention \(phrase.debugDescription)\n\(run.transcript)",
                      file: file, line: line)
    }
    XCTAssertFalse(run.errors.contains("Fatal error") || run.errors.contains("Stack dump"),
                   "the error looks like a crash report\n\(run.transcript)", file: file, line: line)
}
