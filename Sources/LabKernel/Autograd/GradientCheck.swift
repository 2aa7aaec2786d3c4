// Gradient checking: testing backward rules against finite differences.
//
// A backward rule is hand-written math, easy to get subtly wrong. The derivative's definition
// gives an independent check: nudge one input element by ±ε, evaluate the loss twice, and
//
//     ∂f/∂x ≈ (f(x + ε) − f(x − ε)) / 2ε
//
// whose error shrinks like ε² (the central difference cancels the ε² term of the Taylor
// series, a one-sided difference only the constant). Too small an ε loses the difference to
// Float rounding of f instead (f is computed in Float, ~7 digits), so ε ≈ 1e-3..1e-2 and
// agreement to ~1e-3 relative is what a correct Float rule achieves. The difference is taken in
// Double, divided by the step actually taken (x ± ε rounded to Float), to add no error of ours.
//
// Costs 2 evaluations of f per input element: meant for small tensors in tests and lessons.
// Left out: checking second derivatives, and kinks (relu at 0) where the check is meaningless.

/// Compares the gradients that `backward()` computes for `inputs` with central finite
/// differences of the scalar `f`.
///
/// `f` must rebuild its result from the inputs' current values on every call (it is called
/// 1 + 2·(number of input elements) times while single elements are nudged). The inputs'
/// values and `grad`s are restored afterwards.
///
///     let w = Variable(Tensor.randomNormal([3, 4], using: &rng), name: "w")
///     let x = Variable(Tensor.randomNormal([2, 3], using: &rng), requiresGrad: false)
///     let result = gradientCheck([w]) { tanh(matmul(x, w)).sum() }
///     print(result)                        // a table of errors per input
///     result.passes(tolerance: 1e-2)       // true
///
/// - Parameters:
///   - inputs: the variables to check, each with requiresGrad
///   - epsilon: the nudge ε
///   - f: computes a one-element loss from the inputs
public func gradientCheck(_ inputs: [Variable], epsilon: Float = 1e-3,
                          _ f: () -> Variable) -> GradientCheckResult {
    precondition(!inputs.isEmpty, "gradientCheck: give at least one input to check")
    precondition(epsilon > 0, "gradientCheck: epsilon must be positive, got \(epsilon)")
    for (i, input) in inputs.enumerated() where !input.requiresGrad {
        preconditionFailure("gradientCheck: input \(i) (\(input.name ?? "unnamed")) has requiresGrad false, so it has no gradient to check")
    }

    // The analytic gradients, from one backward pass on clean gradients.
    let savedGradients = inputs.map(\.grad)
    inputs.forEach { $0.zeroGrad() }
    let loss = f()
    precondition(loss.value.count == 1,
                 "gradientCheck: f must return a one-element loss, got shape \(loss.shape.shapeDescription)")
    loss.backward()
    let analytic = inputs.map { $0.grad ?? Tensor.zeros($0.shape) }  // not reached: zero gradient
    for (input, saved) in zip(inputs, savedGradients) { input.grad = saved }

    // The numeric gradients, one element at a time.
    var reports: [GradientCheckResult.InputReport] = []
    for (i, input) in inputs.enumerated() {
        var numeric = [Float](repeating: 0, count: input.value.count)
        for e in 0..<numeric.count {
            let original = input.value.scalars[e]
            let (plus, minus) = (original + epsilon, original - epsilon)
            input.value.scalars[e] = plus
            let lossPlus = Double(f().value.item)
            input.value.scalars[e] = minus
            let lossMinus = Double(f().value.item)
            input.value.scalars[e] = original
            numeric[e] = Float((lossPlus - lossMinus) / (Double(plus) - Double(minus)))
        }
        reports.append(GradientCheckResult.InputReport(
            name: input.name ?? "input \(i)", shape: input.shape,
            analytic: analytic[i], numeric: Tensor(shape: input.shape, scalars: numeric)))
    }
    return GradientCheckResult(epsilon: epsilon, inputs: reports)
}

/// The outcome of `gradientCheck`: per input, how far the backward pass's gradient is from
/// the finite-difference estimate, and where.
///
/// Two errors are reported for each input. The absolute error is the largest |analytic − numeric|
/// over its elements. The relative error divides that by the size of the input's gradient (the
/// largest |analytic| or |numeric| element), rather than by each element's own size: elements
/// whose gradient is nearly zero have finite differences made mostly of rounding noise, and
/// dividing by them would make any check look bad.
public struct GradientCheckResult: Sendable, CustomStringConvertible {
    /// The comparison for one input.
    public struct InputReport: Sendable {
        /// The input's name, or "input i" for the i-th unnamed one.
        public let name: String
        public let shape: [Int]
        /// The gradient from `backward()`.
        public let analytic: Tensor
        /// The central-difference estimate.
        public let numeric: Tensor
        /// The largest |analytic − numeric| over the elements.
        public let maxAbsoluteError: Float
        /// The flat (row-major) index of the element with that error.
        public let worstElement: Int
        /// `maxAbsoluteError` divided by the largest |analytic| or |numeric| element (0 when
        /// both gradients are zero).
        public let relativeError: Float

