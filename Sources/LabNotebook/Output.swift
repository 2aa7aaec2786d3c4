// Where a notebook's text goes: standard output, or a string that tests can read.
//
// The notebook writes everything through one `TextOutputStream`, so swapping it for a
// `CapturedOutput` captures a whole lesson's text exactly as a terminal would receive it.

/// Writes to the process's standard output.
public struct StandardOutput: TextOutputStream {
    public init() {}

    public mutating func write(_ string: String) {
        print(string, terminator: "")
    }
}

/// Collects everything written to it, for tests.
///
///     let output = CapturedOutput()
///     let notebook = Notebook(options: NotebookOptions(), output: output)
///     notebook.prose("Hello.")
///     output.text   // "  Hello.\n"
public final class CapturedOutput: TextOutputStream {
    public private(set) var text = ""

    public init() {}

    public func write(_ string: String) {
        text += string
    }
}
