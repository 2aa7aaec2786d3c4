// Colors for the checker's terminal output, or none.
//
// Whether colors are on is decided by the command-line tool (a terminal, NO_COLOR, TERM=dumb,
// FORCE_COLOR: the same rule as the lessons, LabNotebook's `Terminal.colorsEnabled`); this file
// only paints. Plain text must read the same without colors, so color never carries meaning
// alone: a failure also has its ✗, a pass its ✓.
//
// Left out: 24-bit colors and backgrounds (LabNotebook's Style has them for lessons); the checker
// uses the 16 basic colors, which every terminal theme adapts to.

/// What a piece of checker output is.
public enum Tone: Sendable {
    case success, failure, warning, muted, strong, accent
}

/// Paints text with basic ANSI colors when `colors` is true.
public struct TextStyle: Sendable {
    public let colors: Bool

    public init(colors: Bool) { self.colors = colors }

    public static let plain = TextStyle(colors: false)

    public func paint(_ text: String, _ tone: Tone) -> String {
        guard colors, !text.isEmpty else { return text }
        let code: String
        switch tone {
        case .success: code = "32"
        case .failure: code = "31"
        case .warning: code = "33"
        case .muted: code = "2"
        case .strong: code = "1"
        case .accent: code = "36"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
