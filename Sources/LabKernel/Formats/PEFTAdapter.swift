// PEFTAdapter: LoRA adapters in the layout Hugging Face PEFT saves and loads.
//
//     adapter_config.json          {"peft_type": "LORA", "r": 8, "lora_alpha": 16, "target_modules": [...], ...}
//     adapter_model.safetensors    base_model.model.<module>.lora_A.weight   (r, in)
//                                  base_model.model.<module>.lora_B.weight   (out, r)
//
// `<module>` is the module's name in the transformers model (transformer.h.0.attn.c_attn,
// model.layers.0.self_attn.q_proj), so an adapter the kit trains loads with
// `PeftModel.from_pretrained(base, folder)` and one PEFT trained loads here; a committed fixture
// made by PEFT shows both directions (scripts/fixtures/make_peft_fixtures.py). GPT-2's Conv1D
// layers are written with "fan_in_fan_out": true, as PEFT does; A and B are stored as nn.Linear
// weights either way.
//
// Reading checks every field the kit uses and refuses, by name, the PEFT features it does not
// implement (biases, DoRA, per-module ranks, layer subsets, modules_to_save), instead of loading
// an adapter that would compute something else. Left out: other PEFT methods (IA3, prefix tuning),
// several adapters in one folder, and adapters for the LM head or the embeddings.

import Foundation

public enum PEFTAdapter {
    public static let configFile = "adapter_config.json"
    public static let weightsFile = "adapter_model.safetensors"
    /// What PeftModelForCausalLM puts before the transformers model's own module names.
    public static let keyPrefix = "base_model.model."

    // MARK: - Saving

