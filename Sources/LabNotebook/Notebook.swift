// Notebook: a lesson printed to the terminal as a sequence of cells.
//
// A lesson reads like a Jupyter notebook played top to bottom: a banner, then numbered cells,
// each with a title, prose explaining the idea, code-ish lines, and results (values, tables,
// sparklines, bar charts, heatmaps), then a closing summary. Everything goes through one
// `TextOutputStream` (standard output, or a `CapturedOutput` in tests), at a fixed width of 80
// columns so the text is the same on every terminal. Blocks inside a cell are separated by one
// blank line and indented by two spaces; the layout does not depend on colors, which only paint.
//
// Reproducibility: lessons seed their randomness and print numbers with fixed decimals, so the
// only text that changes between runs is measured time. Every such string goes through
// `measured(_:)` (or `duration`, `speedup`), which prints `…` instead when timings are masked
// (`--mask-timings` or `LAB_MASK_TIMINGS=1`), so golden-output tests can compare whole lessons.
//
// Exports: every block is also recorded as data in `document` (NotebookRecord.swift). With
// `--export FILE.ipynb` or `--export FILE.html` the notebook writes that record as a Jupyter
// notebook or a web page when the lesson reaches its summary (NotebookExport.swift), so a lesson
// exports without a line of its own. The terminal text does not depend on whether it exports.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabKernel

/// The terminal notebook a lesson prints into.
///
///     let notebook = Notebook(arguments: CommandLine.arguments)
///     notebook.header(lesson: 0, title: "Tensors", summary: "Numbers in boxes, and how to multiply them.")
///     notebook.cell("What is a tensor?") {
///         notebook.prose("A tensor is an array of numbers with a shape …")
///         notebook.code("let x = Tensor.arange(6).reshaped([2, 3])")
///         notebook.values([("shape", "[2, 3]"), ("strides", "[3, 1]")])
///     }
///     notebook.summary(["A tensor is flat storage plus a shape."], next: ["Lesson 01: tokenization"])
public final class Notebook {
    /// The total width of the output in columns.
    public let width = 80
    /// Content inside a cell is indented by this many spaces.
    public let indent = 2

    /// The options the lesson was started with.
    public let options: NotebookOptions
    /// Whether the lesson should pick small sizes (`--quick`).
    public var quick: Bool { options.quick }
    /// How text is painted (colors on or off).
    public let style: Style
    /// Whether measured times print as `…`.
    public let masksTimings: Bool

    private var output: any TextOutputStream
    private let readKey: () -> Character?
    /// The number of cells started so far.
    public private(set) var cellCount = 0
    /// Everything printed so far, as data: what the exports are written from.
    public private(set) var document = NotebookDocument()
    private var lessonStart = Stopwatch.now()

