// The backward pass: replaying the tape in reverse to turn one loss into gradients.
//
// The chain rule, organised: the gradient of the loss with respect to a variable is the sum,
// over every operation that used it, of what that operation's backward rule passes back. So we
// visit computed variables from the loss towards the leaves (decreasing tape index, see
// Variable.swift); when a variable is visited, all of its users have already been visited and
// its gradient is complete. Its rule then hands gradients to its inputs, which add them up.
//
// Gradients of computed variables live in a dictionary for the duration of one pass and are
// dropped as soon as their rule has run (unless `retainsGrad`); gradients of leaves accumulate
// into `grad` across passes until `zeroGrad()`, which is what lets a training step sum
// gradients over several micro-batches.

extension Variable {
    /// Computes the gradient of this one-element loss with respect to every variable it depends
    /// on that requires a gradient, and adds it to their `grad`. The seed is d loss/d loss = 1.
    public func backward() {
        precondition(value.count == 1,
                     "backward(): the loss must have exactly one element, but its shape is \(shape.shapeDescription); reduce it first (e.g. .sum() or .mean()) or call backward(gradient:) with a gradient of that shape")
        backward(gradient: Tensor(repeating: 1, shape: shape))
    }

    /// Backpropagates a given gradient of some scalar with respect to this variable: afterwards
    /// every variable this one depends on (that requires a gradient) has that scalar's gradient
    /// added to its `grad`. `gradient` has this variable's shape.
    public func backward(gradient seed: Tensor) {
        precondition(seed.shape == shape,
                     "backward(gradient:): the gradient has shape \(seed.shape.shapeDescription), expected the variable's shape \(shape.shapeDescription)")
        precondition(requiresGrad,
                     "backward(): this variable does not require a gradient (it is a constant, or computed only from constants); give a parameter requiresGrad: true")
        guard node != nil else {
            accumulateGradient(seed)  // a leaf is its own loss
            return
        }
        // Gradients of computed variables, keyed by identity, for this pass only. The variables
        // stay alive during the pass because the loss's graph holds them.
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        for variable in tape.reversed() {
            guard let node = variable.node,
                  let gradient = pending.removeValue(forKey: ObjectIdentifier(variable)) else { continue }
            if variable.retainsGrad { variable.accumulateGradient(gradient) }
            let inputGradients = node.backward(gradient)
            precondition(inputGradients.count == node.inputs.count,
                         "backward(): the rule of \(node.operation) returned \(inputGradients.count) gradients for \(node.inputs.count) inputs")
            for (input, inputGradient) in zip(node.inputs, inputGradients) where input.requiresGrad {
                guard let inputGradient else { continue }
                precondition(inputGradient.shape == input.shape,
                             "backward(): the rule of \(node.operation) returned a gradient of shape \(inputGradient.shape.shapeDescription) for an input of shape \(input.shape.shapeDescription)")
                if input.node == nil {
                    input.accumulateGradient(inputGradient)
                } else {
                    addInPlace(inputGradient, to: &pending[ObjectIdentifier(input)])
                }
            }
        }
    }

    /// The part of the tape that led to this variable: the computed variables it depends on
    /// (itself included), in recording order. `backward()` replays it in reverse.
    ///
    ///     for (position, step) in loss.tape.enumerated() { print(position, step) }
    ///     // 0 Variable [6, 8] = matmul(x, w1)
    ///     // 1 Variable [6, 8] = add(matmul, b1)
    ///     // 2 Variable [6, 8] = gelu(add)  …
    ///
    /// (Tape indices themselves come from one counter for the whole process, so they depend on
    /// what ran before; print positions, as here, where output must be reproducible.)
    public var tape: [Variable] {
        var found: [Variable] = []
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        var stack = [self]  // an explicit stack: deep graphs must not overflow the call stack
        while let variable = stack.popLast() {
            guard let node = variable.node else { continue }
            found.append(variable)
            for input in node.inputs where input.requiresGrad && seen.insert(ObjectIdentifier(input)).inserted {
                stack.append(input)
            }
        }
        return found.sorted { $0.node!.index < $1.node!.index }
    }

    /// grad += gradient (grad starts at nil, meaning zero).
    private func accumulateGradient(_ gradient: Tensor) {
        addInPlace(gradient, to: &grad)
    }
}

/// `total += gradient` in place, where a nil total means zero (then it becomes a copy of `gradient`).
func addInPlace(_ gradient: Tensor, to total: inout Tensor?) {
    guard var sum = total else {
        total = gradient
        return
    }
    precondition(sum.shape == gradient.shape,
                 "backward(): cannot add a gradient of shape \(gradient.shape.shapeDescription) to an accumulated gradient of shape \(sum.shape.shapeDescription) (was grad set by hand?)")
    total = nil  // release the reference so that `sum` is unique and is updated without a copy
    sum.withUnsafeMutableBufferPointer { s in
        gradient.withUnsafeBufferPointer { g in
            for i in 0..<s.count { s[i] += g[i] }
        }
    }
    total = sum
}
