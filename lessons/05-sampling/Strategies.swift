// Cell: the same prompt continued with each strategy, side by side, by the kernel's TokenSampler.

import LabKernel
import LabNotebook

extension SamplingLesson {
    func strategies(_ setup: Setup) {
        notebook.prose("""
            All the knobs together: the same prompt, \(sizes.continuationLength) tokens each, \
            seed 7 for every sampled line. The kernel's `TokenSampler` applies the settings in \
            transformers' order and draws with the procedure of the last cell:
            """)
        let strategies: [(String, SamplingSettings)] = [
            ("greedy", SamplingSettings(temperature: 0)),
            ("T = 1, nothing else (the model's own distribution)", SamplingSettings(seed: 7)),
            ("T = 0.7", SamplingSettings(temperature: 0.7, seed: 7)),
            ("T = 1.5", SamplingSettings(temperature: 1.5, seed: 7)),
            ("top-k 10", SamplingSettings(topK: 10, seed: 7)),
            ("top-p 0.9", SamplingSettings(topP: 0.9, seed: 7)),
            ("min-p 0.1", SamplingSettings(minP: 0.1, seed: 7)),
            ("T = 1.5 with min-p 0.1", SamplingSettings(temperature: 1.5, minP: 0.1, seed: 7)),
            ("T = 0.8, top-p 0.95, repetition penalty 1.2", SamplingSettings(temperature: 0.8, topP: 0.95, repetitionPenalty: 1.2, seed: 7)),
        ]
        notebook.code("var sampler = TokenSampler(settings: SamplingSettings(temperature: 0.8, topP: 0.95, repetitionPenalty: 1.2, seed: 7))\nlet next = sampler.next(logits: row, previousTokens: ids)")
        showText(strategies.map { name, settings in
            (name, oneLine(generate(setup, sampler: TokenSampler(settings: settings), count: sizes.continuationLength), setup.tokenizer))
        })
        notebook.prose("""
            Greedy loops; plain sampling at T = 1 wanders into the unlikely tail now and then; \
            T = 1.5 wanders off for good, but the same temperature with min-p stays readable, \
            because min-p cuts the tail after the temperature has flattened it. The filters and a \
            moderate temperature give text that varies and still reads like the stories. Common \
            defaults for chat models are T ≈ 0.7 with top-p 0.9 or min-p 0.05–0.1.
            """)
    }
}
