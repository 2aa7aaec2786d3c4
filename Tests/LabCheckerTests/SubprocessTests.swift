// Subprocess: exit statuses, signals, deadlines, cancellation, huge output, and that nothing
// started by a child survives its end. Children are small `/bin/sh` scripts.

import Foundation
import XCTest
@testable import LabChecker
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class SubprocessTests: XCTestCase {
    private var temporary: URL!

    override func setUpWithError() throws {
        temporary = FileManager.default.temporaryDirectory.appendingPathComponent("subprocess-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: temporary)
    }

    private func shell(_ script: String, timeout: Double? = nil, probe: TimeoutProbe? = nil,
                       isCancelled: () -> Bool = { false }, lines: inout [String]) throws -> SubprocessResult {
        var collected: [String] = []
        let result = try Subprocess.run("/bin/sh", ["-c", script], timeout: timeout, probe: probe,
                                        isCancelled: isCancelled, onLine: { collected.append(String($0)) })
        lines = collected
        return result
    }

    /// Whether a process with this id is alive, waiting up to a second for a killed one to go
    /// (signal 0 probes without sending anything; a zombie waiting for its reaper counts as gone).
    private func isRunning(_ pid: Int32) -> Bool {
        for _ in 0..<50 {
            if kill(pid, 0) != 0 && errno == ESRCH { return false }
            #if os(Linux)
            // /proc/<pid>/stat: "pid (name) STATE …"; Z is a zombie.
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
               let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "Z" { return false }
            #endif
            usleep(20_000)
        }
        return true
    }

    private func readPid(_ name: String) throws -> Int32 {
        let text = try String(contentsOf: temporary.appendingPathComponent(name), encoding: .utf8)
        return try XCTUnwrap(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), "no pid in \(name): \(text)")
    }

    func testExitStatusAndLinesAreReported() throws {
        var lines: [String] = []
        let result = try shell("echo one; echo two >&2; printf three; exit 3", lines: &lines)
        XCTAssertEqual(result.termination, .exited(3))
        XCTAssertEqual(lines, ["one", "two", "three"], "stdout and stderr in one stream; a last line without newline too")
        XCTAssertEqual(result.totalBytes, "one\ntwo\nthree".utf8.count)
    }

    func testTrapIsReportedAsItsSignal() throws {
        var lines: [String] = []
        let result = try shell("kill -ILL $$", lines: &lines)
        XCTAssertEqual(result.termination, .signaled(SIGILL), "a Swift trap is SIGILL (4) on x86-64 and arm64 Linux")
    }

    func testStandardInputIsEmptySoReadingDoesNotHang() throws {
        var lines: [String] = []
        let result = try shell("cat; echo done", timeout: 10, lines: &lines)
        XCTAssertEqual(result.termination, .exited(0))
        XCTAssertEqual(lines, ["done"])
    }

    func testDeadlineKillsTheChildAndItsChildren() throws {
        var lines: [String] = []
        let start = Date()
        // The script starts a background sleep (same process group), records both ids, then waits.
        let result = try shell("sleep 30 & echo $! > \(temporary.path)/child; echo $$ > \(temporary.path)/parent; wait",
                               timeout: 0.5, lines: &lines)
        XCTAssertEqual(result.termination, .timedOut)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5, "SIGTERM ends a sleeping shell at once")
        XCTAssertFalse(isRunning(try readPid("parent")), "the child itself is gone")
        XCTAssertFalse(isRunning(try readPid("child")), "its background child is gone too: the whole group was killed")
    }

    func testChildThatIgnoresSigtermIsKilled() throws {
        var lines: [String] = []
        let start = Date()
        let result = try shell("trap '' TERM; echo $$ > \(temporary.path)/parent; while :; do :; done",
                               timeout: 0.3, lines: &lines)
        XCTAssertEqual(result.termination, .timedOut)
        XCTAssertLessThan(Date().timeIntervalSince(start), 6, "SIGKILL follows SIGTERM after about a second")
        XCTAssertFalse(isRunning(try readPid("parent")))
    }

    func testLeftoverGrandchildIsKilledAfterANormalExit() throws {
        var lines: [String] = []
        // The shell exits at once and leaves a sleep behind in its process group.
        let result = try shell("sleep 30 > /dev/null 2>&1 & echo $! > \(temporary.path)/child; exit 0", timeout: 10, lines: &lines)
        XCTAssertEqual(result.termination, .exited(0))
        XCTAssertFalse(isRunning(try readPid("child")), "a process the test left behind is killed with its group")
    }

    func testCancellationStopsTheChild() throws {
        var lines: [String] = []
        let start = Date()
        let result = try shell("echo $$ > \(temporary.path)/parent; sleep 30",
                               isCancelled: { Date().timeIntervalSince(start) > 0.3 }, lines: &lines)
        XCTAssertEqual(result.termination, .cancelled)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertFalse(isRunning(try readPid("parent")))
    }

    func testProbeSignalComesBeforeTheKillAndItsReportIsRead() throws {
        var lines: [String] = []
        let probe = TimeoutProbe(signal: SIGQUIT, grace: 5, finishedMarker: "report done")
        let start = Date()
        let result = try shell("trap 'echo stuck in the loop; echo report done' QUIT; while :; do sleep 0.05; done",
                               timeout: 0.3, probe: probe, lines: &lines)
        XCTAssertEqual(result.termination, .timedOut)
        XCTAssertEqual(lines, ["stuck in the loop", "report done"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 4, "the marker ends the grace period early")
    }

    func testMegabytesOfOutputKeepOnlyTheTail() throws {
        var count = 0
        var last = ""
        // 20 MB in lines of 16 x's.
        let result = try Subprocess.run("/bin/sh", ["-c", "yes xxxxxxxxxxxxxxxx | head -c 20000000; echo end"],
                                        timeout: 60, tailLimit: 1000, onLine: { line in
            count += 1
            last = String(line)
        })
        XCTAssertEqual(result.termination, .exited(0))
        XCTAssertEqual(result.totalBytes, 20_000_000 + 4)
        XCTAssertEqual(count, 20_000_000 / 17 + 1, "every line was handed over, then the last one")
        // 20 000 000 = 17 · 1 176 470 + 10: ten x's are left over and run into the echo.
        let leftover = String(repeating: "x", count: 20_000_000 % 17)
        XCTAssertEqual(last, leftover + "end")
        XCTAssertLessThanOrEqual(result.tail.utf8.count, 1000, "only the tail is kept")
        XCTAssertTrue(result.tail.hasSuffix("xxxxxxxxxxxxxxxx\n\(leftover)end\n"), "the tail ends with the output's end")
    }

    func testVeryLongLineIsCut() throws {
        var lines: [String] = []
        let result = try shell("head -c 200000 /dev/zero | tr '\\0' y; echo; echo after", lines: &lines)
        XCTAssertEqual(result.termination, .exited(0))
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines.first?.prefix(LineReader.maximumLineLength).allSatisfy { $0 == "y" }, true)
        XCTAssertTrue(lines.first?.hasSuffix("[… line cut at 64 KB]") == true)
        XCTAssertEqual(lines.last, "after")
    }

    func testMissingExecutableThrows() {
        XCTAssertThrowsError(try Subprocess.run("/nonexistent/tool", [])) { error in
            XCTAssertTrue("\(error)".contains("cannot run /nonexistent/tool"), "\(error)")
        }
    }

    func testEnvironmentIsPassedExactly() throws {
        var lines: [String] = []
        let result = try Subprocess.run("/bin/sh", ["-c", "echo \"$LAB_PROBE:${HOME-unset}\""],
                                        environment: ["LAB_PROBE": "seen", "PATH": "/usr/bin:/bin"],
                                        onLine: { lines.append(String($0)) })
        XCTAssertEqual(result.termination, .exited(0))
        XCTAssertEqual(lines, ["seen:unset"], "only the given variables reach the child")
    }
}