    /// Writes `adapter` to `folder` (created if needed) as PEFT saves a LoRA adapter. Each file is
    /// written to a temporary name and renamed into place. `baseModel` is recorded as
    /// `base_model_name_or_path` (a Hub id or a path; PEFT uses it to find the base).
    public static func save(_ adapter: LoRAAdapter, baseModel: String? = nil, to folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw LoRAError("cannot create the adapter folder \(folder.path): \(error.localizedDescription)")
        }
        var tensors: [String: Tensor] = [:]
        for slot in adapter.parameters.slots { tensors[keyPrefix + slot.name] = adapter.parameters.value(slot.name) }
        try writeSafetensors(tensors, metadata: ["format": "pt"], to: folder.appendingPathComponent(weightsFile))
        let url = folder.appendingPathComponent(configFile)
        do {
            try Data(configJSON(adapter, baseModel: baseModel).utf8).write(to: url, options: .atomic)
        } catch {
            throw LoRAError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// The text of `adapter_config.json` for `adapter`: the fields PEFT's LoraConfig writes, with
    /// the defaults it uses for those the kit does not set.
    public static func configJSON(_ adapter: LoRAAdapter, baseModel: String?) -> String {
        let s = adapter.settings
        let fields: [(String, String)] = [
            ("alpha_pattern", "{}"),
            ("base_model_name_or_path", baseModel.map(jsonStringLiteral) ?? "null"),
            ("bias", "\"none\""),
            ("fan_in_fan_out", adapter.config.architecture.isLlamaFamily ? "false" : "true"),
            ("inference_mode", "true"),
            ("init_lora_weights", "true"),
            ("layers_pattern", "null"),
            ("layers_to_transform", "null"),
            ("lora_alpha", "\(s.alpha)"),
            ("lora_dropout", "\(s.dropout)"),
            ("modules_to_save", "null"),
            ("peft_type", "\"LORA\""),
            ("r", "\(s.rank)"),
            ("rank_pattern", "{}"),
            ("revision", "null"),
            ("target_modules", s.targets == ["all-linear"] ? "\"all-linear\""
                : "[" + s.targets.map(jsonStringLiteral).joined(separator: ", ") + "]"),
            ("task_type", "\"CAUSAL_LM\""),
            ("use_dora", "false"),
            ("use_rslora", s.rankStabilized ? "true" : "false"),
        ]
        return "{\n" + fields.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }

    // MARK: - Loading

    /// The settings in `folder`'s adapter_config.json, and its base_model_name_or_path.
    /// - Throws: `LoRAError` naming the file and the field that is missing, of the wrong type or
    ///   asks for something the kit does not implement.
    public static func readSettings(folder: URL) throws -> (settings: LoRASettings, baseModel: String?) {
        let url = folder.appendingPathComponent(configFile)
        let root: JSONValue
        do {
            root = try JSONValue.parse(try readRegularFile(url, maximumBytes: 1 << 20))
        } catch let problem as FileProblem {
            throw LoRAError(problem.description)
        } catch {
            throw LoRAError("\(url.path): not valid JSON (\(error))")
        }
        guard let fields = root.object else { throw LoRAError("\(url.path): expected a JSON object, got \(root.kind)") }
        func fail(_ field: String, _ expected: String) -> LoRAError {
            LoRAError("\(url.path): field \"\(field)\" should be \(expected), got \(fields[field]?.kind ?? "nothing")")
        }
        func isUnset(_ field: String) -> Bool {
            guard let value = fields[field] else { return true }
            switch value {
            case .null, .bool(false): return true
            case .object(let o): return o.isEmpty
            case .array(let a): return a.isEmpty
            case .string(let s): return s.isEmpty
            default: return false
            }
        }
        guard fields["peft_type"]?.string == "LORA" else { throw fail("peft_type", "\"LORA\" (the kit reads LoRA adapters only)") }
        if let task = fields["task_type"], !task.isNull, task.string != "CAUSAL_LM" {
            throw fail("task_type", "\"CAUSAL_LM\" or null")
        }
        guard let rank = fields["r"]?.int, rank >= 1, rank <= 1 << 16 else { throw fail("r", "a whole number in 1...65536") }
        guard case .number(let alphaValue)? = fields["lora_alpha"], alphaValue > 0, Float(alphaValue).isFinite else {
            throw fail("lora_alpha", "a positive number")
        }
        var dropout: Float = 0
        if let value = fields["lora_dropout"], !value.isNull {
            guard case .number(let p) = value, p >= 0, p < 1 else { throw fail("lora_dropout", "a number in [0, 1)") }
            dropout = Float(p)
        }
        var rankStabilized = false
        if let value = fields["use_rslora"], !value.isNull {
            guard let flag = value.bool else { throw fail("use_rslora", "true or false") }
            rankStabilized = flag
        }
        let targets: [String]
        switch fields["target_modules"] {
        case .string(let name)?: targets = [name]
        case .array(let names)? where !names.isEmpty && names.allSatisfy({ $0.string.map { !$0.isEmpty } ?? false }):
            targets = names.map { $0.string! }
        default: throw fail("target_modules", "a list of module names or \"all-linear\"")
        }
        if case .string(let name)? = fields["target_modules"], name != "all-linear" {
            throw fail("target_modules", "a list of module names or \"all-linear\" (a regular expression is not supported)")
        }
        if let bias = fields["bias"], !bias.isNull, bias.string != "none" {
            throw fail("bias", "\"none\" (adapters that train biases are not supported)")
        }
        for (field, feature) in [("use_dora", "DoRA"), ("rank_pattern", "per-module ranks"), ("alpha_pattern", "per-module alphas"),
                                 ("layers_to_transform", "adapting only some layers"), ("modules_to_save", "modules saved whole"),
                                 ("lora_bias", "biases on the adapter"), ("exclude_modules", "excluding modules"),
                                 ("layer_replication", "replicated layers"), ("trainable_token_indices", "training token rows"),
                                 ("target_parameters", "adapting parameters directly"), ("use_qalora", "QALoRA")]
        where !isUnset(field) {
            throw LoRAError("\(url.path): field \"\(field)\" asks for \(feature), which the kit does not implement")
        }
        let settings = LoRASettings(rank: rank, alpha: Float(alphaValue), targets: targets, dropout: dropout,
                                    rankStabilized: rankStabilized)
        return (settings, fields["base_model_name_or_path"]?.string)
    }

    /// The adapter in `folder`, for a model of `config`.
    /// - Throws: `LoRAError` naming the file and what is wrong (a missing, extra or misshapen
    ///   tensor, targets the model does not have, a malformed file).
    public static func load(folder: URL, for config: TransformerConfig) throws -> LoRAAdapter {
        let (settings, _) = try readSettings(folder: folder)
        let url = folder.appendingPathComponent(weightsFile)
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(contentsOf: url)
        } catch {
            throw LoRAError("\(weightsFile): \(error)")
        }
        var tensors: [String: Tensor] = [:]
        for key in file.names {
            // PEFT strips the adapter's name ("default") when saving; accept it if present.
            var name = key.hasPrefix(keyPrefix) ? String(key.dropFirst(keyPrefix.count)) : key
            name = name.replacingOccurrences(of: ".lora_A.default.weight", with: ".lora_A.weight")
                .replacingOccurrences(of: ".lora_B.default.weight", with: ".lora_B.weight")
            do {
                tensors[name] = try file.tensor(key)
            } catch {
                throw LoRAError("\(weightsFile): \(error)")
            }
        }
        do {
            return try LoRAAdapter(config: config, settings: settings, tensors: tensors)
        } catch let error as LoRAError {
            throw LoRAError("\(url.path): \(error.description)")
        }
    }
}
