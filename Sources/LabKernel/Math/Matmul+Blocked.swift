// The blocked, packed, threaded matrix multiply behind `gemm`.
//
// Scope: the loop nest around the micro-kernel (Matmul+MicroKernel.swift), the cache blocking,
// and the split of the work across cores. Packing is in Matmul+Packing.swift; the public entry
// point, the matrix-vector shortcut and the Tensor API are in Matmul.swift. Not here: other
// element types (the kernel is Float only) and strided (non-unit) column access.
//
// The scheme is the one of GotoBLAS/BLIS. C (M×N) is cut into blocks sized so each operand
// stays in the cache level where it is reused:
//
//            NC columns of B per block (packed, ≈ L3)
//          ┌──────────────────────┐                          C
//     KC   │▒▒ B block KC×NC ▒▒▒▒▒│                 ┌─────────────────────┐
//          └──────────────────────┘                 │      ┌──┐           │
//     A                                             │      │12│ one 12×32 │
//     ┌────┐                                        │      └──┘ tile in   │
//  MC │░░░░│ A block MC×KC (packed, ≈ L2)            │   registers         │
//     └────┘                                        └─────────────────────┘
//      KC
//
//     for each NC-wide column block of B and C                     (jc)
//       for each KC-deep slice of the inner dimension              (pc)
//         pack B[pc, jc] into 32-column panels (shared by all threads)
//         for each MC-high row block of A and C (spread over the threads)    (ic)
//           pack A[ic, pc] into 12-row panels (each thread its own buffer)
//           for each 32-column panel of B (KC×32, stays in L1/L2)       (jr)
//             for each 12-row panel of A                                 (ir)
//               micro-kernel: C[ir, jr] (+)= A panel · B panel, 12×32 in registers
//
// Every element of C is summed in the same order whatever the thread count, the block it falls
// in or whether it lies in an edge tile: one thread and all threads give identical results.

import Foundation
import Synchronization

/// The register tile and the cache blocks. Measured on an AVX-512 Xeon (48 KB L1d, 2 MB L2 per
/// core): KC from 256 to 512 and MC from 168 to 336 were all within noise of each other.
enum MatmulBlocking {
    #if LAB_AVX512
    /// MR: rows of C per micro-kernel tile.
    static let tileRows = 12
    /// NR: columns of C per micro-kernel tile (two SIMD16 vectors).
    static let tileColumns = 32
    #else
    /// MR: rows of C per micro-kernel tile (AVX2 and NEON: see Matmul+MicroKernel.swift).
    static let tileRows = 6
    /// NR: columns of C per micro-kernel tile (one SIMD16 vector).
    static let tileColumns = 16
    #endif
    /// KC: depth of one packed slice. A B panel (KC×32 floats = 64 KB) is streamed from L1/L2
    /// by every A panel of the block; longer slices mean fewer passes over C.
    static let depthBlock = 512
    /// MC: rows of A packed at a time (a multiple of MR): 336×512 floats ≈ 690 KB, in L2.
    static let rowBlock = 336
    /// NC: columns of B packed at a time (a multiple of NR): 512×4096 floats = 8 MB, in L3.
    static let columnBlock = 4096
    /// Below this many floating-point operations per thread, more threads cost more than they
    /// save. Waking a second core takes tens of microseconds here (a virtual machine), and one
    /// core does ≈ 140 MFLOP per millisecond: measured, 2 threads broke even around 200³ and
    /// won from 256³ (2·256³ = 2 · 2²⁴ operations).
    static let minimumFlopsPerThread = 1 << 24
}

// MARK: - Driver

