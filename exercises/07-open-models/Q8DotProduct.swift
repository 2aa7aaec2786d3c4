// Exercise 07.2 (open-models.q8-dot-product): an int8 dot product with one scale per block of 32. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter Q8DotProductTests

import LabExercise

/// The dot product of a row of Q8_0 weights with a Q8_0-quantized input, block by block.
///
/// Both sides are stored in blocks of 32: int8 values and one Float scale per block. Within a
/// block the products of int8 values are summed exactly in Int32 (what SIMD units do fastest);
/// the block's sum is then scaled once, by the weight block's scale times the input block's:
///
///     y = Σ_b Float(Σ_p w[b·32 + p] · x[b·32 + p]) · (weightScales[b] · inputScales[b])
///
/// Add the blocks in order, b = 0, 1, …, as the kernel does (it uses
/// `sum.addingProduct(Float(dot), weightScales[b] * inputScales[b])`, one fused multiply-add
/// per block; the tests allow the tiny difference a plain `+=` makes).
///
/// - Parameters:
///   - weights, inputs: the int8 values, 32 per block, the same count (a multiple of 32).
///   - weightScales, inputScales: one scale per block (count / 32 each).
/// - Returns: the dot product as a Float.
///
///     // one block: weights [2, -1, 0, …], inputs [3, 4, 0, …]: Int32 dot 2·3 − 1·4 = 2
///     q8Dot(weights: [2, -1] + zeros30, weightScales: [0.5], inputs: [3, 4] + zeros30, inputScales: [0.25])   // 0.25
public func q8Dot(weights: [Int8], weightScales: [Float], inputs: [Int8], inputScales: [Float]) -> Float {
    // TODO: for each block b, an Int32 sum of Int32(weights[i]) * Int32(inputs[i]); add Float(sum) · weightScales[b] · inputScales[b].
    return todo(Float(0))
}
