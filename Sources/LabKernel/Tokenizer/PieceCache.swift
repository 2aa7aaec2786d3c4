// PieceCache: remembering how recent pieces were encoded.
//
// Natural text repeats its words constantly (" the" appears every few dozen bytes), and a piece
// always encodes to the same ids, so encoders look a piece up here before merging it. The cache is
// a hash table keyed by the piece's bytes, with the bytes and ids kept in two flat arenas (no
// allocation per entry). It starts small, doubles as it fills, and is emptied when it reaches its
// limit, so memory stays bounded however much text streams through (a few MB at most).
// Left out: smarter eviction (least-recently-used): clearing is simple and, on real text, the
// frequent pieces are back in the cache within a few kilobytes.

/// A bounded cache from piece bytes to token ids.
struct PieceCache {
    private struct Slot {
        var hash: UInt64 = 0
        var byteStart: Int32 = 0
        /// 0 marks an empty slot (cached pieces are never empty).
        var byteCount: Int32 = 0
        var idStart: Int32 = 0
        var idCount: Int32 = 0
    }

    /// Pieces longer than this are not cached (they are rare, and would fill the arena).
    static let longestPiece = 128
    private static let initialSlots = 256
    private let maximumSlots: Int

    private var slots: [Slot] = []
    private var entries = 0
    private var bytes: [UInt8] = []
    private var ids: [Int32] = []

    /// A cache that holds at most `maximumEntries` pieces before it is cleared.
    init(maximumEntries: Int = 32_768) {
        var slotCount = Self.initialSlots
        while slotCount < 2 * maximumEntries { slotCount *= 2 }
        maximumSlots = slotCount
    }

    /// FNV-1a over the piece's bytes (pieces are short, so a simple byte loop is enough).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for k in 0..<count {
            h = (h ^ UInt64(p[k])) &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// Appends the cached ids of the piece to `output` and returns true, or returns false when
    /// the piece is not cached.
    func appendCached(_ p: UnsafePointer<UInt8>, _ count: Int, hash: UInt64, to output: inout [Int]) -> Bool {
        guard !slots.isEmpty else { return false }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[i]
            if slot.byteCount == 0 { return false }
            if slot.hash == hash && Int(slot.byteCount) == count {
                let same = bytes.withUnsafeBufferPointer { memoryEqual($0.baseAddress! + Int(slot.byteStart), p, count) }
                if same {
                    ids.withUnsafeBufferPointer { ids in
                        for k in Int(slot.idStart)..<Int(slot.idStart + slot.idCount) { output.append(Int(ids[k])) }
                    }
                    return true
                }
            }
            i = (i &+ 1) & mask
        }
    }

    /// Remembers that the piece encodes to `pieceIDs` (the piece must not be cached yet).
    mutating func insert(_ p: UnsafePointer<UInt8>, _ count: Int, hash: UInt64, ids pieceIDs: ArraySlice<Int32>) {
        guard count > 0, count <= Self.longestPiece else { return }
        if slots.isEmpty {
            slots = [Slot](repeating: Slot(), count: Self.initialSlots)
        } else if 2 * (entries + 1) > slots.count {
            if slots.count < maximumSlots { grow() } else { clear() }
        }
        let slot = Slot(hash: hash, byteStart: Int32(bytes.count), byteCount: Int32(count),
                        idStart: Int32(ids.count), idCount: Int32(pieceIDs.count))
        bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: count))
        ids.append(contentsOf: pieceIDs)
        place(slot)
        entries += 1
    }

    private mutating func place(_ slot: Slot) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: slot.hash) & mask
        while slots[i].byteCount != 0 { i = (i + 1) & mask }
        slots[i] = slot
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        for slot in old where slot.byteCount != 0 { place(slot) }
    }

    /// Forgets everything, keeping the table at its current size.
    mutating func clear() {
        for i in slots.indices { slots[i] = Slot() }
        entries = 0
        bytes.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
    }
}
