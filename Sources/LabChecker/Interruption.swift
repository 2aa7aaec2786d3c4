// Ctrl-C while the checker runs: stop the child, clean up, and only then exit.
//
// The default action of SIGINT would end `lab` at once and leave the current test process (in a
// process group of its own, so the terminal's Ctrl-C never reaches it) running. Instead, `lab`
// ignores the signal's default action and watches for it with a Dispatch signal source, which runs
// ordinary Swift code on a queue (a C signal handler could do almost nothing safely). The checker
// polls `Interruption.requested` between tests and while a child runs (Subprocess's
// `isCancelled`), kills the child's group, and returns; the command then exits with status 130,
// the shell convention for "ended by SIGINT". SIGTERM and SIGHUP are handled the same way.
//
// Left out: tests never install this (it would change how the test process itself reacts to
// Ctrl-C); they pass their own `isCancelled` closure instead.

import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Interruption {
    private static let state = State()
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var requested = false
        var sources: [any DispatchSourceSignal] = []
    }

    /// Starts watching for SIGINT, SIGTERM and SIGHUP. Call once, early, in the command-line tool.
    public static func install() {
        state.lock.lock(); defer { state.lock.unlock() }
        guard state.sources.isEmpty else { return }
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)   // the source below sees it; the default action (exit) must not happen
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                state.lock.lock(); defer { state.lock.unlock() }
                state.requested = true
            }
            source.resume()
            state.sources.append(source)
        }
    }

    /// Whether the user asked to stop.
    public static var requested: Bool {
        state.lock.lock(); defer { state.lock.unlock() }
        return state.requested
    }

    /// The exit status for an interrupted command: 128 + SIGINT.
    public static let exitStatus: Int32 = 130
}
