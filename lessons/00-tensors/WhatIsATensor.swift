// Cell: what a tensor is. Shape, flat row-major storage, strides, reshape versus transpose.
//
// Uses only the kernel's Tensor; broadcasting has its own cell (Broadcasting.swift).

import LabKernel
import LabNotebook

extension TensorsLesson {
    func whatIsATensor() {
        notebook.prose("""
            A tensor is a block of numbers with a shape. A vector has shape [C], a matrix [M, N], a \
            batch of token sequences in a language model [B, T, C]: B sequences of T tokens, each \
            token a vector of C numbers. Whatever the shape, the numbers live in memory as one flat \
            array, the storage. The shape only says how to read it.
            """)
        let x = Tensor.arange(6).reshaped([2, 3])  // (6) -> (2, 3)
        notebook.code("let x = Tensor.arange(6).reshaped([2, 3])")
        notebook.values([("shape", x.shape.shapeDescription), ("strides", x.strides.shapeDescription)])
        notebook.output(storageDiagram(x.scalars))
        notebook.output(x.description)

        notebook.prose("""
            The storage is row-major: the last axis is contiguous, so row 0 comes first, then row 1. \
            The strides say how far apart neighbours are along each axis: one step down a row of x \
            skips 3 numbers, one step along a column skips 1. Element [i, j] therefore lives at \
            offset i·3 + j·1. Every index of every tensor turns into an offset this way.
            """)
        var lookups = Table(["index", "offset", "value"])
        for index in [[0, 0], [0, 2], [1, 0], [1, 2]] {
            let offset = zip(index, x.strides).map { $0 * $1 }.reduce(0, +)
            let arithmetic = zip(index, x.strides).map { "\($0)·\($1)" }.joined(separator: " + ")
            lookups.append(["x" + index.shapeDescription, "\(arithmetic) = \(offset)", formatFixed(x.scalars[offset], decimals: 1)])
        }
        notebook.table(lookups)

        notebook.prose("""
            A reshape keeps the storage and changes only the shape (and so the strides): it is free. \
            A transpose swaps the axes, so element [i, j] must move to [j, i]. PyTorch does that \
            by swapping the strides and leaving the storage alone (a "view"); our kernel keeps every \
            tensor contiguous, so its transpose copies the numbers into their new order. Both \
            results below have shape [3, 2], yet they are different tensors:
            """)
        let reshaped = x.reshaped([3, 2])  // (2, 3) -> (3, 2), same storage
        let transposed = x.transposed()    // (2, 3) -> (3, 2), storage reordered
        notebook.code("let r = x.reshaped([3, 2])     // same storage, new strides\nlet t = x.transposed()         // xᵀ: a new storage order")
        var comparison = Table(["", "shape", "strides", "storage"])
        comparison.append(["r", reshaped.shape.shapeDescription, reshaped.strides.shapeDescription, compact(reshaped.scalars)])
        comparison.append(["t", transposed.shape.shapeDescription, transposed.strides.shapeDescription, compact(transposed.scalars)])
        notebook.table(comparison)
        notebook.output("r =\n" + reshaped.description + "\n\nt =\n" + transposed.description)

        let batch = Tensor.arange(24).reshaped([2, 3, 4])  // (24) -> (B, T, C) = (2, 3, 4)
        notebook.prose("""
            The same rule holds in any number of dimensions. A batch of shape [B, T, C] = [2, 3, 4] \
            has strides [12, 4, 1]: the last element, [1, 2, 3], sits at 1·12 + 2·4 + 3·1 = 23, the \
            end of the 24 numbers.
            """)
        notebook.values([("shape", batch.shape.shapeDescription), ("strides", batch.strides.shapeDescription),
                         ("batch[1, 2, 3]", formatFixed(batch[1, 2, 3], decimals: 1))])
    }
}

/// The storage as a row of boxes with each number's offset underneath.
func storageDiagram(_ scalars: [Float]) -> String {
    let cells = scalars.map { formatFixed($0, decimals: 0) }
    let width = max(3, (cells.map(\.count).max() ?? 1) + 2)
    let rule = { (left: String, middle: String, right: String) in
        left + Array(repeating: String(repeating: "─", count: width), count: cells.count).joined(separator: middle) + right
    }
    let centered = { (text: String) -> String in
        let left = (width - text.count) / 2
        return String(repeating: " ", count: left) + text + String(repeating: " ", count: width - text.count - left)
    }
    return [
        "storage  " + rule("┌", "┬", "┐"),
        "         │" + cells.map(centered).joined(separator: "│") + "│",
        "         " + rule("└", "┴", "┘"),
        "offset    " + cells.indices.map { centered(String($0)) }.joined(separator: " "),
    ].joined(separator: "\n")
}

/// Numbers without decimals in brackets: `[0, 3, 1, 4, 2, 5]`.
func compact(_ scalars: [Float]) -> String {
    "[" + scalars.map { formatFixed($0, decimals: 0) }.joined(separator: ", ") + "]"
}