/// C (M×N) = op(A)·op(B) (+ C if `accumulate`) by blocks, on up to `threads` threads.
/// Requires m, n, k ≥ 1. See the file header for the loop nest.
func blockedGemm(m: Int, n: Int, k: Int, a: MatmulOperand, b: MatmulOperand,
                 c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int) {
    let tileColumns = MatmulBlocking.tileColumns
    let depthBlock = min(MatmulBlocking.depthBlock, k)
    let columnBlock = min(MatmulBlocking.columnBlock, roundUp(n, to: tileColumns))
    let plan = MatmulWorkPlan(m: m, columns: columnBlock, threads: threads)

    // Packed buffers: one B block shared by all workers and one A block per worker, taken from a
    // pool of reused memory (fresh pages would cost a page fault each: 20% of a 256³ product).
    // B panels are read as aligned SIMD16 vectors: the buffer is 64-byte aligned and each panel
    // starts a multiple of NR·KC floats (NR = 16 or 32: at least 64 bytes) after it.
    let packedBCount = depthBlock * columnBlock
    let packedACount = min(plan.rowsPerItem, MatmulBlocking.rowBlock) * depthBlock
    let scratch = MatmulScratch.shared.take(floats: packedBCount + packedACount * plan.workers)
    defer { MatmulScratch.shared.giveBack(scratch) }
    let packedB = scratch.base, packedA = scratch.base + packedBCount
    let sharedB = SendablePointer(packedB), sharedA = SendablePointer(packedA), sharedC = SendablePointer(c)

    var jc = 0
    while jc < n {
        let nc = min(columnBlock, n - jc)
        let panels = (nc + tileColumns - 1) / tileColumns
        var pc = 0
        while pc < k {
            let kc = min(depthBlock, k - pc)
            // C already holds this slice's predecessors after the first slice.
            let accumulateSlice = accumulate || pc > 0
            let (jcBlock, pcBlock) = (jc, pc)

            // 1. Pack the B block: threads take groups of panels from a queue.
            let groups = min(panels, plan.workers * 4)
            let packingQueue = MatmulWorkQueue(itemCount: groups)
            Parallel.forEachTask(plan.workers) { _ in
                while let group = packingQueue.next() {
                    packMatmulB(b, depthStart: pcBlock, depth: kc, columnStart: jcBlock, columns: nc,
                                panels: (panels * group / groups)..<(panels * (group + 1) / groups),
                                into: sharedB.base)
                }
            }

            // 2. Multiply: workers take (row range × panel range) items from a queue, so a core
            //    slowed by other programs simply takes fewer items.
            let queue = MatmulWorkQueue(itemCount: plan.rowItems * plan.columnItems)
            Parallel.forEachTask(plan.workers) { worker in
                let ownA = sharedA.base + worker * packedACount
                while let item = queue.next() {
                    let rowItem = item / plan.columnItems, columnItem = item % plan.columnItems
                    let rowStart = min(m, rowItem * plan.rowsPerItem)
                    let rowEnd = min(m, rowStart + plan.rowsPerItem)
                    let panelRange = (panels * columnItem / plan.columnItems)..<(panels * (columnItem + 1) / plan.columnItems)
                    var ic = rowStart
                    while ic < rowEnd {
                        let mc = min(MatmulBlocking.rowBlock, rowEnd - ic)
                        packMatmulA(a, rowStart: ic, rows: mc, depthStart: pcBlock, depth: kc, into: ownA)
                        matmulMacroKernel(rows: mc, columns: nc, depth: kc, panels: panelRange,
                                          packedA: ownA, packedB: sharedB.base,
                                          c: sharedC.base + ic * ldc + jcBlock, ldc: ldc,
                                          accumulate: accumulateSlice)
                        ic += mc
                    }
                }
            }
            pc += kc
        }
        jc += nc
    }
}

// MARK: - Macro-kernel

/// Multiplies a packed A block (rows × depth) by the B panels `panels` of a packed B block,
/// into C (whose origin is the block's top-left corner), tile by tile.
///
/// The B panel is the outer loop: it stays in cache (L1/L2) while every A panel of the block
/// streams past it.
private func matmulMacroKernel(rows: Int, columns: Int, depth: Int, panels: Range<Int>,
                              packedA: UnsafePointer<Float>, packedB: UnsafePointer<Float>,
                              c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    let tileRows = MatmulBlocking.tileRows, tileColumns = MatmulBlocking.tileColumns
    for q in panels {
        let j0 = q &* tileColumns
        let validColumns = min(tileColumns, columns &- j0)
        let bPanel = UnsafeRawPointer(packedB + q &* tileColumns &* depth)
            .assumingMemoryBound(to: SIMD16<Float>.self)
        var i0 = 0
        while i0 < rows {
            let validRows = min(tileRows, rows &- i0)
            let aPanel = packedA + i0 &* depth
            let cTile = c + (i0 &* ldc &+ j0)
            if validRows == tileRows && validColumns == tileColumns {
                matmulMicroKernel(depth: depth, a: aPanel, b: bPanel, c: cTile, ldc: ldc, accumulate: accumulate)
            } else {
                matmulEdgeTile(rows: validRows, columns: validColumns, depth: depth,
                               a: aPanel, b: bPanel, c: cTile, ldc: ldc, accumulate: accumulate)
            }
            i0 &+= tileRows
        }
    }
}

