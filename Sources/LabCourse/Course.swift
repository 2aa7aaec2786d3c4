// The course registry: every lesson and every exercise, in the order a student meets them.
//
// This is the ONE list that the checker (`lab check`, `lab list`, `lab hint`), the README's course
// map and the tests agree on. Package.swift keeps its own short list of exercise files (a manifest
// cannot import our modules); Tests/LabKernelTests/CourseRegistryTests.swift fails when the two
// disagree, or when a file named here is missing. To add an exercise: write the stub, the solution
// and the test class, then add one line here and one in Package.swift's `exercises`.
//
// Left out: progress, results and grading, which belong to the checker.

/// The course: lessons and exercises in order.
public enum Course {
    // MARK: - Lessons

    /// 00: tensors, naive vs blocked matmul, a tiny autograd.
    public static let tensors = Lesson(
        number: 0, folder: "00-tensors", executable: "tensors",
        title: "Tensors, matmul and a tiny autograd",
        buildsFromScratch: "tensors, naive vs blocked matmul, a tiny autograd (micrograd-style)",
        usesFromKernel: ["Tensor", "Math", "Autograd"], status: .done)

    /// 01: from text to token ids and back.
    public static let tokenization = Lesson(
        number: 1, folder: "01-tokenization", executable: "tokenization",
        title: "Tokenization",
        buildsFromScratch: "UTF-8 bytes, BPE training, encode/decode, the GPT-2 pre-tokenizer, "
            + "special tokens, loading a real vocabulary",
        usesFromKernel: ["Tokenizer", "Formats"], isCore: true, status: .done)

    /// 02: the simplest models that predict the next token.
    public static let languageModels = Lesson(
        number: 2, folder: "02-language-models", executable: "language-models",
        title: "Language models",
        buildsFromScratch: "bigram counts, sampling from counts, cross-entropy and perplexity, a neural bigram, "
            + "an MLP on a context window, overfitting, training a small transformer; the kit's own model",
        usesFromKernel: ["Tensor", "Autograd", "Training"], status: .done)

    /// 03: attention, from one head to a KV cache.
    public static let attention = Lesson(
        number: 3, folder: "03-attention", executable: "attention",
        title: "Attention",
        buildsFromScratch: "dot-product attention, scaling, the causal mask, multi-head, positions "
            + "(learned, RoPE), the KV cache; attention heatmaps",
        usesFromKernel: ["Model"], isCore: true, status: .done)

    /// 04: the transformer block and whole models.
    public static let transformer = Lesson(
        number: 4, folder: "04-transformer", executable: "transformer",
        title: "The transformer",
        buildsFromScratch: "the block (norm, attention, MLP, residual), parameter and FLOP counts, GPT-2 and Llama "
            + "variants checked layer by layer, loading open weights",
        usesFromKernel: ["Model", "Formats"], status: .done)

    /// 05: turning logits into text.
    public static let sampling = Lesson(
        number: 5, folder: "05-sampling", executable: "sampling",
        title: "Sampling",
        buildsFromScratch: "greedy, temperature, top-k, top-p, min-p, repetition penalty, seeds, "
            + "streaming; pictures of the distribution",
        usesFromKernel: ["Sampling"], isCore: true, status: .done)

    /// 06: adapting a trained model to a new domain.
    public static let finetuning = Lesson(
        number: 6, folder: "06-finetuning", executable: "finetuning",
        title: "Fine-tuning",
        buildsFromScratch: "full fine-tuning vs LoRA on a new domain, the instruction format, "
            + "before/after evaluation, merging and exporting",
        usesFromKernel: ["Training", "Formats"], isCore: true, status: .done)

    /// 07: running and inspecting a real downloaded model.
    public static let openModels = Lesson(
        number: 7, folder: "07-open-models", executable: "open-models",
        title: "Open models",
        buildsFromScratch: "running a real downloaded open model, quantization, looking inside "
            + "(logit lens, attention, bias probes)",
        usesFromKernel: ["Tokenizer", "Model", "Quantization", "Training", "Formats"], status: .done)

    /// Every lesson, in course order (numbers 0, 1, 2, … without gaps).
    public static let lessons: [Lesson] = [
        tensors, tokenization, languageModels, attention, transformer, sampling, finetuning, openModels,
    ]

