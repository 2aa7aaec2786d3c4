// Checkpoints: a training run saved as a Hugging Face model folder plus what resuming needs.
//
//     config.json                  the model's configuration (ModelConfig+Writing.swift)
//     model.safetensors            the weights, by their Hugging Face names
//     tokenizer.json               the tokenizer
//     training_state.json          step, settings, the batch generator's state, the loss average,
//                                  a description of the data (and its token count and hash)
//     training_state.safetensors   AdamW's two moments, in the parameter buffer's layout
//
// so the folder is a model that `lab generate`, the lessons and `transformers` load, and also a
// run that `lab train --resume` continues bit for bit. A LoRA run (`lab finetune`) is saved the
// same way with the adapter in place of the model: adapter_config.json and
// adapter_model.safetensors (a PEFT adapter folder, PEFTAdapter.swift), the state, and the
// moments in the adapter's layout; the frozen base is named in the state's data, not copied. Every float a resumed run computes with is
// stored exactly: tensors in float32, settings as their bit patterns (beside a readable value).
//
// Written atomically, as a whole: the new folder is written beside the old one (`.NAME.partial`),
// files the old folder holds and the new one does not (a model card, a plot) are copied into it,
// then the old folder is renamed `.NAME.previous`, the new one renamed into place, and the old one
// removed. A save killed at any moment leaves a readable checkpoint: before the first rename the
// old folder is untouched; between the two renames it is `.NAME.previous`, which `resolve` finds.
// Left out: keeping several checkpoints, and sharded weights.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A checkpoint that cannot be used; the description names the file and what is wrong.
public struct CheckpointError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A training run read back from a checkpoint folder.
public struct SavedTraining {
    public let model: TransformerModel
    public let tokenizer: BPETokenizer?
    public let settings: TrainingSettings
    public let step: Int
    public let optimizer: BufferAdamW
    public let generator: SeededGenerator
    public let averageLoss: Float?
    /// What the run was trained on, as the saver described it (e.g. corpus, bytes, seed).
    public let data: [String: String]
    /// The training stream's length and FNV-1a hash, to check that a resume sees the same tokens.
    public let trainTokens: Int, trainHash: UInt64
}

/// A LoRA run read back from a checkpoint folder: the adapter and what resuming needs. The
/// frozen base model is the caller's (the state's data names it).
public struct SavedAdapterTraining {
    public let adapter: LoRAAdapter
    public let settings: TrainingSettings
    public let step: Int
    public let optimizer: BufferAdamW
    public let generator: SeededGenerator
    public let averageLoss: Float?
    public let data: [String: String]
    public let trainTokens: Int, trainHash: UInt64
}

public enum TrainingCheckpoint {
    public static let stateFile = "training_state.json"
    public static let momentsFile = "training_state.safetensors"

    /// FNV-1a over the ids (as 32-bit words): a fingerprint of a token stream.
    public static func fingerprint(_ tokens: [Int]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for token in tokens {
            var word = UInt32(truncatingIfNeeded: token)
            for _ in 0..<4 {
                hash = (hash ^ UInt64(word & 0xff)) &* 0x100_0000_01b3
                word >>= 8
            }
        }
        return hash
    }

    /// The folder to read for `folder`: itself, or `.NAME.previous` when a save was killed
    /// between its two renames. Nil when neither exists.
    public static func resolve(_ folder: URL) -> URL? {
        let manager = FileManager.default
        if manager.fileExists(atPath: folder.path) { return folder }
        let previous = sibling(of: folder, suffix: "previous")
        return manager.fileExists(atPath: previous.path) ? previous : nil
    }

