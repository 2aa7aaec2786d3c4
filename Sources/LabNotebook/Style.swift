// Style: ANSI colors for the terminal, or nothing at all.
//
// Everything a notebook prints is first built as plain text, then painted through a `Style`.
// With colors off, painting returns the text unchanged, so the colorless output (what pipes,
// CI logs and golden-output tests see) carries all the information: color only adds emphasis.
// When colors are on is decided in Terminal.swift. Only SGR sequences are used (bold, dim,
// 24-bit foreground and background); no cursor movement, so output stays a plain stream.

/// A 24-bit color.
public struct RGB: Sendable, Equatable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// The color a fraction `t` (clamped to 0...1) of the way from `self` to `other`.
    public func mixed(with other: RGB, _ t: Double) -> RGB {
        let t = min(max(t, 0), 1)
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return RGB(channel(red, other.red), channel(green, other.green), channel(blue, other.blue))
    }
}

/// What a piece of text is, so that one place decides how each kind looks.
public enum Role: Sendable {
    case banner, cellTitle, heading, code, value, success, failure, timing, muted, emphasis
}

/// Paints text with ANSI escape sequences when `colors` is true, and leaves it alone otherwise.
public struct Style: Sendable, Equatable {
    /// Whether escape sequences are emitted at all.
    public let colors: Bool

    public init(colors: Bool) { self.colors = colors }

    /// No colors: text passes through unchanged.
    public static let plain = Style(colors: false)

    /// `text` in the look of `role`.
    public func paint(_ text: String, _ role: Role) -> String {
        switch role {
        case .banner: return sgr(text, "1;38;2;120;200;255")
        case .cellTitle: return sgr(text, "1;38;2;255;200;90")
        case .heading: return sgr(text, "1")
        case .code: return sgr(text, "38;2;150;210;150")
        case .value: return sgr(text, "38;2;140;190;255")
        case .success: return sgr(text, "1;38;2;90;210;120")
        case .failure: return sgr(text, "1;38;2;255;95;95")
        case .timing: return sgr(text, "38;2;215;150;255")
        case .muted: return sgr(text, "2")
        case .emphasis: return sgr(text, "3")
        }
    }

    /// `text` on a background of `color` (used for heatmap cells); plain text without colors.
    public func background(_ text: String, _ color: RGB) -> String {
        sgr(text, "48;2;\(color.red);\(color.green);\(color.blue)")
    }

    /// `text` in the foreground `color`; plain text without colors.
    public func foreground(_ text: String, _ color: RGB) -> String {
        sgr(text, "38;2;\(color.red);\(color.green);\(color.blue)")
    }

    /// Highlights `code spans` (between backticks) in a line of prose; the backticks stay so
    /// that the colorless text reads the same.
    public func highlightingCode(_ line: String) -> String {
        guard colors, line.contains("`") else { return line }
        var result = ""
        var span = ""
        var inCode = false
        for character in line {
            if character == "`" {
                if inCode { result += paint(span + "`", .code); span = "" } else { span = "`" }
                inCode.toggle()
            } else if inCode {
                span.append(character)
            } else {
                result.append(character)
            }
        }
        return result + span  // an unclosed span stays as it was
    }

    private func sgr(_ text: String, _ parameters: String) -> String {
        colors && !text.isEmpty ? "\u{1B}[\(parameters)m\(text)\u{1B}[0m" : text
    }
}
