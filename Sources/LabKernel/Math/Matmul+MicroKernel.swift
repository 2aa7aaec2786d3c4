// The matmul micro-kernel: a tile of C held in vector registers, 12×32 with AVX-512, 6×16 elsewhere.
//
// Scope: the innermost loop of the blocked matmul (Matmul+Blocked.swift). It multiplies one packed
// micro-panel of A (12 rows × depth) by one packed micro-panel of B (depth × 32 columns) and
// writes (or adds) the 12×32 result into C. Packing (Matmul+Packing.swift) has already arranged
// both panels so that this loop reads memory strictly sequentially. Partial tiles at the edges of
// C are handled by the caller, which runs this kernel into a scratch tile.
//
// Why 12×32: with AVX-512 there are 32 vector registers of 16 floats. The tile keeps
// 12 rows × 2 vectors = 24 accumulators, plus 2 registers for the B row and 1 for the broadcast
// A value: 27 in use, none spilled. Each step of the depth loop does 2 vector loads, 12 broadcasts
// and 24 fused multiply-adds, enough independent work to keep both FMA units busy (each FMA has a
// latency of 4 cycles, so at least 8 must be in flight). Measured on this machine, 12×32, 14×32,
// 8×48 and 6×64 all came within noise of each other (≈ 140–150 GFLOPS on one core);
// 12×32 divides the common model widths and leaves registers to spare.
//
// Why 6×16 elsewhere: AVX2 has 16 vector registers of 8 floats, so the 12×32 tile's 48
// accumulators would live in memory; 6 rows × 2 registers = 12 accumulators, 2 for the B row and
// 1 for the broadcast make 15, again none spilled, with 12 independent FMAs per step. NEON's 32
// registers of 4 floats hold the same tile as 24 accumulators + 4 + 1. Package.swift defines
// LAB_AVX512 from the build machine's CPU flags (the kernel is compiled for that machine anyway);
// the blocking (Matmul+Blocked.swift) and packing follow MatmulBlocking's tile. Each element of C
// is the same sequence of fused multiply-adds either way (p from 0 in KC slices), so both tiles
// give bit-identical products.

// MARK: - One row of the tile

/// One row of the register tile: 32 running sums of C[i, j..<j+32] in two SIMD16 halves.
struct MatmulTileRow {
    var left = SIMD16<Float>()
    var right = SIMD16<Float>()

    /// Adds `a · b` to the row, where `a` is one element of A (broadcast to all lanes) and
    /// `(b0, b1)` one row of the B panel. `addingProduct` compiles to one fused multiply-add per
    /// half (`acc += a * b` would round twice and run 20–30% slower).
    @inline(__always)
    mutating func addProduct(_ a: Float, _ b0: SIMD16<Float>, _ b1: SIMD16<Float>) {
        let broadcast = SIMD16<Float>(repeating: a)
        left = left.addingProduct(broadcast, b0)
        right = right.addingProduct(broadcast, b1)
    }

    /// Writes the 32 sums to `c[0..<32]`, or adds them to what is there when `accumulate`.
    /// C rows need no alignment: the loads and stores are unaligned.
    @inline(__always)
    func store(to c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let raw = UnsafeMutableRawPointer(c)
        var first = left, second = right
        if accumulate {
            first += raw.loadUnaligned(as: SIMD16<Float>.self)
            second += raw.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
        }
        raw.storeBytes(of: first, as: SIMD16<Float>.self)
        raw.storeBytes(of: second, toByteOffset: 64, as: SIMD16<Float>.self)
    }
}

// MARK: - The kernel

