// Cell: the generation loop on a transformer, without and with a KV cache, written in the lesson
// and compared with the kernel's `TextGenerator` (Sources/LabKernel/Sampling/Generation.swift):
// the same ids from all four, and the measured tokens per second.
//
// The transformer has random weights: its text means nothing, but its speed is that of a trained
// model of the same shape, which is all this cell measures. Timings are masked in golden output.

import LabKernel
import LabNotebook

/// The generation loop without a cache: at every step the whole sequence goes through the model
/// again and only the last row of logits is used. Step t costs t positions.
func generateWithoutCache(_ model: TransformerModel, prompt: [Int], count: Int, settings: SamplingSettings) -> [Int] {
    var sampler = TokenSampler(settings: settings)
    var ids = prompt
    for _ in 0..<count {
        let logits = model.forward(tokens: ids)                // (T, V): every position again
        let last = logits.row(ids.count - 1).scalars           // (V)
        ids.append(sampler.next(logits: last, previousTokens: ids))
    }
    return Array(ids.dropFirst(prompt.count))
}

/// The generation loop with a KV cache: the prompt once, then one new position per step; the
/// keys and values of earlier positions are read from the cache instead of being recomputed.
func generateWithCache(_ model: TransformerModel, prompt: [Int], count: Int, settings: SamplingSettings) -> [Int] {
    var sampler = TokenSampler(settings: settings)
    var cache = KVCache(config: model.config, capacity: prompt.count + count)
    var ids = prompt
    var logits = model.forward(tokens: prompt, cache: &cache, lastPositionOnly: true)   // (1, V)
    for step in 0..<count {
        ids.append(sampler.next(logits: logits.scalars, previousTokens: ids))
        if step + 1 < count { logits = model.forward(tokens: [ids.last!], cache: &cache) }   // NEW: one position, (1, V)
    }
    return Array(ids.dropFirst(prompt.count))
}

extension SamplingLesson {
    func speed() {
        // A small Llama-style model: RoPE, RMSNorm, SwiGLU, grouped-query attention (4 heads, 2 KV heads).
        let config = TransformerConfig.llamaFamily(vocabularySize: sizes.vocabularySize, contextLength: 512, width: 128,
                                                   layers: 4, heads: 4, kvHeads: 2, feedForwardWidth: 384)
        let model = TransformerModel.random(config: config, standardDeviation: 0.1, seed: 5)
        let prompt = Array((0..<sizes.speedPromptLength).map { 300 + 17 * $0 })
        let count = sizes.speedTokens
        let settings = SamplingSettings(temperature: 0.8, topK: 40, seed: 11)
        notebook.prose("""
            A transformer computes the logits of the last position from the keys and values of \
            every earlier one. Without a cache, each step pushes the whole sequence through the \
            model again, so the t-th token costs t positions and n tokens cost about n²/2. A KV \
            cache (lesson 03) keeps every layer's keys and values, so a step computes one new \
            position and reads the rest. The loop is the same as before: logits, sampler, append. \
            Here it drives a Llama-style transformer (\(config.layers) layers, width \
            \(config.width), \(config.heads) heads sharing \(config.kvHeads) key/value heads, \
            \(grouped(config.vocabularySize)) tokens) with random weights: its text is noise, but \
            it is exactly as fast as a trained model of its shape. \(count) tokens after a \
            prompt of \(prompt.count) tokens\(notebook.quick ? " (--quick; the full run generates 120)" : ""):
            """)
        notebook.code("""
            var logits = model.forward(tokens: prompt, cache: &cache, lastPositionOnly: true)   // (1, V)
            for step in 0..<count {
                ids.append(sampler.next(logits: logits.scalars, previousTokens: ids))
                if step + 1 < count { logits = model.forward(tokens: [ids.last!], cache: &cache) }   // one position
            }
            """)
        var without: [Int] = [], with: [Int] = []
        let withoutTime = Stopwatch.measure(repetitions: 1, warmup: 0) {
            without = generateWithoutCache(model, prompt: prompt, count: count, settings: settings)
        }
        let withTime = Stopwatch.measure(repetitions: 3, warmup: 1) {
            with = generateWithCache(model, prompt: prompt, count: count, settings: settings)
        }
        let generator = TextGenerator(model: model)
        let stop = StopConditions(maxTokens: count)
        let kernelWithout = try! generator.generate(promptIDs: prompt, sampling: settings, stop: stop, usingCache: false)
        let kernelWith = try! generator.generate(promptIDs: prompt, sampling: settings, stop: stop)

        var table = Table(["loop", "tokens/s", "speed-up"])
        let perSecond = { (seconds: Double) in self.notebook.measured(formatFixed(Double(count) / seconds, decimals: 0)) }
        table.append(["lesson, without cache", perSecond(withoutTime.median), notebook.speedup(1)])
        table.append(["lesson, with KV cache", perSecond(withTime.median), notebook.speedup(withoutTime.median / withTime.median)])
        notebook.table(table)
        notebook.prose("""
            The kernel's `TextGenerator` is the same loop with the incremental decoder and stop \
            conditions built in. It reports the two phases apart: the prompt is processed in one \
            batched forward pass (a real matrix product that keeps the cores busy), after which \
            each step is a matrix-vector product per weight:
            """)
        let timings = kernelWith.timings
        notebook.values([
            ("prompt", notebook.measured(formatFixed(timings.promptTokensPerSecond, decimals: 0)) + " tokens/s (\(timings.promptTokens) tokens)"),
            ("generation", notebook.measured(formatFixed(timings.generationTokensPerSecond, decimals: 0))
             + " tokens/s with the cache, " + notebook.measured(formatFixed(kernelWithout.timings.generationTokensPerSecond, decimals: 0))
             + " without"),
        ])
        notebook.checks([
            (with == without, "with and without the cache, the lesson's loop chooses the same \(count) ids"),
            (kernelWith.generatedIDs == with && kernelWithout.generatedIDs == with,
             "the kernel's TextGenerator, with and without its cache, chooses exactly the lesson's ids"),
        ])
        notebook.prose("""
            The speed-up grows with the length: without the cache the work per token grows with \
            the sequence, with it only the attention over the cached keys does. The cost is \
            memory: 2 × layers × positions × KV heads × head size floats, here \
            \(grouped(2 * config.layers * (prompt.count + count) * config.kvHeads * config.headSize * 4)) bytes; \
            grouped-query attention shrinks it by sharing key/value heads.
            """)
    }
}
