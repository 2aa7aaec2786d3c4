// Solution 00.1 (tensors.dot-product): the dot product as a single loop.

/// The dot product of two vectors: a[0]·b[0] + a[1]·b[1] + … + a[n-1]·b[n-1].
///
/// It measures how much two vectors point the same way: large and positive when they agree,
/// zero when they are perpendicular, negative when they disagree. A matrix multiply is nothing
/// but many dot products, and attention scores a query against every key with one each.
///
/// - Parameters:
///   - a: a vector of N numbers
///   - b: a vector of the same length N
/// - Returns: the sum of the N element-wise products; 0 when N is 0.
///
///     dot([1, 2, 3], [4, 5, 6])   // 1·4 + 2·5 + 3·6 = 32
///     dot([1, 0], [0, 1])         // 0: perpendicular
///     dot([], [])                 // 0: nothing to add up
public func dot(_ a: [Float], _ b: [Float]) -> Float {
    // Vectors of different lengths have no dot product; say so instead of silently stopping at
    // the shorter one.
    precondition(a.count == b.count,
                 "dot: the vectors must have the same length, got \(a.count) and \(b.count)")
    // Starting from 0 makes the empty case come out right with no special code.
    var total: Float = 0
    for i in 0..<a.count {
        total += a[i] * b[i]
    }
    return total
}
