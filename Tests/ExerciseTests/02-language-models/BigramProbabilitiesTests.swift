// Tests for exercise 02.1 (language-models.bigram-probabilities):
// `bigramProbabilities(ids:vocabularySize:smoothing:)` in exercises/02-language-models/BigramProbabilities.swift.
//
// The doc comment's examples worked by hand, the table's shape, rows summing to 1, exact count
// ratios without smoothing (checked by counting each pair separately), the add-k formula for
// seen and unseen pairs, uniform rows where nothing was counted, and a huge k approaching uniform.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseBigramProbabilities

final class BigramProbabilitiesTests: XCTestCase {
    /// The table flattened row by row (as Floats, for `assertClose`'s report), or nil after a
    /// failure that says why when it is not V rows of V numbers.
    private func flattened(_ table: [[Double]], vocabularySize v: Int,
                           file: StaticString = #filePath, line: UInt = #line) -> [Float]? {
        guard table.count == v, table.allSatisfy({ $0.count == v }) else {
            XCTFail("expected a V × V table with V = \(v) (one row per current token, one column per next token), "
                    + "got \(table.count) rows of lengths \(table.map(\.count))", file: file, line: line)
            return nil
        }
        return table.flatMap { $0.map(Float.init) }
    }

    func testTheDocCommentExamplesByHand() {
        let ids = [0, 1, 1, 2, 0, 1]   // pairs 0→1, 1→1, 1→2, 2→0, 0→1
        guard let counted = exercise({ bigramProbabilities(ids: ids, vocabularySize: 3, smoothing: 0) }),
              let smoothed = exercise({ bigramProbabilities(ids: ids, vocabularySize: 3, smoothing: 1) }),
              let short = exercise({ bigramProbabilities(ids: [0, 1], vocabularySize: 3, smoothing: 0) }),
              let countedFlat = flattened(counted, vocabularySize: 3),
              let smoothedFlat = flattened(smoothed, vocabularySize: 3),
              let shortFlat = flattened(short, vocabularySize: 3) else { return }
        // Small fractions: exact in Double up to one rounding, then rounded once to Float.
        assertClose(countedFlat, [0, 1, 0,
                                  0, 0.5, 0.5,
                                  1, 0, 0], tolerance: 1e-7,
                    "k = 0: row a is count(a → b) / n_a, with counts [[0, 2, 0], [0, 1, 1], [1, 0, 0]]")
        assertClose(smoothedFlat, [0.2, 0.6, 0.2,
                                   0.2, 0.4, 0.4,
                                   0.5, 0.25, 0.25], tolerance: 1e-7,
                    "k = 1: row a is (count(a → b) + 1) / (n_a + 3), e.g. row 0 is [1, 3, 1] / 5")
        assertClose(shortFlat, [0, 1, 0,
                                1.0 / 3, 1.0 / 3, 1.0 / 3,
                                1.0 / 3, 1.0 / 3, 1.0 / 3], tolerance: 1e-7,
                    "ids [0, 1]: only 0 → 1 is counted; rows 1 and 2 have no counts (and k = 0), so they are uniform 1/V")
    }

