// Cell: the same prompt continued with each strategy, side by side, by the kernel's TokenSampler:
// first on the lesson's n-gram counts, then on the kit's own trained transformer
// (models/lab-stories-4m) when it is there.

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
        let texts = strategies.map { name, settings in
            (name, oneLine(generate(setup, sampler: TokenSampler(settings: settings), count: sizes.continuationLength), setup.tokenizer))
        }
        notebook.labelledTexts(texts)
        // The filtered lines that came out exactly like plain sampling with the same seed.
        let plain = texts[1].1
        let unchanged = texts[4...6].filter { $0.1 == plain }.map(\.0)
        if !unchanged.isEmpty {
            let names = unchanged.count == 1 ? unchanged[0] : unchanged.dropLast().joined(separator: ", ") + " and " + unchanged.last!
            notebook.prose("""
                \(names) gave exactly the text of plain sampling: with the same seed the draws are \
                the same numbers, and a filter only changes the text when a draw lands \
                in the tail it removed, or when removing the tail shifts the intervals enough to move \
                a draw across an edge. \
                A confident model rarely draws from its tail, which is also why the filters cost \
                so little quality.
                """)
        }
        if let kit = KitModel.load(), let tokenizer = kit.tokenizer {
            let prompt = tokenizer.encode(SamplingLesson.prompt)
            let count = min(sizes.continuationLength, kit.model.config.contextLength - prompt.count)
            notebook.prose("""
                The same strategies on a transformer: the kit's own model, models/\(KitModel.name) \
                (\(kit.model.config.layers) layers, trained by `lab train` on the kit's stories; its \
                README has the figures). The sampling code does not change at all: it only ever \
                sees a row of logits, now the transformer's last row, computed with the KV cache:
                """)
            notebook.labelledTexts(strategies.map { name, settings in
                (name, oneLine(generateWithCache(kit.model, prompt: prompt, count: count, settings: settings), tokenizer))
            })
        }
        notebook.prose("""
            Greedy gives the same text on every run and, given enough tokens, loops (cell 3). \
            Plain sampling at T = 1 can wander into the unlikely tail; T = 1.5 wanders off \
            often, but the same temperature with min-p stays much more readable, because min-p \
            cuts the tail after the temperature has flattened it. The filters and a moderate \
            temperature give text that varies and still reads like the stories. Common defaults \
            for chat models are T ≈ 0.7 with top-p 0.9 or min-p 0.05–0.1.
            """)
    }
}
