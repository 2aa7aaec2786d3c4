// Exercise 07.1 (open-models.quantize-block): one block of 32 numbers in Q8_0, the format of llama.cpp. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter QuantizeBlockTests

import LabExercise

/// One block of 32 numbers in Q8_0: a Float scale and 32 int8 values.
///
/// Q8_0 (llama.cpp's format, and the kernel's) keeps each block of 32 weights as one scale
/// d = max|x| / 127 and the values q = round(x / d), clamped to -127...127, so the largest
/// number of the block becomes ±127 and reading back q·d is off by at most d/2. Compute it
/// exactly as the kernel does, so the tests can compare to the bit:
/// - d = max|x| / 127 in Float (the kernel then rounds weights' scales to float16; activations,
///   and this exercise, keep the Float);
/// - multiply by the inverse, x · (1 / d), and round to nearest with ties to even
///   (`.rounded(.toNearestOrEven)`), then clamp to -127...127;
/// - a block of zeros has d = 0 and every value 0 (never divide by zero).
///
/// - Parameter x: exactly 32 numbers.
/// - Returns: the scale d and the 32 int8 values.
///
///     // max|x| = 2.54, so d = 0.02 (up to Float rounding): 1 → 50, -2.54 → -127, 0.1 → 5
///     quantizeBlock([1, -2.54, 0.1] + [Float](repeating: 0, count: 29))
///     // (scale: 0.02, values: [50, -127, 5, 0, 0, …])
public func quantizeBlock(_ x: [Float]) -> (scale: Float, values: [Int8]) {
    // TODO: d = max|x| / 127; each value round(x · (1 / d)) clamped to -127...127 (all zero when d is 0).
    return todo((scale: Float(0), values: [Int8](repeating: 0, count: x.count)))
}
