// Tests for exercise 06.5 (finetuning.alpaca-prompt): `alpacaPrompt` in exercises/06-finetuning/AlpacaPrompt.swift.
//
// The two templates written out as the Stanford Alpaca repository words them (tatsu-lab/
// stanford_alpaca, train.py's PROMPT_DICT, with alpaca-lora's line break after "### Response:"),
// and the kernel's InstructionTemplate, which `lab finetune --format alpaca` trains with.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseAlpacaPrompt

final class AlpacaPromptTests: XCTestCase {
    func testWithoutAnInput() {
        guard let prompt = exercise({ alpacaPrompt(instruction: "Name a color.", input: "") }) else { return }
        let expected = "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
            + "### Instruction:\nName a color.\n\n### Response:\n"
        XCTAssertEqual(prompt, expected, "the template without an input, line breaks included")
    }

    func testWithAnInput() {
        guard let prompt = exercise({ alpacaPrompt(instruction: "Translate to French.", input: "Good morning") }) else { return }
        let expected = "Below is an instruction that describes a task, paired with an input that provides further context. "
            + "Write a response that appropriately completes the request.\n\n"
            + "### Instruction:\nTranslate to French.\n\n### Input:\nGood morning\n\n### Response:\n"
        XCTAssertEqual(prompt, expected, "the template with an input section")
    }

    func testMatchesTheKernelsTemplate() {
        let records: [(String, String)] = [("Add the numbers.", "2, 3"), ("Write a haiku.", ""), ("Résumé en une ligne.", "Ligne 1\nLigne 2"),
                                           ("", ""), ("Explain.", " ")]
        for (instruction, input) in records {
            guard let prompt = exercise({ alpacaPrompt(instruction: instruction, input: input) }) else { return }
            XCTAssertEqual(prompt, InstructionTemplate.alpacaPrompt(instruction: instruction, input: input),
                           "instruction \(instruction.debugDescription), input \(input.debugDescription)")
        }
    }
}
