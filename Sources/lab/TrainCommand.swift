// `lab train`: trains a transformer language model from scratch with the kernel's fast path.
//
// Scope: the command's options (data, tokenizer, model shape, schedule, output), checking them
// with errors that name the argument or file; building the token stream (a generated corpus or a
// text file, a trained or given tokenizer); the loop of TrainingRun with a progress line (ETA,
// tokens/s, latest losses) or JSON lines; checkpoints in the output folder at every evaluation
// and at the end (TrainingCheckpoint: a Hugging Face folder plus the training state, written
// atomically), with the loss history as `loss.csv` and the curve as `loss.svg`; resuming
// (`--resume DIR`) bit for bit; Ctrl-C, which finishes the current step, saves and exits (status 130).
// Exit status, as everywhere in `lab`: 0 success, 1 failure (the run blew up, a file is bad), 2 usage error.
// Left out: several data files, validation on a separate file, multi-process training.

import Foundation
import LabCorpora
import LabKernel
import LabNotebook
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum TrainCommand {
    static let usage = """
        usage: lab train --corpus stories|recipes|qa|FILE --output DIR [options]
               lab train --resume DIR [--steps N] [--threads N] [--json]

        Trains a transformer language model from scratch on the kit's generated text or a UTF-8 text
        file, and writes DIR as a Hugging Face model folder (config.json, model.safetensors,
        tokenizer.json) that lab generate, the lessons and transformers load, plus the training state
        (training_state.json and .safetensors) that --resume continues bit for bit, the loss history
        (loss.csv) and the loss curve (loss.svg). Ctrl-C saves a checkpoint and exits.

        data:
          --corpus NAME     stories, recipes or qa (the kit's generated text), or a text file
          --bytes N         how much text to generate (default: 2M; suffixes k, M, G)
          --seed N          the corpus's seed (default: 1)
          --validation F    the fraction held out for validation, from the end (default: 0.1)
        tokenizer (one of):
          --vocab-size N    train a byte-level BPE tokenizer of N tokens on the text (default: 2048)
          --tokenizer PATH  use a tokenizer.json (or a folder holding one)
        model (a config.json, or the shape by flags; GPT-2 style unless --family llama):
          --config FILE     a Hugging Face config.json (its vocab_size must fit the tokenizer)
          --family F        gpt2 or llama (default: gpt2)
          --layers N        blocks (default: 4)
          --width N         the residual stream's width C (default: 128)
          --heads N         attention heads (default: 4)
          --kv-heads N      key/value heads, Llama only (default: --heads)
          --ff N            the MLP's hidden width (default: 4C for GPT-2, 8C/3 rounded to 32 for Llama)
          --positions N     the longest context the model supports (default: --context)
          --init-seed N     the seed of the initial weights (default: 1)
        training:
          --steps N         optimizer steps (default: 1000)
          --batch N         sequences per micro-batch (default: 16)
          --context N       tokens per sequence (default: 128)
          --accumulate N    micro-batches per step (default: 1)
          --learning-rate X peak learning rate (default: 1e-3), reached after --warmup steps
          --warmup N        linear warmup steps (default: steps / 20)
          --min-learning-rate X  the cosine's floor (default: a tenth of the peak)
          --weight-decay X  AdamW's decay on matrices (default: 0.1)
          --clip X          gradient clipping norm (default: 1.0)
          --eval-interval N evaluate and save a checkpoint every N steps (default: steps / 10)
          --eval-batches N  held-out batches per evaluation (default: 8)
          --batch-seed N    the seed of the random batches (default: 1)
        output:
          --output DIR      the folder to write (it must not exist or be empty, unless --force)
          --resume DIR      continue the run saved in DIR (writes to DIR, or to --output);
                            with --steps N, a longer (or shorter) run: the schedule is recomputed
                            for N steps, so the learning rate moves to where that schedule is
          --force           replace the checkpoint in an existing --output folder (other files are kept)
          --stop-after N    stop after step N, saving a checkpoint as Ctrl-C does (for scripts)
          --threads N       threads for the kernel (default: all \(Parallel.coreCount) cores)
          --json            one JSON object per line per step and evaluation on standard output
          --help            show this help

        example:
          lab train --corpus stories --bytes 2M --vocab-size 2048 --layers 4 --width 128 --steps 500 --output my-model
        """

    /// The checked options of one run.
    struct Options {
        var corpus = "stories"
        var corpusBytes = 2_000_000
        var corpusSeed: UInt64 = 1
        var validationFraction = 0.1
        var vocabularySize: Int?
        var tokenizerPath: String?
        var configPath: String?
        var family = TransformerConfig.Architecture.gpt2
        var layers = 4, width = 128, heads = 4
        var kvHeads: Int?, feedForward: Int?, positions: Int?
        var initSeed: UInt64 = 1
        var settings = TrainingSettings(steps: 1000, batch: 16, context: 128)
        var output: String?
        var resume: String?
        var force = false
        var threads: Int?
        var stopAfter: Int?
        var json = false
        /// Options given on the command line (to refuse those that --resume cannot change).
        var given: Set<String> = []
    }

    static func run(_ arguments: [String]) throws {
        guard let options = try parse(arguments) else {
            print(usage)
            return
        }
        try train(options)
    }

    private static func usageError(_ message: String) -> UsageError { UsageError(message: message, command: "train") }

    /// Limits on options that cost time, not memory (memory is budgeted from the shape): beyond
    /// them a run would not end in any useful time, so they are refused rather than started.
    static let maximumAccumulation = 4096, maximumEvaluationBatches = 10_000, maximumThreads = 1024

    // MARK: - Options

    static func parse(_ arguments: [String]) throws -> Options? {
        var arguments = Arguments(arguments, command: "train")
        if arguments.flag("--help", "-h") { return nil }
        var o = Options()
        o.force = arguments.flag("--force")
        o.json = arguments.flag("--json")
        func text(_ name: String) throws -> String? {
            let value = try arguments.value(name)
            if value != nil { o.given.insert(name) }
            return value
        }
        func integer(_ name: String, minimum: Int = 1, maximum: Int = .max) throws -> Int? {
            try text(name).map { t in
                guard let v = Int(t), v >= minimum, v <= maximum else {
                    let range = maximum == .max ? "≥ \(minimum)" : "from \(minimum) to \(maximum)"
                    throw usageError("\(name) expects a whole number \(range); got '\(printable(t))'")
                }
                return v
            }
        }
        func seed(_ name: String) throws -> UInt64? {
            try text(name).map { t in
                guard let v = UInt64(t) else { throw usageError("\(name) expects a whole number from 0 to \(UInt64.max); got '\(printable(t))'") }
                return v
            }
        }
        func number(_ name: String, minimum: Float, inclusive: Bool = false) throws -> Float? {
            try text(name).map { t in
                guard let v = Float(t), v.isFinite, inclusive ? v >= minimum : v > minimum else {
                    throw usageError("\(name) expects a number \(inclusive ? "≥" : ">") \(minimum), e.g. 0.001; got '\(printable(t))'")
                }
                return v
            }
        }
        if let v = try text("--corpus") { o.corpus = v }
        if let v = try text("--bytes") {
            guard let count = CorpusCommand.parseByteCount(v), count > 0, count <= maximumTextFileBytes else {
                throw usageError("--bytes expects a positive number of bytes up to \(formatBytes(maximumTextFileBytes)) "
                                 + "(the text is held in memory), such as 2000000 or 2M; got '\(printable(v))'")
            }
            o.corpusBytes = count
        }
        if let v = try seed("--seed") { o.corpusSeed = v }
        if let v = try text("--validation") {
            guard let f = Double(v), f > 0, f < 0.5 else {
                throw usageError("--validation expects a fraction between 0 and 0.5, e.g. 0.1; got '\(printable(v))'")
            }
            o.validationFraction = f
        }
        if let v = try integer("--vocab-size", maximum: TransformerConfig.SizeLimits.vocabulary) {
            let smallest = 256 + 1
            guard v >= smallest else {
                throw usageError("--vocab-size \(v) is too small: a byte-level vocabulary holds the 256 single bytes "
                                 + "plus <|endoftext|>, so it needs at least \(smallest)")
            }
            o.vocabularySize = v
        }
        o.tokenizerPath = try text("--tokenizer")
        if o.vocabularySize != nil && o.tokenizerPath != nil { throw usageError("give either --vocab-size or --tokenizer, not both") }
        o.configPath = try text("--config")
        if let v = try text("--family") {
            guard let family = TransformerConfig.Architecture(rawValue: v), family == .gpt2 || family == .llama else {
                throw usageError("--family must be gpt2 or llama; got '\(printable(v))'")
            }
            o.family = family
        }
        // The kernel's limits on config.json's sizes, so that no product of the flags overflows.
        typealias Limits = TransformerConfig.SizeLimits
        if let v = try integer("--layers", maximum: Limits.layers) { o.layers = v }
        if let v = try integer("--width", maximum: Limits.width) { o.width = v }
        if let v = try integer("--heads", maximum: Limits.heads) { o.heads = v }
        o.kvHeads = try integer("--kv-heads", maximum: Limits.heads)
        o.feedForward = try integer("--ff", maximum: Limits.feedForward)
        o.positions = try integer("--positions", maximum: Limits.positions)
        if let v = try seed("--init-seed") { o.initSeed = v }
        let shapeFlags = ["--family", "--layers", "--width", "--heads", "--kv-heads", "--ff", "--positions"]
        if o.configPath != nil, let flag = shapeFlags.first(where: o.given.contains) {
            throw usageError("\(flag) and --config both give the model's shape; use one of them")
        }
        if let v = try integer("--steps") { o.settings.steps = v }
        if let v = try integer("--batch") { o.settings.batch = v }
        if let v = try integer("--context", maximum: TransformerConfig.SizeLimits.positions) { o.settings.context = v }
        if let v = try integer("--accumulate", maximum: maximumAccumulation) { o.settings.accumulation = v }
        if let v = try number("--learning-rate", minimum: 0) { o.settings.learningRate = v }
        o.settings.warmupSteps = try integer("--warmup", minimum: 0) ?? o.settings.steps / 20
        guard o.settings.warmupSteps < o.settings.steps else {
            throw usageError("--warmup \(o.settings.warmupSteps) must be smaller than --steps \(o.settings.steps)")
        }
        o.settings.minimumLearningRate = try number("--min-learning-rate", minimum: 0, inclusive: true) ?? o.settings.learningRate / 10
        guard o.settings.minimumLearningRate <= o.settings.learningRate else {
            throw usageError("--min-learning-rate \(o.settings.minimumLearningRate) is above the peak --learning-rate \(o.settings.learningRate)")
        }
        if let v = try number("--weight-decay", minimum: 0, inclusive: true) { o.settings.weightDecay = v }
        if let v = try number("--clip", minimum: 0) { o.settings.maxGradientNorm = v }
        o.settings.evaluationInterval = try integer("--eval-interval") ?? max(1, o.settings.steps / 10)
        if let v = try integer("--eval-batches", maximum: maximumEvaluationBatches) { o.settings.evaluationBatches = v }
        if let v = try seed("--batch-seed") { o.settings.seed = v }
        o.output = try text("--output") ?? text("-o")
        o.resume = try text("--resume")
        o.threads = try integer("--threads", maximum: maximumThreads)
        o.stopAfter = try integer("--stop-after")
        try arguments.finish()

        if let resume = o.resume {
            // A resumed run's data, tokenizer, shape and schedule come from its checkpoint.
            let fixed = o.given.subtracting(["--resume", "--output", "-o", "--steps", "--threads", "--stop-after"])
            if let flag = fixed.sorted().first {
                throw usageError("\(flag) cannot change when resuming: the run in \(resume) keeps its data, tokenizer, "
                                 + "model shape and settings (only --steps, --threads, --output and --json may be given)")
            }
        } else {
            guard o.output != nil else { throw usageError("--output DIR is required: the folder to write the model into") }
        }
        return o
    }

    // MARK: - Data

    /// The text the run trains on, and a description to store with the checkpoint.
    static func loadText(_ o: Options) throws -> (text: String, data: [String: String]) {
        if let kind = CorpusKind(rawValue: o.corpus) {
            let text = generateCorpus(kind: kind, bytes: o.corpusBytes, seed: o.corpusSeed, separator: .endOfText)
            return (text, ["corpus": kind.rawValue, "bytes": "\(o.corpusBytes)", "seed": "\(o.corpusSeed)",
                           "validation_fraction": "\(o.validationFraction)"])
        }
        // Something at the path (a link to nowhere counts): then it must be a readable UTF-8 file.
        var status = stat()
        guard lstat(o.corpus, &status) == 0 else {
            throw usageError("--corpus '\(printable(o.corpus))' is neither stories, recipes nor qa, nor an existing text file")
        }
        let text: String
        do { text = try TokenizerFiles.readText(path: o.corpus) } catch { throw CommandFailure(message: "--corpus \(error)") }
        guard !text.isEmpty else { throw CommandFailure(message: "--corpus \(o.corpus) is empty: there is nothing to train on") }
        return (text, ["corpus": "file", "path": o.corpus, "validation_fraction": "\(o.validationFraction)"])
    }

    /// Checks that both parts of the stream hold enough windows, with a message naming the file.
    static func checkLength(_ tokens: [Int], source: String, o: Options) throws {
        let (train, validation) = TokenWindows.split(tokens, validationFraction: o.validationFraction)
        let context = o.settings.context
        guard train.hasWindow(context: context), validation.hasWindow(context: context) else {
            let needed = String(format: "%.0f", ((Double(context) + 1) / o.validationFraction).rounded(.up))
            throw CommandFailure(message: "\(source) gives \(tokens.count) tokens; with --context \(context) the held-out "
                + "\(Int(o.validationFraction * 100))% needs at least \(context + 1), so the text needs about \(needed) tokens "
                + "(more text, a smaller --context, or a larger --validation)")
        }
    }

    // MARK: - Training

    static let interrupted = Atomic<Bool>(false)

    static func train(_ options: Options) throws {
        if let threads = options.threads { Parallel.threadCount = threads }
        let run: TrainingRun, tokenizer: BPETokenizer, data: [String: String], destination: URL
        var history: [HistoryRow] = []
        if let resumePath = options.resume {
            (run, tokenizer, data, history) = try resume(resumePath, options)
            destination = URL(fileURLWithPath: options.output ?? resumePath)
        } else {
            destination = URL(fileURLWithPath: options.output!)
            try checkOutput(destination, force: options.force)
            (run, tokenizer, data) = try start(options)
        }
        let config = run.trainer.config
        let parameters = run.trainer.parameters.count
        let say: (String) -> Void = { options.json ? FileHandle.standardError.write(Data(($0 + "\n").utf8)) : print($0) }
        say("model: \(config.architecture.rawValue), \(config.layers) layers, C \(config.width), \(config.heads) heads"
            + "\(config.kvHeads == config.heads ? "" : " (\(config.kvHeads) KV)"), V \(config.vocabularySize), "
            + "\(formatFixed(Double(parameters) / 1e6, decimals: 2))M parameters; \(run.train.tokens.count) training and "
            + "\(run.validation.tokens.count) held-out tokens; \(Parallel.threadCount) thread\(Parallel.threadCount == 1 ? "" : "s")")
        say("training steps \(run.step + 1)...\(run.settings.steps), \(run.settings.accumulation * run.settings.batch) × "
            + "\(run.settings.context) tokens per step, peak learning rate \(run.settings.learningRate); writing \(destination.path)")
        fflush(nil)

        signal(SIGINT) { _ in TrainCommand.interrupted.store(true, ordering: .relaxed) }
        defer { signal(SIGINT, SIG_DFL) }
        let tokensPerStep = run.settings.accumulation * run.settings.batch * run.settings.context
        let clock = ContinuousClock()
        let started = clock.now, firstStep = run.step
        let elapsedBefore = history.last?.elapsed ?? 0
        var progress = ProgressLine()
        var lastValidation = history.last(where: { $0.validationLoss != nil })?.validationLoss
        func save() throws {
            let csv = HistoryRow.csv(history), svg = lossCurve(history, config: config)
            try TrainingCheckpoint.save(run, tokenizer: tokenizer, data: data,
                                        extraFiles: ["loss.csv": Data(csv.utf8), "loss.svg": Data(svg.utf8)], to: destination)
        }
        while !run.isFinished {
            let record: TrainingStepRecord
            do {
                record = try run.runStep()
            } catch let stop as TrainingStop {
                progress.finish()
                let kept = TrainingCheckpoint.isCheckpoint(destination)
                    ? "the last good checkpoint (\(destination.path)) is kept" : "no checkpoint had been written yet"
                throw CommandFailure(message: "training stopped at \(stop); \(kept)")
            }
            let seconds = (clock.now - started).seconds
            let speed = Double((run.step - firstStep) * tokensPerStep) / max(seconds, 1e-9)
            var row = HistoryRow(step: record.step, trainLoss: record.loss, validationLoss: nil, learningRate: record.learningRate,
                                 gradientNorm: record.gradientNorm, tokensPerSecond: speed, elapsed: elapsedBefore + seconds)
            let evaluate = run.evaluationIsDue
            if evaluate {
                row.validationLoss = run.validationLoss()
                if let loss = row.validationLoss, !loss.isFinite {
                    // Finite weights whose forward pass overflows: not a model to save over a good one.
                    progress.finish()
                    throw CommandFailure(message: "training stopped at step \(run.step): the validation loss (\(loss)) is not a finite "
                        + "number; the learning rate is probably too high for this model (try a tenth of it, or more warmup)")
                }
                lastValidation = row.validationLoss
            }
            history.append(row)
            let remaining = Double(run.settings.steps - run.step) * seconds / Double(run.step - firstStep)
            if options.json {
                print(row.json(event: evaluate ? "eval" : "step"))
                fflush(nil)
            } else {
                let fraction = Double(run.step) / Double(run.settings.steps)
                let bar = String(repeating: "█", count: Int(fraction * 24)) + String(repeating: "░", count: 24 - Int(fraction * 24))
                let validation = lastValidation.map { " val \(formatFixed($0, decimals: 3))" } ?? ""
                progress.update("step \(run.step)/\(run.settings.steps) \(bar) loss \(formatFixed(record.loss, decimals: 3))"
                                + "\(validation) · \(Int(speed)) tokens/s · ETA \(formatDuration(remaining))", now: evaluate)
            }
            let stopping = interrupted.load(ordering: .relaxed) || run.step == options.stopAfter
            if evaluate || stopping {
                try save()
                if !options.json && evaluate {
                    progress.finish()
                    print("step \(run.step): train loss \(formatFixed(record.loss, decimals: 3)), validation loss "
                          + "\(formatFixed(row.validationLoss!, decimals: 3)) (perplexity \(formatPerplexity(Double(row.validationLoss!), decimals: 1))), "
                          + "\(Int(speed)) tokens/s, \(formatDuration(elapsedBefore + seconds)); saved")
                    fflush(nil)
                }
            }
            if stopping && !run.isFinished {
                progress.finish()
                if !interrupted.load(ordering: .relaxed) {
                    say("stopped after step \(run.step) (--stop-after): checkpoint saved to \(destination.path); "
                        + "continue with: lab train --resume \(destination.path)")
                    return
                }
                say("interrupted after step \(run.step): checkpoint saved to \(destination.path); "
                    + "continue with: lab train --resume \(destination.path)")
                exit(130)
            }
        }
        progress.finish()
        let final = history.last!
        if options.json {
            print(jsonLine([("event", .string("done")), ("step", .integer(final.step)),
                            ("train_loss", .precise(Double(final.trainLoss))),
                            ("validation_loss", .precise(Double(final.validationLoss ?? .nan))),
                            ("seconds", .number(final.elapsed)), ("output", .string(destination.path))]))
        } else {
            print("done: \(final.step) step\(final.step == 1 ? "" : "s") in \(formatDuration(final.elapsed)); validation loss "
                  + "\(formatFixed(final.validationLoss ?? .nan, decimals: 3)); model, loss.csv and loss.svg in \(destination.path)")
        }
    }

    /// A new run: text, tokenizer, stream, model.
    static func start(_ o: Options) throws -> (TrainingRun, BPETokenizer, [String: String]) {
        var (text, data) = try loadText(o)
        let tokenizer: BPETokenizer
        if let path = o.tokenizerPath {
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            let url = exists && isFolder.boolValue ? URL(fileURLWithPath: path).appendingPathComponent("tokenizer.json") : URL(fileURLWithPath: path)
            do { tokenizer = try BPETokenizer.load(tokenizerJSON: url) } catch { throw CommandFailure(message: "--tokenizer \(path): \(error)") }
            data["tokenizer"] = path
        } else {
            let size = o.vocabularySize ?? 2048
            tokenizer = try BPETokenizer.train(text: text, vocabularySize: size, specialTokens: [CorpusSeparator.endOfTextMarker])
            data["tokenizer"] = "trained, \(size) tokens"
        }
        let tokens = tokenizer.encode(text)
        text = ""
        try checkLength(tokens, source: data["path"] ?? "the \(o.corpusBytes)-byte \(o.corpus) corpus", o: o)
        let config = try modelConfig(o, tokenizer: tokenizer)
        let (train, validation) = TokenWindows.split(tokens, validationFraction: o.validationFraction)
        let model = TransformerModel.initializedForTraining(config: config, seed: o.initSeed)
        data["init_seed"] = "\(o.initSeed)"
        return (TrainingRun(model: model, settings: o.settings, train: train, validation: validation), tokenizer, data)
    }

    /// The model's configuration from --config or the shape flags, checked against the tokenizer and context.
    static func modelConfig(_ o: Options, tokenizer: BPETokenizer) throws -> TransformerConfig {
        let eos = tokenizer.specialTokens[CorpusSeparator.endOfTextMarker]
        var config: TransformerConfig
        if let path = o.configPath {
            do { config = try TransformerConfig(contentsOf: URL(fileURLWithPath: path)) } catch { throw CommandFailure(message: "--config \(error)") }
            guard config.vocabularySize >= tokenizer.vocabularySize else {
                throw CommandFailure(message: "\(path): vocab_size \(config.vocabularySize) is smaller than the tokenizer's \(tokenizer.vocabularySize) tokens")
            }
            guard o.settings.context <= config.contextLength else {
                throw usageError("--context \(o.settings.context) is longer than the model's \(config.contextLength) positions "
                                 + "(\(config.contextLengthField) in \(path))")
            }
        } else {
            let positions = o.positions ?? o.settings.context
            guard o.settings.context <= positions else {
                throw usageError("--context \(o.settings.context) is longer than the model's --positions \(positions)")
            }
            guard o.width % o.heads == 0 else { throw usageError("--width \(o.width) must be a multiple of --heads \(o.heads)") }
            let kvHeads = o.kvHeads ?? o.heads
            guard o.heads % kvHeads == 0 else { throw usageError("--kv-heads \(kvHeads) must divide --heads \(o.heads)") }
            if o.family == .gpt2 {
                if o.kvHeads != nil && kvHeads != o.heads { throw usageError("--kv-heads is for --family llama; GPT-2 has one KV head per head") }
                config = TransformerConfig(architecture: .gpt2, vocabularySize: tokenizer.vocabularySize, contextLength: positions,
                                           width: o.width, layers: o.layers, heads: o.heads, feedForwardWidth: o.feedForward)
            } else {
                guard (o.width / o.heads) % 2 == 0 else { throw usageError("--width / --heads must be even for RoPE, got \(o.width / o.heads)") }
                let ff = o.feedForward ?? ((8 * o.width / 3 + 31) / 32 * 32)
                config = .llamaFamily(.llama, vocabularySize: tokenizer.vocabularySize, contextLength: positions, width: o.width,
                                      layers: o.layers, heads: o.heads, kvHeads: kvHeads, feedForwardWidth: ff, normEpsilon: 1e-5,
                                      tiedEmbeddings: true)
            }
        }
        if let eos {
            config.eosTokenIDs = [eos]
            config.bosTokenID = eos
        }
        // The flags' sizes, in config.json's field names, before anything is allocated.
        if let problem = config.sizeProblem() { throw usageError("the model's shape: \(problem)") }
        if let problem = MemoryBudget.trainingProblem(config, o.settings, names: ("--batch", "--context", "--eval-batches")) {
            throw usageError("the model's shape and batch: \(problem)")
        }
        return config
    }

    /// A run continued from its checkpoint, with its data rebuilt and checked.
    static func resume(_ path: String, _ o: Options) throws -> (TrainingRun, BPETokenizer, [String: String], [HistoryRow]) {
        let folder = URL(fileURLWithPath: path)
        let saved: SavedTraining
        do { saved = try TrainingCheckpoint.load(folder) } catch { throw CommandFailure(message: "--resume: \(error)") }
        guard let tokenizer = saved.tokenizer else { throw CommandFailure(message: "--resume: \(path) has no tokenizer.json") }
        let config = saved.model.config
        guard tokenizer.vocabularySize <= config.vocabularySize else {
            throw CommandFailure(message: "--resume: \(path)/tokenizer.json has \(tokenizer.vocabularySize) tokens, more than the "
                                 + "model's vocab_size \(config.vocabularySize) in config.json")
        }
        var settings = saved.settings
        if let steps = o.given.contains("--steps") ? o.settings.steps : nil {
            guard steps > saved.step else { throw usageError("--steps \(steps): the run in \(path) has already done \(saved.step) steps") }
            settings.steps = steps
        } else if saved.step >= settings.steps {
            throw usageError("the run in \(path) has done all its \(settings.steps) steps; give --steps N (more than \(settings.steps)) to train it longer")
        }
        let state = "\(TrainingCheckpoint.stateFile) settings"
        guard settings.accumulation <= maximumAccumulation, settings.evaluationBatches <= maximumEvaluationBatches else {
            throw CommandFailure(message: "--resume: \(path): \(state): accumulation \(settings.accumulation) and evaluation_batches "
                                 + "\(settings.evaluationBatches) must be at most \(maximumAccumulation) and \(maximumEvaluationBatches), as lab train's options are")
        }
        if let problem = MemoryBudget.trainingProblem(config, settings, names: ("\(state).batch", "\(state).context",
                                                                                "\(state).evaluation_batches")) {
            throw CommandFailure(message: "--resume: \(path): \(problem)")
        }
        var options = o
        try applyRecordedData(saved.data, to: &options, text: true, checkpoint: path)
        options.settings = settings
        let tokens = tokenizer.encode(try loadText(options).text)
        let (train, validation) = TokenWindows.split(tokens, validationFraction: options.validationFraction)
        guard train.tokens.count == saved.trainTokens, TrainingCheckpoint.fingerprint(train.tokens) == saved.trainHash else {
            throw CommandFailure(message: "--resume: the training text is not the one \(path) was trained on "
                                 + "(\(printable(options.corpus)) now gives \(train.tokens.count) training tokens, the checkpoint saw \(saved.trainTokens))")
        }
        try checkLength(tokens, source: "--resume: \(printable(options.corpus))", o: options)
        // loss.csv is the curve's history only: a missing or unreadable one starts the curve afresh.
        let csv = (try? readUTF8File(folder.appendingPathComponent("loss.csv"), maximumBytes: maximumTextFileBytes)) ?? ""
        let history = HistoryRow.parse(csv: csv).filter { $0.step <= saved.step }
        let run = TrainingRun(trainer: TrainableTransformer(saved.model), optimizer: saved.optimizer, settings: settings,
                              step: saved.step, generator: saved.generator, averageLoss: saved.averageLoss,
                              train: train, validation: validation)
        return (run, tokenizer, saved.data, history)
    }

    /// Takes the training text a checkpoint records (training_state.json's "data", as `loadText`
    /// wrote it) into `o`: the validation fraction, and with `text` the corpus, its size and seed.
    /// Each is checked as the option that set it was, so a damaged record is a named error
    /// rather than a corpus of 2^62 bytes.
    static func applyRecordedData(_ data: [String: String], to o: inout Options, text: Bool, checkpoint path: String) throws {
        func bad(_ key: String, _ expected: String) -> CommandFailure {
            CommandFailure(message: "\(path)/\(TrainingCheckpoint.stateFile): field \"data.\(key)\" \(expected); "
                           + "found '\(printable(data[key] ?? "(missing)"))'")
        }
        if let value = data["validation_fraction"] {
            guard let f = Double(value), f > 0, f < 0.5 else { throw bad("validation_fraction", "must be a fraction between 0 and 0.5") }
            o.validationFraction = f
        }
        guard text else { return }
        switch data["corpus"] {
        case "file":
            guard let file = data["path"], !file.isEmpty else { throw bad("path", "must name the text file the run read") }
            o.corpus = file
        case let name? where CorpusKind(rawValue: name) != nil:
            o.corpus = name
            guard let value = data["bytes"], let bytes = Int(value), bytes > 0, bytes <= maximumTextFileBytes else {
                throw bad("bytes", "must be a positive size up to \(formatBytes(maximumTextFileBytes))")
            }
            guard let value = data["seed"], let seed = UInt64(value) else { throw bad("seed", "must be a whole number from 0 to \(UInt64.max)") }
            (o.corpusBytes, o.corpusSeed) = (bytes, seed)
        default:
            throw bad("corpus", "must be stories, recipes, qa or file")
        }
    }

    /// Refuses to write into a folder that holds something other than an earlier checkpoint (or anything, without --force).
    static func checkOutput(_ folder: URL, force: Bool) throws {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: folder.path, isDirectory: &isFolder) else {
            let parent = folder.deletingLastPathComponent().path
            guard manager.fileExists(atPath: parent) else { throw CommandFailure(message: "--output \(folder.path): the folder \(parent) does not exist") }
            return
        }
        guard isFolder.boolValue else { throw CommandFailure(message: "--output \(folder.path) is a file, not a folder") }
        let contents = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
        if contents.isEmpty { return }
        guard force else {
            let hint = TrainingCheckpoint.isCheckpoint(folder) ? "continue it with --resume \(folder.path), or start over with --force"
                : "choose another --output, or --force to write the model there (its other files are kept)"
            throw CommandFailure(message: "--output \(folder.path) already exists and is not empty; \(hint)")
        }
    }

    /// The loss curve: training loss at every step and validation loss at each evaluation.
    static func lossCurve(_ history: [HistoryRow], config: TransformerConfig) -> String {
        let train = ChartSeries(name: "training loss", points: history.map { (Double($0.step), Double($0.trainLoss)) }, color: "#1f77b4")
        let validation = ChartSeries(name: "validation loss",
                                     points: history.compactMap { row in row.validationLoss.map { (Double(row.step), Double($0)) } },
                                     color: "#d62728")
        return lineChartSVG([train, validation], title: "lab train: \(config.architecture.rawValue), \(config.layers) layers, C \(config.width)",
                            xLabel: "step", yLabel: "cross-entropy (nats per token)")
    }
}