// MARK: - Splitting the work across threads

/// How one KC slice of C is cut into work items: `rowItems` row ranges of `rowsPerItem` rows
/// (a multiple of MR) times `columnItems` ranges of B panels. With one thread there is one item.
///
/// Rows are split first: each item then packs its own rows of A and no packing is duplicated.
/// Only when C has fewer row tiles than wanted items (a short, wide product such as a few tokens
/// times a weight matrix) are the B panels split as well.
struct MatmulWorkPlan: Sendable {
    let workers: Int
    let rowItems: Int
    let rowsPerItem: Int
    let columnItems: Int

    init(m: Int, columns: Int, threads: Int) {
        let tileRows = MatmulBlocking.tileRows
        let rowTiles = (m + tileRows - 1) / tileRows
        let panels = (columns + MatmulBlocking.tileColumns - 1) / MatmulBlocking.tileColumns
        // A few items per thread balance cores that other programs slow down.
        let wantedItems = threads == 1 ? 1 : threads * 4
        let tilesPerItem = max(1, (rowTiles + wantedItems - 1) / wantedItems)
        rowsPerItem = tilesPerItem * tileRows
        rowItems = (rowTiles + tilesPerItem - 1) / tilesPerItem
        columnItems = max(1, min(panels, wantedItems / rowItems))
        workers = max(1, min(threads, rowItems * columnItems))
    }
}

/// A shared counter handing out work items 0, 1, 2, … to whichever thread asks first.
///
/// An atomic increment, not a lock: two threads asking at once under a lock could send one of
/// them to sleep in the operating system, and waking it costs more than a small item.
final class MatmulWorkQueue: Sendable {
    private let nextItem = Atomic<Int>(0)
    private let itemCount: Int

    init(itemCount: Int) { self.itemCount = itemCount }

    func next() -> Int? {
        let item = nextItem.wrappingAdd(1, ordering: .relaxed).oldValue
        return item < itemCount ? item : nil
    }
}

// MARK: - Scratch memory

/// Packing memory kept between calls: a product takes a buffer and gives it back at the end.
///
/// A decoder calls `gemm` thousands of times per second on the same shapes; allocating and
/// freeing the packing buffers each time made the operating system map and zero fresh pages on
/// every call. The pool keeps up to `capacity` buffers (each at most KC·NC + threads·KC·MC
/// floats, about 10 MB), so concurrent products (batched matmul) each get their own.
final class MatmulScratch: @unchecked Sendable {
    // @unchecked: `free` is only touched under `lock`.
    static let shared = MatmulScratch()
    private static let capacity = 8
    private let lock = NSLock()
    private var free: [(base: UnsafeMutablePointer<Float>, count: Int)] = []

    /// A 64-byte aligned buffer of at least `floats` floats, uninitialized or holding old data.
    func take(floats: Int) -> (base: UnsafeMutablePointer<Float>, count: Int) {
        lock.lock()
        // The smallest free buffer that is large enough.
        if let index = free.indices.filter({ free[$0].count >= floats }).min(by: { free[$0].count < free[$1].count }) {
            let buffer = free.remove(at: index)
            lock.unlock()
            return buffer
        }
        lock.unlock()
        let raw = UnsafeMutableRawPointer.allocate(byteCount: floats * MemoryLayout<Float>.stride, alignment: 64)
        return (raw.bindMemory(to: Float.self, capacity: floats), floats)
    }

    /// Returns a buffer from `take` to the pool; when the pool is full, the smallest buffer goes.
    func giveBack(_ buffer: (base: UnsafeMutablePointer<Float>, count: Int)) {
        lock.lock()
        defer { lock.unlock() }
        free.append(buffer)
        if free.count > Self.capacity, let smallest = free.indices.min(by: { free[$0].count < free[$1].count }) {
            free.remove(at: smallest).base.deallocate()
        }
    }
}

@inline(__always)
private func roundUp(_ value: Int, to multiple: Int) -> Int {
    (value + multiple - 1) / multiple * multiple
}
