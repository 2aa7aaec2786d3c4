// Running a child process with a deadline, its output captured, and nothing left behind.
//
// The checker runs code it does not trust: a student's exercise may trap, loop forever or print
// without end. So every child (`swift build`, one test) is started with `posix_spawn` in a process
// group of its own, with standard input from /dev/null and standard output and error into one
// pipe that this process drains while it waits. At the deadline, or when the run is cancelled
// (Ctrl-C), the whole group gets SIGTERM, then SIGKILL a moment later; after a normal exit the
// group gets SIGKILL too, in case the child left a grandchild running. Because the child is in
// its own group, the terminal's Ctrl-C reaches only `lab`, which then stops the child itself.
//
// Output is never stored whole: each complete line goes to a handler (the caller keeps what it
// needs), very long lines are cut, and only the last `tailLimit` bytes are kept verbatim. A test
// that prints gigabytes costs time, not memory or disk.
//
// Left out: a child that outlives SIGKILL of its group by starting a new session of its own
// (test code does not do that), and cleanup if `lab` itself is killed with SIGKILL.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child process ended.
public enum Termination: Sendable, Equatable {
    /// It exited by itself with this status.
    case exited(Int32)
    /// A signal ended it (4 = SIGILL is a Swift trap, 11 = SIGSEGV, 6 = SIGABRT).
    case signaled(Int32)
    /// It was still running at the deadline and was killed.
    case timedOut
    /// The caller cancelled the run (Ctrl-C) and the child was killed.
    case cancelled
}

/// The end of a child process and what it printed.
public struct SubprocessResult: Sendable {
    public var termination: Termination
    /// The last bytes of standard output and error together (up to the tail limit), as text.
    public var tail: String
    /// How many bytes the child printed in total.
    public var totalBytes: Int
    /// Wall-clock time from start to end, in seconds.
    public var duration: Double
}

/// What to do at a deadline before killing: send `signal` to the child and give it up to `grace`
/// seconds, or until it prints a line containing `finishedMarker`, to report where it was.
/// The checker sends SIGQUIT on Linux, where Swift's backtracer then prints the stuck thread's
/// stack, so "timed out" can name the student's function.
public struct TimeoutProbe: Sendable {
    public var signal: Int32
    public var grace: Double
    public var finishedMarker: String

    public init(signal: Int32, grace: Double, finishedMarker: String) {
        self.signal = signal
        self.grace = grace
        self.finishedMarker = finishedMarker
    }
}

/// A failure to start a process at all (not a failure of the process itself).
public struct SubprocessError: Error, CustomStringConvertible {
    public let description: String
}

public enum Subprocess {
    /// Runs `executable` (a path, or a name looked up in PATH) with `arguments` and waits for it.
    ///
    /// - Parameters:
    ///   - environment: the child's complete environment
    ///   - timeout: seconds until the child is killed, or nil for no deadline
    ///   - probe: a signal to send first at the deadline, so the child can say where it was
    ///   - tailLimit: how many of the last bytes of output to keep in `tail`
    ///   - isCancelled: polled about every 20 ms; when it returns true the child is killed
    ///   - onLine: called with each complete line of output, without its newline (lines longer
    ///     than 64 KB are cut there)
    public static func run(_ executable: String, _ arguments: [String],
                           environment: [String: String] = ProcessInfo.processInfo.environment,
                           timeout: Double? = nil, probe: TimeoutProbe? = nil, tailLimit: Int = 64 * 1024,
                           isCancelled: () -> Bool = { false },
                           onLine: (Substring) -> Void = { _ in }) throws -> SubprocessResult {
        let start = Date()
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw SubprocessError(description: "cannot create a pipe: \(errnoText())") }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        // Neither end may leak into other children; dup2 in the child clears the flag on 1 and 2.
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        defer { close(readEnd) }

        let pid: pid_t
        do {
            pid = try spawn(executable, arguments, environment: environment, output: writeEnd)
        } catch {
            close(writeEnd)
            throw error
        }
        close(writeEnd)   // the child holds the only write end now: end of file when it is gone

        var reader = LineReader(tailLimit: tailLimit)
        let deadline = timeout.map { start.addingTimeInterval($0) }
        var probeDeadline: Date?      // set while waiting for the probe's report
        var probeFinished = false
        var status: Int32 = 0
        var stopReason: Termination?
        var pipeOpen = true
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        func handleLine(_ line: Substring) {
            if probeDeadline != nil, let marker = probe?.finishedMarker, line.contains(marker) { probeFinished = true }
            onLine(line)
        }

