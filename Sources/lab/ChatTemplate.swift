// ChatTemplate: wrapping a user's message in the ChatML format of Qwen2 and SmolLM2 instruct models.
//
// An instruction-tuned model was fine-tuned on conversations written in one exact format, and it
// only answers well when the prompt uses that format too. Hugging Face folders describe the format
// as a Jinja program in tokenizer_config.json's `chat_template`. The kit runs no Jinja; it knows
// one format, ChatML, and recognizes it by its two special tokens:
//
//     <|im_start|>user
//     Tell me a story.<|im_end|>
//     <|im_start|>assistant
//
// The model then writes the answer and ends it with <|im_end|>, which is therefore a stop token.
// The wrapper is used only when the folder's template mentions both markers and the tokenizer has
// both as special tokens; any other template (Llama 3's <|start_header_id|>, Gemma's
// <start_of_turn>, Mistral's [INST]) is refused by name rather than guessed.
//
// A system message goes first, in the same markers (`<|im_start|>system ... <|im_end|>`): the one
// given with --system, else the template's default. Qwen2's and SmolLM2's templates write a
// default when the conversation has none, as one complete string literal, e.g.
// '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n'; the kit takes the text of the
// first such literal (a literal that stops after "system\n", to be joined with the caller's
// message, is not a default). Without either, the prompt starts with the user's turn.
// Left out: multi-turn conversations and tool calls.

import Foundation
import LabKernel

/// The ChatML wrapper of a model folder whose template is ChatML.
struct ChatMLTemplate: Equatable {
    static let start = "<|im_start|>"
    static let end = "<|im_end|>"

    /// The id of <|im_end|>: the model's end of turn.
    let endOfTurnID: Int
    /// The system message the template writes when the conversation has none (nil: none).
    var defaultSystemMessage: String? = nil

    /// The prompt text for one user message, after `system` (default: the template's own, if any);
    /// the tokenizer turns the markers into their special ids.
    func wrap(_ message: String, system: String? = nil) -> String {
        let systemTurn = (system ?? defaultSystemMessage).map { "\(Self.start)system\n\($0)\(Self.end)\n" } ?? ""
        return systemTurn + "\(Self.start)user\n\(message)\(Self.end)\n\(Self.start)assistant\n"
    }

    /// The text of the first string literal in `template` that is a whole default system turn,
    /// '<|im_start|>system\n…<|im_end|>', with the literal's escapes (\n, \', \") undone.
    static func defaultSystemMessage(in template: String) -> String? {
        let opening = start + "system"
        var searchFrom = template.startIndex
        while let found = template.range(of: opening, range: searchFrom..<template.endIndex) {
            searchFrom = found.upperBound
            // A literal: the character before the marker is its quote.
            guard found.lowerBound > template.startIndex else { continue }
            let quote = template[template.index(before: found.lowerBound)]
            guard quote == "'" || quote == "\"" else { continue }
            // Read the literal up to its closing quote, undoing escapes.
            var text = ""
            var index = found.upperBound
            var escaped = false
            var closed = false
            while index < template.endIndex {
                let character = template[index]
                index = template.index(after: index)
                if escaped {
                    text.append(character == "n" ? "\n" : character == "t" ? "\t" : character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == quote {
                    closed = true
                    break
                } else {
                    text.append(character)
                }
            }
            guard closed, text.hasPrefix("\n"), let endMarker = text.range(of: end) else { continue }
            return String(text[text.index(after: text.startIndex)..<endMarker.lowerBound])
        }
        return nil
    }

    /// Reads `folder`'s tokenizer_config.json and checks that its `chat_template` is ChatML and that
    /// `tokenizer` has the two markers as special tokens.
    /// - Throws: `CommandFailure` saying what is missing or which kind of template was found.
    static func load(folder: URL, tokenizer: BPETokenizer?) throws -> ChatMLTemplate {
        let name = folder.lastPathComponent
        let url = folder.appendingPathComponent("tokenizer_config.json")
        var status = stat()
        guard lstat(url.path, &status) == 0 else {
            throw CommandFailure(message: "--chat: \(name) has no tokenizer_config.json, so it has no chat template; "
                + "leave out --chat to continue the prompt as plain text")
        }
        let data: Data
        do { data = try readRegularFile(url, maximumBytes: 64 << 20) } catch { throw CommandFailure(message: "--chat: \(error)") }
        let root: JSONValue
        do {
            root = try JSONValue.parse(data)
        } catch {
            throw CommandFailure(message: "--chat: \(url.path) is not valid JSON: \(error)")
        }
        // The template is a string, or a list of named templates ({"name": "default", "template": "..."}).
        var templates: [String] = []
        if let text = root["chat_template"]?.string {
            templates = [text]
        } else if let list = root["chat_template"]?.array {
            templates = list.compactMap { $0["template"]?.string }
        }
        guard !templates.isEmpty else {
            throw CommandFailure(message: "--chat: \(name)'s tokenizer_config.json has no chat_template; "
                + "this model was not tuned for chat, so leave out --chat")
        }
        guard let template = templates.first(where: { $0.contains(start) && $0.contains(end) }) else {
            throw CommandFailure(message: "--chat: \(name)'s chat template is not ChatML (\(describe(templates[0]))); "
                + "the kit only writes ChatML (<|im_start|>/<|im_end|>, Qwen2 and SmolLM2), "
                + "so write the model's format into --prompt yourself and leave out --chat")
        }
        guard let tokenizer, tokenizer.specialTokens[start] != nil,
              let endID = tokenizer.specialTokens[end] else {
            throw CommandFailure(message: "--chat: the chat template uses \(start) and \(end), but the tokenizer "
                + "does not have both as special tokens; the folder's files do not belong together")
        }
        return ChatMLTemplate(endOfTurnID: endID, defaultSystemMessage: defaultSystemMessage(in: template))
    }

    /// Names a known non-ChatML template by its markers, so the refusal says what was found.
    private static func describe(_ template: String) -> String {
        let known = [("<|start_header_id|>", "Llama 3 style"), ("<start_of_turn>", "Gemma style"),
                     ("[INST]", "Llama 2 / Mistral style"), ("<|user|>", "Zephyr / Phi style")]
        return known.first { template.contains($0.0) }.map { "it looks \($0.1)" } ?? "an unknown format"
    }
}