/// One line of loss.csv.
struct HistoryRow: Equatable {
    var step: Int
    var trainLoss: Float
    var validationLoss: Float?
    var learningRate: Float
    var gradientNorm: Float
    var tokensPerSecond: Double
    var elapsed: Double

    static let header = "step,train_loss,validation_loss,learning_rate,gradient_norm,tokens_per_second,elapsed_seconds"

    static func csv(_ rows: [HistoryRow]) -> String {
        ([header] + rows.map { r in
            "\(r.step),\(r.trainLoss),\(r.validationLoss.map { "\($0)" } ?? ""),\(r.learningRate),\(r.gradientNorm),"
                + "\(formatFixed(r.tokensPerSecond, decimals: 1)),\(formatFixed(r.elapsed, decimals: 3))"
        }).joined(separator: "\n") + "\n"
    }

    /// The rows of a loss.csv written by `csv` (lines that do not parse are skipped).
    static func parse(csv text: String) -> [HistoryRow] {
        text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 7, let step = Int(f[0]), let train = Float(f[1]), let rate = Float(f[3]), let norm = Float(f[4]),
                  let speed = Double(f[5]), let elapsed = Double(f[6]) else { return nil }
            return HistoryRow(step: step, trainLoss: train, validationLoss: Float(f[2]), learningRate: rate, gradientNorm: norm,
                              tokensPerSecond: speed, elapsed: elapsed)
        }
    }

    func json(event: String) -> String {
        var fields: [(key: String, value: JSONField)] = [("event", .string(event)), ("step", .integer(step)),
                                                         ("train_loss", .precise(Double(trainLoss)))]
        if let validationLoss { fields.append(("validation_loss", .precise(Double(validationLoss)))) }
        fields += [("learning_rate", .precise(Double(learningRate))), ("gradient_norm", .precise(Double(gradientNorm))),
                   ("tokens_per_second", .number(tokensPerSecond)), ("elapsed_seconds", .number(elapsed))]
        return jsonLine(fields)
    }
}

/// 1h02m, 3m05s, 12s.
func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let s = Int(seconds.rounded())
    if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
    if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
    return "\(s)s"
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
