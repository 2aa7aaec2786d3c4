// LoRA against Hugging Face PEFT, both ways (Formats/PEFTAdapter.swift, Training/LoRA*.swift).
//
// PEFT to the kit: adapters that PEFT made for the tiny GPT-2 (Conv1D, fan_in_fan_out), Llama
// (every projection, rsLoRA) and Qwen2 (q, k, v biases) checkpoints load here; the adapted model's
// logits equal PEFT's within 1e-4, and one batch's loss and the gradient of every A and B on the
// fast path equal PyTorch's within 1e-5 relative. The kit to PEFT: adapters the kit trained,
// committed under Tests/Fixtures/peft/kit-NAME/, were loaded by `PeftModel.from_pretrained`, and
// PEFT's logits (kit_trained_check.json) equal the kit's within 1e-4. Bad adapter files get named
// errors. Fixtures: scripts/fixtures/make_peft_fixtures.py; the kit's adapters are written by
//     LAB_WRITE_FIXTURES=1 swift test --filter LoRAPEFTTests/testKitTrainedAdapters
// before that script runs.

import Foundation
import XCTest
@testable import LabKernel
import LabTestSupport

final class LoRAPEFTTests: XCTestCase {
    static let models = ["gpt2", "llama", "qwen2"]

    private func folder(_ path: String) -> URL {
        RepositoryPaths.fixtures.appendingPathComponent(path, isDirectory: true)
    }

    private func base(_ name: String) throws -> TransformerModel {
        try loadModel(folder: folder("models/\(name)"), requireTokenizer: false).model
    }

    private func temporaryFolder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lora-peft-tests-\(getpid())/\(name)")
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func testPEFTAdaptersLoadAndGivePEFTsLogits() throws {
        for name in Self.models {
            let model = try base(name)
            let fixture = try Fixture.load("peft/\(name).json")
            let adapter = try PEFTAdapter.load(folder: folder("peft/\(name)"), for: model.config)
            XCTAssertEqual(adapter.settings.rank, try fixture.int("r"), name)
            XCTAssertEqual(adapter.settings.targets.sorted(), try fixture.strings("target_modules").sorted(), name)
            XCTAssertEqual(adapter.parameterCount, try fixture.int("trainable_parameters"), "\(name): trainable parameters")
            let expected = try fixture.tensor("logits")
            let merged = adapter.merged(into: model)
            assertClose(merged.forward(tokens: try fixture.ints("tokens")), expected, tolerance: 1e-4, "\(name): merged logits")
            // The same on the tape, with the path unmerged.
            var frozen: [String: Variable] = [:]
            for (n, value) in model.parameters { frozen[n] = Variable(value, requiresGrad: false) }
            let tape = model.forward(tokens: try fixture.ints("tokens"),
                                     parameters: adapter.adaptedParameters(frozen, adapter: adapter.parameterVariables()))
            assertClose(tape.value, expected, tolerance: 1e-4, "\(name): tape logits")
        }
    }

    func testOneBatchsLossAndAdapterGradientsEqualPEFTs() throws {
        for name in Self.models {
            let model = try base(name)
            let fixture = try Fixture.load("peft/\(name).json")
            let gradients = try SafetensorsFile(contentsOf: folder("peft/\(name).safetensors"))
            let adapter = try PEFTAdapter.load(folder: folder("peft/\(name)"), for: model.config)
            let trainer = TrainableTransformer(model, adapter: adapter)
            let loss = trainer.loss(inputs: try fixture.ints("inputs"), targets: try fixture.ints("targets"),
                                    batch: try fixture.int("batch"), context: try fixture.int("context"))
            XCTAssertEqual(loss, try fixture.float("loss"), accuracy: 1e-5 * loss, "\(name): loss")
            let names = try fixture.strings("gradients")
            XCTAssertEqual(Set(names), Set(adapter.parameters.slots.map { "grad." + $0.name }), "\(name): the same trainable tensors")
            for gradientName in names {
                let parameter = String(gradientName.dropFirst("grad.".count))
                let difference = TrainingPathTests.relativeDifference(adapter.parameters.gradient(parameter),
                                                                      try gradients.tensor(gradientName))
                XCTAssertLessThan(difference, 1e-5, "\(name): gradient of \(parameter)")
            }
        }
    }

    // MARK: - Adapters the kit trained

