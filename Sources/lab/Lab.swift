// The `lab` dispatcher: the list of commands, usage, and error handling.
//
// Scope: finding the command named by the first argument and running it. Each command lives in
// its own file (`BenchCommand.swift`, `CheckCommand.swift`, …) and is registered in
// `Lab.commands`; the exercise commands are thin layers over the LabChecker library; the
// model tools (`inspect`, `logits`, `generate`) take a Hugging Face model folder.
//
// Exit status: 0 on success, 1 when a command fails, 2 for a usage error (an unknown command or
// option, or a bad value), like most Unix tools; a command that has explained itself ends with
// `ExitStatus` (e.g. 1 when `lab check` finds failing exercises, 130 after Ctrl-C).

import Foundation
import LabKernel

/// One subcommand of `lab`.
struct LabCommand: Sendable {
    /// The word typed after `lab`.
    let name: String
    /// One line for the command list.
    let summary: String
    /// Runs the command with the arguments after its name. Throws `UsageError` for bad input.
    let run: @Sendable ([String]) throws -> Void
}

/// A mistake in how `lab` was invoked: printed with a hint, exit status 2.
struct UsageError: Error {
    let message: String
    /// The command whose `--help` would help, or nil for `lab` itself.
    var command: String? = nil
}

enum Lab {
    /// Every command, in the order `lab --help` lists them.
    static let commands: [LabCommand] = [
        LabCommand(name: "check", summary: "check your exercises (or one: `lab check tensors.softmax`)",
                   run: CheckCommand.run),
        LabCommand(name: "watch", summary: "check the current exercise every time you save it", run: WatchCommand.run),
        LabCommand(name: "list", summary: "every exercise with its status, and your progress", run: ListCommand.run),
        LabCommand(name: "hint", summary: "a hint for an exercise (or the next one)", run: HintCommand.run),
        LabCommand(name: "reset", summary: "restore an exercise's original stub (your version is backed up)",
                   run: ResetCommand.run),
        LabCommand(name: "solution", summary: "the reference solution of an exercise you solved", run: SolutionCommand.run),
        LabCommand(name: "verify-course", summary: "teachers: every solution passes, every stub fails gracefully",
                   run: VerifyCourseCommand.run),
        LabCommand(name: "doctor", summary: "is this machine ready? toolchain, cores, build, where progress is kept",
                   run: DoctorCommand.run),
        LabCommand(name: "bench", summary: "measure the kernel's speed, e.g. `lab bench matmul`",
                   run: BenchCommand.run),
        LabCommand(name: "corpus", summary: "write a generated corpus (stories, recipes, questions)",
                   run: CorpusCommand.run),
        LabCommand(name: "train-tokenizer", summary: "train a byte-level BPE tokenizer on text files or the kit's corpus",
                   run: TrainTokenizerCommand.run),
        LabCommand(name: "train", summary: "train a transformer from scratch on the kit's text or a file; --resume continues a run",
                   run: TrainCommand.run),
        LabCommand(name: "finetune", summary: "adapt a model to a task or domain with LoRA (or --full); writes a PEFT adapter",
                   run: FinetuneCommand.run),
        LabCommand(name: "eval", summary: "a model's cross-entropy and perplexity on held-out text, against n-gram counts",
                   run: EvalCommand.run),
        LabCommand(name: "tokenize", summary: "text -> token ids (--show to see the tokens, --decode for ids -> text)",
                   run: TokenizeCommand.run),
        LabCommand(name: "inspect", summary: "a model folder: architecture, parameters, tensors, tokenizer", run: InspectCommand.run),
        LabCommand(name: "logits", summary: "run a model on token ids: top tokens per position, or every logit with --json", run: LogitsCommand.run),
        LabCommand(name: "generate", summary: "continue a prompt with a model folder, streaming the text (--chat for ChatML models)",
                   run: GenerateCommand.run),
        LabCommand(name: "notebook", summary: "run lessons and keep each as a Jupyter notebook and a web page, with an index",
                   run: NotebookCommand.run),
        LabCommand(name: "quantize", summary: "write a model folder with int8 (Q8_0) weights: about 3.5× smaller, faster decoding",
                   run: QuantizeCommand.run),
    ]

    static let usage = """
        usage: lab <command> [options]

        OpenModelLab's tool for everything that is not a lesson.

        commands:
        \(commands.map { "  " + $0.name.padding(toLength: commands.map(\.name.count).max()! + 2, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

        Run `lab <command> --help` for a command's options.
        """

    /// Runs `lab` with `arguments` (without the program name) and returns the exit status.
    static func run(_ arguments: [String]) -> Int32 {
        guard let name = arguments.first, name != "--help", name != "-h", name != "help" else {
            print(usage)
            return 0
        }
        guard let command = commands.first(where: { $0.name == name }) else {
            let kind = name.hasPrefix("-") ? "option" : "command"
            printError("lab: unknown \(kind) '\(printable(name))'\nRun `lab --help` for the list of commands.")
            return 2
        }
        do {
            try command.run(Array(arguments.dropFirst()))
            return 0
        } catch let status as ExitStatus {
            // The command has printed its explanation; repeat its one-line summary on standard error.
            printError(safeForTerminal("lab \(name): \(status.description)"))
            return status.code
        } catch let error as UsageError {
            let help = error.command.map { "lab \($0) --help" } ?? "lab --help"
            printError(safeForTerminal("lab \(name): \(error.message)") + "\nRun `\(help)` for usage.")
            return 2
        } catch {
            printError(safeForTerminal("lab \(name): \(error)"))
            return 1
        }
    }
}

/// An error message safe to print whatever it quotes from a file or an argument: control
/// characters other than line breaks escaped (no terminal escape sequence gets through), each
/// line cut to 400 characters with its full length given (a 10 MB value is not echoed back), and
/// at most 6 lines (a value of 100,000 line breaks is not either; errors are a line or two).
func safeForTerminal(_ message: String, lineLimit: Int = 400, maximumLines: Int = 6) -> String {
    let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
    let shown = lines.prefix(maximumLines).map { printable(String($0), limit: lineLimit) }
    return (shown + (lines.count > maximumLines ? ["… (\(lines.count - maximumLines) more lines)"] : [])).joined(separator: "\n")
}

/// Writes a line to standard error (diagnostics never mix with output meant for scripts).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