        while true {
            if pipeOpen {
                // Wait up to 20 ms for output, then read what there is.
                var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
                if poll(&descriptor, 1, 20) > 0 {
                    let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                    if count > 0 { reader.consume(buffer[0..<count], onLine: handleLine) }
                    else if count == 0 { pipeOpen = false }
                }
            } else {
                usleep(20_000)
            }
            if waitpid(pid, &status, WNOHANG) == pid {
                if probeDeadline != nil { stopReason = .timedOut }   // it died of the probe
                break
            }
            let now = Date()
            if isCancelled() {
                stopReason = .cancelled
            } else if let until = probeDeadline {
                if probeFinished || now >= until { stopReason = .timedOut }
            } else if let deadline, now >= deadline {
                if let probe {
                    _ = kill(pid, probe.signal)
                    probeDeadline = now.addingTimeInterval(probe.grace)
                } else {
                    stopReason = .timedOut
                }
            }
            if stopReason != nil {
                status = stop(group: pid)
                break
            }
        }
        // Whatever is left in the group goes too; then drain the pipe (non-blocking, the writers are gone).
        _ = kill(-pid, SIGKILL)
        if pipeOpen { drain(readEnd, into: &reader, buffer: &buffer, onLine: handleLine) }
        reader.finish(onLine: handleLine)

        let termination: Termination
        if let stopReason { termination = stopReason }
        else if status & 0x7f == 0 { termination = .exited((status >> 8) & 0xff) }
        else { termination = .signaled(status & 0x7f) }
        return SubprocessResult(termination: termination, tail: reader.tailText, totalBytes: reader.totalBytes,
                                duration: Date().timeIntervalSince(start))
    }

    // MARK: - Starting

    private static func spawn(_ executable: String, _ arguments: [String], environment: [String: String],
                              output: Int32) throws -> pid_t {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)

        // A process group of its own (so the group can be killed), default signal handling and
        // no blocked signals (whatever `lab` ignores or blocks, the child must not inherit).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
        var noneBlocked = sigset_t()
        sigemptyset(&noneBlocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &noneBlocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        let flags = Int32(POSIX_SPAWN_SETPGROUP) | Int32(POSIX_SPAWN_SETSIGDEF) | Int32(POSIX_SPAWN_SETSIGMASK)
        posix_spawnattr_setflags(&attributes, Int16(truncatingIfNeeded: flags))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        // posix_spawnp looks a bare name up in this process's PATH.
        let result = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw SubprocessError(description: "cannot run \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    // MARK: - Stopping

    /// SIGTERM to the whole group, up to one second's grace, then SIGKILL; returns the wait status.
    private static func stop(group pid: pid_t) -> Int32 {
        var status: Int32 = 0
        _ = kill(-pid, SIGTERM)
        for _ in 0..<50 {
            if waitpid(pid, &status, WNOHANG) == pid { return status }
            usleep(20_000)
        }
        _ = kill(-pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        return status
    }

    private static func drain(_ fd: Int32, into reader: inout LineReader, buffer: inout [UInt8],
                              onLine: (Substring) -> Void) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            reader.consume(buffer[0..<count], onLine: onLine)
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// Splits a byte stream into lines for a handler and keeps the last bytes verbatim.
struct LineReader {
    /// Longer lines are cut here (the rest of the line is dropped, not split into more lines).
    static let maximumLineLength = 64 * 1024

    let tailLimit: Int
    private(set) var totalBytes = 0
    private var line: [UInt8] = []
    private var lineCut = false
    private var tail: [UInt8] = []

    init(tailLimit: Int) { self.tailLimit = tailLimit }

    mutating func consume(_ bytes: ArraySlice<UInt8>, onLine: (Substring) -> Void) {
        totalBytes += bytes.count
        tail.append(contentsOf: bytes.suffix(tailLimit))
        if tail.count > 2 * tailLimit { tail.removeFirst(tail.count - tailLimit) }
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                emit(onLine)
            } else if line.count < Self.maximumLineLength {
                line.append(byte)
            } else {
                lineCut = true
            }
        }
    }

    /// Hands over a last line without a newline.
    mutating func finish(onLine: (Substring) -> Void) {
        if !line.isEmpty || lineCut { emit(onLine) }
    }

    var tailText: String { String(decoding: tail.suffix(tailLimit), as: UTF8.self) }

    private mutating func emit(_ onLine: (Substring) -> Void) {
        var text = String(decoding: line, as: UTF8.self)
        if lineCut { text += " [… line cut at \(Self.maximumLineLength / 1024) KB]" }
        onLine(Substring(text))
        line.removeAll(keepingCapacity: true)
        lineCut = false
    }
}
