// `lab finetune`: adapts a trained model to a new task or domain, with LoRA (the default) or fully.
//
// Scope: the options (model, data, LoRA's rank, alpha, targets and dropout, the schedule, the
// output), checked with errors that name the argument, file or line; the data (the kit's
// embedded tasks, or a JSONL file in the Alpaca or chat form, detected from its first record),
// split into training and held-out examples, tokenized with the loss on responses only; the
// measurements before and after (the held-out loss, exact-match answers to held-out prompts, and
// forgetting: the loss on the kit's stories, the domain the kit's model was trained on); the loop
// of TrainingRun with a progress line or JSON lines; and the output, written to a temporary
// folder and renamed into place: a PEFT adapter folder, a merged Hugging Face model (`--merge`,
// with the adapter in `adapter/`), or with `--full` the whole tuned model. At every evaluation
// (and on Ctrl-C or --stop-after) the output is saved as a checkpoint: the adapter or model with
// training_state.json and the moments (TrainingCheckpoint.swift), which `--resume DIR` continues
// bit for bit, rebuilding the data from what the state records.
// Exit status, as everywhere in `lab`: 0 success, 1 failure (a bad file, a run that blew up), 2 usage error.
// Left out: gradient checkpointing, and several adapters at once.

import Foundation
import LabCorpora
import LabKernel
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum FinetuneCommand {
    static let usage = """
        usage: lab finetune --model DIR [--data questions|recipes|FILE.jsonl] --output DIR [options]
               lab finetune --resume DIR [--steps N] [--output DIR] [--threads N] [--json]

        Fine-tunes a model folder (the kit's models/lab-stories-4m, or a GPT-2, Llama or Qwen2 folder
        such as SmolLM2-135M) on the kit's question-answering task, on recipes, or on your JSONL data,
        with LoRA (default) or fully (--full). It measures the held-out loss, exact-match answers and
        the loss on the kit's stories before and after, and writes a PEFT adapter folder that
        `lab generate --adapter` and Python's PeftModel.from_pretrained load (or a merged model).

        data:
          --data NAME       questions (a story, a question, its answer: the default), recipes (a new
                            domain: plain text), or a JSONL file of {"instruction", "input", "output"}
                            or {"messages": [{"role", "content"}, ...]} records
          --format F        alpaca or chat (default: detected from the first record)
          --examples N      how many examples to generate for questions or recipes (default: 2000)
          --seed N          the seed of the generated examples (default: 1)
          --validation F    the fraction of examples held out (default: 0.1)
          --packing         fill each row with several examples (default: one example per row, padded)
        method:
          --full            train every weight instead of a LoRA adapter
          --lora-rank N     r (default: 8)
          --lora-alpha X    alpha; the update is scaled by alpha/r (default: 2r)
          --lora-dropout X  dropout on the adapter's input while training (default: 0)
          --target LIST     comma-separated module names (default: c_attn for GPT-2, q_proj,v_proj
                            for Llama and Qwen2; all-linear adapts every projection)
          --rslora          scale by alpha/√r instead (rank-stabilized LoRA)
        training:
          --steps N         optimizer steps (default: 300), or
          --epochs X        passes over the training examples
          --batch N         rows per step (default: 8)
          --context N       tokens per row (default: the model's positions, at most 256)
          --learning-rate X peak learning rate (default: 2e-3 with LoRA, 2e-4 with --full)
          --warmup N        linear warmup steps (default: steps / 10)
          --weight-decay X  AdamW's decay (default: 0)
          --eval-interval N held-out loss every N steps (default: steps / 5)
          --eval-examples N held-out prompts answered before and after (default: 40)
          --answer-tokens N the longest answer generated (default: 48)
        output:
          --output DIR      the folder to write (it must not exist, unless --force)
          --merge           write a merged model (config.json, model.safetensors, tokenizer.json) that
                            transformers loads, with the adapter in DIR/adapter
          --force           replace an existing --output folder
          --resume DIR      continue the run saved in DIR (the output is saved at every evaluation,
                            and on Ctrl-C); its model, data, method and settings are kept, --steps N
                            sets a new total
          --stop-after N    stop after step N, saving as Ctrl-C does (for scripts)
          --threads N       threads for the kernel (default: all \(Parallel.coreCount) cores)
          --json            one JSON object per line (steps, evaluations, the result) on standard output
          --help            show this help

        example:
          lab finetune --model models/lab-stories-4m --data questions --steps 300 --output qa-adapter
        """

    struct Options {
        var model: String?
        var data = "questions"
        var format: InstructionFormat?
        var examples = 2000
        var seed: UInt64 = 1
        var validationFraction = 0.1
        var packing = false
        var full = false
        var rank = 8
        var alpha: Float?
        var dropout: Float = 0
        var targets: [String]?
        var rankStabilized = false
        var steps: Int?
        var epochs: Double?
        var batch = 8
        var context: Int?
        var learningRate: Float?
        var warmup: Int?
        var weightDecay: Float = 0
        var evaluationInterval: Int?
        var evaluationExamples = 40
        var answerTokens = 48
        var output: String?
        var merge = false
        var force = false
        var threads: Int?
        var json = false
        var resume: String?
        var stopAfter: Int?
        /// The options given on the command line (to refuse those that --resume cannot change).
        var given: Set<String> = []
    }

    static func run(_ arguments: [String]) throws {
        guard let options = try parse(arguments) else {
            print(usage)
            return
        }
        try finetune(options)
    }

    private static func usageError(_ message: String) -> UsageError { UsageError(message: message, command: "finetune") }

    // MARK: - Options

    static func parse(_ arguments: [String]) throws -> Options? {
        let given = Set(arguments.filter { $0.hasPrefix("--") || $0 == "-o" }.map { String($0.prefix { $0 != "=" }) })
        var arguments = Arguments(arguments, command: "finetune")
        if arguments.flag("--help", "-h") { return nil }
        var o = Options()
        o.given = given
        o.packing = arguments.flag("--packing")
        o.full = arguments.flag("--full")
        o.rankStabilized = arguments.flag("--rslora")
        o.merge = arguments.flag("--merge")
        o.force = arguments.flag("--force")
        o.json = arguments.flag("--json")
        func integer(_ name: String, minimum: Int = 1) throws -> Int? {
            try arguments.value(name).map { t in
                guard let v = Int(t), v >= minimum, v <= 1 << 40 else { throw usageError("\(name) expects a whole number ≥ \(minimum); got '\(printable(t, limit: 40))'") }
                return v
            }
        }
        func number(_ name: String, minimum: Float, inclusive: Bool = false, below: Float = .infinity) throws -> Float? {
            try arguments.value(name).map { t in
                guard let v = Float(t), v.isFinite, inclusive ? v >= minimum : v > minimum, v < below else {
                    let range = below.isFinite ? "in \(inclusive ? "[" : "(")\(minimum), \(below))" : "\(inclusive ? "≥" : ">") \(minimum)"
                    throw usageError("\(name) expects a number \(range); got '\(printable(t, limit: 40))'")
                }
                return v
            }
        }
        o.model = try arguments.value("--model")
        if let v = try arguments.value("--data") { o.data = v }
        if let v = try arguments.value("--format") {
            guard let format = InstructionFormat(rawValue: v) else { throw usageError("--format must be alpaca or chat; got '\(printable(v, limit: 40))'") }
            o.format = format
        }
        if let v = try integer("--examples", minimum: 2) { o.examples = v }
        if let v = try arguments.value("--seed") {
            guard let seed = UInt64(v) else { throw usageError("--seed expects a whole number from 0 to \(UInt64.max); got '\(printable(v, limit: 40))'") }
            o.seed = seed
        }
        if let v = try number("--validation", minimum: 0, below: 0.5) { o.validationFraction = Double(v) }
        let rankGiven = try integer("--lora-rank")
        if let rankGiven { o.rank = rankGiven }
        o.alpha = try number("--lora-alpha", minimum: 0)
        if let v = try number("--lora-dropout", minimum: 0, inclusive: true, below: 1) { o.dropout = v }
        if let v = try arguments.value("--target") {
            let names = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
                throw usageError("--target expects comma-separated module names such as q_proj,v_proj; got '\(printable(v, limit: 40))'")
            }
            o.targets = names
        }
        o.steps = try integer("--steps")
        o.epochs = try number("--epochs", minimum: 0).map(Double.init)
        if o.steps != nil && o.epochs != nil { throw usageError("give either --steps or --epochs, not both") }
        if let v = try integer("--batch") { o.batch = v }
        o.context = try integer("--context", minimum: 2)
        o.learningRate = try number("--learning-rate", minimum: 0)
        o.warmup = try integer("--warmup", minimum: 0)
        if let v = try number("--weight-decay", minimum: 0, inclusive: true) { o.weightDecay = v }
        o.evaluationInterval = try integer("--eval-interval")
        if let v = try integer("--eval-examples", minimum: 0) { o.evaluationExamples = v }
        if let v = try integer("--answer-tokens") { o.answerTokens = v }
        o.output = try arguments.value("--output") ?? arguments.value("-o")
        o.threads = try integer("--threads")
        o.resume = try arguments.value("--resume")
        o.stopAfter = try integer("--stop-after")
        try arguments.finish()
        if let resume = o.resume {
            let fixed = o.given.subtracting(["--resume", "--output", "-o", "--steps", "--threads", "--stop-after", "--json"])
            if let flag = fixed.sorted().first {
                throw usageError("\(flag) cannot change when resuming: the run in \(printable(resume, limit: 60)) keeps its model, data, "
                                 + "method and settings (only --steps, --threads, --output, --stop-after and --json may be given)")
            }
            return o
        }
        guard o.model != nil else { throw usageError("--model DIR is required: the model folder to fine-tune") }
        guard o.output != nil else { throw usageError("--output DIR is required: the folder to write the adapter or model into") }
        if o.full {
            for (flag, given) in [("--lora-rank", rankGiven != nil), ("--lora-alpha", o.alpha != nil),
                                  ("--target", o.targets != nil), ("--rslora", o.rankStabilized), ("--merge", o.merge)] where given {
                throw usageError("\(flag) is for LoRA; --full trains every weight (and writes the whole model)")
            }
        }
        return o
    }

    // MARK: - Data

    /// A task: its examples split into training and held-out, and how answers are judged.
    struct Task {
        var name: String
        var train: [InstructionExample]
        var heldOut: [InstructionExample]
        /// Whether held-out prompts have one right answer (exact match is measured).
        var hasAnswers: Bool
        var format: String
    }

    static func task(_ o: Options, context: Int) throws -> Task {
        var examples: [InstructionExample]
        var hasAnswers = true
        var format = "alpaca"
        switch o.data {
        case "questions":
            var generator = StoryQuestionGenerator(seed: o.seed)
            // About 3.5 bytes per token in the kit's tokenizer: keep the story to about two thirds of the row.
            let storyBytes = max(300, context * 7 / 3)
            examples = (0..<o.examples).map { _ in
                let qa = generator.nextShortExample(maximumStoryBytes: storyBytes)
                return InstructionExample(segments: [.init(qa.prompt, isResponse: false), .init(" " + qa.answer, isResponse: true)],
                                          endsWithEndOfText: true)
            }
            format = "story questions"
        case "recipes":
            var generator = RecipeGenerator(seed: o.seed)
            examples = (0..<o.examples).map { _ in
                InstructionExample(segments: [.init(generator.nextRecipe().text, isResponse: true)], endsWithEndOfText: true)
            }
            hasAnswers = false
            format = "plain text"
        default:
            let url = URL(fileURLWithPath: o.data)
            guard url.pathExtension.lowercased() == "jsonl" || FileManager.default.fileExists(atPath: o.data) else {
                throw usageError("--data '\(printable(o.data, limit: 60))' is neither questions nor recipes, nor a JSONL file")
            }
            let read: (examples: [InstructionExample], format: InstructionFormat)
            do { read = try InstructionData.read(url, format: o.format) } catch { throw CommandFailure(message: "--data \(error)") }
            examples = read.examples
            format = read.format.rawValue
        }
        guard examples.count >= 2 else {
            throw CommandFailure(message: "--data \(o.data): \(examples.count) example; fine-tuning needs at least 2 (one to hold out)")
        }
        let heldOut = max(1, Int((Double(examples.count) * o.validationFraction).rounded()))
        return Task(name: o.data, train: Array(examples.dropLast(heldOut)), heldOut: Array(examples.suffix(heldOut)),
                    hasAnswers: hasAnswers, format: format)
    }

    // MARK: - Fine-tuning

    /// The measurements taken before and after.
    struct Measurement {
        var heldOutLoss: Float
        var exactMatch: Double?
        var storiesLoss: Float?
        var checks: [AnswerCheck]
    }

    static let interrupted = Atomic<Bool>(false)

    /// A run ready to train: fresh from the options, or continued from a checkpoint.
    struct Prepared {
        let options: Options
        let run: TrainingRun
        let base: TransformerModel
        let loaded: LoadedModel
        let tokenizer: BPETokenizer
        let task: Task
        let stopIDs: Set<Int>
        /// What training_state.json records, to rebuild the data on --resume.
        let data: [String: String]
        let destination: URL
        let cut: Int
    }

    static func finetune(_ o: Options) throws {
        if let threads = o.threads { Parallel.threadCount = threads }
        let say: (String) -> Void = { o.json ? FileHandle.standardError.write(Data(($0 + "\n").utf8)) : print($0) }
        let p = try o.resume.map { try resume($0, o) } ?? start(o)
        let run = p.run, task = p.task, tokenizer = p.tokenizer, settings = run.settings, o = p.options
        let config = p.base.config, adapter = run.trainer.adapter, context = settings.context
        let trainable = run.trainer.trainable.count, total = run.trainer.parameters.count
        let method = adapter.map { a in
            "LoRA r \(a.settings.rank), alpha \(formatFigure(Double(a.settings.alpha))) (scale \(formatFigure(Double(a.settings.scale)))), "
                + "on \(a.settings.targets.joined(separator: ", ")) (\(a.targets.count) projections)"
        } ?? "full fine-tuning"
        say("model: \(o.model!) (\(config.architecture.rawValue), \(formatFixed(Double(total) / 1e6, decimals: 2))M parameters); \(method)")
        say("trainable: \(trainable) parameters (\(formatFixed(100 * Double(trainable) / Double(total), decimals: 2))% of the model); "
            + "gradients and AdamW's moments: \(formatBytes(12 * trainable))")
        let train = p.run.train as! InstructionBatches   // both ways of preparing give instruction batches
        say("data: \(task.name) (\(task.format)), \(train.count) training and \(task.heldOut.count) held-out examples, "
            + "\(train.tokens.count) training tokens, \(train.isTarget.filter { $0 }.count) of them targets"
            + (p.cut > 0 ? "; \(p.cut) example\(p.cut == 1 ? "" : "s") longer than --context \(context) lose the start of the prompt" : ""))
        if run.step > 0 { say("resuming after step \(run.step) of \(settings.steps) from \(o.resume!)") }
        fflush(nil)

        // Before: the base model, also when resuming (the measure is of what fine-tuning changed).
        let evaluationPrompts = Array(task.heldOut.prefix(task.hasAnswers ? o.evaluationExamples : 0))
        let stories = heldOutStoryBatches(tokenizer: tokenizer, context: context)
        func measure(_ evaluated: TransformerModel, _ trainer: TrainableTransformer) -> Measurement {
            let checks = evaluated.answerChecks(evaluationPrompts, tokenizer: tokenizer, stopIDs: p.stopIDs, maximumTokens: o.answerTokens)
            return Measurement(heldOutLoss: run.validationLoss(of: trainer), exactMatch: task.hasAnswers && !checks.isEmpty ? checks.exactMatch : nil,
                               storiesLoss: stories.map { trainer.meanLoss($0, context: context) }, checks: checks)
        }
        // A fresh run's trainer is the base model (LoRA's B is zero); a resumed one has moved on.
        let before = measure(p.base, run.step == 0 ? run.trainer : TrainableTransformer(p.base))
        say("before: " + describe(before))
        fflush(nil)

        // Training, saved at every evaluation and when stopped.
        signal(SIGINT) { _ in FinetuneCommand.interrupted.store(true, ordering: .relaxed) }
        defer { signal(SIGINT, SIG_DFL) }
        let clock = ContinuousClock(), started = clock.now, firstStep = run.step
        var progress = ProgressLine()
        var saved = false
        func save() throws {
            do {
                try TrainingCheckpoint.save(run, tokenizer: adapter == nil ? tokenizer : nil, data: p.data,
                                            keepingOldFiles: saved || o.resume != nil, to: checkpointFolder(p.destination, o))
            } catch { throw CommandFailure(message: "saving the run to \(p.destination.path) failed: \(error)") }
            saved = true
        }
        let tokensPerStep = settings.batch * settings.context
        while !run.isFinished {
            let record: TrainingStepRecord
            do { record = try run.runStep() } catch let stop as TrainingStop {
                progress.finish()
                let kept = saved || o.resume != nil ? "the last checkpoint in \(p.destination.path) is kept" : "nothing was written"
                throw CommandFailure(message: "fine-tuning stopped at \(stop); \(kept)")
            }
            let seconds = (clock.now - started).seconds
            let speed = Double((run.step - firstStep) * tokensPerStep) / max(seconds, 1e-9)
            let evaluate = run.evaluationIsDue
            let heldOutLoss = evaluate ? run.validationLoss() : nil
            if let heldOutLoss, !heldOutLoss.isFinite {
                progress.finish()
                throw CommandFailure(message: "fine-tuning stopped at step \(run.step): the held-out loss is \(heldOutLoss); the learning "
                                     + "rate is far too high (try a tenth of it)")
            }
            if o.json {
                var fields: [(key: String, value: JSONField)] = [("event", .string(evaluate ? "eval" : "step")), ("step", .integer(run.step)),
                                                                 ("train_loss", .precise(Double(record.loss)))]
                if let heldOutLoss { fields.append(("validation_loss", .precise(Double(heldOutLoss)))) }
                fields += [("learning_rate", .precise(Double(record.learningRate))), ("tokens_per_second", .number(speed)),
                           ("elapsed_seconds", .number(seconds))]
                print(jsonLine(fields))
                fflush(nil)
            } else {
                let fraction = Double(run.step) / Double(settings.steps)
                let bar = String(repeating: "█", count: Int(fraction * 24)) + String(repeating: "░", count: 24 - Int(fraction * 24))
                let remaining = Double(settings.steps - run.step) * seconds / Double(run.step - firstStep)
                progress.update("step \(run.step)/\(settings.steps) \(bar) loss \(formatFixed(record.loss, decimals: 3)) · "
                                + "\(Int(speed)) tokens/s · ETA \(formatDuration(remaining))", now: evaluate)
                if let heldOutLoss {
                    progress.finish()
                    print("step \(run.step): train loss \(formatFixed(record.loss, decimals: 3)), held-out loss "
                          + "\(formatFixed(heldOutLoss, decimals: 3)), \(Int(speed)) tokens/s, \(formatDuration(seconds))")
                    fflush(nil)
                }
            }
            let stopping = interrupted.load(ordering: .relaxed) || run.step == o.stopAfter
            if (evaluate && !run.isFinished) || stopping { try save() }
            if stopping && !run.isFinished {
                progress.finish()
                let how = interrupted.load(ordering: .relaxed) ? "interrupted" : "stopped (--stop-after)"
                say("\(how) after step \(run.step): saved to \(p.destination.path); continue with: lab finetune --resume \(p.destination.path)")
                if interrupted.load(ordering: .relaxed) { exit(130) }
                return
            }
        }
        progress.finish()
        let seconds = (clock.now - started).seconds
        // Finite losses can still come with an update beyond Float (a learning rate far too high).
        if let bad = run.trainer.trainable.firstNonFiniteValue() {
            throw CommandFailure(message: "fine-tuning made \(bad.name) non-finite; the learning rate is far too high "
                                 + "(try a tenth of it); nothing was written")
        }
        let tuned = run.trainer.adaptedModel
        let after = measure(tuned, run.trainer)
        say("after:  " + describe(after))
        if !o.json { printComparison(before, after) }

        // Output.
        try writeOutput(p, tuned: tuned)
        let what = adapter == nil ? "the tuned model" : o.merge ? "the merged model (adapter in adapter/)" : "the PEFT adapter"
        if o.json {
            var fields: [(key: String, value: JSONField)] = [("event", .string("done")), ("steps", .integer(run.step)),
                                                             ("trainable_parameters", .integer(trainable)), ("seconds", .number(seconds)),
                                                             ("validation_loss_before", .precise(Double(before.heldOutLoss))),
                                                             ("validation_loss_after", .precise(Double(after.heldOutLoss)))]
            if let b = before.exactMatch, let a = after.exactMatch {
                fields += [("exact_match_before", .number(b)), ("exact_match_after", .number(a))]
            }
            if let b = before.storiesLoss, let a = after.storiesLoss {
                fields += [("stories_loss_before", .precise(Double(b))), ("stories_loss_after", .precise(Double(a)))]
            }
            fields.append(("output", .string(p.destination.path)))
            print(jsonLine(fields))
        } else {
            print("done: \(run.step) steps in \(formatDuration(seconds)); \(what) in \(p.destination.path)")
        }
    }

    /// Where the training state is saved: the output folder, or its adapter/ for a --merge run.
    static func checkpointFolder(_ destination: URL, _ o: Options) -> URL {
        o.merge ? destination.appendingPathComponent("adapter") : destination
    }

    /// The base model and its tokenizer's end of text, checked.
    static func loadBase(_ path: String, option: String) throws -> (LoadedModel, BPETokenizer, endOfText: Int) {
        let loaded: LoadedModel
        do { loaded = try loadModel(folder: URL(fileURLWithPath: path)) } catch { throw CommandFailure(message: "\(option) \(error)") }
        guard !loaded.model.isQuantized else {
            throw CommandFailure(message: "\(option) \(path) is a quantized folder (int8 weights, for inference); "
                + "fine-tune the float model, then quantize the result")
        }
        guard let tokenizer = loaded.tokenizer else { throw CommandFailure(message: "\(option) \(path): no tokenizer, which fine-tuning needs") }
        guard let endOfText = tokenizer.specialTokens[CorpusSeparator.endOfTextMarker] ?? loaded.model.config.eosTokenIDs.first else {
            throw CommandFailure(message: "\(option) \(path): neither the tokenizer's <|endoftext|> nor an eos_token_id in config.json: "
                                 + "the answers need an end-of-text token to learn")
        }
        return (loaded, tokenizer, endOfText)
    }

    /// The examples as batches, with the number of examples too long for the context.
    static func batches(_ task: Task, tokenizer: BPETokenizer, endOfText: Int, o: Options, context: Int)
        -> (train: InstructionBatches, heldOut: InstructionBatches, cut: Int) {
        let train = InstructionBatches(task.train, tokenizer: tokenizer, endOfText: endOfText, packed: o.packing)
        let heldOut = InstructionBatches(task.heldOut, tokenizer: tokenizer, endOfText: endOfText, packed: o.packing)
        return (train, heldOut, train.truncated(context: context) + heldOut.truncated(context: context))
    }

    static func stopIDs(_ tokenizer: BPETokenizer, endOfText: Int) -> Set<Int> {
        Set([endOfText] + (tokenizer.specialTokens[InstructionTemplate.chatEnd].map { [$0] } ?? []))
    }

    /// A fresh run from the options.
    static func start(_ o: Options) throws -> Prepared {
        let destination = URL(fileURLWithPath: o.output!)
        try checkOutput(destination, force: o.force)
        let (loaded, tokenizer, endOfText) = try loadBase(o.model!, option: "--model")
        let model = loaded.model, config = model.config
        let context = o.context ?? min(config.contextLength, 256)
        guard context <= config.contextLength else {
            throw usageError("--context \(context) is longer than the model's \(config.contextLength) positions")
        }
        let task = try task(o, context: context)

        // The method: an adapter on the frozen model, or every weight.
        var adapter: LoRAAdapter?
        if !o.full {
            let settings = LoRASettings(rank: o.rank, alpha: o.alpha ?? Float(2 * o.rank),
                                        targets: o.targets ?? LoRASettings.defaultTargets(for: config.architecture),
                                        dropout: o.dropout, rankStabilized: o.rankStabilized)
            do { adapter = try LoRAAdapter(config: config, settings: settings, seed: o.seed) } catch {
                throw usageError("\(error)")
            }
        }
        if o.full, let problem = config.memoryProblem(copies: 4) { throw CommandFailure(message: "--full: \(problem)") }

        let (train, heldOut, cut) = batches(task, tokenizer: tokenizer, endOfText: endOfText, o: o, context: context)
        var settings = TrainingSettings(steps: o.steps ?? 300, batch: o.batch, context: context)
        if let epochs = o.epochs { settings.steps = max(1, Int((epochs * Double(train.count) / Double(o.batch)).rounded())) }
        settings.learningRate = o.learningRate ?? (o.full ? 2e-4 : 2e-3)
        settings.minimumLearningRate = settings.learningRate / 10
        settings.warmupSteps = min(o.warmup ?? settings.steps / 10, settings.steps - 1)
        settings.weightDecay = o.weightDecay
        settings.evaluationInterval = o.evaluationInterval ?? max(1, settings.steps / 5)
        settings.evaluationBatches = max(1, min(16, (heldOut.count + o.batch - 1) / o.batch))
        settings.seed = o.seed
        // A batch of a few answers counts few targets, so its loss is noisy: watch for blow-ups only.
        settings.spikeFactor = 8
        if let problem = settings.problem() { throw usageError(problem) }
        let run = TrainingRun(model: model, adapter: adapter, settings: settings, train: train, validation: heldOut)
        let base = URL(fileURLWithPath: o.model!).standardizedFileURL.path
        var data: [String: String] = [
            "model": base, "task": ["questions", "recipes"].contains(o.data) ? o.data : URL(fileURLWithPath: o.data).standardizedFileURL.path, "examples": String(o.examples), "seed": String(o.seed),
            "validation": String(o.validationFraction), "packing": String(o.packing), "method": o.full ? "full" : "lora",
            "merge": String(o.merge), "eval_examples": String(o.evaluationExamples), "answer_tokens": String(o.answerTokens),
        ]
        if let format = o.format { data["format"] = format.rawValue }
        return Prepared(options: o, run: run, base: model, loaded: loaded, tokenizer: tokenizer, task: task,
                        stopIDs: stopIDs(tokenizer, endOfText: endOfText), data: data, destination: destination, cut: cut)
    }

    /// A run continued from the checkpoint at `path` (or its adapter/, for a --merge output):
    /// the options it records, the same data (checked by its fingerprint), the saved weights,
    /// moments and generators, and a new total of steps when --steps is given.
    static func resume(_ path: String, _ given: Options) throws -> Prepared {
        let folder = URL(fileURLWithPath: path)
        let stateFolder = TrainingCheckpoint.isCheckpoint(folder) || !TrainingCheckpoint.isCheckpoint(folder.appendingPathComponent("adapter"))
            ? folder : folder.appendingPathComponent("adapter")
        let recorded: [String: String]
        do { recorded = try TrainingCheckpoint.recordedData(stateFolder) } catch { throw CommandFailure(message: "--resume: \(error)") }
        let stateFile = "\(stateFolder.path)/\(TrainingCheckpoint.stateFile)"
        func field(_ key: String) throws -> String {
            guard let value = recorded[key] else {
                throw CommandFailure(message: "--resume: \(stateFile): field \"data.\(key)\" is missing (was this run saved by lab finetune?)")
            }
            return value
        }
        func bad(_ key: String, _ expected: String) -> CommandFailure {
            CommandFailure(message: "--resume: \(stateFile): field \"data.\(key)\" \(expected); found '\(printable(recorded[key] ?? "", limit: 60))'")
        }
        // The options as the run was started, each checked as its flag was.
        var o = Options()
        o.model = try field("model")
        o.data = try field("task")
        o.output = given.output ?? path
        o.threads = given.threads
        o.json = given.json
        o.stopAfter = given.stopAfter
        o.resume = path
        guard let examples = Int(try field("examples")), examples >= 2, examples <= 1 << 24 else { throw bad("examples", "must be a count ≥ 2") }
        o.examples = examples
        guard let seed = UInt64(try field("seed")) else { throw bad("seed", "must be a whole number") }
        o.seed = seed
        guard let fraction = Double(try field("validation")), fraction > 0, fraction < 0.5 else { throw bad("validation", "must be in (0, 0.5)") }
        o.validationFraction = fraction
        guard let packing = Bool(try field("packing")) else { throw bad("packing", "must be true or false") }
        o.packing = packing
        guard let merge = Bool(try field("merge")) else { throw bad("merge", "must be true or false") }
        o.merge = merge
        switch try field("method") {
        case "full": o.full = true
        case "lora": o.full = false
        default: throw bad("method", "must be lora or full")
        }
        guard let evaluated = Int(try field("eval_examples")), evaluated >= 0, evaluated <= 1 << 20 else { throw bad("eval_examples", "must be a count") }
        o.evaluationExamples = evaluated
        guard let answer = Int(try field("answer_tokens")), answer >= 1, answer <= 1 << 20 else { throw bad("answer_tokens", "must be a count ≥ 1") }
        o.answerTokens = answer
        if let format = recorded["format"] {
            guard let f = InstructionFormat(rawValue: format) else { throw bad("format", "must be alpaca or chat") }
            o.format = f
        }

        let (loaded, tokenizer, endOfText) = try loadBase(o.model!, option: "--resume: the base model")
        let base = loaded.model
        let saved: (settings: TrainingSettings, step: Int, tokens: Int, hash: UInt64)
        let makeRun: (TrainingSettings, InstructionBatches, InstructionBatches) -> TrainingRun
        if o.full {
            let full: SavedTraining
            do { full = try TrainingCheckpoint.load(stateFolder) } catch { throw CommandFailure(message: "--resume: \(error)") }
            guard full.model.config == base.config else {
                throw CommandFailure(message: "--resume: the model in \(path) has another shape than its base \(o.model!)")
            }
            saved = (full.settings, full.step, full.trainTokens, full.trainHash)
            makeRun = { settings, train, heldOut in
                TrainingRun(trainer: TrainableTransformer(full.model), optimizer: full.optimizer, settings: settings, step: full.step,
                            generator: full.generator, averageLoss: full.averageLoss, train: train, validation: heldOut)
            }
        } else {
            let lora: SavedAdapterTraining
            do { lora = try TrainingCheckpoint.loadAdapter(stateFolder, base: base) } catch { throw CommandFailure(message: "--resume: \(error)") }
            saved = (lora.settings, lora.step, lora.trainTokens, lora.trainHash)
            makeRun = { settings, train, heldOut in
                TrainingRun(trainer: TrainableTransformer(base, adapter: lora.adapter), optimizer: lora.optimizer, settings: settings,
                            step: lora.step, generator: lora.generator, averageLoss: lora.averageLoss, train: train, validation: heldOut)
            }
        }
        var settings = saved.settings
        if given.given.contains("--steps"), let steps = given.steps {
            guard steps > saved.step else { throw usageError("--steps \(steps): the run in \(path) has already done \(saved.step) steps") }
            settings.steps = steps
        } else if saved.step >= settings.steps {
            throw usageError("the run in \(path) has done all its \(settings.steps) steps; give --steps N (more than \(settings.steps)) to train it longer")
        }
        guard settings.context <= base.config.contextLength else {
            throw CommandFailure(message: "--resume: \(stateFile): context \(settings.context) is longer than the base model's positions")
        }
        o.context = settings.context
        o.batch = settings.batch
        let task = try self.task(o, context: settings.context)
        let (train, heldOut, cut) = batches(task, tokenizer: tokenizer, endOfText: endOfText, o: o, context: settings.context)
        guard train.tokens.count == saved.tokens, TrainingCheckpoint.fingerprint(train.tokens) == saved.hash else {
            throw CommandFailure(message: "--resume: the training data is not the one \(path) was trained on ("
                                 + "\(printable(o.data, limit: 60)) now gives \(train.tokens.count) training tokens, the checkpoint saw \(saved.tokens))")
        }
        guard heldOut.count > 0 else { throw CommandFailure(message: "--resume: \(printable(o.data, limit: 60)) now has no held-out example") }
        let run = makeRun(settings, train, heldOut)
        return Prepared(options: o, run: run, base: base, loaded: loaded, tokenizer: tokenizer, task: task,
                        stopIDs: stopIDs(tokenizer, endOfText: endOfText), data: recorded, destination: URL(fileURLWithPath: o.output!), cut: cut)
    }

    static func describe(_ m: Measurement) -> String {
        var parts = ["held-out loss \(formatFixed(m.heldOutLoss, decimals: 3))"]
        if let exact = m.exactMatch {
            parts.append("exact match \(m.checks.filter(\.isExact).count)/\(m.checks.count) (\(formatFixed(100 * exact, decimals: 1))%)")
        }
        if let stories = m.storiesLoss { parts.append("loss on stories \(formatFixed(stories, decimals: 3))") }
        return parts.joined(separator: ", ")
    }

    /// Two held-out prompts' expected answers beside the answers before and after.
    static func printComparison(_ before: Measurement, _ after: Measurement) {
        for (b, a) in zip(before.checks, after.checks).prefix(2) {
            let question = b.prompt.split(separator: "\n").last(where: { $0.contains("Question") || !$0.hasPrefix("###") }) ?? ""
            print("  \(printable(String(question), limit: 100))")
            print("    expected: \(printable(b.expected.trimmingCharacters(in: .whitespaces), limit: 100))")
            print("    before:   \(printable(b.answer.trimmingCharacters(in: .whitespacesAndNewlines), limit: 100))")
            print("    after:    \(printable(a.answer.trimmingCharacters(in: .whitespacesAndNewlines), limit: 100))\(a.isExact ? " ✓" : "")")
        }
    }

    // MARK: - Output

    static func checkOutput(_ folder: URL, force: Bool) throws {
        let manager = FileManager.default
        let parent = folder.deletingLastPathComponent().path
        guard manager.fileExists(atPath: parent) else { throw CommandFailure(message: "--output \(folder.path): the folder \(parent) does not exist") }
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: folder.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw CommandFailure(message: "--output \(folder.path) is a file, not a folder") }
            guard force else { throw CommandFailure(message: "--output \(folder.path) already exists; choose another folder, or --force to replace it") }
        }
    }

    /// Writes the result into `.NAME.partial` beside the destination, then swaps it into place:
    /// the adapter (or with --full the tuned model) with its training state, so that `--resume
    /// DIR --steps N` can train it longer; with --merge the merged model and the adapter in adapter/.
    static func writeOutput(_ p: Prepared, tuned: TransformerModel) throws {
        let manager = FileManager.default
        let folder = p.destination, o = p.options, run = p.run
        let force = o.force || o.resume != nil || manager.fileExists(atPath: checkpointFolder(folder, o).appendingPathComponent(TrainingCheckpoint.stateFile).path)
        let partial = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).partial")
        try? manager.removeItem(at: partial)
        do {
            // The tokenizer files beside the weights, so the folder is a whole model.
            var tokenizerFiles: [String: Data] = [:]
            for name in ["tokenizer_config.json", "vocab.json", "merges.txt", "generation_config.json"] {
                if let contents = manager.contents(atPath: p.loaded.folder.url.appendingPathComponent(name).path) { tokenizerFiles[name] = contents }
            }
            if run.trainer.adapter != nil {
                if o.merge {
                    try manager.createDirectory(at: partial, withIntermediateDirectories: true)
                    try Data(tuned.config.configJSON().utf8).write(to: partial.appendingPathComponent("config.json"))
                    try writeSafetensors(tuned.checkpointTensors, metadata: ["format": "pt", "made_by": "OpenModelLab lab finetune"],
                                         to: partial.appendingPathComponent("model.safetensors"))
                    try p.tokenizer.save(tokenizerJSON: partial.appendingPathComponent("tokenizer.json"))
                    for (name, contents) in tokenizerFiles { try contents.write(to: partial.appendingPathComponent(name)) }
                    try TrainingCheckpoint.save(run, tokenizer: nil, data: p.data, to: partial.appendingPathComponent("adapter"))
                } else {
                    try TrainingCheckpoint.save(run, tokenizer: nil, data: p.data, to: partial)
                }
            } else {
                try TrainingCheckpoint.save(run, tokenizer: p.tokenizer, data: p.data, extraFiles: tokenizerFiles, to: partial)
            }
        } catch {
            try? manager.removeItem(at: partial)
            throw CommandFailure(message: "writing \(folder.path) failed: \(error)")
        }
        if manager.fileExists(atPath: folder.path) {
            guard force else {
                try? manager.removeItem(at: partial)
                throw CommandFailure(message: "--output \(folder.path) appeared while fine-tuning; the result is not written")
            }
            let previous = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).previous")
            try? manager.removeItem(at: previous)
            guard rename(folder.path, previous.path) == 0, rename(partial.path, folder.path) == 0 else {
                throw CommandFailure(message: "cannot move the result into \(folder.path): \(String(cString: strerror(errno)))")
            }
            try? manager.removeItem(at: previous)
        } else if rename(partial.path, folder.path) != 0 {
            throw CommandFailure(message: "cannot move the result into \(folder.path): \(String(cString: strerror(errno)))")
        }
    }
}
