// Noticing that a student saved a file, by polling, so it works on every file system.
//
// Change notifications (inotify, FSEvents) are not available everywhere the kit runs: network
// drives, container mounts and some editors' save-by-rename defeat them. Polling the file's
// modification time, size and a digest of its contents twice a second costs nothing for a
// source file and sees every save, even two saves within one second of the file system's clock. A change is
// reported once the file has been stable for one poll, so an editor that writes in two steps
// triggers one check, not two. `lab watch --manual` skips this and checks on Enter instead.
//
// Left out: watching more than one file (watch mode works on one exercise at a time).

import Foundation

public struct FileWatcher: Sendable {
    /// What identifies a version of the file: modification time, size and contents digest
    /// (nil when missing).
    public struct Stamp: Sendable, Equatable {
        public var modified: Date?
        public var size: Int?
        public var digest: String?
    }

    public let url: URL
    private var seen: Stamp
    private var pending: Stamp?

    public init(url: URL) {
        self.url = url
        self.seen = Self.stamp(of: url)
    }

    public static func stamp(of url: URL) -> Stamp {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        return Stamp(modified: attributes?[.modificationDate] as? Date,
                     size: (attributes?[.size] as? NSNumber)?.intValue,
                     digest: (try? Data(contentsOf: url)).map(ProgressStore.digest))
    }

    /// Call on every poll; returns true once per save, when the new version has stayed the same
    /// for one poll.
    public mutating func poll() -> Bool {
        let now = Self.stamp(of: url)
        if now == seen {
            pending = nil
            return false
        }
        if now == pending {
            seen = now
            pending = nil
            return true
        }
        pending = now
        return false
    }
}