#if LAB_AVX512
/// C[0..<12, 0..<32] = Σ_p A[i, p] · B[p, j] (+ C if `accumulate`) over packed panels.
///
/// - Parameters:
///   - depth: the number of products per element (KC, or less for the last block).
///   - a: packed A micro-panel, `depth` groups of 12 values (one column of the 12 rows each).
///   - b: packed B micro-panel, `depth` groups of 2 vectors (one row of 32 columns each),
///     aligned to 64 bytes.
///   - c: the tile's top-left element in C; rows are `ldc` floats apart.
@inline(never)
func matmulMicroKernel(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<SIMD16<Float>>,
                       c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    var r0 = MatmulTileRow(), r1 = MatmulTileRow(), r2 = MatmulTileRow(), r3 = MatmulTileRow()
    var r4 = MatmulTileRow(), r5 = MatmulTileRow(), r6 = MatmulTileRow(), r7 = MatmulTileRow()
    var r8 = MatmulTileRow(), r9 = MatmulTileRow(), r10 = MatmulTileRow(), r11 = MatmulTileRow()
    var pa = a, pb = b
    for _ in 0..<depth {
        // One rank-1 update of the tile: the outer product of a column of A and a row of B.
        let b0 = pb[0], b1 = pb[1]
        r0.addProduct(pa[0], b0, b1); r1.addProduct(pa[1], b0, b1); r2.addProduct(pa[2], b0, b1)
        r3.addProduct(pa[3], b0, b1); r4.addProduct(pa[4], b0, b1); r5.addProduct(pa[5], b0, b1)
        r6.addProduct(pa[6], b0, b1); r7.addProduct(pa[7], b0, b1); r8.addProduct(pa[8], b0, b1)
        r9.addProduct(pa[9], b0, b1); r10.addProduct(pa[10], b0, b1); r11.addProduct(pa[11], b0, b1)
        pa += MatmulBlocking.tileRows
        pb += 2
    }
    r0.store(to: c, accumulate: accumulate)
    r1.store(to: c + ldc, accumulate: accumulate)
    r2.store(to: c + 2 &* ldc, accumulate: accumulate)
    r3.store(to: c + 3 &* ldc, accumulate: accumulate)
    r4.store(to: c + 4 &* ldc, accumulate: accumulate)
    r5.store(to: c + 5 &* ldc, accumulate: accumulate)
    r6.store(to: c + 6 &* ldc, accumulate: accumulate)
    r7.store(to: c + 7 &* ldc, accumulate: accumulate)
    r8.store(to: c + 8 &* ldc, accumulate: accumulate)
    r9.store(to: c + 9 &* ldc, accumulate: accumulate)
    r10.store(to: c + 10 &* ldc, accumulate: accumulate)
    r11.store(to: c + 11 &* ldc, accumulate: accumulate)
}
#else
/// C[0..<6, 0..<16] = Σ_p A[i, p] · B[p, j] (+ C if `accumulate`) over packed panels.
///
/// - Parameters:
///   - depth: the number of products per element (KC, or less for the last block).
///   - a: packed A micro-panel, `depth` groups of 6 values (one column of the 6 rows each).
///   - b: packed B micro-panel, `depth` vectors (one row of 16 columns each), aligned to 64 bytes.
///   - c: the tile's top-left element in C; rows are `ldc` floats apart.
@inline(never)
func matmulMicroKernel(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<SIMD16<Float>>,
                       c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    var r0 = SIMD16<Float>(), r1 = SIMD16<Float>(), r2 = SIMD16<Float>()
    var r3 = SIMD16<Float>(), r4 = SIMD16<Float>(), r5 = SIMD16<Float>()
    var pa = a, pb = b
    for _ in 0..<depth {
        // One rank-1 update of the tile: the outer product of a column of A and a row of B.
        let row = pb[0]
        r0 = r0.addingProduct(SIMD16(repeating: pa[0]), row); r1 = r1.addingProduct(SIMD16(repeating: pa[1]), row)
        r2 = r2.addingProduct(SIMD16(repeating: pa[2]), row); r3 = r3.addingProduct(SIMD16(repeating: pa[3]), row)
        r4 = r4.addingProduct(SIMD16(repeating: pa[4]), row); r5 = r5.addingProduct(SIMD16(repeating: pa[5]), row)
        pa += MatmulBlocking.tileRows
        pb += 1
    }
    @inline(__always)
    func store(_ sums: SIMD16<Float>, row: Int) {
        let raw = UnsafeMutableRawPointer(c + row &* ldc)
        raw.storeBytes(of: accumulate ? sums + raw.loadUnaligned(as: SIMD16<Float>.self) : sums, as: SIMD16<Float>.self)
    }
    store(r0, row: 0); store(r1, row: 1); store(r2, row: 2); store(r3, row: 3); store(r4, row: 4); store(r5, row: 5)
}
#endif

/// A partial tile at the bottom or right edge of C: `rows` ≤ MR, `columns` ≤ NR.
///
/// The packed panels are zero-padded to a full tile, so the full kernel runs into a scratch
/// tile and only the valid part is copied to C. The sums are the same as the full kernel's
/// (C + sum, in the same order), so results do not depend on where a tile boundary falls.
func matmulEdgeTile(rows: Int, columns: Int, depth: Int,
                    a: UnsafePointer<Float>, b: UnsafePointer<SIMD16<Float>>,
                    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    let tileRows = MatmulBlocking.tileRows, tileColumns = MatmulBlocking.tileColumns
    withUnsafeTemporaryAllocation(of: Float.self, capacity: tileRows * tileColumns) { scratch in
        let tile = scratch.baseAddress!
        matmulMicroKernel(depth: depth, a: a, b: b, c: tile, ldc: tileColumns, accumulate: false)
        for i in 0..<rows {
            let source = tile + i &* tileColumns, target = c + i &* ldc
            for j in 0..<columns {
                target[j] = accumulate ? target[j] + source[j] : source[j]
            }
        }
    }
}
