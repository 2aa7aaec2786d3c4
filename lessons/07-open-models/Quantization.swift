// Cells: int8 quantization. First Q8_0 by hand on one block of the kit's model (the scale, the
// int8 values, the error bound, the bytes), then the int8 dot product with its two scales, held
// to the kernel's; then the whole model quantized by the kernel and measured against float32:
// the weights' memory, decoding and prompt speed, perplexity on held-out stories and how often
// the two predict the same next token.
//
// Why the layout is fast: a decoding step reads every weight once per token, so its speed is the
// memory bandwidth divided by the weights' bytes. Q8_0 reads 34 bytes per 32 weights instead of
// 128, and the kernel's product multiplies int8 by int8 into int32 with SIMD (vpmaddwd on x86),
// eight or sixteen lanes at a time, applying the two scales once per block.
// Left out: 4-bit formats, quantizing activations between layers, and the KV cache.

import Foundation
import LabKernel
import LabNotebook

extension OpenModelsLesson {
    func quantizationByHand(_ subjects: [Subject]) {
        for (index, subject) in subjects.enumerated() { quantizationByHand(subject, explaining: index == 0) }
    }

    private func quantizationByHand(_ kit: Subject, explaining: Bool) {
        let model = kit.model
        let embeddingName = model.parameters.keys.sorted().first { $0.hasSuffix("wte.weight") || $0.hasSuffix("embed_tokens.weight") }!
        let embedding = model.parameters[embeddingName]!  // (V, C): a row per token
        let token = kit.tokenizer.encode(" time")[0]
        let row = embedding.row(token).scalars
        let w = Array(row.prefix(32))
        if !explaining {
            notebook.prose("The same on \(kit.name), the first block of the embedding row of \" time\" (\(embeddingName)):")
        } else {
            notebook.prose("""
                Quantization stores weights in fewer bits. Q8_0, the format of llama.cpp and \
                llama2.c's runq.c, cuts each row into blocks of 32 weights that share one scale: \
                d = max|w| / 127, stored as a float16, and each weight becomes the int8 q = round(w / d), \
                so the largest weight of the block maps to ±127. Reading it back gives q·d, off by at \
                most d/2. Here is the first block of the embedding row of the token " time" in the \
                kit's model (\(embeddingName)):
                """)
            notebook.code("""
                let d = floatFromHalfBits(halfBits(from: w.map(abs).max()! / 127))   // the block's scale, as float16 stores it
                let q = w.map { Int8(max(-127, min(127, ($0 * (1 / d)).rounded(.toNearestOrEven)))) }
                let back = q.map { Float($0) * d }
                """)
        }
        let d = floatFromHalfBits(halfBits(from: w.map(abs).max()! / 127))
        let q = w.map { Int8(max(-127, min(127, ($0 * (1 / d)).rounded(.toNearestOrEven)))) }
        let back = q.map { Float($0) * d }
        var table = Table(["position", "weight w", "int8 q", "q·d", "error"], alignments: [.right, .right, .right, .right, .right])
        for p in 0..<8 {
            table.append([String(p), formatFixed(w[p], decimals: 5), String(q[p]), formatFixed(back[p], decimals: 5),
                          formatFixed(abs(w[p] - back[p]), decimals: 6)])
        }
        table.append(["…", "", "", "", ""])
        notebook.table(table)
        let largestError = zip(w, back).map { abs($0 - $1) }.max()!
        let kernel = try! Q8Matrix(quantizing: Tensor(shape: [1, row.count], scalars: row), layout: .outputsByInputs, name: embeddingName)
        notebook.values([
            ("max |w|", formatFixed(w.map(abs).max()!, decimals: 5)),
            ("scale d", formatFixed(d, decimals: 7) + " (float16)"),
            ("largest error", formatFixed(largestError, decimals: 7) + ", bound d/2 = " + formatFixed(d / 2, decimals: 7)),
            ("bytes", "32 int8 + 2 for the scale = 34, instead of 32 × 4 = 128 in float32 (3.76× smaller)"),
        ])
        notebook.checks([
            (Array(kernel.values(ofRow: 0).prefix(32)) == q && kernel.scales(ofRow: 0)[0] == d,
             "the kernel's Q8Matrix holds the same 32 int8 values and the same scale for this block"),
            (largestError <= d / 2 * (1 + 1e-6), "every weight is within d/2 of its int8 value times d"),
        ])

        // The int8 dot product: both sides quantized per block, int32 sums, two scales per block.
        var generator = SeededGenerator(seed: 71)
        let x = Tensor.randomNormal([model.config.width], using: &generator).scalars
        let (xq, xd) = quantizeActivations(x)
        let wq = kernel.values(ofRow: 0), wd = kernel.scales(ofRow: 0)
        var sum: Float = 0
        for b in 0..<kernel.blocksPerRow {
            var dot: Int32 = 0
            for p in (b * 32)..<((b + 1) * 32) { dot += Int32(wq[p]) * Int32(xq[p]) }
            sum = sum.addingProduct(Float(dot), wd[b] * xd[b])
        }
        let exact = zip(row, x).reduce(Double(0)) { $0 + Double($1.0) * Double($1.1) }
        let naive = q8MatrixVectorProductNaive(kernel, x)[0]
        let fast = q8MatrixVectorProduct(kernel, x)[0]
        if explaining {
            notebook.prose("""
                The product with an input x quantizes x the same way, per block of 32 (its scales \
                stay Float). Each block's dot product is then a sum of int8 × int8 products in int32, \
                exact, and the two scales are applied once per block: \
                y = Σ_b (Σ_p q_w[p]·q_x[p]) · d_w[b] · d_x[b]. The int8 products are what SIMD units do \
                fastest, 32 of them per instruction or two, and the weights are read at a quarter of \
                float32's bytes. Decoding reads every weight once per token, so it runs at the speed of \
                memory: fewer bytes, more tokens per second.
                """)
            notebook.code("""
                for b in 0..<blocks {
                    var dot: Int32 = 0
                    for p in (b * 32)..<((b + 1) * 32) { dot += Int32(wq[p]) * Int32(xq[p]) }
                    y = y.addingProduct(Float(dot), wd[b] * xd[b])
                }
                """)
        }
        notebook.values([
            ("int8, by hand", formatFixed(sum, decimals: 6)),
            ("kernel (naive, SIMD)", formatFixed(naive, decimals: 6) + ", " + formatFixed(fast, decimals: 6)),
            ("float32 (exact, in Double)", formatFixed(exact, decimals: 6)),
        ])
        notebook.checks([
            (sum == naive && naive == fast, "the hand-written int8 product equals the kernel's naive twin and its SIMD product exactly"),
            (abs(Double(sum) - exact) < 0.01 * max(1, abs(exact)), "and the float32 product within 1% (the error of \(model.config.width) rounded weights and inputs)"),
        ])
    }

