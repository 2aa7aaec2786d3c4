// Cells: matrix multiplication from scratch, then why the kernel's version is faster.
//
// The lesson's own naive matmul (three loops over [Float]) is checked against the kernel's
// `matmul` and timed beside it. The kernel's blocked SIMD implementation itself lives in
// Sources/LabKernel/Math/Matmul.swift; this file only measures it.

import LabKernel
import LabNotebook

/// C = A·B by the definition `C[i, j] = Σₖ A[i, k]·B[k, j]`, over plain row-major arrays.
///
/// - Parameters:
///   - a: M·K numbers, the matrix A of shape (M, K)
///   - b: K·N numbers, the matrix B of shape (K, N)
/// - Returns: M·N numbers, the matrix C of shape (M, N)
func naiveMatmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
    precondition(a.count == m * k && b.count == k * n,
                 "naiveMatmul: expected \(m)·\(k) and \(k)·\(n) numbers, got \(a.count) and \(b.count)")
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k {
                sum += a[i * k + p] * b[p * n + j]
            }
            c[i * n + j] = sum
        }
    }
    return c
}

extension TensorsLesson {
    func matrixMultiplyFromScratch() {
        notebook.prose("""
            Almost all the arithmetic in a language model is matrix multiplication: every linear \
            layer, every attention score. For A of shape [M, K] and B of shape [K, N], the product \
            C = A·B has shape [M, N], and each of its elements is a dot product of a row of A with a \
            column of B. Written out, it is three loops:
            """)
        notebook.code("""
            for i in 0..<m {
                for j in 0..<n {
                    var sum: Float = 0
                    for p in 0..<k { sum += a[i * k + p] * b[p * n + j] }
                    c[i * n + j] = sum
                }
            }
            """)
        let a = Tensor([[1, 2, 3], [4, 5, 6]])
        let b = Tensor([[1, 0], [0, 1], [1, 1]])
        let c = Tensor(shape: [2, 2], scalars: naiveMatmul(a.scalars, b.scalars, m: 2, k: 3, n: 2))
        notebook.prose("A small case to check by hand, [2, 3]·[3, 2]:")
        notebook.output("A =\n\(a)\n\nB =\n\(b)\n\nA·B =\n\(c)")
        notebook.values([("C[0, 0]", "1·1 + 2·0 + 3·1 = \(formatFixed(c[0, 0], decimals: 0))"),
                         ("C[1, 1]", "4·0 + 5·1 + 6·1 = \(formatFixed(c[1, 1], decimals: 0))")])

        notebook.prose("""
            Now random matrices of awkward sizes, against the kernel's `matmul`. The two add the \
            same products in a different order, and Float addition is not associative, so they may \
            differ in the last bits; a difference around 1e-6 is rounding, not a bug.
            """)
        var generator = SeededGenerator(seed: 7)
        let x = Tensor.randomNormal([37, 53], using: &generator)
        let y = Tensor.randomNormal([53, 29], using: &generator)
        let ours = Tensor(shape: [37, 29], scalars: naiveMatmul(x.scalars, y.scalars, m: 37, k: 53, n: 29))
        let kernel = matmul(x, y)
        let difference = ours.maxAbsoluteDifference(kernel)
        // Tolerance: sums of 53 products of unit normals are about ±7, so Float rounding is ~1e-6.
        notebook.check(difference < 1e-4, "naiveMatmul agrees with the kernel's matmul on [37, 53]·[53, 29]: largest difference \(formatFixed(difference, decimals: 7)) (tolerance 1e-4)")
    }

    func matrixMultiplySpeed() {
        let sizes = notebook.quick ? [32, 64] : [64, 128, 256, 512]
        #if DEBUG
        let buildMode = "debug mode (-Onone), as `swift run` builds by default"
        #else
        let buildMode = "release mode (-O)"
        #endif
        notebook.prose("""
            The loops are correct, but how fast are they? We multiply square matrices of size N \
            (2·N³ floating-point operations) four ways: the loops above, compiled like the rest of \
            this lesson in \(buildMode); the same loops in the kernel (`matmulNaive`), which is \
            always compiled with -O; and the kernel's `matmul` on one thread and on all the \
            machine's cores (\(notebook.measured(String(Parallel.coreCount))) here). Each time is \
            the median of several runs.
            """)
        var table = Table(["N", "lesson loops", "kernel loops", "matmul, 1 thread", "matmul, all cores", "speed-up"])
        var largest: [Bar] = []
        let savedThreads = Parallel.threadCount
        defer { Parallel.threadCount = savedThreads }
        for n in sizes {
            var generator = SeededGenerator(seed: UInt64(n))
            let a = Tensor.randomNormal([n, n], using: &generator)
            let b = Tensor.randomNormal([n, n], using: &generator)
            // The slow versions run fewer times at large sizes, to keep the lesson quick.
            let lessonLoops = Stopwatch.measure(repetitions: n >= 256 ? 1 : 3, warmup: 0) {
                _ = naiveMatmul(a.scalars, b.scalars, m: n, k: n, n: n)
            }
            let kernelLoops = Stopwatch.measure(repetitions: n >= 512 ? 1 : 3, warmup: n >= 512 ? 0 : 1) {
                _ = matmulNaive(a, b)
            }
            Parallel.threadCount = 1
            let oneThread = Stopwatch.measure(repetitions: 5) { _ = matmul(a, b) }
            Parallel.threadCount = Parallel.coreCount
            let allThreads = Stopwatch.measure(repetitions: 5) { _ = matmul(a, b) }
            table.append([String(n), notebook.duration(lessonLoops.median), notebook.duration(kernelLoops.median),
                          notebook.duration(oneThread.median), notebook.duration(allThreads.median),
                          notebook.speedup(lessonLoops.median / allThreads.median)])
            let operations = 2 * Double(n) * Double(n) * Double(n)
            largest = [("lesson loops", lessonLoops), ("kernel loops", kernelLoops),
                       ("matmul, 1 thread", oneThread), ("matmul, all cores", allThreads)].map { name, timing in
                let gflops = operations / timing.median / 1e9
                return Bar(name, value: gflops, text: notebook.measured(formatFixed(gflops, decimals: 2) + " GFLOPS"))
            }
        }
        notebook.table(table)
        notebook.prose("The speed-up compares the lesson's loops with `matmul` on all cores. Speed in GFLOPS (billions of floating-point operations per second) at N = \(sizes.last!):")
        notebook.bars(largest, width: 36, measured: true, title: "Speed in GFLOPS at N = \(sizes.last!)")

        notebook.prose("""
            Where does the speed come from? First the compiler: a debug build checks every array \
            index and calls a function for every access, so the same loops run many times faster \
            with -O. Then memory: the naive inner loop walks down a column of B, jumping N numbers \
            at each step, so on large matrices nearly every read misses the cache. The kernel copies \
            blocks of A and B into small packed panels that stay in cache and uses every number it \
            loads many times. Then SIMD: the innermost loop keeps a small tile of C in vector \
            registers and updates 8 or 16 numbers per fused multiply-add instruction. Finally \
            threads: separate blocks of C go to separate cores. The results are the same numbers, \
            up to rounding.
            """)
    }
}
