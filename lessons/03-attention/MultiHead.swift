// Cell: multi-head attention from the lesson's pieces. `splitHeads` and `mergeHeads` move
// between the projection's layout (T, H·D) and one matrix per head (H, T, D); each head runs the
// single-head attention of AttentionByHand.swift; the result is checked against the kernel's
// `causalAttentionReference` and fast `causalAttention` on the same inputs.
//
// The kernel never splits: it reads head h's columns in place (and its fast path is one task per
// row and head). Splitting is the readable view, the one PyTorch code writes with view/transpose.

import LabKernel
import LabNotebook

/// The heads of a (T, H·D) matrix as H separate (T, D) matrices: (T, H·D) -> (H, T, D).
///
/// Row t of the input holds the H heads of token t side by side, head h in columns h·D..<(h+1)·D.
/// PyTorch writes it `x.view(T, H, D).transpose(0, 1)`.
func splitHeads(_ x: Tensor, heads: Int) -> Tensor {
    precondition(x.rank == 2 && heads > 0 && x.shape[1] % heads == 0,
                 "splitHeads: expected (T, H·D) with H = \(heads) dividing the width, got \(x.shape.shapeDescription)")
    let (t, width) = (x.shape[0], x.shape[1])
    let d = width / heads
    var result = [Float](repeating: 0, count: x.count)
    for h in 0..<heads {
        for row in 0..<t {
            for i in 0..<d { result[(h * t + row) * d + i] = x.scalars[row * width + h * d + i] }
        }
    }
    return Tensor(shape: [heads, t, d], scalars: result)  // (T, H·D) -> (H, T, D)
}

/// The inverse of `splitHeads`: H matrices (T, D) side by side again, (H, T, D) -> (T, H·D).
func mergeHeads(_ x: Tensor) -> Tensor {
    precondition(x.rank == 3, "mergeHeads: expected (H, T, D), got \(x.shape.shapeDescription)")
    let (heads, t, d) = (x.shape[0], x.shape[1], x.shape[2])
    var result = [Float](repeating: 0, count: x.count)
    for h in 0..<heads {
        for row in 0..<t {
            for i in 0..<d { result[row * heads * d + h * d + i] = x.scalars[(h * t + row) * d + i] }
        }
    }
    return Tensor(shape: [t, heads * d], scalars: result)  // (H, T, D) -> (T, H·D)
}

/// Causal multi-head attention from the lesson's pieces.
///
/// - Parameters:
///   - query: (T, H·D), row t at position S − T + t
///   - keys: (S, KVH·D)
///   - values: (S, KVH·D)
///   - kvHeads: KVH, dividing H; H for ordinary multi-head attention
/// - Returns: (T, H·D)
func multiHeadAttention(query: Tensor, keys: Tensor, values: Tensor, heads: Int, kvHeads: Int) -> Tensor {
    precondition(heads % kvHeads == 0, "multiHeadAttention: kvHeads (\(kvHeads)) must divide heads (\(heads))")
    let q = splitHeads(query, heads: heads)   // (T, H·D) -> (H, T, D)
    let k = splitHeads(keys, heads: kvHeads)  // (S, KVH·D) -> (KVH, S, D)
    let v = splitHeads(values, heads: kvHeads)
    let outputs = (0..<heads).map { h in
        let g = h / (heads / kvHeads)  // NEW (GQA): query heads h·KVH/H share key/value head g
        return attentionAsMatrices(q: q.row(h), k: k.row(g), v: v.row(g), causal: true).output  // (T, D)
    }
    return mergeHeads(Tensor.stack(outputs))  // (H, T, D) -> (T, H·D)
}

extension AttentionLesson {
    func multiHeadCell() {
        notebook.prose("""
            One attention pattern per layer is not enough: a token may need its subject, the \
            previous word and the start of the sentence all at once. So a model runs H heads side \
            by side, each with its own query, key and value projections of size D, usually with \
            H·D = C (the model's width). The projections are done as one matmul producing (T, H·D), \
            and head h owns columns h·D..<(h+1)·D. Splitting moves each head's columns into a \
            matrix of its own; merging puts them back side by side for the output projection.
            """)
        let x = Tensor.arange(12).reshaped([3, 4])
        let split = splitHeads(x, heads: 2)
        notebook.code("""
            let q = splitHeads(query, heads: h)      // (T, H·D) -> (H, T, D)
            let outputs = (0..<h).map { head in      // each head attends on its own
                attentionAsMatrices(q: q.row(head), k: k.row(head), v: v.row(head), causal: true).output  // (T, D)
            }
            return mergeHeads(Tensor.stack(outputs)) // (H, T, D) -> (T, H·D)
            """)
        notebook.prose("Three tokens, two heads of size 2: the rows of x are tokens, and split puts each head's two columns in a matrix of its own.")
        notebook.output("x, (T, H·D) = (3, 4):\n\(x)\n\nsplitHeads(x, heads: 2), (H, T, D) = (2, 3, 2):\nhead 0\n\(split.row(0))\nhead 1\n\(split.row(1))")
        notebook.check(mergeHeads(split) == x, "mergeHeads(splitHeads(x)) gives x back exactly")

        let (t, heads, d) = (16, 4, 16)
        var generator = SeededGenerator(seed: 5)
        let q = Tensor.randomNormal([t, heads * d], using: &generator)
        let k = Tensor.randomNormal([t, heads * d], using: &generator)
        let v = Tensor.randomNormal([t, heads * d], using: &generator)
        let ours = multiHeadAttention(query: q, keys: k, values: v, heads: heads, kvHeads: heads)
        let shape = AttentionShape(heads: heads, kvHeads: heads, headSize: d)
        let reference = causalAttentionReference(query: q, keys: k, values: v, shape: shape)
        let fast = causalAttention(query: q, keys: k, values: v, shape: shape)
        notebook.prose("""
            The lesson's multi-head attention against the kernel's, on the same random inputs: \
            T = \(t) tokens, H = \(heads) heads of D = \(d). (The kernel's own attention is checked \
            against Hugging Face transformers' to within 6e-6 by its fixture tests.)
            """)
        // Tolerance: outputs are averages of unit normals, summed in different orders: ~1e-7 apart.
        let (toReference, toFast) = (ours.maxAbsoluteDifference(reference), ours.maxAbsoluteDifference(fast))
        notebook.checks([
            (toReference < 1e-5, "lesson vs kernel causalAttentionReference: largest difference \(formatFixed(toReference, decimals: 6)) (tolerance 1e-5)"),
            (toFast < 1e-5, "lesson vs kernel causalAttention (fast path): largest difference \(formatFixed(toFast, decimals: 6)) (tolerance 1e-5)"),
        ])
        notebook.prose("""
            Heads cost nothing extra in arithmetic: H heads of size D do the same number of \
            multiply-adds as one head of size H·D, but they can look in H different places.
            """)
    }
}