    /// One model's float32 and Q8_0 figures.
    struct QuantizedRow {
        var floatBytes: Int, quantizedBytes: Int
        var floatPerplexity: Double, quantizedPerplexity: Double, agreement: Double, positions: Int
        var floatDecode: Double, quantizedDecode: Double, floatPrompt: Double, quantizedPrompt: Double
    }

    func quantizedMeasured(_ subjects: [Subject]) -> [QuantizedRow] {
        notebook.prose("""
            The kernel quantizes every weight matrix a token passes through (attention and MLP \
            projections, the embedding and the head) and keeps the small vectors in float32 (norms, \
            biases, positions). Then both models read the same held-out stories: perplexity is \
            e^(mean cross-entropy) over every token, agreement the share of positions where both \
            pick the same most likely next token. Speeds are greedy generation after a \
            \(promptLength(subjects[0].model))-token prompt, median of \(sizes.timedRuns) run\(sizes.timedRuns == 1 ? "" : "s").
            """)
        notebook.code("""
            let small = try model.quantized()          // Q8Matrix for every weight matrix
            small.weightBytes                           // ≈ 0.27 × model.weightBytes
            """)
        var rows: [QuantizedRow] = []
        for subject in subjects {
            let quantized = try! subject.model.quantized()
            let tokens = subject.isKit ? sizes.heldOutTokens : sizes.heldOutTokens / 8
            let ids = Array(subject.tokenizer.encode(Self.heldOutStories).prefix(tokens + 1))
            let window = min(subject.model.config.contextLength, 256)
            let quality = QuantizationComparison(reference: subject.model, quantized: quantized, tokens: ids, window: window)
            let prompt = Array(ids.prefix(promptLength(subject.model)))
            let (floatPrompt, floatDecode) = speeds(subject.model, prompt: prompt)
            let (quantizedPrompt, quantizedDecode) = speeds(quantized, prompt: prompt)
            rows.append(QuantizedRow(floatBytes: subject.model.weightBytes, quantizedBytes: quantized.weightBytes,
                                     floatPerplexity: exp(quality.floatLoss), quantizedPerplexity: exp(quality.quantizedLoss),
                                     agreement: quality.agreement, positions: quality.positions,
                                     floatDecode: floatDecode, quantizedDecode: quantizedDecode,
                                     floatPrompt: floatPrompt, quantizedPrompt: quantizedPrompt))
            let row = rows.last!
            var table = Table(["\(subject.name)", "float32", "Q8_0", "Q8_0 vs float32"], alignments: [.left, .right, .right, .right])
            table.append(["weights", formatFixed(Double(row.floatBytes) / 1e6, decimals: 1) + " MB",
                          formatFixed(Double(row.quantizedBytes) / 1e6, decimals: 1) + " MB",
                          formatFixed(Double(row.floatBytes) / Double(row.quantizedBytes), decimals: 2) + "× smaller"])
            table.append(["decoding", notebook.measured(grouped(Int(row.floatDecode))) + " tok/s",
                          notebook.measured(grouped(Int(row.quantizedDecode))) + " tok/s", notebook.speedup(row.quantizedDecode / row.floatDecode)])
            table.append(["prompt", notebook.measured(grouped(Int(row.floatPrompt))) + " tok/s",
                          notebook.measured(grouped(Int(row.quantizedPrompt))) + " tok/s", notebook.speedup(row.quantizedPrompt / row.floatPrompt)])
            table.append(["perplexity", formatFixed(row.floatPerplexity, decimals: 4), formatFixed(row.quantizedPerplexity, decimals: 4),
                          formatSigned((row.quantizedPerplexity / row.floatPerplexity - 1) * 100, decimals: 3) + "%"])
            table.append(["top-1 agreement", "", "", formatFixed(row.agreement * 100, decimals: 2) + "% of " + grouped(row.positions)])
            notebook.table(table)
            notebook.check(abs(row.quantizedPerplexity / row.floatPerplexity - 1) < 0.005,
                           "\(subject.name): the perplexity with int8 weights is within 0.5% of float32's")
        }
        notebook.prose("""
            The weights shrink to about a quarter (the scales and the float32 vectors keep it \
            above 4×), and the quality barely moves: llama.cpp reports +0.0026 perplexity for \
            Q8_0 on Llama-3-8B. Decoding speeds up most where the weights are large against the \
            caches; a 4 M-parameter model fits in cache in both forms, so for it the gain is \
            smaller than for a 110 M-parameter one (the README's table measures stories110M: 2.9× \
            on one thread). `lab quantize MODEL --output DIR` writes the quantized folder; \
            `lab eval --quantize q8` and `lab bench model --quantize q8` measure any model.
            """)
        return rows
    }

    /// Tokens of the timed prompt: 128, or half the context of a model with a shorter one.
    func promptLength(_ model: TransformerModel) -> Int { min(128, model.config.contextLength / 2) }

    /// Prompt and decoding tokens per second of greedy generation after `prompt`, medians.
    private func speeds(_ model: TransformerModel, prompt: [Int]) -> (prompt: Double, decode: Double) {
        var prompts: [Double] = [], decodes: [Double] = []
        for _ in 0..<sizes.timedRuns {
            let result = try! TextGenerator(model: model).generate(promptIDs: prompt, sampling: SamplingSettings(temperature: 0),
                                                                   stop: StopConditions(maxTokens: min(sizes.decodedTokens, model.config.contextLength - prompt.count)))
            prompts.append(result.timings.promptTokensPerSecond)
            decodes.append(result.timings.generationTokensPerSecond)
        }
        return (prompts.sorted()[prompts.count / 2], decodes.sorted()[decodes.count / 2])
    }
}