    // MARK: - Exercises

    /// Every exercise, in the order a student should do them: by lesson, then as listed.
    public static let exercises: [Exercise] = [
        Exercise(
            lesson: tensors, name: "DotProduct", id: "tensors.dot-product",
            title: "Dot product",
            hint: "Walk both arrays with one index and keep a running total of the products. "
                + "Two empty vectors have nothing to add up, so their dot product is 0."),
        Exercise(
            lesson: tensors, name: "MatmulNaive", id: "tensors.matmul-naive",
            title: "Matrix multiply with three loops",
            hint: "Each C[i, j] is the dot product of row i of A with column j of B. "
                + "In row-major storage, element (r, c) of a matrix with W columns sits at index r * W + c."),
        Exercise(
            lesson: tensors, name: "Softmax", id: "tensors.softmax",
            title: "Numerically stable softmax",
            hint: "Subtracting the same number from every logit does not change the softmax, because "
                + "the common factor cancels between numerator and denominator. Which number keeps "
                + "every exponent at or below zero, so that exp never overflows?"),
        Exercise(
            lesson: tensors, name: "ReLUBackward", id: "tensors.relu-backward",
            title: "ReLU backward",
            hint: "Ask how much relu(x) moves when x moves a little, separately where x is positive "
                + "and where it is not. The chain rule multiplies that local slope by the upstream "
                + "gradient, element by element."),
        Exercise(
            lesson: tensors, name: "MatmulBackward", id: "tensors.matmul-backward",
            title: "Matmul backward",
            hint: "Write C[i, j] = Σ_k A[i, k]·B[k, j] and ask which entries of C a single A[i, k] "
                + "contributes to. Then let the shapes guide you: dL/dA must have A's shape (M, K), "
                + "and only one way of multiplying dL/dC (M, N) with B or Bᵀ gives that."),
        Exercise(
            lesson: tokenization, name: "UTF8Bytes", id: "tokenization.utf8-bytes",
            title: "Text to UTF-8 bytes",
            hint: "Decide the number of bytes from scalar.value first (below 0x80, 0x800, 0x10000, or more). "
                + "Then fill the bytes from the last to the first, each continuation byte taking the lowest "
                + "6 bits that are left (0x80 | (value & 0x3F), then value >> 6)."),
        Exercise(
            lesson: tokenization, name: "PairCounts", id: "tokenization.pair-counts",
            title: "Counting adjacent pairs",
            hint: "Loop over the indices i from 0 to tokens.count - 2 and count TokenPair(tokens[i], tokens[i + 1]). "
                + "Guard the range: with fewer than two tokens there is nothing to count."),
        Exercise(
            lesson: tokenization, name: "MergePair", id: "tokenization.merge-pair",
            title: "Merging one pair",
            hint: "Use a while loop with an index you move yourself: when tokens[i] and tokens[i + 1] are the "
                + "pair, append the new token and jump by 2, otherwise copy tokens[i] and step by 1. "
                + "Check that i + 1 is still inside the array before you read it."),
        Exercise(
            lesson: tokenization, name: "TrainBPE", id: "tokenization.train-bpe",
            title: "Training BPE from scratch",
            hint: "Keep three things: each distinct piece as an array of ids with its count, the merges so far, "
                + "and the bytes of every token (the 256 bytes plus one entry per merge) for the tie rule. "
                + "Each round: count pairs weighted by the piece counts, pick the best pair, record it, and "
                + "rewrite every piece with the MergePair loop."),
        Exercise(
            lesson: tokenization, name: "EncodeWithMerges", id: "tokenization.encode-with-merges",
            title: "Encoding with a merge list",
            hint: "Build a dictionary from each merge's pair to its rank r once. For each piece, start from its "
                + "bytes and repeat: among the adjacent pairs found in the dictionary take the one with the "
                + "smallest rank, replace it by 256 + r, and stop when no adjacent pair is in the dictionary."),
        Exercise(
            lesson: tokenization, name: "DecodeTokens", id: "tokenization.decode-tokens",
            title: "Decoding, all at once and streaming",
            hint: "For decode, collect all the bytes first and call String(decoding:as:) once. For streaming, keep "
                + "a buffer: after each id, look at its last three bytes for a lead byte that still waits for "
                + "continuation bytes, decode everything before it, and keep the rest for the next id."),
        Exercise(
            lesson: languageModels, name: "BigramProbabilities", id: "language-models.bigram-probabilities",
            title: "Bigram probabilities from counts",
            hint: "zip(ids, ids.dropFirst()) gives every adjacent pair (current, next): add 1 to counts[current][next]. "
                + "Then add k to every cell of a row, divide the row by its new total, and fall back to 1/V "
                + "where that total is 0."),
        Exercise(
            lesson: languageModels, name: "CrossEntropyLoss", id: "language-models.cross-entropy-loss",
            title: "Cross-entropy and perplexity",
            hint: "For each row that is not ignored, take its largest logit m, add up exp(z_j − m) in Double, and add "
                + "(m − z[target]) + log(sum) to a running total. Divide by the number of rows you counted (with none, "
                + "0 / 0 gives the NaN you want); perplexity is exp of the loss."),
        Exercise(
            lesson: languageModels, name: "CrossEntropyGradient", id: "language-models.cross-entropy-gradient",
            title: "The gradient of cross-entropy",
            hint: "Count the rows that are not ignored first, because every counted row is divided by that number. "
                + "For such a row take its softmax (largest logit subtracted), subtract 1 at the target and divide; "
                + "ignored rows stay zero."),
        Exercise(
            lesson: languageModels, name: "AdamWStep", id: "language-models.adamw-step",
            title: "One AdamW step",
            hint: "Increase moments.step first, then compute 1 − pow(β₁, t) and 1 − pow(β₂, t) in Double. For each "
                + "weight, in this order: shrink p by (1 − lr·λ), update m and v from g, and only then take the "
                + "bias-corrected step."),
        Exercise(
            lesson: languageModels, name: "TrainNeuralBigram", id: "language-models.train-neural-bigram",
            title: "Training a neural bigram",
            hint: "Make the Variable, the AdamW optimizer and the SeededGenerator once, before the loop. Each step draws "
                + "all `batch` positions first, then runs embedding, crossEntropy, zeroGrad, backward and step, and "
                + "appends loss.value.item."),
        Exercise(
            lesson: attention, name: "AttentionScores", id: "attention.attention-scores",
            title: "Scaled dot-product scores",
            hint: "Make a (T, S) tensor of zeros, then for every query row t and key row j add up "
                + "query[t, i] * keys[j, i] over i. Multiply each sum by 1 / √D, where D is the number "
                + "of columns, not the number of keys."),
        Exercise(
            lesson: attention, name: "CausalSoftmax", id: "attention.causal-softmax",
            title: "The causal mask and softmax",
            hint: "Row t may see columns 0 through S − T + t; start from a tensor of zeros so the rest stay 0. "
                + "For the visible part take the largest score first, then exp(score − largest), and divide "
                + "each by their sum."),
        Exercise(
            lesson: attention, name: "SplitHeads", id: "attention.split-heads",
            title: "Splitting and merging heads",
            hint: "With D = width / H, element [t, h·D + i] of the input goes to [h, t, i] of the output. "
                + "Three loops over h, t and i with Tensor's subscripts do it; merging is the same loops "
                + "with the assignment turned around."),
        Exercise(
            lesson: attention, name: "RotaryEmbedding", id: "attention.rotary-embedding",
            title: "Rotary position embeddings (RoPE)",
            hint: "For row t the position is startPosition + t. For each pair index i below D/2, the angle "
                + "is position · pow(theta, −2i/D); rotate (x[h·D + i], x[h·D + i + D/2]) by it in every "
                + "head h, reading both old values before you write either new one."),
        Exercise(
            lesson: attention, name: "DecodeStepWithCache", id: "attention.decode-step-with-cache",
            title: "One decoding step with a KV cache",
            hint: "Append first, so the new token sees itself. Row j of the cache starts at j · rowWidth, and "
                + "query head h uses the D numbers of key/value head shape.kvHead(for: h) inside that row. "
                + "Per head it is the single-query attention of AttentionScores and CausalSoftmax."),
        Exercise(
            lesson: transformer, name: "LayerNorm", id: "transformer.layer-norm",
            title: "LayerNorm",
            hint: "Per row t: mean = Σ x[t, i] / C, then variance = Σ (x[t, i] − mean)² / C (divide by C, not C − 1), "
                + "both summed in Double. Each output is (x[t, i] − mean) / sqrt(variance + ε) · gain[i] + bias[i]: "
                + "ε inside the square root."),
        Exercise(
            lesson: transformer, name: "RMSNorm", id: "transformer.rms-norm",
            title: "RMSNorm",
            hint: "Per row: the mean of the squares, Σ x[t, i]² / C; then every element is x[t, i] / sqrt(that + ε) · gain[i]. "
                + "Nothing is subtracted and there is no bias."),
        Exercise(
            lesson: transformer, name: "GELUMLP", id: "transformer.gelu-mlp",
            title: "GPT-2's MLP",
            hint: "Conv1D weights are (in, out), so a layer is matmul(x, W) + b, with no transpose; `+` adds a bias "
                + "vector to every row. Apply GELU with `map` on the (T, F) hidden tensor: 0.5·v·(1 + tanh(0.7978845608·(v + 0.044715·v³)))."),
        Exercise(
            lesson: transformer, name: "SwiGLU", id: "transformer.swiglu",
            title: "Llama's SwiGLU MLP",
            hint: "nn.Linear weights are (out, in): a layer is matmul(x, transposed: W). Compute g = x·gateᵀ and u = x·upᵀ, "
                + "both (T, F); apply silu(v) = v / (1 + exp(−v)) to g only, multiply g ⊙ u with `*`, then ·downᵀ."),
        Exercise(
            lesson: transformer, name: "BlockForward", id: "transformer.block-forward",
            title: "A pre-norm block",
            hint: "Two lines. First r = x + attention(attentionNorm(x)); then return r + mlp(mlpNorm(r)). The norms "
                + "only prepare the sublayers' inputs; the residual stream itself is never normalized."),
        Exercise(
            lesson: sampling, name: "SoftmaxWithTemperature", id: "sampling.softmax-with-temperature",
            title: "Softmax with a temperature",
            hint: "Divide every logit by the temperature first; then it is exercise 00.3's softmax: subtract the "
                + "largest scaled value, exponentiate, divide by the sum. exp(-infinity) is exactly 0, so removed "
                + "tokens need no special case."),
        Exercise(
            lesson: sampling, name: "TopK", id: "sampling.top-k",
            title: "Top-k filtering",
            hint: "logits.sorted(by: >)[k - 1] is the k-th largest value, repeats counted. Keep every logit that is "
                + "not strictly below it (that keeps ties) and put -infinity everywhere else. Return early when k ≥ V."),
        Exercise(
            lesson: sampling, name: "TopP", id: "sampling.top-p",
            title: "Top-p (nucleus) filtering",
            hint: "Sort the ids, not the logits: indices.sorted { larger logit first, lower id first among equals }. "
                + "Walk that ranking with a running sum of the probabilities and decide for each token before "
                + "adding its own probability: keep it if it is the first one or if the sum so far is below p."),
        Exercise(
            lesson: sampling, name: "MinP", id: "sampling.min-p",
            title: "Min-p filtering",
            hint: "Compute the probabilities with a stable softmax, take their maximum, and compare each probability "
                + "with minP times that maximum: strictly below means -infinity, anything else keeps its logit."),
        Exercise(
            lesson: sampling, name: "SampleIndex", id: "sampling.sample-index",
            title: "Drawing a token with one uniform number",
            hint: "Keep a running sum in Double. Skip tokens whose probability is 0, add each other probability and "
                + "return the id as soon as uniform < sum. Remember the last id you added, for the case where the "
                + "loop ends without returning."),
        Exercise(
            lesson: sampling, name: "RepetitionPenalty", id: "sampling.repetition-penalty",
            title: "The repetition penalty",
            hint: "Set(previousTokens) visits each id once. Skip ids outside logits.indices; for the others, a "
                + "negative logit is multiplied by the penalty and any other logit divided by it."),
        Exercise(
            lesson: finetuning, name: "LoRAForward", id: "finetuning.lora-forward",
            title: "The LoRA forward pass",
            hint: "A·x first (a loop over r, each a dot product with a row of A), then for each output the dot product "
                + "of W's row with x plus scale times the dot product of B's row with A·x."),
        Exercise(
            lesson: finetuning, name: "LoRAParameterCount", id: "finetuning.lora-parameter-count",
            title: "Counting LoRA's trainable parameters",
            hint: "Put the seven shapes in a dictionary from name to (in, out). Go over Set(targets) so repeats count "
                + "once, add r·(in + out) for each known name, and multiply the per-block total by the number of "
                + "layers."),
        Exercise(
            lesson: finetuning, name: "MergeAdapter", id: "finetuning.merge-adapter",
            title: "Merging an adapter into its weight",
            hint: "Two loops over o and i compute (B·A)[o, i] = Σ_k b[o·r + k]·a[k·in + i]. The only difference between "
                + "the layouts is where (o, i) lives: o·in + i for (out, in), i·out + o for Conv1D's (in, out)."),
        Exercise(
            lesson: finetuning, name: "LossMask", id: "finetuning.loss-mask",
            title: "The loss mask of an instruction example",
            hint: "Build sequence = prompt + response + [endOfText]; inputs drop its last element. Position t predicts "
                + "sequence[t + 1], which belongs to the prompt exactly when t + 1 < prompt.count: that is where −100 "
                + "goes."),
        Exercise(
            lesson: finetuning, name: "AlpacaPrompt", id: "finetuning.alpaca-prompt",
            title: "Alpaca's prompt template",
            hint: "Two cases on input.isEmpty. Each section is a header line ending in \\n, its text, and \\n\\n; the "
                + "preamble sentence ends with \\n\\n too, and the whole prompt ends with \"### Response:\\n\"."),
        Exercise(
            lesson: openModels, name: "QuantizeBlock", id: "open-models.quantize-block",
            title: "One block of 32 numbers in Q8_0",
            hint: "One pass for the largest |x|, then scale = maximum / 127 and inverse = scale > 0 ? 1 / scale : 0. Each "
                + "value is Int8(max(-127, min(127, (x * inverse).rounded(.toNearestOrEven)))): multiplying by the inverse, "
                + "not dividing, is what makes the values match the kernel's to the bit."),
        Exercise(
            lesson: openModels, name: "Q8DotProduct", id: "open-models.q8-dot-product",
            title: "An int8 dot product with one scale per block",
            hint: "Loop over the blocks b in 0..<weightScales.count. Inside, an Int32 accumulator over the 32 indices "
                + "b * 32 ..< (b + 1) * 32, each term Int32(weights[i]) * Int32(inputs[i]) (Int8 · Int8 would overflow). "
                + "Then sum = sum.addingProduct(Float(dot), weightScales[b] * inputScales[b])."),
        Exercise(
            lesson: openModels, name: "LogitLensRow", id: "open-models.logit-lens-row",
            title: "The logit lens for one position",
            hint: "Mean, then the variance as the mean of squared differences (divide by C, not C − 1). Normalize with "
                + "1 / sqrt(variance + epsilon), times gain plus bias. The head has head.count / C rows: logit v is the dot "
                + "product of row v (head[v * C ..< (v + 1) * C]) with the normalized state."),
        Exercise(
            lesson: openModels, name: "PairScore", id: "open-models.pair-score",
            title: "A sentence's log-likelihood and the pair score",
            hint: "For each row: m = row.max(), s = Σ exp(Double(v) − m), and add Double(row[token]) − m − log(s). "
                + "pairScore is sentenceLogLikelihood of a minus that of b."),
    ]

    // MARK: - Lookup

    /// The lesson with this number, or nil.
    public static func lesson(number: Int) -> Lesson? {
        lessons.first { $0.number == number }
    }

    /// The exercise with this id (`"tensors.softmax"`), or nil.
    public static func exercise(id: String) -> Exercise? {
        exercises.first { $0.id == id }
    }

    /// The exercises of one lesson, in order.
    public static func exercises(inLesson number: Int) -> [Exercise] {
        exercises.filter { $0.lessonNumber == number }
    }
}
