// Cells: why adapt a model; the task (a short story, a question, its answer) and its loss mask,
// built from scratch and held to the kernel's; the Alpaca and ChatML templates; and the base
// model's answers before any fine-tuning.

import Foundation
import LabCorpora
import LabKernel
import LabNotebook

// MARK: - The lesson's own code (exercises LossMask and AlpacaPrompt ask for the same)

/// One example as inputs and next-token targets with the prompt masked: the sequence is
/// prompt + response + end of text; position t's target is token t + 1, or −100 (PyTorch's
/// ignore index: no loss) while token t + 1 is still part of the prompt.
func maskedTargets(prompt: [Int], response: [Int], endOfText: Int) -> (inputs: [Int], targets: [Int]) {
    let sequence = prompt + response + [endOfText]
    let inputs = Array(sequence.dropLast())
    let targets = (1..<sequence.count).map { $0 < prompt.count ? -100 : sequence[$0] }
    return (inputs, targets)
}

/// Stanford Alpaca's prompt for an instruction (and an optional input), ending where the response begins.
func alpacaPromptFromScratch(instruction: String, input: String) -> String {
    let task = input.isEmpty
        ? "Below is an instruction that describes a task. "
        : "Below is an instruction that describes a task, paired with an input that provides further context. "
    var prompt = task + "Write a response that appropriately completes the request.\n\n### Instruction:\n\(instruction)\n\n"
    if !input.isEmpty { prompt += "### Input:\n\(input)\n\n" }
    return prompt + "### Response:\n"
}

extension FinetuningLesson {
    func whyAdapt(_ setup: Setup) {
        let parameters = setup.model.parameters.values.reduce(0) { $0 + $1.count }
        notebook.prose("""
            A trained model knows its data. The kit's own model, models/\(KitModel.name) \
            (\(grouped(parameters)) parameters, lesson 02), has read 20 MB of stories and \
            writes more of them. Ask it something and it does not answer: it continues the text \
            the way a story would go on.

            Fine-tuning is training continued from the trained weights, on data of the task you \
            want. It needs far less data and compute than training from scratch, because the \
            model already knows the language; only the task is new. That is what open weights \
            make possible: anyone can adapt a model to their own language, domain or format, on \
            their own machine. This lesson teaches the story model to answer a question about a \
            story, two ways: by training every weight (full fine-tuning), and by training a \
            small low-rank update beside frozen weights (LoRA, the way most people fine-tune today).
            """)
    }