    func testEveryRowSumsToOne() {
        var generator = SeededGenerator(seed: 2101)
        let v = 12
        // Ids only below 9, so rows 9, 10 and 11 have no counts at all.
        let ids = (0..<300).map { _ in generator.nextInt(below: 9) }
        for k in [0, 0.01, 1, 50] {
            guard let table = exercise({ bigramProbabilities(ids: ids, vocabularySize: v, smoothing: k) }),
                  flattened(table, vocabularySize: v) != nil else { return }
            for (a, row) in table.enumerated() {
                if let bad = row.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                    return XCTFail("k = \(k): P(\(bad) | \(a)) = \(row[bad]) is not a probability in [0, 1]")
                }
                // Double rounding of a sum of 12 terms below 1.
                XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-12,
                               "k = \(k): row \(a) is P(· | \(a)), a distribution over the next token, so it must sum to 1")
            }
        }
    }

    func testWithoutSmoothingEachRowIsTheCountRatios() {
        var generator = SeededGenerator(seed: 2102)
        let v = 7
        let ids = (0..<500).map { _ in generator.nextInt(below: v) }
        guard let table = exercise({ bigramProbabilities(ids: ids, vocabularySize: v, smoothing: 0) }),
              let actual = flattened(table, vocabularySize: v) else { return }
        // Counted here pair by pair, the slow way.
        let pairs = Array(zip(ids, ids.dropFirst()))
        var expected: [Float] = []
        for a in 0..<v {
            let starting = pairs.filter { $0.0 == a }
            for b in 0..<v {
                expected.append(Float(Double(starting.filter { $0.1 == b }.count) / Double(starting.count)))
            }
        }
        // One Double division each, rounded to Float.
        assertClose(actual, expected, tolerance: 1e-7,
                    "k = 0: P(b | a) = count(a → b) / count(a → anything) over the 499 pairs of 500 random ids")
    }

    func testSmoothingGivesUnseenPairsKOverNPlusKV() {
        // Token 0 is followed by 1 three times and by 2 once: n_0 = 4; 0 → 0 and 0 → 3 never occur.
        let ids = [0, 1, 0, 1, 0, 1, 0, 2]
        let v = 4
        for k in [0.5, 1, 3] {
            guard let table = exercise({ bigramProbabilities(ids: ids, vocabularySize: v, smoothing: k) }),
                  flattened(table, vocabularySize: v) != nil else { return }
            let denominator = 4 + k * Double(v)
            XCTAssertEqual(table[0][0], k / denominator, accuracy: 1e-12,
                           "k = \(k): the unseen pair 0 → 0 must get k / (n_0 + k·V) = \(k) / (4 + \(k)·4)")
            XCTAssertEqual(table[0][3], k / denominator, accuracy: 1e-12,
                           "k = \(k): the unseen pair 0 → 3 must get k / (n_0 + k·V), like every unseen pair of row 0")
            XCTAssertEqual(table[0][1], (3 + k) / denominator, accuracy: 1e-12,
                           "k = \(k): the pair 0 → 1, seen 3 times, must get (3 + k) / (n_0 + k·V)")
            XCTAssertEqual(table[0][2], (1 + k) / denominator, accuracy: 1e-12,
                           "k = \(k): the pair 0 → 2, seen once, must get (1 + k) / (n_0 + k·V)")
            // Token 3 never occurs: every cell of its row is k, so the row is uniform.
            XCTAssertEqual(table[3], [Double](repeating: 0.25, count: v),
                           "k = \(k): token 3 is never followed by anything, so its row is k / (k·V) = 1/V everywhere")
        }
    }

    func testRowsWithNothingCountedAreUniform() {
        for (ids, note) in [([Int](), "no ids at all"), ([2], "a single id (no pairs)"), ([1, 1, 1], "only the pairs 1 → 1")] {
            guard let table = exercise({ bigramProbabilities(ids: ids, vocabularySize: 4, smoothing: 0) }),
                  flattened(table, vocabularySize: 4) != nil else { return }
            for a in [0, 2, 3] {
                XCTAssertEqual(table[a], [0.25, 0.25, 0.25, 0.25],
                               "\(note), k = 0: row \(a) has total 0, so it must be uniform 1/V (not 0/0 = NaN)")
            }
            if ids.count == 3 {
                XCTAssertEqual(table[1], [0, 1, 0, 0], "\(note), k = 0: token 1 was always followed by 1")
            }
        }
    }

    func testAHugeSmoothingApproachesUniform() {
        var generator = SeededGenerator(seed: 2103)
        let v = 5
        let ids = (0..<200).map { _ in generator.nextInt(below: v) }
        guard let table = exercise({ bigramProbabilities(ids: ids, vocabularySize: v, smoothing: 1e6) }),
              let actual = flattened(table, vocabularySize: v) else { return }
        // With k = 1e6 and at most 199 counts in a row, every cell is within 199 / (k·V) ≈ 4e-5 of 1/V.
        assertClose(actual, [Float](repeating: 0.2, count: v * v), tolerance: 5e-5,
                    "with k = 1e6 the few real counts hardly matter: every row must be close to uniform 1/V = 0.2")
        XCTAssertNotEqual(table[ids[0]], [0.2, 0.2, 0.2, 0.2, 0.2],
                          "the counts still matter a little with k = 1e6: a row with counts is not exactly uniform")
    }
}
