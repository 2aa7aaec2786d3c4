// Cell: running the model: its size, its memory, and a greedy continuation with the kernel's
// generator (lesson 05's sampling at temperature 0), timed.
//
// Left out: sampling settings (lesson 05) and chat templates (`lab generate --chat`).

import Foundation
import LabKernel
import LabNotebook

extension OpenModelsLesson {
    /// The prompt every model continues.
    static let prompt = "Once upon a time, there was a"

    func running(_ subjects: [Subject]) {
        notebook.prose("""
            Running an open model needs nothing but its files and a forward pass: no account, no \
            server, no network. The kernel loads the folder and continues a prompt greedily \
            (always the most likely token), on this machine's CPU.
            """)
        notebook.code("""
            let loaded = try loadModel(folder: URL(fileURLWithPath: "models/lab-stories-4m"))
            let result = try TextGenerator(model: loaded.model, tokenizer: loaded.tokenizer)
                .generate(prompt: "\(Self.prompt)", sampling: SamplingSettings(temperature: 0),
                          stop: StopConditions(maxTokens: 40))
            """)
        for subject in subjects {
            let config = subject.model.config
            let result = try! TextGenerator(model: subject.model, tokenizer: subject.tokenizer)
                .generate(prompt: Self.prompt, sampling: SamplingSettings(temperature: 0), stop: StopConditions(maxTokens: 40))
            notebook.values([
                ("model", "\(subject.name): \(config.architecture.rawValue), \(config.layers) blocks of width \(config.width), vocabulary \(grouped(config.vocabularySize))"),
                ("parameters", grouped(config.parameterCount)),
                ("weights", "\(formatFixed(Double(subject.model.weightBytes) / 1e6, decimals: 1)) MB in float32"),
                ("speed", notebook.measured(grouped(Int(result.timings.generationTokensPerSecond))) + " tokens/s after the prompt"),
            ])
            notebook.labelledTexts([("\"\(Self.prompt)\" and 40 tokens, greedy", Self.prompt + result.text)])
        }
    }
}
