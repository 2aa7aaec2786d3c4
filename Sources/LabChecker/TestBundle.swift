// The built test bundle: finding it, listing its tests, and running one test in its own process.
//
// `swift build --build-tests` links every test target into one bundle,
// `<Package>PackageTests.xctest`, in the scratch path's `debug` folder. On Linux the bundle is an
// executable: `bundle --list-tests` lists `Target.Class/test` specifiers and `bundle <specifier>`
// runs one test (about 25 ms). On macOS it is loaded by `xcrun xctest -XCTest <specifier> <bundle>`,
// and the list comes from `swift test --list-tests --skip-build`. Running the bundle directly
// instead of through `swift test` skips SwiftPM's start-up for every test, and lets the checker
// own the process: its time limit, its output, its end.
//
// Every test runs with SWIFT_BACKTRACE set so that a crash prints the crashed thread's stack with
// file and line numbers (see TestRunOutput.swift), without colors or an interactive prompt.
//
// Left out: scheduling. This file runs one test per call; ExerciseTestRun.swift runs an
// exercise's tests several at a time, each still in a process of its own.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct TestBundle: Sendable {
    /// The bundle, `<scratch>/debug/<Package>PackageTests.xctest`.
    public let url: URL
    /// The environment for listing and running (the build's, plus SWIFT_BACKTRACE).
    public let environment: [String: String]

    /// The backtrace settings for test processes: the crashed thread only, with source locations,
    /// no prompt, no colors, no registers or image list.
    public static let backtraceSetting =
        "enable=yes,interactive=no,threads=crashed,registers=none,images=none,sanitize=yes,color=no"

    /// Finds the bundle in a scratch path after a successful build.
    public static func locate(scratchPath: URL, environment: [String: String]) throws -> TestBundle {
        let folder = scratchPath.appendingPathComponent("debug", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let bundles = names.filter { $0.hasSuffix("PackageTests.xctest") }.sorted()
        guard bundles.count == 1 else {
            throw CheckerError("expected one test bundle (*PackageTests.xctest) in \(folder.path), found "
                + (bundles.isEmpty ? "none" : bundles.joined(separator: ", ")))
        }
        var environment = environment
        environment["SWIFT_BACKTRACE"] = backtraceSetting
        return TestBundle(url: folder.appendingPathComponent(bundles[0]), environment: environment)
    }

    /// The test specifiers in the bundle, `Target.Class/testName`, in XCTest's listing order.
    ///
    /// - Parameter swiftTestArguments: on macOS, the package and scratch arguments for
    ///   `swift test --list-tests --skip-build` (ignored on Linux).
    public func listTests(swiftTestArguments: [String], isCancelled: () -> Bool = { false }) throws -> [String] {
        var specifiers: [String] = []
        #if os(Linux)
        let (executable, arguments) = (url.path, ["--list-tests"])
        #else
        let (executable, arguments) = ("swift", ["test", "--list-tests", "--skip-build"] + swiftTestArguments)
        #endif
        let result = try Subprocess.run(executable, arguments, environment: environment, timeout: 120,
                                        isCancelled: isCancelled) { line in
            if Self.isSpecifier(line) { specifiers.append(String(line)) }
        }
        guard result.termination == .exited(0) else {
            if result.termination == .cancelled { throw CheckerError("interrupted") }
            throw CheckerError("cannot list the tests of \(url.lastPathComponent): \(result.termination)\n\(result.tail)")
        }
        return specifiers
    }

    /// Runs the single test `specifier` in a new process and reads its output.
    public func run(_ specifier: String, timeout: Double,
                    isCancelled: () -> Bool = { false }) throws -> (SubprocessResult, TestRunOutput) {
        #if os(Linux)
        let (executable, arguments) = (url.path, [specifier])
        // At the time limit, SIGQUIT first: the backtracer then prints where the test was stuck.
        let probe: TimeoutProbe? = TimeoutProbe(signal: SIGQUIT, grace: 2, finishedMarker: "Backtrace took")
        #else
        let (executable, arguments) = ("xcrun", ["xctest", "-XCTest", specifier, url.path])
        let probe: TimeoutProbe? = nil
        #endif
        var output = TestRunOutput()
        let result = try Subprocess.run(executable, arguments, environment: environment, timeout: timeout,
                                        probe: probe, tailLimit: 16 * 1024, isCancelled: isCancelled) { line in
            output.consume(line)
        }
        return (result, output)
    }

    /// `ExerciseTests.DotProductTests/testEmpty` (identifier characters around one dot and one slash).
    static func isSpecifier(_ line: Substring) -> Bool {
        guard let slash = line.firstIndex(of: "/"), let dot = line[..<slash].firstIndex(of: ".") else { return false }
        let parts = [line[..<dot], line[line.index(after: dot)..<slash], line[line.index(after: slash)...]]
        return parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
        }
    }
}