    /// The adapter the kit trains for fixture model `name`: settings chosen to cover what PEFT must
    /// read (dropout recorded, all-linear, rsLoRA, a subset of projections), 20 LoRA steps on a
    /// repeating token pattern.
    private func kitTrainedAdapter(_ name: String, model: TransformerModel) throws -> LoRAAdapter {
        let settings: LoRASettings
        switch name {
        case "gpt2": settings = LoRASettings(rank: 4, alpha: 8, targets: ["c_attn", "c_fc"], dropout: 0.1)
        case "llama": settings = LoRASettings(rank: 2, alpha: 4, targets: ["all-linear"], rankStabilized: true)
        default: settings = LoRASettings(rank: 4, alpha: 4, targets: ["q_proj", "k_proj", "v_proj", "o_proj"])
        }
        let adapter = try LoRAAdapter(config: model.config, settings: settings, seed: 31)
        let v = model.config.vocabularySize
        let stream = (0..<3000).map { ($0 % 11) * 7 % v }
        var training = TrainingSettings(steps: 20, batch: 4, context: 16)
        training.learningRate = 1e-2
        training.warmupSteps = 2
        let run = TrainingRun(model: model, adapter: adapter, settings: training, train: TokenWindows(stream),
                              validation: TokenWindows(stream))
        for _ in 0..<training.steps { try run.runStep() }
        return adapter
    }

    private static let kitTokens = [3, 10, 17, 24, 31, 38, 45, 52]

    func testKitTrainedAdapters() throws {
        let write = ProcessInfo.processInfo.environment["LAB_WRITE_FIXTURES"] == "1"
        let check = write ? nil : try Fixture.load("peft/kit_trained_check.json").object("adapters")
        for name in Self.models {
            let model = try base(name)
            let tokens = Self.kitTokens.map { $0 % model.config.vocabularySize }
            let trained = try kitTrainedAdapter(name, model: model)
            let logits = trained.merged(into: model).forward(tokens: tokens)
            let committed = folder("peft/kit-\(name)")
            if write {
                try PEFTAdapter.save(trained, baseModel: "Tests/Fixtures/models/\(name)", to: committed)
                let record = "{\n \"made_by\": \"LoRAPEFTTests.testKitTrainedAdapters\",\n \"tokens\": \(tokens),\n"
                    + " \"logits\": {\"shape\": \(logits.shape), \"data\": [\(logits.scalars.map { "\($0)" }.joined(separator: ", "))]}\n}\n"
                try Data(record.utf8).write(to: committed.appendingPathComponent("kit_logits.json"))
                continue
            }
            // The committed adapter is what this code trains (up to float rounding across CPUs) ...
            let loaded = try PEFTAdapter.load(folder: committed, for: model.config)
            XCTAssertEqual(loaded.settings, trained.settings, name)
            let kitLogits = loaded.merged(into: model).forward(tokens: tokens)
            assertClose(logits, kitLogits, tolerance: 1e-3, "\(name): retraining the adapter")
            XCTAssertGreaterThan(kitLogits.maxAbsoluteDifference(model.forward(tokens: tokens)), 1e-2, "\(name): the adapter does something")
            // ... and PEFT, loading it, computed the kit's logits.
            let peft = try check!.object("kit-\(name)")
            XCTAssertEqual(try peft.ints("tokens"), tokens)
            assertClose(kitLogits, try peft.tensor("logits"), tolerance: 1e-4, "\(name): PEFT's logits for the kit's adapter")
        }
    }

    func testSavingAndLoadingGiveTheSameAdapter() throws {
        for name in Self.models {
            let model = try base(name)
            let adapter = try LoRATests.adapter(model.config, settings: LoRASettings(rank: 3, alpha: 5, targets: ["all-linear"],
                                                                                   dropout: 0.05, rankStabilized: true), seed: 41)
            let url = temporaryFolder("round-trip-\(name)")
            try PEFTAdapter.save(adapter, baseModel: "some/base", to: url)
            let (settings, baseModel) = try PEFTAdapter.readSettings(folder: url)
            XCTAssertEqual(settings, adapter.settings, name)
            XCTAssertEqual(baseModel, "some/base")
            let loaded = try PEFTAdapter.load(folder: url, for: model.config)
            XCTAssertEqual(loaded.parameters.tensors, adapter.parameters.tensors, name)
            let file = try SafetensorsFile(contentsOf: url.appendingPathComponent(PEFTAdapter.weightsFile))
            XCTAssertTrue(file.names.allSatisfy { $0.hasPrefix("base_model.model.") && $0.contains(".lora_") }, "\(file.names.prefix(2))")
        }
    }

