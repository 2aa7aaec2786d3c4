// The tape itself: seeding, accumulation, zeroGrad, constants, shared variables, the
// recording order, retained gradients and releasing graphs. The backward rules of individual
// operations are checked in AutogradRuleTests.swift.
//
// Values here are small integers or exact binary fractions, so most results are exact and
// compared with XCTAssertEqual.

import XCTest
@testable import LabKernel

final class AutogradTests: XCTestCase {
    func testBackwardSeedsAScalarLossWithOne() {
        let x = Variable(Tensor([[1, 2], [3, 4]]), name: "x")
        let loss = x.sum()
        XCTAssertEqual(loss.shape, [])
        XCTAssertEqual(loss.value.item, 10)
        loss.backward()
        XCTAssertEqual(x.grad, Tensor.ones([2, 2]))
    }

    func testBackwardOfOneElementNonScalarLoss() {
        let x = Variable(Tensor([3]))
        (x * x).backward()  // shape [1] is one element: seeded with 1
        XCTAssertEqual(x.grad, Tensor([6]))
    }

    func testBackwardWithExplicitGradient() {
        let x = Variable(Tensor([1, 2, 3]))
        let y = x * 3 + 1
        y.backward(gradient: Tensor([1, 10, 100]))
        XCTAssertEqual(x.grad, Tensor([3, 30, 300]))
    }

    func testGradientsAccumulateOverBackwardCalls() {
        let w = Variable(Tensor([1, -2]), name: "w")
        let x = Variable(Tensor([3, 5]), requiresGrad: false)
        let loss = (w * x).sum()
        loss.backward()
        XCTAssertEqual(w.grad, Tensor([3, 5]))
        loss.backward()  // the same graph again: the upstream gradient must not double count
        XCTAssertEqual(w.grad, Tensor([6, 10]))
        (w * w).sum().backward()  // a new graph adds 2w
        XCTAssertEqual(w.grad, Tensor([8, 6]))
    }

    func testZeroGradForgetsTheGradient() {
        let w = Variable(Tensor([2]))
        (w * 4).sum().backward()
        XCTAssertEqual(w.grad, Tensor([4]))
        w.zeroGrad()
        XCTAssertNil(w.grad)
        (w * 4).sum().backward()
        XCTAssertEqual(w.grad, Tensor([4]))
    }

    func testConstantsReceiveNoGradient() {
        let w = Variable(Tensor([1, 2]))
        let data = Variable(Tensor([3, 4]), requiresGrad: false)
        (w * data).sum().backward()
        XCTAssertNil(data.grad)
        XCTAssertEqual(w.grad, Tensor([3, 4]))
    }

    func testOperationsOnConstantsRecordNothing() {
        let a = Variable(Tensor([[1, 2]]), requiresGrad: false)
        let b = Variable(Tensor([[3], [4]]), requiresGrad: false)
        let y = relu(matmul(a, b) + 1)
        XCTAssertFalse(y.requiresGrad)
        XCTAssertTrue(y.isLeaf, "a result computed only from constants is a constant, not a tape node")
        XCTAssertNil(y.operation)
        XCTAssertEqual(y.value, Tensor([[12]]))
        // One constant input is enough to keep recording when the other requires a gradient.
        let w = Variable(Tensor([[1], [1]]))
        XCTAssertTrue(matmul(a, w).requiresGrad)
        XCTAssertEqual(matmul(a, w).operation, "matmul")
    }

    func testVariableUsedTwiceGetsTheSumOfBothGradients() {
        let x = Variable(Tensor([3, -1]))
        (x * x).sum().backward()  // d(x²)/dx = 2x
        XCTAssertEqual(x.grad, Tensor([6, -2]))

        x.zeroGrad()
        (x + x + x).sum().backward()
        XCTAssertEqual(x.grad, Tensor([3, 3]))

        // An intermediate used by two later operations: y = h·h + h with h = 2x,
        // so dy/dx = (2h + 1)·2 = 8x + 2.
        x.zeroGrad()
        let h = x * 2
        (h * h + h).sum().backward()
        XCTAssertEqual(x.grad, Tensor([26, -6]))
    }

    func testDiamondGraphAgreesWithFiniteDifferences() {
        // Two paths from x to the loss that rejoin; the second path is longer, so a wrong replay
        // order would use an incomplete gradient for the shared node.
        var rng = SeededGenerator(seed: 30)
        let x = randomVariable([3, 4], &rng, name: "x")
        assertGradientsMatch([x]) {
            let shared = tanh(x)
            let longPath = softmax(shared * 2).sum(alongAxis: 1, keepingAxis: true) * shared
            return longPath + gelu(shared)
        }
    }

    func testTapeListsTheRecordedOperationsInOrder() {
        let x = Variable(Tensor([1, 2]), name: "x")
        let unrelated = x * 5  // recorded, but the loss does not depend on it
        let a = x * 2
        let b = a + x
        let loss = b.sum()
        XCTAssertEqual(loss.tape.map(\.operation), ["scale", "add", "sum"])
        XCTAssertTrue(loss.tape[0] === a && loss.tape[1] === b && loss.tape[2] === loss)
        let indices = loss.tape.map { $0.tapeIndex! }
        XCTAssertEqual(indices, indices.sorted())
        XCTAssertEqual(Set(indices).count, 3)
        XCTAssertLessThan(unrelated.tapeIndex!, a.tapeIndex!)
        XCTAssertNil(x.tapeIndex)
        XCTAssertEqual(b.description, "Variable [2] = add(scale, x)")
    }

    func testRetainsGradKeepsAnIntermediateGradient() {
        let x = Variable(Tensor([1, 2]))
        let hidden = x * 3
        let kept = hidden * 2
        kept.retainsGrad = true
        kept.sum().backward()
        XCTAssertEqual(kept.grad, Tensor([1, 1]))
        XCTAssertNil(hidden.grad, "intermediate gradients are dropped unless retained")
        XCTAssertEqual(x.grad, Tensor([6, 6]))
    }

    func testGraphIsReleasedWithTheLoss() {
        weak var weakHidden: Variable?
        let w = Variable(Tensor.ones([4, 4]))
        do {
            let hidden = relu(matmul(w, w))
            weakHidden = hidden
            let loss = (hidden * hidden).mean()
            loss.backward()
            XCTAssertNotNil(weakHidden)
        }
        XCTAssertNil(weakHidden, "the graph (and the tensors its rules captured) must be freed with the loss")
        XCTAssertNotNil(w.grad, "the leaf keeps its gradient")
    }

    func testLongChainBackwardDoesNotOverflowTheStack() {
        // The reachable-node search uses an explicit stack, not recursion.
        let x = Variable(Tensor([1]))
        var y = x
        for _ in 0..<20_000 { y = y * 1 }
        y.backward()
        XCTAssertEqual(x.grad, Tensor([1]))
    }

    func testBackwardOfALeafIsItsOwnGradient() {
        let x = Variable(Tensor(scalar: 5))
        x.backward()
        XCTAssertEqual(x.grad, Tensor(scalar: 1))
    }

    func testDescriptionNamesTheOperation() {
        let w = Variable(Tensor.zeros([2, 3]), name: "w")
        let x = Variable(Tensor.zeros([1, 2]), requiresGrad: false, name: "x")
        XCTAssertEqual(w.description, "Variable \"w\" [2, 3] (leaf, requires grad)")
        XCTAssertEqual(x.description, "Variable \"x\" [1, 2] (constant)")
        XCTAssertEqual(matmul(x, w).description, "Variable [1, 3] = matmul(x, w)")
    }
}
