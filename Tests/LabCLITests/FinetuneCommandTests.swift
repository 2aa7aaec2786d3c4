// `lab finetune` as a tinkerer runs it, on the tiny GPT-2 fixture and a JSONL file of Alpaca
// records: LoRA into a PEFT adapter folder that the kit loads and `lab generate --adapter` and
// `lab logits --adapter` run; --merge writing a model whose logits are the adapted model's; --full;
// a run stopped and resumed equal to one never stopped (LoRA with dropout, and --full), bit for
// bit; and bad input (a JSONL line that is not JSON, a target the model lacks, a rank above a layer's
// width, an existing output, an adapter for another model) giving a clear error, a non-zero exit
// and nothing written over.

import Foundation
import XCTest
import LabKernel
import LabTestSupport

final class FinetuneCommandTests: XCTestCase {
    static let gpt2 = RepositoryPaths.fixtures.appendingPathComponent("models/gpt2").path
    static let llamaAdapter = RepositoryPaths.fixtures.appendingPathComponent("peft/llama").path

    /// A folder with data.jsonl: 24 short Alpaca records whose answers repeat the instruction's word.
    private func workspace() throws -> URL {
        let folder = try makeTemporaryFolder(self)
        let words = ["cat", "dog", "sun", "red", "big", "hat"]
        let lines = (0..<24).map { i in #"{"instruction": "Say \#(words[i % 6]).", "output": "\#(words[i % 6])"}"# }
        try Data(lines.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("data.jsonl"))
        return folder
    }

    private static func tiny(_ extra: [String]) -> [String] {
        ["finetune", "--model", gpt2, "--data", "data.jsonl", "--steps", "8", "--batch", "4", "--context", "32",
         "--eval-examples", "3", "--answer-tokens", "4", "--threads", "1"] + extra
    }

    func testLoRAWritesAPEFTAdapterThatGenerateAndLogitsRun() throws {
        let folder = try workspace()
        let run = try LabTool.run(Self.tiny(["--lora-rank", "4", "--target", "c_attn,c_fc", "--output", "adapter", "--json"]), in: folder)
        XCTAssertEqual(run.status, 0, run.transcript)
        let done = run.output.split(separator: "\n").last.map(String.init) ?? ""
        for field in ["\"event\":\"done\"", "\"trainable_parameters\":", "\"validation_loss_before\":", "\"exact_match_after\":",
                      "\"stories_loss_after\":"] {
            XCTAssertTrue(done.contains(field), "\(field) in \(done)")
        }
        XCTAssertTrue(run.errors.contains("trainable: 2304 parameters"), run.transcript)  // 2 layers × (4·32 + 96·4 + 4·32 + 128·4)
        let adapterFolder = folder.appendingPathComponent("adapter")
        let base = try loadModel(folder: URL(fileURLWithPath: Self.gpt2)).model
        let adapter = try PEFTAdapter.load(folder: adapterFolder, for: base.config)
        XCTAssertEqual(adapter.settings.targets, ["c_attn", "c_fc"])
        XCTAssertGreaterThan(adapter.parameters.value(adapter.targets[0].b).scalars.map(abs).max()!, 0, "B moved from zero")

        let plain = try LabTool.run(["logits", Self.gpt2, "--ids", "1,2,3", "--json"], in: folder)
        let adapted = try LabTool.run(["logits", Self.gpt2, "--ids", "1,2,3", "--adapter", "adapter", "--json"], in: folder)
        XCTAssertEqual(adapted.status, 0, adapted.transcript)
        XCTAssertNotEqual(plain.output, adapted.output, "the adapter should change the logits")
        let generated = try LabTool.run(["generate", "--model", Self.gpt2, "--adapter", "adapter", "--prompt", "Say cat.",
                                         "--max-tokens", "3", "--temperature", "0"], in: folder)
        XCTAssertEqual(generated.status, 0, generated.transcript)
    }

    func testMergeWritesAModelWithTheAdaptedLogitsAndFullTrainsEveryWeight() throws {
        let folder = try workspace()
        let merged = try LabTool.run(Self.tiny(["--output", "merged", "--merge"]), in: folder)
        XCTAssertEqual(merged.status, 0, merged.transcript)
        let viaAdapter = try LabTool.run(["logits", Self.gpt2, "--ids", "5,6,7", "--adapter", "merged/adapter", "--json"], in: folder)
        let viaMerged = try LabTool.run(["logits", "merged", "--ids", "5,6,7", "--json"], in: folder)
        XCTAssertEqual(viaMerged.status, 0, viaMerged.transcript)
        XCTAssertEqual(viaAdapter.output, viaMerged.output, "the merged model computes the adapted model's logits")
        XCTAssertNotNil(try loadModel(folder: folder.appendingPathComponent("merged")).tokenizer, "the tokenizer is copied")

        let full = try LabTool.run(Self.tiny(["--full", "--output", "full"]), in: folder)
        XCTAssertEqual(full.status, 0, full.transcript)
        XCTAssertTrue(full.output.contains("full fine-tuning"), full.transcript)
        let tuned = try loadModel(folder: folder.appendingPathComponent("full")).model
        let base = try loadModel(folder: URL(fileURLWithPath: Self.gpt2)).model
        XCTAssertNotEqual(tuned.parameters["transformer.wte.weight"], base.parameters["transformer.wte.weight"], "the embedding trained too")
    }

    func testBadInputGetsANamedErrorAndNothingIsWrittenOver() throws {
        let folder = try workspace()
        try Data("{\"instruction\": \"a\", \"output\": \"b\"}\n{\"instruction\": \"a\", \n".utf8)
            .write(to: folder.appendingPathComponent("broken.jsonl"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("taken"), withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: folder.appendingPathComponent("taken/notes.txt"))
        let cases: [([String], Int32, [String])] = [
            (["finetune", "--model", Self.gpt2, "--data", "broken.jsonl", "--output", "x"], 1, ["broken.jsonl:2:", "not a JSON object"]),
            (Self.tiny(["--target", "q_proj", "--output", "x"]), 2, ["\"q_proj\"", "attn.c_attn"]),
            (Self.tiny(["--lora-rank", "64", "--output", "x"]), 2, ["rank 64", "at most 32"]),
            (Self.tiny(["--output", "taken"]), 1, ["taken already exists", "--force"]),
            (Self.tiny(["--full", "--lora-rank", "4", "--output", "x"]), 2, ["--lora-rank is for LoRA"]),
            (Self.tiny(["--steps", "nan", "--output", "x"]), 2, ["--steps"]),
            (["logits", Self.gpt2, "--ids", "1,2", "--adapter", Self.llamaAdapter], 1, ["--adapter", "no projection of this gpt2 model"]),
            (["logits", Self.gpt2, "--ids", "1,2", "--adapter", "nowhere"], 1, ["--adapter nowhere", "no adapter folder"]),
        ]
        for (arguments, status, fragments) in cases {
            let run = try LabTool.run(arguments, in: folder)
            XCTAssertEqual(run.status, status, run.transcript)
            for fragment in fragments { XCTAssertTrue(run.errors.contains(fragment), "\(fragment): \(run.transcript)") }
            XCTAssertFalse(run.errors.contains("Fatal error"), run.transcript)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("x").path), "nothing written for a failed run")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("taken/notes.txt"), encoding: .utf8), "mine")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("taken").path), ["notes.txt"])
    }

    func testAStoppedRunResumesToTheSameResultBitForBit() throws {
        let folder = try workspace()
        for (name, method) in [("lora", ["--lora-rank", "2", "--lora-dropout", "0.2"]), ("full", ["--full"])] {
            let steps = ["--eval-interval", "3"]
            let whole = try LabTool.run(Self.tiny(method + steps + ["--output", "\(name)-whole"]), in: folder)
            XCTAssertEqual(whole.status, 0, whole.transcript)
            let stopped = try LabTool.run(Self.tiny(method + steps + ["--output", "\(name)-parts", "--stop-after", "5"]), in: folder)
            XCTAssertEqual(stopped.status, 0, stopped.transcript)
            XCTAssertTrue(stopped.output.contains("continue with: lab finetune --resume"), stopped.transcript)
            let state = folder.appendingPathComponent("\(name)-parts/\(TrainingCheckpoint.stateFile)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: state.path), "the stopped run saved its state")
            let resumed = try LabTool.run(["finetune", "--resume", "\(name)-parts", "--threads", "1"], in: folder)
            XCTAssertEqual(resumed.status, 0, resumed.transcript)
            XCTAssertTrue(resumed.output.contains("resuming after step 5 of 8"), resumed.transcript)
            let file = name == "lora" ? PEFTAdapter.weightsFile : "model.safetensors"
            let a = try Data(contentsOf: folder.appendingPathComponent("\(name)-whole/\(file)"))
            let b = try Data(contentsOf: folder.appendingPathComponent("\(name)-parts/\(file)"))
            XCTAssertEqual(a, b, "\(name): 5 steps, a stop, and 3 more steps must give the uninterrupted run's \(file) byte for byte")
        }
        // A finished run trains longer only when asked; the run's own settings cannot change.
        let finished = try LabTool.run(["finetune", "--resume", "lora-whole"], in: folder)
        XCTAssertEqual(finished.status, 2, finished.transcript)
        XCTAssertTrue(finished.errors.contains("has done all its 8 steps; give --steps N"), finished.transcript)
        let changed = try LabTool.run(["finetune", "--resume", "lora-whole", "--lora-rank", "4"], in: folder)
        XCTAssertEqual(changed.status, 2, changed.transcript)
        XCTAssertTrue(changed.errors.contains("--lora-rank cannot change when resuming"), changed.transcript)
        let longer = try LabTool.run(["finetune", "--resume", "lora-whole", "--steps", "10", "--threads", "1"], in: folder)
        XCTAssertEqual(longer.status, 0, longer.transcript)
        XCTAssertTrue(longer.output.contains("done: 10 steps"), longer.transcript)
        let notARun = try LabTool.run(["finetune", "--resume", Self.gpt2], in: folder)
        XCTAssertEqual(notARun.status, 1, notARun.transcript)
        XCTAssertTrue(notARun.errors.contains(TrainingCheckpoint.stateFile), notARun.transcript)
    }
}
