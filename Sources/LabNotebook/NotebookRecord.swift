// NotebookRecord: what a lesson run printed, kept as data, so that other renderers can write it.
//
// Every block the notebook prints to the terminal is also appended here: prose as its source
// text, code listings, outputs, checks, and tables and figures as the values they were drawn
// from (a heatmap keeps its tensor, a sparkline its series). The Jupyter and HTML exporters
// (JupyterExport.swift, HTMLExport.swift) read only this record, so a lesson gets every export
// through the ordinary `Notebook` calls without knowing about them.
//
// Text is recorded without ANSI colors, except preformatted `output` a lesson painted itself
// (lesson 01's colored token boundaries): the exporters turn those colors into HTML spans.
// Left out: the terminal-only hint line under the banner and step-mode prompts.

/// One block of a cell, as data, with the colorless text the terminal shows for it.
public struct NotebookBlock: Sendable {
    public enum Content: Sendable {
        /// Explanation in the notebook's prose markup (paragraphs, `- ` bullets, `code spans`).
        case prose(String)
        /// A Swift listing.
        case code(String)
        /// Preformatted output: a printed tensor, named values, labelled texts. May hold ANSI
        /// colors when the lesson painted it itself.
        case output(String)
        /// Checks that passed or failed.
        case checks([NotebookCheck])
        /// A table.
        case table(Table)
        /// A series the terminal shows as a sparkline; exports draw it as a line chart.
        case series(SeriesFigure)
        /// A horizontal bar chart.
        case bars([Bar])
        /// A heatmap.
        case heatmap(Heatmap)
    }

    public var content: Content
    /// The block's lines as the terminal prints them without colors, before indenting
    /// (the plain-text fallback of every figure and table).
    public var plainLines: [String]
    /// A figure's title: the one the lesson gave, or its cell's title.
    public var title: String?

    public init(_ content: Content, plainLines: [String], title: String? = nil) {
        self.content = content
        self.plainLines = plainLines
        self.title = title
    }

    /// Whether the block is drawn as a picture in the exports.
    public var isFigure: Bool {
        switch content {
        case .series, .bars, .heatmap: return true
        default: return false
        }
    }

    /// The figure drawn once by `NotebookDocument.drawingFigures()`, so several exports of one
    /// run share the drawing.
    var drawn: String?

    /// The figure as a standalone SVG document, nil for blocks that are not figures.
    public var svg: String? {
        if let drawn { return drawn }
        let title = self.title ?? ""
        switch content {
        case .series(let figure):
            let points = figure.values.enumerated().map { (x: Double($0.offset), y: Double($0.element)) }
            return lineChartSVG([ChartSeries(name: figure.label, points: points, color: figurePalette[0])],
                                title: title, xLabel: figure.xLabel, yLabel: figure.yLabel, height: 360, legend: false)
        case .bars(let bars): return barChartSVG(bars, title: title)
        case .heatmap(let heatmap): return heatmapSVG(heatmap, title: title)
        default: return nil
        }
    }

    /// Whether the block is output (shown under a code cell) rather than prose or code.
    public var isOutput: Bool {
        switch content {
        case .prose, .code: return false
        default: return true
        }
    }
}

/// One check: whether it passed, and what was compared.
public struct NotebookCheck: Sendable, Equatable {
    public var passed: Bool
    public var text: String
}

/// A line chart's data: the series a sparkline summarises, with what its axes mean.
public struct SeriesFigure: Sendable {
    public var label: String
    public var values: [Float]
    public var xLabel: String
    public var yLabel: String
}

/// One numbered cell: its title and blocks.
public struct NotebookCellRecord: Sendable {
    public var number: Int
    public var title: String
    public var blocks: [NotebookBlock] = []
}

/// The closing summary.
public struct NotebookClosing: Sendable {
    public var points: [String]
    public var next: [String]
    /// "8 cells in 4.20 s." (the time masked as "…" when timings are).
    public var footer: String
}

/// A whole lesson run.
public struct NotebookDocument: Sendable {
    /// The lesson's number, title and one-line summary (from `header`), if it printed one.
    public var lesson: Int?
    public var title = ""
    public var summary = ""
    /// Blocks printed before the first cell (rare).
    public var introduction: [NotebookBlock] = []
    public var cells: [NotebookCellRecord] = []
    public var closing: NotebookClosing?
    /// The command that ran the lesson, without its `--export` options: `swift run tensors --quick`.
    public var command: String?
    /// A link from the web page back to the course's index page (`lab notebook` sets it).
    public var indexLink: String?

    public init() {}

    /// "Lesson 03", or "Lesson" without a number.
    public var lessonName: String {
        guard let lesson else { return "Lesson" }
        return "Lesson " + (lesson < 10 ? "0" : "") + String(lesson)
    }

    /// Appends a block to the current cell (or the introduction before any cell).
    mutating func append(_ block: NotebookBlock) {
        if cells.isEmpty { introduction.append(block) } else { cells[cells.count - 1].blocks.append(block) }
    }

    /// The document with every figure drawn once, for exporting it in several formats.
    public func drawingFigures() -> NotebookDocument {
        var copy = self
        func draw(_ blocks: inout [NotebookBlock]) {
            for index in blocks.indices where blocks[index].isFigure { blocks[index].drawn = blocks[index].svg }
        }
        draw(&copy.introduction)
        for cell in copy.cells.indices { draw(&copy.cells[cell].blocks) }
        return copy
    }

    /// Every figure block of the document, in order (what the exports draw as SVG).
    public var figures: [NotebookBlock] {
        (introduction + cells.flatMap(\.blocks)).filter(\.isFigure)
    }
}
