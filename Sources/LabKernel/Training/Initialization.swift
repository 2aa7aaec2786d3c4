// Initial weights for training from scratch, as GPT-2 and nanoGPT start.
//
// Every weight matrix and embedding is drawn from a normal distribution with standard deviation
// 0.02; norm gains start at 1 and biases at 0, so each block begins close to the identity on the
// residual stream. The two projections that write into the residual stream in each block (the
// attention's output and the MLP's down projection) get 0.02/√(2L) instead: a sum of 2L such
// contributions then has the variance of one, so a deep stack does not start with exploding
// activations (GPT-2 paper, section 2.3). `TransformerModel.random` is the tests' variant, with
// noise on gains and biases so that every parameter matters. Left out: μP and other scalings.

extension TransformerModel {
    /// Weights to train from: N(0, 0.02) matrices, N(0, 0.02/√(2L)) residual projections, norm
    /// gains 1, biases 0; reproducible from `seed`.
    public static func initializedForTraining(config: TransformerConfig, seed: UInt64) -> TransformerModel {
        var generator = SeededGenerator(seed: seed)
        let names = ModelNames(config: config)
        let residualProjections = Set(names.layers.flatMap { [$0.output, $0.down] })
        let scaled = 0.02 / Float(2 * config.layers).squareRoot()
        var tensors: [String: Tensor] = [:]
        for (name, shape) in names.expectedShapes {
            if shape.count >= 2 {
                let deviation = residualProjections.contains(name) ? scaled : 0.02
                tensors[name] = Tensor.randomNormal(shape, standardDeviation: deviation, using: &generator)
            } else {
                let isGain = name.hasSuffix("weight")  // norm gains; every 1-D "bias" starts at 0
                tensors[name] = isGain ? Tensor.ones(shape) : Tensor.zeros(shape)
            }
        }
        return try! TransformerModel(config: config, tensors: tensors)  // shapes come from the config
    }
}
