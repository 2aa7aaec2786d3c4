// Terminal: what the notebook needs to know about where its output goes and where keys come from.
//
// Colors follow the common conventions (no-color.org, force-color.org): on only when standard
// output is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`; a non-empty
// `FORCE_COLOR` (other than "0") turns them on even when piped, and `--no-color` always turns
// them off. Step mode reads one key without waiting for Enter (termios: canonical mode and echo
// off, restored afterwards) when standard input is a terminal, and whole lines otherwise, so a
// piped `yes "" | swift run tensors --step` still works. The terminal's size is not queried:
// lessons print at a fixed width so their output is the same everywhere.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Terminal {
    /// Whether standard output is a terminal (not a pipe or a file).
    public static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    /// Whether standard input is a terminal.
    public static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) != 0 }

    /// The color rule, as a pure function of its inputs so tests can check every case.
    ///
    /// - Parameters:
    ///   - noColorOption: `--no-color` was given (wins over everything).
    ///   - isTerminal: standard output is a terminal.
    ///   - environment: the process environment (`NO_COLOR`, `FORCE_COLOR`, `TERM`).
    public static func colorsEnabled(noColorOption: Bool, isTerminal: Bool,
                                     environment: [String: String]) -> Bool {
        if noColorOption { return false }
        if let force = environment["FORCE_COLOR"], !force.isEmpty, force != "0" { return true }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isTerminal
    }

    /// Waits for one key press and returns it (nil at end of input).
    ///
    /// On a terminal the key is read without echo and without waiting for Enter; anything else
    /// typed ahead (the rest of an arrow key's escape sequence) is discarded. Signal keys are
    /// turned off while waiting, so Ctrl-C and Ctrl-D arrive as "q" instead of killing the
    /// process with the terminal still in this mode (no echo). When standard input is not a
    /// terminal, one line is read instead and its first character returned ("\n" for an
    /// empty line).
    public static func readKey() -> Character? {
        guard standardInputIsTerminal else { return readLine().map { $0.first ?? "\n" } }
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { return readLine().map { $0.first ?? "\n" } }
        var raw = original
        raw.c_lflag &= ~(tcflag_t(ICANON) | tcflag_t(ECHO) | tcflag_t(ISIG))
        tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        defer {
            tcflush(STDIN_FILENO, TCIFLUSH)
            tcsetattr(STDIN_FILENO, TCSANOW, &original)
        }
        var byte: UInt8 = 0
        guard read(STDIN_FILENO, &byte, 1) == 1 else { return nil }
        if byte == 3 || byte == 4 { return "q" }  // Ctrl-C, Ctrl-D
        return Character(Unicode.Scalar(byte))
    }
}
