// `lab generate --model DIR --prompt TEXT`: continue a prompt with a model folder, streaming the text.
//
// Scope: reading and checking the options, building the prompt (text, standard input, token ids,
// or a ChatML-wrapped chat message), running the kernel's generation loop (TextGenerator in
// Sampling/Generation.swift) and printing: the text as it is decided (whole characters only),
// then a line of statistics on standard error; or one JSON object with `--json`. The end of
// generation: the folder's end-of-sequence ids (config.json and generation_config.json), the
// stop strings, `--max-tokens`, or the model's context length, whichever comes first.
// Left out: conversations of several turns, beam search, and reading the
// sampling defaults of generation_config.json (the kit's defaults are explicit options).

import Foundation
import LabKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum GenerateCommand {
    static let usage = """
        usage: lab generate --model DIR (--prompt TEXT | --prompt-ids 1,2,3) [options]
               echo "Once upon a time" | lab generate --model DIR

        Continues the prompt with the model in DIR (a Hugging Face folder: config.json,
        safetensors weights in F32, F16 or BF16, one file or shards, and tokenizer.json or
        vocab.json + merges.txt) and streams the new text to standard output. The prompt is
        processed in one batched pass; each new token then costs one pass on the KV cache.
        A line with the prompt and generation speeds follows on standard error.

        prompt (one of):
          --prompt TEXT          the text to continue (standard input when neither is given),
                                 after the tokens the tokenizer's template puts first (Llama 3's
                                 <|begin_of_text|>; tokenizer.json's post_processor)
          --prompt-ids 1,2,3     token ids to continue; needs no tokenizer. The output is the
                                 new text when the folder has a tokenizer, else the new ids
          --adapter DIR          a PEFT LoRA adapter folder for this model (from lab finetune or
                                 PEFT's save_pretrained), applied in memory; the files are unchanged
          --quantize q8          run with the weight matrices in int8 blocks (Q8_0), quantized on
                                 loading: decoding reads about 3.5× fewer bytes (a folder from lab quantize
                                 loads quantized without it)
          --chat                 treat the prompt as a user message and wrap it in the model's
                                 ChatML format (<|im_start|>user ... <|im_end|>, Qwen2 and SmolLM2
                                 instruct models), after the template's default system message
                                 if it has one; stops at <|im_end|>. Other chat formats are
                                 refused rather than guessed
          --system TEXT          with --chat: the system message to use instead of the default

        sampling (applied in this order; defaults leave the model's distribution unchanged):
          --repetition-penalty R divide positive / multiply negative logits of tokens already
                                 in the sequence by R > 0 (default 1: off)
          --temperature T        divide the logits by T ≥ 0; 0 means greedy (default 1)
          --top-k K              keep the K most likely tokens (default: off)
          --top-p P              keep the most likely tokens up to mass P, 0 < P ≤ 1 (default 1: off)
          --min-p P              drop tokens below P × the top probability, 0 ≤ P ≤ 1 (default 0: off)
          --seed N               seed of the random draws: same seed, same output (default 0)

        stopping (the first that happens):
          --max-tokens N         generate at most N tokens (default 128)
          --stop TEXT            stop when the text contains TEXT (left out of the output);
                                 repeat for several. The folder's end-of-sequence tokens always stop
                                 and so does the model's context length

        output:
          --json                 print one JSON object instead of streaming: "prompt_ids",
                                 "generated_ids", "text" (null without a tokenizer), "stop_reason",
                                 "stop_string", "timings"
          --quiet                no statistics line on standard error
          --help                 show this help
        """

    /// The checked options of one run.
    struct Options: Equatable {
        var model: String
        var prompt: String?
        var promptIDs: [Int]?
        var chat = false
        var system: String?
        var sampling = SamplingSettings()
        var maxTokens = 128
        var stopStrings: [String] = []
        var json = false
        var quiet = false
        var adapter: String?
        var quantize = false
    }

    static func run(_ arguments: [String]) throws {
        guard let options = try parse(arguments) else {
            print(usage)
            return
        }
        // Token ids need no tokenizer: with --prompt-ids, unusable tokenizer files only cost the text.
        let loaded = try loadModelFolder(path: options.model, requireTokenizer: options.promptIDs == nil)
        warnAboutTokenizer(loaded.folder, command: "generate")
        let model = try quantizing(try applyingAdapter(path: options.adapter, to: loaded.model, modelFolder: options.model),
                                   options.quantize)
        let generator = TextGenerator(model: model, tokenizer: loaded.tokenizer)
        let folderName = URL(fileURLWithPath: options.model).lastPathComponent

        // The prompt: ids as given, or text from --prompt or standard input, wrapped for --chat.
        var endOfSequence = Set(loaded.model.config.eosTokenIDs).union(generationConfigEndIDs(folder: loaded.folder.url))
        let promptIDs: [Int]
        if let ids = options.promptIDs {
            promptIDs = ids
        } else {
            guard let tokenizer = loaded.tokenizer else {
                throw CommandFailure(message: "\(folderName) has no tokenizer (tokenizer.json, or vocab.json + merges.txt), "
                    + "so a text prompt cannot be turned into tokens; give token ids with --prompt-ids 1,2,3")
            }
            var text = try options.prompt ?? readStandardInput()
            guard !text.isEmpty else {
                throw CommandFailure(message: "the prompt is empty; give some text with --prompt TEXT or on standard input")
            }
            if options.chat {  // the chat format is the whole input: nothing is added around it
                let template = try ChatMLTemplate.load(folder: loaded.folder.url, tokenizer: tokenizer)
                text = template.wrap(text, system: options.system)
                endOfSequence.insert(template.endOfTurnID)
                promptIDs = tokenizer.encode(text)
            } else {  // with the tokens the tokenizer's template puts around a text (Llama 3's BOS)
                promptIDs = tokenizer.encode(text, addingSpecialTokens: true)
            }
        }
        if !options.stopStrings.isEmpty && loaded.tokenizer == nil {
            throw CommandFailure(message: "--stop matches text, and \(folderName) has no tokenizer to decode the tokens into text; "
                + "leave out --stop or add the tokenizer files")
        }

        try MemoryBudget.checkGeneration(loaded.model.config, promptTokens: promptIDs.count, maxTokens: options.maxTokens)
        let stop = StopConditions(endOfSequenceIDs: endOfSequence, stopStrings: options.stopStrings, maxTokens: options.maxTokens)
        let streams = !options.json && loaded.tokenizer != nil
        let result: GenerationResult
        do {
            result = try generator.generate(promptIDs: promptIDs, sampling: options.sampling, stop: stop) { piece in
                if streams { FileHandle.standardOutput.write(Data(piece.utf8)) }
            }
        } catch let error as GenerationError {
            throw CommandFailure(message: "\(error)")
        }

        if options.json {
            print(json(result, hasTokenizer: loaded.tokenizer != nil))
        } else if streams {
            print("")  // end the streamed text with a newline
        } else {
            print(result.generatedIDs.map(String.init).joined(separator: ","))
        }
        if !options.quiet { printError(statistics(result)) }
    }

    /// Parses and checks the arguments; nil when `--help` was asked for.
    static func parse(_ arguments: [String]) throws -> Options? {
        var arguments = Arguments(arguments, command: "generate")
        if arguments.flag("--help", "-h") { return nil }
        func fail(_ message: String) -> UsageError { UsageError(message: message, command: "generate") }
        func number(_ name: String, _ check: (Double) -> Bool, _ expected: String) throws -> Float? {
            guard let text = try arguments.value(name) else { return nil }
            // Checked as the Float the sampler will use: 1e300 is a fine Double but infinite as a
            // Float, and 1e-300 is above 0 as a Double but 0 as a Float.
            guard let value = Double(text), Float(value).isFinite, check(Double(Float(value))) else {
                throw fail("\(name) expects \(expected), got '\(printable(text))'")
            }
            return Float(value)
        }

        guard let model = try arguments.value("--model") else {
            throw fail("which model? give the folder with --model DIR, e.g. lab generate --model models/gpt2 --prompt \"Hello\"")
        }
        var options = Options(model: model)
        options.prompt = try arguments.value("--prompt")
        options.promptIDs = try arguments.value("--prompt-ids").map { try parseTokenIDs($0, option: "--prompt-ids", command: "generate") }
        options.chat = arguments.flag("--chat")
        options.adapter = try arguments.value("--adapter")
        options.quantize = try quantizeOption(&arguments, command: "generate")
        options.system = try arguments.value("--system")
        options.json = arguments.flag("--json")
        options.quiet = arguments.flag("--quiet", "-q")
        while let stop = try arguments.value("--stop") {
            guard !stop.isEmpty else { throw fail("--stop expects a non-empty text") }
            options.stopStrings.append(stop)
        }
        let temperature = try number("--temperature", { $0 >= 0 }, "a number ≥ 0 (0 = greedy)") ?? 1
        let topP = try number("--top-p", { $0 > 0 && $0 <= 1 }, "a number in (0, 1], above 0 and at most 1 (1 = off)") ?? 1
        let minP = try number("--min-p", { $0 >= 0 && $0 <= 1 }, "a number in [0, 1] (0 = off)") ?? 0
        let penalty = try number("--repetition-penalty", { $0 > 0 }, "a number > 0 (1 = off)") ?? 1
        let topK = try arguments.value("--top-k").map { text -> Int in
            guard let k = Int(text), k >= 1 else { throw fail("--top-k expects a whole number ≥ 1, got '\(text)'") }
            return k
        }
        let seed = try arguments.value("--seed").map { text -> UInt64 in
            guard let seed = UInt64(text) else { throw fail("--seed expects a whole number from 0 to \(UInt64.max), got '\(text)'") }
            return seed
        }
        if let text = try arguments.value("--max-tokens") {
            guard let count = Int(text), count >= 1 else { throw fail("--max-tokens expects a whole number ≥ 1, got '\(text)'") }
            options.maxTokens = count
        }
        try arguments.finish()

        if options.prompt != nil && options.promptIDs != nil { throw fail("give either --prompt or --prompt-ids, not both") }
        if options.system != nil && !options.chat {
            throw fail("--system is the system message of a chat; use it with --chat")
        }
        if options.chat && options.promptIDs != nil {
            throw fail("--chat wraps a text prompt; with --prompt-ids write the chat format's ids yourself")
        }
        options.sampling = SamplingSettings(temperature: temperature, topK: topK, topP: topP, minP: minP,
                                            repetitionPenalty: penalty, seed: seed ?? 0)
        return options
    }

    /// The prompt from standard input, which must not be a terminal (nobody would know to type).
    static func readStandardInput() throws -> String {
        guard isatty(STDIN_FILENO) == 0 else {
            throw UsageError(message: "give a prompt with --prompt TEXT or --prompt-ids 1,2,3 (or pipe text in)", command: "generate")
        }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let text: String
        do { text = try utf8Text(data, source: "standard input") } catch { throw CommandFailure(message: "\(error)") }
        // A piped line ends with a newline that is not part of the prompt.
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// The end-of-sequence ids of generation_config.json (a number or a list), if the file has any.
    /// The file is optional: one that is not a regular file or not JSON is left out with a note.
    static func generationConfigEndIDs(folder: URL) -> [Int] {
        let url = folder.appendingPathComponent("generation_config.json")
        var status = stat()
        guard lstat(url.path, &status) == 0 else { return [] }
        let root: JSONValue
        do {
            root = try JSONValue.parse(try readRegularFile(url, maximumBytes: 16 << 20))
        } catch {
            printError(safeForTerminal("lab generate: note: generation_config.json was not used (\(error))"))
            return []
        }
        guard let value = root["eos_token_id"] else { return [] }
        return value.int.map { [$0] } ?? value.array?.compactMap(\.int) ?? []
    }

    /// "prompt: 5 tokens, 812.3 tokens/s · generation: 7 tokens, 143.2 tokens/s · stop: max_tokens"
    static func statistics(_ result: GenerationResult) -> String {
        let t = result.timings
        func rate(_ value: Double) -> String { formatFixed(value, decimals: 1) + " tokens/s" }
        return "prompt: \(t.promptTokens) tokens in \(formatFixed(t.promptSeconds, decimals: 3)) s, \(rate(t.promptTokensPerSecond))"
            + " · generation: \(result.generatedIDs.count) tokens in \(formatFixed(t.promptSeconds + t.decodeSeconds, decimals: 3)) s, "
            + "\(rate(t.generationTokensPerSecond)) after the first · stop: \(result.stopReason.name)"
    }

    /// The result as one JSON object on one line.
    static func json(_ result: GenerationResult, hasTokenizer: Bool) -> String {
        let t = result.timings
        func list(_ ids: [Int]) -> String { "[" + ids.map(String.init).joined(separator: ", ") + "]" }
        var stopString = "null"
        if case .stopString(let text) = result.stopReason { stopString = jsonStringLiteral(text) }
        return "{\"prompt_ids\": \(list(result.promptIDs)), \"generated_ids\": \(list(result.generatedIDs)), "
            + "\"text\": \(hasTokenizer ? jsonStringLiteral(result.text) : "null"), "
            + "\"stop_reason\": \"\(result.stopReason.name)\", \"stop_string\": \(stopString), "
            + "\"timings\": {\"prompt_tokens\": \(t.promptTokens), \"prompt_seconds\": \(t.promptSeconds), "
            + "\"prompt_tokens_per_second\": \(t.promptTokensPerSecond), \"generated_tokens\": \(result.generatedIDs.count), "
            + "\"decode_seconds\": \(t.decodeSeconds), \"generation_tokens_per_second\": \(t.generationTokensPerSecond)}}"
    }
}
