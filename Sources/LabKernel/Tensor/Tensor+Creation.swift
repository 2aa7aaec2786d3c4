// Creating tensors: constants, ranges and seeded random values.

extension Tensor {
    /// A tensor of the given shape filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// All zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

    /// All ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// `0, 1, 2, …, count-1` as a 1-D tensor, shape `(count)`.
    public static func arange(_ count: Int) -> Tensor {
        Tensor(shape: [count], scalars: (0..<count).map(Float.init))
    }

    /// Samples from a normal distribution with the given mean and standard deviation.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                    using generator: inout SeededGenerator) -> Tensor {
        let count = shape.reduce(1, *)
        var scalars = [Float](repeating: 0, count: count)
        for i in 0..<count { scalars[i] = mean + standardDeviation * generator.nextNormal() }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// Samples uniformly from `[low, high)`.
    public static func randomUniform(_ shape: [Int], in range: Range<Float> = 0..<1,
                                     using generator: inout SeededGenerator) -> Tensor {
        let count = shape.reduce(1, *)
        var scalars = [Float](repeating: 0, count: count)
        for i in 0..<count { scalars[i] = generator.nextFloat(in: range) }
        return Tensor(shape: shape, scalars: scalars)
    }
}
