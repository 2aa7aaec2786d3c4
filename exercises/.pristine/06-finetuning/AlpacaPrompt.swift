// Exercise 06.5 (finetuning.alpaca-prompt): Stanford Alpaca's prompt template. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter AlpacaPromptTests

import LabExercise

/// Stanford Alpaca's prompt for an instruction record, ending where the response begins.
///
/// Instruction data such as Alpaca's comes as records {"instruction", "input", "output"}. For
/// training, each record becomes one text: a fixed preamble, the instruction, the input when
/// there is one, and a "### Response:" header, after which the output follows (and is the only
/// part the loss counts). At inference the same prompt is given and the model writes the
/// response. The template must match exactly, space for space, between training and use: a model
/// tuned on one layout answers worse when prompted with another.
///
/// Without an input:
///
///     Below is an instruction that describes a task. Write a response that appropriately completes the request.
///     (empty line)
///     ### Instruction:
///     {instruction}
///     (empty line)
///     ### Response:
///     (the response starts here, on its own line)
///
/// With an input, the first sentence becomes "Below is an instruction that describes a task,
/// paired with an input that provides further context." and an "### Input:" section follows the
/// instruction (its header, the input, an empty line) before "### Response:". Every header line
/// is followed by a line break, and so is the last one: the prompt ends with "### Response:\n".
///
/// - Parameters:
///   - instruction: the task, e.g. "Name a color."
///   - input: the context, or "" for none.
/// - Returns: the prompt text.
public func alpacaPrompt(instruction: String, input: String) -> String {
    // TODO: the preamble (two wordings), then the sections with their line breaks.
    return todo("")
}
