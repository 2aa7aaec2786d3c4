// Packing: copying a block of A or B into the order the micro-kernel reads.
//
// Scope: the two packing routines of the blocked matmul (Matmul+Blocked.swift). Packing is where
// transposes are handled: op(A) and op(B) are never materialized; a transposed operand is simply
// read with its strides swapped while it is copied. Packing also zero-pads the last micro-panel
// to a full tile, so the micro-kernel never needs a bounds check.
//
// Layout of a packed block, shown with MR = 12 tile rows and NR = 32 tile columns (the AVX-512
// tile; other machines use 6 × 16, MatmulBlocking):
//
//     packed A (rows × depth):   panel 0: A[0..<12, 0], A[0..<12, 1], …, A[0..<12, depth-1]
//                                panel 1: A[12..<24, 0], …
//     packed B (depth × columns): panel 0: B[0, 0..<32], B[1, 0..<32], …, B[depth-1, 0..<32]
//                                panel 1: B[0, 32..<64], …
//
// so the kernel's step p reads 12 consecutive floats of A and 32 consecutive floats of B.
// The cost of packing is paid once per block and amortized over a whole row or column of tiles.

/// A matrix operand of `gemm` as stored: a base pointer, a row stride, and whether the logical
/// operand is the transpose of the stored one. `element(row, column)` addresses the logical one.
struct MatmulOperand: @unchecked Sendable {
    // @unchecked: the pointer is only read; gemm's callers keep the memory alive for the call.
    let base: UnsafePointer<Float>
    let leadingDimension: Int
    let transposed: Bool

    /// The address of logical element (row, column) of op(X).
    @inline(__always)
    func address(row: Int, column: Int) -> UnsafePointer<Float> {
        transposed ? base + (column &* leadingDimension &+ row)
                   : base + (row &* leadingDimension &+ column)
    }

    /// Logical row `i` of op(X) alone, as a 1-row operand.
    func row(_ i: Int) -> MatmulOperand {
        MatmulOperand(base: address(row: i, column: 0), leadingDimension: leadingDimension, transposed: transposed)
    }

    /// Logical column `j` of op(X) alone, as a 1-column operand.
    func column(_ j: Int) -> MatmulOperand {
        MatmulOperand(base: address(row: 0, column: j), leadingDimension: leadingDimension, transposed: transposed)
    }
}

// MARK: - Packing A

/// Packs op(A)[rowStart..<rowStart+rows, depthStart..<depthStart+depth] into 12-row panels.
///
/// - Parameter destination: room for `ceil(rows / 12) · 12 · depth` floats.
func packMatmulA(_ a: MatmulOperand, rowStart: Int, rows: Int, depthStart: Int, depth: Int,
                 into destination: UnsafeMutablePointer<Float>) {
    let tileRows = MatmulBlocking.tileRows
    var panel = destination
    var i0 = 0
    while i0 < rows {
        let validRows = min(tileRows, rows - i0)
        if a.transposed {
            // A is stored (K, M): for each p the panel's 12 values are contiguous in memory.
            for p in 0..<depth {
                let source = a.address(row: rowStart &+ i0, column: depthStart &+ p)
                let target = panel + p &* tileRows
                for i in 0..<validRows { target[i] = source[i] }
                for i in validRows..<tileRows { target[i] = 0 }
            }
        } else {
            // A is stored (M, K): read each row contiguously, write it with a stride of 12.
            for i in 0..<validRows {
                let source = a.address(row: rowStart &+ i0 &+ i, column: depthStart)
                for p in 0..<depth { panel[p &* tileRows &+ i] = source[p] }
            }
            for i in validRows..<tileRows {
                for p in 0..<depth { panel[p &* tileRows &+ i] = 0 }
            }
        }
        panel += tileRows &* depth
        i0 += tileRows
    }
}

// MARK: - Packing B

/// Packs op(B)[depthStart..<depthStart+depth, columnStart..<columnStart+columns] into 32-column
/// panels, starting at panel `firstPanel` of the block (so threads can pack disjoint panels).
///
/// - Parameter destination: the packed block's start; panel `q` begins at `q · 32 · depth`.
func packMatmulB(_ b: MatmulOperand, depthStart: Int, depth: Int, columnStart: Int, columns: Int,
                 panels: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
    let tileColumns = MatmulBlocking.tileColumns
    for q in panels {
        let j0 = q &* tileColumns
        let validColumns = min(tileColumns, columns - j0)
        let panel = destination + q &* tileColumns &* depth
        if b.transposed {
            // B is stored (N, K): each column of op(B) is a contiguous stored row, written with a
            // stride of 32. Going 16 steps of p at a time keeps the panel rows being written
            // (16 × 32 floats, 2 KB) in L1; a whole column at a time would sweep the 64 KB panel
            // once per column and ran 3–4× slower.
            var p0 = 0
            while p0 < depth {
                let steps = min(16, depth &- p0)
                let target = panel + p0 &* tileColumns
                for j in 0..<validColumns {
                    let source = b.address(row: depthStart &+ p0, column: columnStart &+ j0 &+ j)
                    for p in 0..<steps { target[p &* tileColumns &+ j] = source[p] }
                }
                for j in validColumns..<tileColumns {
                    for p in 0..<steps { target[p &* tileColumns &+ j] = 0 }
                }
                p0 &+= 16
            }
        } else {
            // B is stored (K, N): each panel row is 32 contiguous floats.
            for p in 0..<depth {
                let source = b.address(row: depthStart &+ p, column: columnStart &+ j0)
                let target = panel + p &* tileColumns
                for j in 0..<validColumns { target[j] = source[j] }
                for j in validColumns..<tileColumns { target[j] = 0 }
            }
        }
    }
}
