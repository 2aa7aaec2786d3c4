// The shapes of a few published open models, from their config.json files on the Hugging Face Hub.
//
// Lessons count their parameters (lesson 04), LoRA's share of them (lesson 06) and `lab bench
// train` times a step at their shape with random weights; none of this needs the weights. The
// configs are written out here rather than downloaded, so everything that uses them runs offline.
// Left out: context-length extensions (rope_scaling) and anything else a shape count does not use.

extension TransformerConfig {
    /// GPT-2 small (openai-community/gpt2): 12 blocks of width 768, 12 heads, 50,257 tokens, 1,024
    /// positions, tied embeddings; 124M parameters.
    public static let gpt2Small = TransformerConfig(architecture: .gpt2, vocabularySize: 50257, contextLength: 1024, width: 768,
                                                    layers: 12, heads: 12)

    /// SmolLM2-135M (HuggingFaceTB/SmolLM2-135M): a Llama of 30 blocks, width 576, 9 heads with 3
    /// KV heads, feed-forward 1,536, 49,152 tokens, RMSNorm eps 1e-5, rope_theta 100,000, tied
    /// embeddings, 8,192 positions; 134.5M parameters.
    public static let smolLM2_135M = TransformerConfig.llamaFamily(vocabularySize: 49152, contextLength: 8192, width: 576, layers: 30,
                                                                   heads: 9, kvHeads: 3, feedForwardWidth: 1536, normEpsilon: 1e-5,
                                                                   ropeTheta: 100_000, tiedEmbeddings: true)

    /// Llama-2-7B (meta-llama/Llama-2-7b-hf): 32 blocks, width 4,096, 32 heads (no grouping),
    /// feed-forward 11,008, 32,000 tokens, RMSNorm eps 1e-5, 4,096 positions, an untied head; 6.7B parameters.
    public static let llama2_7B = TransformerConfig.llamaFamily(vocabularySize: 32000, contextLength: 4096, width: 4096, layers: 32,
                                                                heads: 32, kvHeads: 32, feedForwardWidth: 11008, normEpsilon: 1e-5,
                                                                ropeTheta: 10_000, tiedEmbeddings: false)
}