    /// Whether `folder` holds a training state (a kit checkpoint, not just a model).
    public static func isCheckpoint(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(stateFile).path)
    }

    // MARK: - Saving

    /// Saves `run` (and `tokenizer`) to `folder`, atomically as described in the file header.
    /// `data` describes the training data; `extraFiles` (name: contents) are written too.
    /// - Throws: `CheckpointError` when a parameter is not finite (an update overflowed Float:
    ///   the checkpoint on disk, if any, is left as it was), or a file cannot be written.
    ///
    /// A LoRA run writes its adapter instead of the model (and no tokenizer: pass nil); `data`
    /// should name the base model. `keepingOldFiles: false` replaces an existing folder whole
    /// (a fresh run written over an old output) instead of carrying its other files over.
    public static func save(_ run: TrainingRun, tokenizer: BPETokenizer?, data: [String: String],
                            extraFiles: [String: Data] = [:], keepingOldFiles: Bool = true, to folder: URL) throws {
        // A loss and gradients that were finite can still give an update beyond Float (a huge
        // learning rate); such weights are not a model, and saving them would replace a good one.
        if let bad = run.trainer.trainable.firstNonFiniteValue() {
            throw CheckpointError("step \(run.step): parameter \"\(bad.name)\" is not finite (\(bad.value) at flat index "
                                  + "\(bad.index)) after the update; the learning rate is far too high for this model "
                                  + "(try a tenth of it, or more warmup)")
        }
        let manager = FileManager.default
        let partial = sibling(of: folder, suffix: "partial"), previous = sibling(of: folder, suffix: "previous")
        try? manager.removeItem(at: partial)
        do {
            try manager.createDirectory(at: partial, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError("cannot create \(partial.path): \(error.localizedDescription)")
        }
        if let adapter = run.trainer.adapter {
            do { try PEFTAdapter.save(adapter, baseModel: data["model"], to: partial) } catch { throw CheckpointError("\(error)") }
        } else {
            let model = run.trainer.model
            try write(Data(model.config.configJSON().utf8), to: partial.appendingPathComponent("config.json"))
            try writeSafetensors(model.checkpointTensors, metadata: ["format": "pt"],
                                 to: partial.appendingPathComponent("model.safetensors"))
        }
        try tokenizer?.save(tokenizerJSON: partial.appendingPathComponent("tokenizer.json"))
        let moments = ["first_moment": Tensor(shape: [run.optimizer.firstMoment.count], scalars: run.optimizer.firstMoment),
                       "second_moment": Tensor(shape: [run.optimizer.secondMoment.count], scalars: run.optimizer.secondMoment)]
        try writeSafetensors(moments, metadata: ["layout": run.trainer.trainable.slots.map(\.name).joined(separator: ",")],
                             to: partial.appendingPathComponent(momentsFile))
        try write(Data(stateJSON(run, data: data).utf8), to: partial.appendingPathComponent(stateFile))
        for (name, contents) in extraFiles { try write(contents, to: partial.appendingPathComponent(name)) }
        // Keep what the old folder holds and the new one does not (a model card, notes).
        if manager.fileExists(atPath: folder.path) {
            let old = keepingOldFiles ? (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] : []
            for name in old where !manager.fileExists(atPath: partial.appendingPathComponent(name).path) {
                try manager.copyItem(at: folder.appendingPathComponent(name), to: partial.appendingPathComponent(name))
            }
            try? manager.removeItem(at: previous)
            try manager.moveItem(at: folder, to: previous)
        }
        try manager.moveItem(at: partial, to: folder)
        try? manager.removeItem(at: previous)
    }

    /// `.NAME.SUFFIX` beside `folder`.
    static func sibling(of folder: URL, suffix: String) -> URL {
        folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).\(suffix)", isDirectory: true)
    }

    private static func write(_ data: Data, to url: URL) throws {
        do {
            try data.write(to: url)
        } catch {
            throw CheckpointError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    private static func stateJSON(_ run: TrainingRun, data: [String: String]) -> String {
        let s = run.settings
        func float(_ key: String, _ value: Float) -> String {
            "\"\(key)\": \(value.isFinite ? "\(value)" : "null"), \"\(key)_bits\": \(value.bitPattern)"
        }
        let settings = [
            "\"steps\": \(s.steps)", "\"batch\": \(s.batch)", "\"context\": \(s.context)", "\"accumulation\": \(s.accumulation)",
            float("learning_rate", s.learningRate), "\"warmup_steps\": \(s.warmupSteps)",
            float("minimum_learning_rate", s.minimumLearningRate), float("weight_decay", s.weightDecay),
            float("beta1", s.beta1), float("beta2", s.beta2), float("epsilon", s.epsilon),
            float("max_gradient_norm", s.maxGradientNorm), "\"evaluation_interval\": \(s.evaluationInterval)",
            "\"evaluation_batches\": \(s.evaluationBatches)", "\"seed\": \"\(s.seed)\"", float("spike_factor", s.spikeFactor),
        ]
        func words(_ g: SeededGenerator) -> String { g.savedState.map { "\"\(String($0, radix: 16))\"" }.joined(separator: ", ") }
        let generator = words(run.generator)
        let dropout = run.trainer.adapter.map { "\n  \"dropout_generator\": [\(words($0.dropoutGenerator))]," } ?? ""
        let dataMembers = data.keys.sorted().map { "    \(jsonStringLiteral($0)): \(jsonStringLiteral(data[$0]!))" }
        return """
            {
              "format": "openmodellab training state",
              "version": 1,
              "step": \(run.step),
              \(run.averageLoss.map { float("average_loss", $0) } ?? "\"average_loss\": null"),
              "generator": [\(generator)],\(dropout)
              "optimizer_step": \(run.optimizer.step),
              "train_tokens": \(run.train.tokens.count),
              "train_fingerprint": "\(String(fingerprint(run.train.tokens), radix: 16))",
              "settings": {
                \(settings.joined(separator: ",\n    "))
              },
              "data": {
            \(dataMembers.joined(separator: ",\n"))
              }
            }

            """
    }

    // MARK: - Loading

    /// The largest training_state.json the loader reads (one is about 2 kB).
    static let maximumStateBytes = 16 << 20

    /// Reads a checkpoint folder written by `save` (or `.NAME.previous`, see `resolve`).
    ///
    /// Everything is checked before the run can use it, each problem a `CheckpointError` naming
    /// the file and the field: the state's format and version, every setting's type and range
    /// (`TrainingSettings.problem()` and the finiteness and order of the rates), the step within
    /// the run and equal to the optimizer's, the generator state, the loss average, the data
    /// description (strings only); the model as loading checks it (tensors, shapes, NaN), with no
    /// tensor beyond the model's; the context within the model's positions; and the moments: exactly
    /// the two float32 vectors of the parameter layout, finite, the second one ≥ 0.
    public static func load(_ folder: URL) throws -> SavedTraining {
        guard let folder = resolve(folder) else { throw CheckpointError("\(folder.path): no such checkpoint folder") }
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent(PEFTAdapter.configFile).path) {
            throw CheckpointError("\(folder.path) holds a LoRA run (an adapter and its training state), not a model: "
                                  + "continue it with lab finetune --resume \(folder.path)")
        }
        let state = try readState(folder)
        let settings = state.settings
        let loaded: LoadedModel
        do { loaded = try loadModel(folder: folder) } catch { throw CheckpointError("\(folder.path): \(error)") }
        let config = loaded.model.config
        let used = Set(try TransformerModel.storedParameters(in: loaded.folder.weights, config: config).map(\.storedName))
        if let extra = loaded.folder.weights.names.first(where: { !used.contains($0) }) {
            throw CheckpointError("\(folder.path): model.safetensors holds tensor \"\(printable(extra))\", which the model of "
                                  + "config.json does not have (a checkpoint stores exactly the model's parameters)")
        }
        guard settings.context <= config.contextLength else {
            throw CheckpointError("\(state.url.path): settings: context \(settings.context) is longer than the model's "
                                  + "\(config.contextLength) positions (\(config.contextLengthField) in config.json)")
        }
        let trainer = TrainableTransformer(loaded.model)
        let moments = try readMoments(folder.appendingPathComponent(momentsFile), layout: trainer.parameters,
                                      owner: "config.json's model")
        let optimizer = BufferAdamW(beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon,
                                    weightDecay: settings.weightDecay, step: state.step,
                                    firstMoment: moments.first, secondMoment: moments.second)
        return SavedTraining(model: loaded.model, tokenizer: loaded.tokenizer, settings: settings, step: state.step,
                             optimizer: optimizer, generator: state.generator, averageLoss: state.averageLoss, data: state.data,
                             trainTokens: state.trainTokens, trainHash: state.trainHash)
    }

    /// Reads a LoRA run's checkpoint folder for the frozen model `base`: the adapter (as
    /// PEFTAdapter.load checks it against `base`'s config), the state as `load` checks it, the
    /// dropout generator, and moments in the adapter's layout.
    public static func loadAdapter(_ folder: URL, base: TransformerModel) throws -> SavedAdapterTraining {
        guard let folder = resolve(folder) else { throw CheckpointError("\(folder.path): no such checkpoint folder") }
        let state = try readState(folder)
        let settings = state.settings
        let adapter: LoRAAdapter
        do { adapter = try PEFTAdapter.load(folder: folder, for: base.config) } catch { throw CheckpointError("\(error)") }
        guard let dropout = state.dropoutGenerator else {
            throw CheckpointError("\(state.url.path): field \"dropout_generator\" must list 5 words (a LoRA run's dropout draws)")
        }
        adapter.dropoutGenerator = dropout
        guard settings.context <= base.config.contextLength else {
            throw CheckpointError("\(state.url.path): settings: context \(settings.context) is longer than the base model's "
                                  + "\(base.config.contextLength) positions")
        }
        let moments = try readMoments(folder.appendingPathComponent(momentsFile), layout: adapter.parameters, owner: "the adapter")
        let optimizer = BufferAdamW(beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon,
                                    weightDecay: settings.weightDecay, step: state.step,
                                    firstMoment: moments.first, secondMoment: moments.second)
        return SavedAdapterTraining(adapter: adapter, settings: settings, step: state.step, optimizer: optimizer,
                                    generator: state.generator, averageLoss: state.averageLoss, data: state.data,
                                    trainTokens: state.trainTokens, trainHash: state.trainHash)
    }

    /// What a checkpoint's training_state.json records of its data (`data`), read and checked
    /// as `load` checks the whole state: to rebuild a run's data before loading its weights.
    public static func recordedData(_ folder: URL) throws -> [String: String] {
        guard let folder = resolve(folder) else { throw CheckpointError("\(folder.path): no such checkpoint folder") }
        return try readState(folder).data
    }

    /// training_state.json, read and checked (see `load`).
    private struct State {
        let url: URL
        let settings: TrainingSettings
        let generator: SeededGenerator
        let dropoutGenerator: SeededGenerator?
        let step: Int
        let averageLoss: Float?
        let data: [String: String]
        let trainTokens: Int, trainHash: UInt64
    }

    private static func readState(_ folder: URL) throws -> State {
        let stateURL = folder.appendingPathComponent(stateFile)
        var status = stat()
        guard lstat(stateURL.path, &status) == 0 else {
            throw CheckpointError("\(stateURL.path) is missing: \(folder.path) is a model but not a training checkpoint "
                                  + "(lab train writes one; fine-tune a plain model with lab finetune)")
        }
        let stateData: Data
        do { stateData = try readRegularFile(stateURL, maximumBytes: maximumStateBytes) } catch { throw CheckpointError("\(error)") }
        let root: JSONValue
        do { root = try JSONValue.parse(stateData) } catch { throw CheckpointError("\(stateURL.path) is not valid JSON: \(error)") }
        func fail(_ field: String, _ expected: String) -> CheckpointError {
            CheckpointError("\(stateURL.path): field \"\(field)\" \(expected)")
        }
        guard root.object != nil else { throw CheckpointError("\(stateURL.path): expected a JSON object at the top level") }
        guard root["format"]?.string == "openmodellab training state" else {
            throw fail("format", "must be \"openmodellab training state\" (this is not a state lab train wrote)")
        }
        guard root["version"]?.int == 1 else { throw fail("version", "must be 1, the only version this kit reads") }
        func int(_ value: JSONValue?, _ field: String) throws -> Int {
            guard let v = value?.int, v >= 0 else { throw fail(field, "must be a whole number ≥ 0") }
            return v
        }
        func float(_ object: JSONValue?, _ field: String) throws -> Float {
            guard let bits = object?["\(field)_bits"]?.int, let pattern = UInt32(exactly: bits) else {
                throw fail("\(field)_bits", "must hold a float's 32-bit pattern")
            }
            let value = Float(bitPattern: pattern)
            guard value.isFinite else { throw fail("\(field)_bits", "must hold a finite number, found \(value)") }
            return value
        }
        func hex(_ value: JSONValue?, _ field: String) throws -> UInt64 {
            guard let text = value?.string, let v = UInt64(text, radix: 16) else { throw fail(field, "must be a hexadecimal string") }
            return v
        }
        let s = root["settings"]
        guard s?.object != nil else { throw fail("settings", "is missing or not an object") }
        var settings = TrainingSettings(steps: try int(s?["steps"], "settings.steps"), batch: try int(s?["batch"], "settings.batch"),
                                        context: try int(s?["context"], "settings.context"))
        settings.accumulation = try int(s?["accumulation"], "settings.accumulation")
        settings.learningRate = try float(s, "learning_rate")
        settings.warmupSteps = try int(s?["warmup_steps"], "settings.warmup_steps")
        settings.minimumLearningRate = try float(s, "minimum_learning_rate")
        settings.weightDecay = try float(s, "weight_decay")
        settings.beta1 = try float(s, "beta1")
        settings.beta2 = try float(s, "beta2")
        settings.epsilon = try float(s, "epsilon")
        settings.maxGradientNorm = try float(s, "max_gradient_norm")
        settings.evaluationInterval = try int(s?["evaluation_interval"], "settings.evaluation_interval")
        settings.evaluationBatches = try int(s?["evaluation_batches"], "settings.evaluation_batches")
        guard let seedText = s?["seed"]?.string, let seed = UInt64(seedText) else {
            throw fail("settings.seed", "must be a decimal string of a whole number from 0 to \(UInt64.max)")
        }
        settings.seed = seed
        settings.spikeFactor = try float(s, "spike_factor")
        if let problem = settings.problem() ?? orderProblem(settings) { throw CheckpointError("\(stateURL.path): settings: \(problem)") }
        guard let words = root["generator"]?.array, words.count == 5 else { throw fail("generator", "must list 5 words") }
        guard let generator = SeededGenerator(savedState: try words.map { try hex($0, "generator") }) else {
            throw fail("generator", "is not a generator state (all zero)")
        }
        let step = try int(root["step"], "step")
        guard step <= settings.steps else { throw fail("step", "is \(step), beyond the run's \(settings.steps) steps (settings.steps)") }
        let optimizerStep = try int(root["optimizer_step"], "optimizer_step")
        guard optimizerStep == step else { throw fail("optimizer_step", "is \(optimizerStep); every step of a run updates once, so it must equal step \(step)") }
        let averageLoss: Float? = root["average_loss"]?.isNull == false ? try float(root, "average_loss") : nil
        if let averageLoss, averageLoss < 0 { throw fail("average_loss_bits", "must hold a loss ≥ 0, found \(averageLoss)") }
        guard let members = root["data"]?.object else { throw fail("data", "is missing or not an object") }
        var data: [String: String] = [:]
        for (key, value) in members {
            guard let text = value.string else { throw fail("data.\(printable(key))", "must be a string") }
            data[key] = text
        }
        let trainTokens = try int(root["train_tokens"], "train_tokens")
        let trainHash = try hex(root["train_fingerprint"], "train_fingerprint")

        var dropoutGenerator: SeededGenerator?
        if let words = root["dropout_generator"]?.array {
            guard words.count == 5, let g = SeededGenerator(savedState: try words.map { try hex($0, "dropout_generator") }) else {
                throw fail("dropout_generator", "must list the 5 words of a generator state")
            }
            dropoutGenerator = g
        }
        return State(url: stateURL, settings: settings, generator: generator, dropoutGenerator: dropoutGenerator, step: step,
                     averageLoss: averageLoss, data: data, trainTokens: trainTokens, trainHash: trainHash)
    }

    /// What `TrainingSettings.problem()` leaves to the command line that wrote them: a positive
    /// epsilon, a spike factor that is a number, warmup within the run, the floor below the peak.
    private static func orderProblem(_ settings: TrainingSettings) -> String? {
        if !(settings.epsilon > 0) { return "epsilon must be > 0, got \(settings.epsilon)" }
        if settings.warmupSteps >= settings.steps {
            return "warmup_steps \(settings.warmupSteps) must be smaller than steps \(settings.steps)"
        }
        if settings.minimumLearningRate > settings.learningRate {
            return "minimum_learning_rate \(settings.minimumLearningRate) is above learning_rate \(settings.learningRate)"
        }
        return nil
    }

    /// AdamW's moments from training_state.safetensors: exactly `first_moment` and `second_moment`,
    /// float32 vectors of the parameter count, in the layout of config.json's model (the file's
    /// `layout` metadata), finite, and the second (a mean of squares) never negative.
    private static func readMoments(_ url: URL, layout buffer: ParameterBuffer, owner: String) throws -> (first: [Float], second: [Float]) {
        let moments: SafetensorsFile
        do { moments = try SafetensorsFile(contentsOf: url) } catch { throw CheckpointError("\(url.path): \(error)") }
        let names = ["first_moment", "second_moment"]
        guard moments.names == names else {
            let found = moments.names.prefix(4).map { "\"\(printable($0))\"" }.joined(separator: ", ")
            throw CheckpointError("\(url.path): expected exactly the tensors \"first_moment\" and \"second_moment\", found "
                                  + (found.isEmpty ? "none" : found + (moments.names.count > 4 ? ", …" : "")))
        }
        let layout = buffer.slots.map(\.name).joined(separator: ",")
        guard moments.metadata["layout"] == layout else {
            throw CheckpointError("\(url.path): the optimizer state was saved for other parameters than \(owner)'s")
        }
        let count = buffer.count
        var vectors: [[Float]] = []
        for name in names {
            let info = try moments.info(name)
            guard info.dtype == .f32, info.shape == [count] else {
                throw CheckpointError("\(url.path): tensor \"\(name)\" must be F32 of shape [\(count)] (one number per parameter), "
                                      + "found \(info.dtype.rawValue) \(info.shape)")
            }
            let scalars = try moments.tensor(name).scalars
            if let index = scalars.firstIndex(where: { !$0.isFinite || (name == "second_moment" && $0 < 0) }) {
                throw CheckpointError("\(url.path): tensor \"\(name)\" holds \(scalars[index]) at index \(index); "
                                      + "the moments must be finite\(name == "second_moment" ? " and ≥ 0" : "")")
            }
            vectors.append(scalars)
        }
        return (vectors[0], vectors[1])
    }
}

extension TransformerModel {
    /// The tensors a checkpoint stores: every parameter by its full Hugging Face name (a tied head
    /// is the embedding, stored once, as `save_pretrained` does).
    public var checkpointTensors: [String: Tensor] { parameters }
}