    func theTask(_ setup: Setup) {
        let first = setup.train[0]
        notebook.prose("""
            The corpus generator writes the task (LabCorpora's StoryQuestionGenerator, seed 6): \
            a short story, a question that the story answers, and the answer as a sentence, in \
            a fixed layout whose markers the model must learn. \(grouped(setup.train.count)) \
            examples train, \(grouped(setup.heldOut.count)) more are held out. The first one:
            """)
        notebook.output(first.text.split(separator: "\n").flatMap { wrap(String($0), width: 76) }.joined(separator: "\n"))
        let prompt = setup.tokenizer.encode(first.prompt), response = setup.tokenizer.encode(" " + first.answer)
        let mine = maskedTargets(prompt: prompt, response: response, endOfText: setup.endOfText)
        let kernel = setup.trainBatches.row(startingAt: 0, context: mine.inputs.count)
        let targets = mine.targets.filter { $0 != -100 }.count
        notebook.prose("""
            The model should learn to write the answer, not the prompt: the prompt is given at \
            every use, so predicting it is wasted effort, and worse, it would spend its updates \
            on writing stories and questions. So the loss is computed on the answer only. Each \
            position's target is the next token, and targets inside the prompt become −100, \
            the value PyTorch's cross-entropy ignores (its ignore_index), as Hugging Face's \
            trainers do. The answer ends with <|endoftext|>, which is a target too: the model \
            must learn to stop.
            """)
        notebook.code("""
            func maskedTargets(prompt: [Int], response: [Int], endOfText: Int) -> (inputs: [Int], targets: [Int]) {
                let sequence = prompt + response + [endOfText]
                let inputs = Array(sequence.dropLast())
                let targets = (1..<sequence.count).map { $0 < prompt.count ? -100 : sequence[$0] }
                return (inputs, targets)
            }
            """)
        var table = Table(["position", "input", "target"], alignments: [.right, .left, .left])
        let shownFrom = prompt.count - 4
        for t in shownFrom..<mine.inputs.count {
            let target = mine.targets[t]
            table.append([String(t), tokenText(mine.inputs[t], setup), target == -100 ? "−100 (masked)" : tokenText(target, setup)])
        }
        notebook.prose("""
            The example is \(mine.inputs.count + 1) tokens: \(prompt.count) of prompt and \
            \(response.count + 1) of answer (with the end of text). Its last positions, where \
            the prompt turns into the answer:
            """)
        notebook.table(table)
        notebook.check(mine.inputs == kernel.inputs && mine.targets == kernel.targets,
                       "the inputs and the \(targets) unmasked targets equal the kernel's InstructionBatches row for this example")
        let batchRow = setup.trainBatches.row(startingAt: 0, context: setup.context)
        let padding = setup.context - mine.inputs.count
        notebook.prose("""
            Examples differ in length. A batch row holds \(setup.context) tokens (the longest \
            example's), so this one is padded with \(padding) <|endoftext|> tokens whose \
            targets are −100 as well: padding never counts. (`lab finetune --packing` instead \
            runs examples on into each other to waste no compute; the mask goes with the tokens.) \
            Of the \(grouped(setup.trainBatches.tokens.count)) training tokens, \
            \(grouped(setup.trainBatches.isTarget.filter { $0 }.count)) are targets.
            """)
        notebook.check(batchRow.targets.suffix(padding).allSatisfy { $0 == -100 } && Array(batchRow.targets.prefix(mine.targets.count)) == mine.targets,
                       "the padded row keeps the same targets, and its \(padding) padding positions are −100")

        let alpaca = alpacaPromptFromScratch(instruction: "Answer the question about the story.", input: "Tom had a red kite.\nWhat color was the kite?")
        notebook.prose("""
            The layout (### Story, ### Question, ### Answer) is this task's template. Public \
            instruction data uses a few standard ones. Stanford Alpaca's, for records with an \
            instruction, an optional input and an output, puts the instruction and input in \
            the prompt and the output after "### Response:":
            """)
        notebook.output((alpaca + "The kite was red.").split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { $0.isEmpty ? [""] : wrap(String($0), width: 76) }.joined(separator: "\n"))
        let chat = InstructionTemplate.chatML([("user", "What color was the kite?"), ("assistant", "It was red.")])
        notebook.prose("""
            Chat models use ChatML (Qwen, SmolLM2 and `lab generate --chat`): each turn is \
            \(InstructionTemplate.chatStart)role … \(InstructionTemplate.chatEnd), and only the \
            assistant's turns are targets, their \(InstructionTemplate.chatEnd) included:
            """)
        notebook.output(chat.segments.map { $0.isResponse ? "[\($0.text)]" : $0.text }.joined().trimmingCharacters(in: .newlines))
        notebook.checks([
            (alpaca == InstructionTemplate.alpacaPrompt(instruction: "Answer the question about the story.", input: "Tom had a red kite.\nWhat color was the kite?")
                && alpacaPromptFromScratch(instruction: "Name a color.", input: "") == InstructionTemplate.alpacaPrompt(instruction: "Name a color."),
             "the lesson's Alpaca prompt equals the kernel's, with and without an input"),
            (chat.segments.filter(\.isResponse).map(\.text) == ["It was red.\(InstructionTemplate.chatEnd)"], "in ChatML only the assistant's content and its \(InstructionTemplate.chatEnd) are targets (in brackets above)"),
        ])
        notebook.prose("""
            `lab finetune --data FILE.jsonl` reads either form, one JSON record per line: \
            {"instruction", "input", "output"} or {"messages": [{"role", "content"}, …]}.
            """)
    }

    func baseAnswers(_ setup: Setup, before: Measurement) {
        notebook.prose("""
            Before any training: the kit's model is given \(before.checks.count) held-out \
            prompts, decodes greedily (the most likely token each time) until it writes \
            <|endoftext|> or \(FinetuningLesson.answerTokens) tokens, and its answer counts when \
            it equals the expected one exactly. Its loss on the held-out answers (prompt tokens \
            masked) is the smooth measure of the same thing.
            """)
        notebook.values([
            ("held-out answer loss", formatFixed(before.heldOutLoss, decimals: 3) + " nats per token"),
            ("exact answers", "\(before.exact) of \(before.checks.count)"),
            ("loss on held-out stories", formatFixed(before.storiesLoss, decimals: 3) + " nats per token (what it knows)"),
        ])
        var lines: [String] = []
        for (index, check) in before.checks.prefix(2).enumerated() {
            if index > 0 { lines.append("") }
            lines += [setup.heldOut[index].question, "  expected: " + setup.heldOut[index].answer]
            lines += wrap("answered: " + shown(check.answer, limit: 200), width: 74).map { "  " + $0 }
        }
        notebook.output(lines.joined(separator: "\n"))
        notebook.prose("""
            It goes on with the story: it has never seen "### Answer:" followed by an answer. \
            The loss says the same: over \(formatFixed(before.heldOutLoss, decimals: 1)) nats per \
            answer token, where a loss of 0 would mean certainty.
            """)
    }

    /// A token as visible text (spaces as ·, line breaks as ⏎).
    func tokenText(_ id: Int, _ setup: Setup) -> String {
        guard let bytes = try? setup.tokenizer.decode([id]) else { return "#\(id)" }
        return "\"" + bytes.replacingOccurrences(of: " ", with: "·").replacingOccurrences(of: "\n", with: "⏎") + "\""
    }
}