    func testBadAdapterFilesGetNamedErrors() throws {
        let model = try base("llama")
        let source = folder("peft/llama")
        let configText = try String(contentsOf: source.appendingPathComponent(PEFTAdapter.configFile), encoding: .utf8)
        func folderWith(_ label: String, config: String? = nil, tensors: [String: Tensor]? = nil) throws -> URL {
            let url = temporaryFolder(label)
            try Data((config ?? configText).utf8).write(to: url.appendingPathComponent(PEFTAdapter.configFile))
            let weights = url.appendingPathComponent(PEFTAdapter.weightsFile)
            if let tensors {
                try writeSafetensors(tensors, to: weights)
            } else {
                try FileManager.default.copyItem(at: source.appendingPathComponent(PEFTAdapter.weightsFile), to: weights)
            }
            return url
        }
        func replacing(_ old: String, _ new: String) -> String {
            XCTAssertTrue(configText.contains(old), old)
            return configText.replacingOccurrences(of: old, with: new)
        }
        let original = try SafetensorsFile(contentsOf: source.appendingPathComponent(PEFTAdapter.weightsFile))
        var tensors: [String: Tensor] = [:]
        for n in original.names { tensors[n] = try original.tensor(n) }
        let someA = tensors.keys.sorted().first { $0.contains("lora_A") }!
        var missing = tensors; missing[someA] = nil
        var extra = tensors; extra["base_model.model.lm_head.lora_A.weight"] = Tensor.zeros([4, 32])
        let shapeA = tensors[someA]!.shape
        var misshapen = tensors; misshapen[someA] = Tensor.zeros([shapeA[0] - 1, shapeA[1]])
        var notFinite = tensors; notFinite[someA] = Tensor(repeating: .nan, shape: shapeA)
        let cases: [(String, URL, [String])] = [
            ("peft type", try folderWith("type", config: replacing("\"peft_type\": \"LORA\"", "\"peft_type\": \"IA3\"")),
             ["adapter_config.json", "peft_type", "LORA"]),
            ("rank", try folderWith("rank", config: replacing("\"r\": 4", "\"r\": 0")), ["\"r\"", "1...65536"]),
            ("alpha", try folderWith("alpha", config: replacing("\"lora_alpha\": 8", "\"lora_alpha\": \"8\"")), ["lora_alpha", "a string"]),
            ("dora", try folderWith("dora", config: replacing("\"use_dora\": false", "\"use_dora\": true")), ["use_dora", "DoRA"]),
            ("regex", try folderWith("regex", config: configText.replacingOccurrences(
                of: #""target_modules": \[[^\]]*\]"#, with: "\"target_modules\": \".*proj\"", options: .regularExpression)),
             ["target_modules", "regular expression"]),
            ("json", try folderWith("json", config: "{\"r\": 4,"), ["adapter_config.json", "JSON"]),
            ("missing", try folderWith("missing", tensors: missing), ["adapter_model.safetensors", "no tensor", "lora_A"]),
            ("extra", try folderWith("extra", tensors: extra), ["lm_head.lora_A.weight", "not a LoRA matrix"]),
            ("shape", try folderWith("shape", tensors: misshapen), ["has shape \([shapeA[0] - 1, shapeA[1]].shapeDescription)", "expected \(shapeA.shapeDescription)"]),
            ("nan", try folderWith("nan", tensors: notFinite), ["non-finite", "lora_A"]),
        ]
        for (label, url, fragments) in cases {
            XCTAssertThrowsError(try PEFTAdapter.load(folder: url, for: model.config), label) { error in
                let message = "\(error)"
                XCTAssertTrue(error is LoRAError, "\(label): \(type(of: error))")
                for fragment in fragments { XCTAssertTrue(message.contains(fragment), "\(label): \(message)") }
                XCTAssertFalse(message.contains("\n"), "\(label): one line")
            }
        }
        // An adapter for GPT-2 refused by a Llama model, naming the module.
        XCTAssertThrowsError(try PEFTAdapter.load(folder: folder("peft/gpt2"), for: model.config)) { error in
            XCTAssertTrue("\(error)".contains("no projection of this llama model is called \"c_"), "\(error)")
        }
        // A directory in place of the config.
        let directory = temporaryFolder("directory")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(PEFTAdapter.configFile), withIntermediateDirectories: true)
        XCTAssertThrowsError(try PEFTAdapter.load(folder: directory, for: model.config)) { error in
            XCTAssertTrue("\(error)".contains("a directory"), "\(error)")
        }
    }
}
