// MergeTable: "which token do these two adjacent tokens merge into, and how early?"
//
// Encoding asks this once or twice per byte of text, so it must be cheaper than Swift's
// `Dictionary` (whose SipHash costs about as much as the rest of the merge step). This is an
// open-addressing hash table from a pair of token ids, packed into one UInt64, to the merge's rank
// (its position in the merge list: lower merges first) and the id of the merged token.
// Fibonacci hashing spreads the packed keys; linear probing keeps lookups in one or two cache
// lines; the table stays at most half full. Left out: removal (merges never change once loaded).

/// Pairs of token ids mapped to (rank, merged id), built once from a merge list.
struct MergeTable: Sendable {
    private static let empty = UInt64.max
    private var keys: [UInt64]
    /// `rank << 32 | merged id` for each occupied slot.
    private var values: [UInt64]
    private let shift: UInt64

    /// The key of the pair (first, second): both ids fit in 32 bits.
    @inline(__always)
    static func key(_ first: Int32, _ second: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: first)) << 32 | UInt64(UInt32(bitPattern: second))
    }

    /// A table for `count` pairs; insert them with `insert`.
    init(capacityFor count: Int) {
        var bits: UInt64 = 4
        while (1 << bits) < 2 * max(count, 1) { bits += 1 }
        keys = [UInt64](repeating: Self.empty, count: 1 << bits)
        values = [UInt64](repeating: 0, count: 1 << bits)
        shift = 64 - bits
    }

    @inline(__always)
    private func slot(for key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Adds the pair with its rank and merged id. A pair already present keeps its first (lowest)
    /// rank, as a duplicate line in a merges file can never apply.
    mutating func insert(first: Int32, second: Int32, rank: Int32, merged: Int32) {
        let key = Self.key(first, second)
        let mask = keys.count - 1
        var i = slot(for: key)
        while keys[i] != Self.empty {
            if keys[i] == key { return }
            i = (i + 1) & mask
        }
        keys[i] = key
        values[i] = UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: merged))
    }

    /// The rank and merged id of (first, second), or nil when the pair never merges.
    @inline(__always)
    func lookup(_ first: Int32, _ second: Int32) -> (rank: Int32, merged: Int32)? {
        let key = Self.key(first, second)
        return keys.withUnsafeBufferPointer { keys in
            let mask = keys.count &- 1
            var i = slot(for: key)
            while true {
                let k = keys[i]
                if k == key {
                    let value = values[i]
                    return (Int32(truncatingIfNeeded: value >> 32), Int32(truncatingIfNeeded: value))
                }
                if k == Self.empty { return nil }
                i = (i &+ 1) & mask
            }
        }
    }
}