    /// A notebook for a lesson started with `arguments` (`CommandLine.arguments`, the program
    /// name first) that also understands `lessonOptions`. Prints the usage and exits for
    /// `--help`; prints an error to standard error and exits with status 2 for an unknown option.
    public convenience init(arguments: [String], lessonOptions: [LessonOption] = [],
                            environment: [String: String] = ProcessInfo.processInfo.environment) {
        let program = arguments.first.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "lesson"
        let options: NotebookOptions
        do {
            options = try NotebookOptions.parse(arguments.dropFirst(), lessonOptions: lessonOptions)
        } catch {
            FileHandle.standardError.write(Data("\(program): \(error)\nRun '\(program) --help' for usage.\n".utf8))
            exit(2)
        }
        // A bad export path is reported before the lesson runs, not after it.
        for path in options.exportPaths {
            do {
                try NotebookExport.checkDestination(path)
            } catch {
                FileHandle.standardError.write(Data("\(program): \(error)\n".utf8))
                exit(2)
            }
        }
        if options.help {
            print(NotebookOptions.usage(program: program, lessonOptions: lessonOptions), terminator: "")
            exit(0)
        }
        let colors = Terminal.colorsEnabled(noColorOption: options.noColor,
                                            isTerminal: Terminal.standardOutputIsTerminal,
                                            environment: environment)
        self.init(options: options, colors: colors,
                  maskTimings: options.maskTimings || environment["LAB_MASK_TIMINGS"] == "1")
        // The command without its exports, so two exports of one run name the same command.
        var shown = ["swift", "run", program]
        var rest = arguments.dropFirst()[...]
        while let argument = rest.popFirst() {
            if argument == "--export" { _ = rest.popFirst() } else if !argument.hasPrefix("--export=") { shown.append(argument) }
        }
        document.command = shown.joined(separator: " ")
        document.indexLink = environment["LAB_NOTEBOOK_INDEX"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A notebook with explicit settings (tests use this with a `CapturedOutput`).
    ///
    /// - Parameters:
    ///   - readKey: waits for a key in step mode and returns it (nil at end of input);
    ///     `"q"` quits the lesson.
    ///   - command: the command line the exports name as the run's (`swift run tensors --quick`).
    public init(options: NotebookOptions, colors: Bool = false, maskTimings: Bool? = nil,
                output: any TextOutputStream = StandardOutput(),
                readKey: @escaping () -> Character? = Terminal.readKey, command: String? = nil) {
        self.document.command = command
        self.options = options
        self.style = Style(colors: colors)
        self.masksTimings = maskTimings ?? options.maskTimings
        self.output = output
        self.readKey = readKey
    }

    // MARK: - Structure

    /// The lesson's banner: its number, title and a one-line summary.
    public func header(lesson number: Int, title: String, summary: String) {
        lessonStart = Stopwatch.now()
        document.lesson = number
        document.title = title
        document.summary = summary
        let rule = String(repeating: "═", count: width)
        let name = "Lesson " + (number < 10 ? "0" : "") + String(number)
        write(style.paint(rule, .banner))
        write("  " + style.paint("OpenModelLab · \(name) · \(title)", .banner))
        for line in wrap(summary, width: width - 2 * indent) { write("  " + line) }
        write(style.paint(rule, .banner))
        let hint = options.step ? "Step mode: press Enter after each cell, q to quit."
                                : "Run with --step to pause after each cell, --help for all options."
        write("  " + style.paint(hint, .muted))
    }

    /// A numbered cell: its title, then whatever `body` prints. In step mode the notebook waits
    /// for a key before every cell but the first.
    /// Returns what `body` returns, so a later cell can use an earlier cell's result.
    @discardableResult
    public func cell<Result>(_ title: String, _ body: () throws -> Result) rethrows -> Result {
        cellCount += 1
        if cellCount > 1 { pause(before: "[\(cellCount)] \(title)") }
        document.cells.append(NotebookCellRecord(number: cellCount, title: strippingANSI(title)))
        let label = "[\(cellCount)] \(title) "
        write("")
        write(style.paint(label, .cellTitle) + style.paint(String(repeating: "─", count: max(3, width - displayWidth(label))), .muted))
        let result = try body()
        fflush(nil)
        return result
    }

    /// The closing summary: what the lesson showed, where to go next, and the total run time.
    public func summary(_ points: [String], next: [String]) {
        if cellCount > 0 { pause(before: "the summary") }
        let elapsed = Double(Stopwatch.now() - lessonStart) / 1e9
        write("")
        write(style.paint(String(repeating: "═", count: width), .banner))
        write("  " + style.paint("What we built", .heading))
        block { bulletLines(points) }
        write("")
        write("  " + style.paint("Next", .heading))
        block { bulletLines(next) }
        write("")
        let footer = "\(cellCount) cells in \(duration(elapsed))."
        write("  " + style.paint(footer, .muted))
        write(style.paint(String(repeating: "═", count: width), .banner))
        fflush(nil)
        document.closing = NotebookClosing(points: points.map(strippingANSI), next: next.map(strippingANSI),
                                           footer: strippingANSI(footer))
        writeExportsOrExit()
    }

    /// Writes the record to every `--export` path (atomically: a temporary file, then a rename)
    /// and says so on standard error. Called by `summary`; a lesson that ends without one can
    /// call it itself.
    public func writeExports() throws {
        let drawn = options.exportPaths.count > 1 ? document.drawingFigures() : document
        for path in options.exportPaths {
            try NotebookExport.write(drawn, to: path)
            FileHandle.standardError.write(Data("exported \(document.cells.count) cells and \(document.figures.count) figures to \(path)\n".utf8))
        }
    }

    private func writeExportsOrExit() {
        do {
            try writeExports()
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(1)
        }
    }

    // MARK: - Blocks inside a cell

    /// Paragraphs of explanation, wrapped to the notebook's width. Blank lines separate
    /// paragraphs; single newlines are just spaces, so multi-line string literals read well.
    /// Lines starting with `- ` are bullet items. `code spans` are highlighted with colors on.
    public func prose(_ text: String) {
        var plainLines: [String] = []
        for items in proseParagraphs(text) {
            write("")
            if !plainLines.isEmpty { plainLines.append("") }
            for item in items {
                let lines = item.hasPrefix("- ") ? bulletLines([String(item.dropFirst(2))])
                                                 : wrap(item, width: width - indent).map(style.highlightingCode)
                for line in lines { write(pad + line) }
                plainLines += lines.map(strippingANSI)
            }
        }
        document.append(NotebookBlock(.prose(strippingANSI(text)), plainLines: plainLines))
    }

    /// Code, shown as written (no wrapping) behind a gutter: `│ let y = matmul(a, b)`.
    public func code(_ text: String) {
        let lines = block { text.split(separator: "\n", omittingEmptySubsequences: false).map {
            style.paint("│ ", .muted) + style.paint(String($0), .code)
        } }
        document.append(NotebookBlock(.code(strippingANSI(text)), plainLines: lines.map(strippingANSI)))
    }

    /// Preformatted output lines (a printed tensor, a picture), indented and otherwise untouched.
    public func output(_ text: String) {
        let lines = block { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        document.append(NotebookBlock(.output(text), plainLines: lines.map(strippingANSI)))
    }

    /// Texts under labels, as one output block: each label on its line, its text wrapped below
    /// it with a two-space hanging indent, a blank line between items (generated text, samples).
    public func labelledTexts(_ items: [(label: String, text: String)]) {
        let textWidth = width - 2 * indent - 2
        var lines: [String] = []
        for (index, item) in items.enumerated() {
            if index > 0 { lines.append("") }
            lines.append(item.label)
            lines += wrap(item.text, width: textWidth).map { "  " + $0 }
        }
        output(lines.joined(separator: "\n"))
    }

    /// Named results, one per line, the names padded so the values line up:
    /// `shape    [2, 3]`.
    public func values(_ pairs: [(String, String)]) {
        let nameWidth = pairs.map { displayWidth($0.0) }.max() ?? 0
        let lines = block { pairs.map { padded($0.0, to: nameWidth) + "  " + style.paint($0.1, .value) } }
        recordText(lines)
    }

    /// A check that passed (✓) or failed (✗), with what was compared (wrapped with a hanging indent).
    public func check(_ passed: Bool, _ text: String) {
        checks([(passed, text)])
    }

    /// Several checks in one block, one after the other.
    public func checks(_ results: [(passed: Bool, text: String)]) {
        let lines = block {
            results.flatMap { result in
                let mark = result.passed ? style.paint("✓", .success) : style.paint("✗", .failure)
                return wrap(result.text, width: width - indent - 2).enumerated().map {
                    ($0.offset == 0 ? mark + " " : "  ") + $0.element
                }
            }
        }
        let recorded = results.map { NotebookCheck(passed: $0.passed, text: strippingANSI($0.text)) }
        document.append(NotebookBlock(.checks(recorded), plainLines: lines.map(strippingANSI)))
    }

    /// A table (see `Table`).
    public func table(_ table: Table) {
        let lines = block { table.render(style: style) }
        document.append(NotebookBlock(.table(table.strippingANSI()), plainLines: lines.map(strippingANSI)))
    }

    /// A series as a sparkline with its first and last values: `loss  2.3026 ▇▆▅▄▃▂▁ 0.0815`.
    /// Exports draw the whole series as a line chart titled `label`, its x axis `xLabel` (the
    /// position in the series, from 0) and its y axis `yLabel` (default: the label), titled
    /// `title` (default: the label).
    public func sparkline(_ label: String, _ values: [Float], width sparkWidth: Int = 50, decimals: Int = 4,
                          xLabel: String = "step", yLabel: String? = nil, title: String? = nil) {
        guard let first = values.first, let last = values.last else { return }
        let line = label + "  " + formatFixed(first, decimals: decimals) + " "
            + style.paint(LabNotebook.sparkline(values, width: sparkWidth), .value) + " " + formatFixed(last, decimals: decimals)
        let lines = block { [line] }
        let name = strippingANSI(label).trimmingCharacters(in: .whitespaces)
        let figure = SeriesFigure(label: name, values: values, xLabel: xLabel, yLabel: yLabel ?? name)
        document.append(NotebookBlock(.series(figure), plainLines: lines.map(strippingANSI), title: title.map(strippingANSI) ?? name))
    }

    /// A horizontal bar chart (see `barChart`). Pass `measured: true` when the bar lengths come
    /// from timings: masked runs then print `…` instead of the bars. Exports draw it as a
    /// picture titled `title` (default: the cell's title).
    public func bars(_ bars: [Bar], width barWidth: Int = 40, measured: Bool = false, title: String? = nil) {
        if measured && masksTimings {
            // Masked bars are timings nobody may see: the exports show the same text, no figure.
            let labelWidth = bars.map { displayWidth($0.label) }.max() ?? 0
            recordText(block { bars.map { padded($0.label, to: labelWidth) + "  …" } })
        } else {
            let lines = block { barChart(bars, width: barWidth, style: style) }
            let plainBars = bars.map { Bar(strippingANSI($0.label), value: $0.value, text: strippingANSI($0.text)) }
            document.append(NotebookBlock(.bars(plainBars), plainLines: lines.map(strippingANSI), title: figureTitle(title)))
        }
    }

    /// A heatmap (see `Heatmap`). Exports draw it as a picture titled `title` (default: the
    /// cell's title).
    public func heatmap(_ heatmap: Heatmap, title: String? = nil) {
        let lines = block { heatmap.render(style: style) }
        // With colors the cells are painted spaces; the exports' text version needs the shades.
        let plain = style.colors ? heatmap.render(style: .plain) : lines
        document.append(NotebookBlock(.heatmap(heatmap), plainLines: plain, title: figureTitle(title)))
    }

    /// A figure's title: `title` without colors, or the current cell's title.
    private func figureTitle(_ title: String?) -> String {
        title.map(strippingANSI) ?? document.cells.last?.title ?? document.title
    }

    // MARK: - Measured text

    /// `text` when timings are shown, `…` when they are masked. Use it for every string that
    /// depends on a measured time (durations, speed-ups, GFLOPS) or on the machine (its number
    /// of cores), so that masked output is the same everywhere.
    public func measured(_ text: @autoclosure () -> String) -> String {
        masksTimings ? "…" : style.paint(text(), .timing)
    }

    /// A measured duration in seconds, readable (`"4.56 ms"`) or masked.
    public func duration(_ seconds: Double) -> String { measured(formatDuration(seconds)) }

    /// A measured ratio such as a speed-up (`"23.5×"`) or masked.
    public func speedup(_ ratio: Double) -> String { measured(formatSpeedup(ratio)) }

    // MARK: - Writing

    private var pad: String { String(repeating: " ", count: indent) }

    /// Writes one line (a newline is added, trailing spaces are dropped).
    private func write(_ line: String) {
        output.write(trimmingTrailingSpaces(line) + "\n")
    }

    /// A block: a blank line, then `lines` indented (blank lines stay empty). Returns the lines
    /// (not indented) for the record.
    @discardableResult
    private func block(_ lines: () -> [String]) -> [String] {
        write("")
        let lines = lines()
        for line in lines { write(line.isEmpty ? "" : pad + line) }
        return lines
    }

    /// Records printed `lines` as plain preformatted output.
    private func recordText(_ lines: [String]) {
        let plain = lines.map(strippingANSI)
        document.append(NotebookBlock(.output(plain.joined(separator: "\n")), plainLines: plain))
    }

    /// `items` as bullets with a hanging indent (not yet indented: pass them to `block`).
    private func bulletLines(_ items: [String]) -> [String] {
        items.flatMap { item in
            wrap(item, width: width - indent - 2).enumerated().map { index, line in
                (index == 0 ? "• " : "  ") + style.highlightingCode(line)
            }
        }
    }

    /// In step mode, waits for a key before `next`; q quits the lesson.
    private func pause(before next: String) {
        guard options.step else { return }
        write("")
        output.write(style.paint("  ⏎ Enter: \(next) · q: quit ", .muted))
        fflush(nil)
        let key = readKey()
        output.write("\n")
        if key == "q" || key == "Q" {
            fflush(nil)
            writeExportsOrExit()  // the cells seen so far
            exit(0)
        }
    }
}

/// The paragraphs of prose markup: each a list of items, running text (lines joined by spaces)
/// or a bullet starting with "- ". Blank lines separate paragraphs.
func proseParagraphs(_ text: String) -> [[String]] {
    var paragraphs: [[String]] = [[]]
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let last = paragraphs.count - 1
        if trimmed.isEmpty {
            if !paragraphs[last].isEmpty { paragraphs.append([]) }
        } else if trimmed.hasPrefix("- ") || paragraphs[last].isEmpty {
            paragraphs[last].append(trimmed)
        } else {
            paragraphs[last][paragraphs[last].count - 1] += " " + trimmed
        }
    }
    return paragraphs.filter { !$0.isEmpty }
}
