// Writing a file so that no reader ever sees half of it.
//
// The bytes go to a temporary file beside the destination (`.NAME.PID.partial`: the same folder,
// so the rename stays on one file system), which is then renamed over it. A crash mid-write
// leaves at most the temporary file, never a truncated destination, and an earlier file at the
// destination stays whole until the new one replaces it. Model files, tokenizers and exported
// notebooks are written this way. Left out: fsync (a power cut can still lose the new file, but
// not corrupt the old one on the file systems the kit runs on), and folders of several files,
// which TrainingCheckpoint and QuantizedFolder write as a `.partial` folder renamed whole.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be written: which path, at which step, and the system's reason.
public struct FileWriteError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Writes `data` to `url` through a temporary file in the same folder and a rename (see the file
/// header). On failure the temporary file is removed and `url` is left as it was.
/// - Throws: `FileWriteError` naming the path that could not be written or replaced.
public func writeFileAtomically(_ data: Data, to url: URL) throws {
    let temporary = url.deletingLastPathComponent()
        .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
    do {
        try data.write(to: temporary)
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw FileWriteError(description: "cannot write \(temporary.path) (\(error.localizedDescription))")
    }
    guard rename(temporary.path, url.path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw FileWriteError(description: "cannot move the written file into place at \(url.path) (\(reason))")
    }
}