        init(name: String, shape: [Int], analytic: Tensor, numeric: Tensor) {
            self.name = name
            self.shape = shape
            self.analytic = analytic
            self.numeric = numeric
            var (worst, worstElement, scale): (Float, Int, Float) = (0, 0, 0)
            for e in 0..<analytic.count {
                let (a, n) = (analytic.scalars[e], numeric.scalars[e])
                scale = max(scale, abs(a), abs(n))
                if abs(a - n) > worst || (abs(a - n)).isNaN { (worst, worstElement) = (abs(a - n), e) }
            }
            self.maxAbsoluteError = worst
            self.worstElement = worstElement
            self.relativeError = scale > 0 ? worst / scale : worst
        }

        /// The worst element as an index, e.g. `[3, 7]`.
        public var worstIndex: [Int] {
            var index: [Int] = []
            var rest = worstElement
            for stride in shape.rowMajorStrides {
                index.append(rest / max(stride, 1))
                rest %= max(stride, 1)
            }
            return index
        }
    }

    /// The nudge ε used.
    public let epsilon: Float
    /// One report per input, in the order given.
    public let inputs: [InputReport]

    /// The largest absolute error over all inputs.
    public var maxAbsoluteError: Float { inputs.map(\.maxAbsoluteError).max() ?? 0 }
    /// The largest relative error over all inputs.
    public var maxRelativeError: Float { inputs.map(\.relativeError).max() ?? 0 }
    /// The input with the largest absolute error.
    public var worstAbsolute: InputReport { inputs.max { $0.maxAbsoluteError < $1.maxAbsoluteError }! }
    /// The input with the largest relative error.
    public var worstRelative: InputReport { inputs.max { $0.relativeError < $1.relativeError }! }

    /// True when every input's relative error is at most `tolerance` (and nothing is NaN).
    /// With Float losses and ε around 1e-3..1e-2, a correct backward rule typically reaches 1e-3.
    public func passes(tolerance: Float) -> Bool {
        inputs.allSatisfy { $0.relativeError <= tolerance }
    }

    /// A table with one line per input, then the worst absolute and relative errors and where.
    /// For a two-layer network (its bias b2 left unnamed) with ε = 1e-3:
    ///
    ///     gradient check: central differences, epsilon 0.0010
    ///     input    shape   max abs error  at      relative error
    ///     w1       [5, 8]  6.31e-05       [0, 4]  8.45e-05
    ///     b1       [8]     5.59e-05       [5]     2.19e-04
    ///     w2       [8, 4]  7.37e-05       [3, 0]  1.97e-04
    ///     input 3  [4]     3.12e-05       [3]     2.37e-04
    ///     worst absolute error 7.37e-05 at w2[3, 0] (analytic -0.284630, numeric -0.284556)
    ///     worst relative error 2.37e-04 (input 3)
    public var description: String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
        }
        let nameWidth = max(7, (inputs.map(\.name.count).max() ?? 0) + 2)
        let shapeWidth = max(8, (inputs.map(\.shape.shapeDescription.count).max() ?? 0) + 2)
        let indexWidth = max(8, (inputs.map(\.worstIndex.shapeDescription.count).max() ?? 0) + 2)
        var lines = ["gradient check: central differences, epsilon \(formatFixed(epsilon, decimals: 4))"]
        lines.append(pad("input", nameWidth) + pad("shape", shapeWidth) + pad("max abs error", 15)
                     + pad("at", indexWidth) + "relative error")
        for report in inputs {
            lines.append(pad(report.name, nameWidth) + pad(report.shape.shapeDescription, shapeWidth)
                         + pad(formatScientific(report.maxAbsoluteError), 15)
                         + pad(report.worstIndex.shapeDescription, indexWidth)
                         + formatScientific(report.relativeError))
        }
        let worst = worstAbsolute
        lines.append("worst absolute error \(formatScientific(worst.maxAbsoluteError)) at "
                     + "\(worst.name)\(worst.worstIndex.shapeDescription) "
                     + "(analytic \(formatFixed(worst.analytic.scalars[worst.worstElement], decimals: 6)), "
                     + "numeric \(formatFixed(worst.numeric.scalars[worst.worstElement], decimals: 6)))")
        lines.append("worst relative error \(formatScientific(worstRelative.relativeError)) (\(worstRelative.name))")
        return lines.joined(separator: "\n")
    }
}

/// `value` in scientific notation with two decimals, e.g. `3.05e-05`, the same on every platform.
func formatScientific(_ value: Float) -> String {
    if value.isNaN || value.isInfinite || value == 0 { return formatFixed(value, decimals: 2) }
    var exponent = 0
    var mantissa = Double(abs(value))
    while mantissa >= 10 { mantissa /= 10; exponent += 1 }
    while mantissa < 1 { mantissa *= 10; exponent -= 1 }
    if (mantissa * 100).rounded() >= 1000 { mantissa /= 10; exponent += 1 }  // 9.996 rounds to 10.00
    let sign = value < 0 ? "-" : ""
    let exponentText = (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
    return sign + formatFixed(mantissa, decimals: 2) + "e" + exponentText
}
