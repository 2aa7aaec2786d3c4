// Cell: the trained adapter merged into the weights (merged = unmerged, and unmerging gives the
// base back), then saved in PEFT's format, read back, and what Python and `lab` do with it.

import Foundation
import LabKernel
import LabNotebook

extension FinetuningLesson {
    func merging(_ setup: Setup, lora: FineTune) {
        let adapter = lora.adapter!
        notebook.prose("""
            At inference an adapter can stay separate (two small products more per projection) \
            or be merged: W' = W + (α/r)·B·A, computed once, after which the model is an \
            ordinary model of the base's size and speed. GPT-2 stores its projections \
            transposed (Conv1D, (in, out)), so there the update is added as (B·A)ᵀ.
            """)
        notebook.code("""
            let merged = adapter.merged(into: kit.model)          // every c_attn: W + s·(B·A)ᵀ
            let back = adapter.unmerged(from: merged)             // W' − s·(B·A)ᵀ
            """)
        let merged = adapter.merged(into: setup.model)
        let back = adapter.unmerged(from: merged)
        var unmergeDifference: Float = 0
        for target in adapter.targets {
            let a = back.parameters[target.weight]!.scalars, b = setup.model.parameters[target.weight]!.scalars
            unmergeDifference = max(unmergeDifference, zip(a, b).map { abs($0 - $1) }.max()!)
        }
        // Unmerged: the training path adds s·B·(A·x) beside each frozen product; merged: one product with W'.
        let separate = TrainableTransformer(setup.model, adapter: adapter), folded = TrainableTransformer(merged)
        let batches = setup.heldOutBatches.evaluationBatches(batch: sizes.batch, context: setup.context, count: 2)
        var lossDifference: Float = 0
        for b in batches {
            let x = separate.loss(inputs: b.inputs, targets: b.targets, batch: sizes.batch, context: setup.context, computeGradients: false)
            let y = folded.loss(inputs: b.inputs, targets: b.targets, batch: sizes.batch, context: setup.context, computeGradients: false)
            lossDifference = max(lossDifference, abs(x - y))
        }
        notebook.checks([
            (lossDifference < 1e-5, "merged = unmerged: the held-out loss of the merged model and of the frozen model with the adapter beside it differ by \(String(format: "%.1e", Double(lossDifference))) (at most 1e-5)"),
            (unmergeDifference < 1e-5, "unmerging gives the base weights back: largest difference \(String(format: "%.1e", Double(unmergeDifference))) (rounding of W + ΔW − ΔW)"),
        ])

        // Export to a scratch folder, read it back, and remove it: the lesson leaves nothing behind.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("openmodellab-lesson06-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try PEFTAdapter.save(adapter, baseModel: "models/\(KitModel.name)", to: folder)
            let reloaded = try PEFTAdapter.load(folder: folder, for: setup.model.config)
            let sameTensors = adapter.parameters.slots.allSatisfy { reloaded.parameters.value($0.name) == adapter.parameters.value($0.name) }
            let files = [PEFTAdapter.configFile, PEFTAdapter.weightsFile].map { name -> (String, String) in
                let size = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.size] as? Int) ?? 0
                return (name, formatBytes(size))
            }
            notebook.prose("""
                Saved, the adapter is two files in the layout of Hugging Face's PEFT library, \
                which `PeftModel.from_pretrained` loads unchanged (the kit's tests hold both \
                directions to PEFT's own logits):
                """)
            notebook.values(files + [("tensors", "\(adapter.parameters.slots.count): " + adapter.parameters.slots.prefix(2)
                .map { PEFTAdapter.keyPrefix + $0.name + " " + $0.shape.shapeDescription }.joined(separator: ", ") + ", …")])
            let config = try String(contentsOf: folder.appendingPathComponent(PEFTAdapter.configFile), encoding: .utf8)
            let shownFields = config.split(separator: "\n").filter { line in
                ["\"r\"", "\"lora_alpha\"", "\"target_modules\"", "\"peft_type\"", "\"fan_in_fan_out\""].contains { line.contains($0) }
            }
            notebook.output("adapter_config.json (some fields):\n" + shownFields.map { "  " + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n"))
            notebook.check(sameTensors, "read back with PEFTAdapter.load, every A and B is bit for bit the one saved")
        } catch {
            notebook.check(false, "saving or reading the adapter in \(folder.path) failed: \(error)")
        }
        notebook.prose("""
            In Python, with the kit's model folder as the base (it is a Hugging Face folder):
            """)
        notebook.code("""
            from transformers import AutoModelForCausalLM
            from peft import PeftModel
            base = AutoModelForCausalLM.from_pretrained("models/lab-stories-4m")
            model = PeftModel.from_pretrained(base, "qa-adapter")      # or .merge_and_unload()
            """)
        notebook.prose("""
            And with the kit's tools, on the kit's model or on one from the Hub \
            (SmolLM2-135M's q_proj and v_proj by default):
            """)
        notebook.code("""
            swift run -c release lab finetune --model models/lab-stories-4m --data questions --steps 300 --output qa-adapter
            swift run -c release lab generate --model models/lab-stories-4m --adapter qa-adapter --prompt "### Story: …"
            swift run -c release lab finetune --model models/lab-stories-4m --data questions --merge --output qa-merged
            swift run -c release lab finetune --model SmolLM2-135M --data my-data.jsonl --lora-rank 16 --output my-adapter
            """)
    }
}
