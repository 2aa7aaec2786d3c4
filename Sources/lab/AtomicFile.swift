// Writing a file so that nobody ever sees half of it, and nothing is replaced by accident.
//
// Every `lab` command that writes a file the user named (a corpus, a tokenizer.json) goes
// through `writeFileAtomically`: the bytes go to a temporary file in the same folder, which is
// then moved into place in one step. Without --force an existing file is never replaced, not
// even one that appears while the new file is being written.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command that could not do its work (exit status 1), with a message for the user.
struct CommandFailure: Error, Equatable, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Writes through `body` into a temporary file beside `path`, then moves it to `path`:
/// with `force` by `rename` (replacing any file there), otherwise by `link`, which fails if
/// `path` exists, so a file that appeared in the meantime is not replaced either.
func writeFileAtomically(to path: String, force: Bool, _ body: (FileHandle) throws -> Void) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw CommandFailure(message: "cannot write \(path): the folder \(folder) does not exist")
    }
    if !force, FileManager.default.fileExists(atPath: path) {
        throw CommandFailure(message: "\(path) already exists; pass --force to replace it")
    }
    let temporary = url.deletingLastPathComponent()
        .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial").path
    guard FileManager.default.createFile(atPath: temporary, contents: nil),
          let file = FileHandle(forWritingAtPath: temporary) else {
        throw CommandFailure(message: "cannot create a temporary file in \(folder)")
    }
    do {
        try body(file)
        try file.synchronize()
        try file.close()
    } catch {
        try? file.close()
        unlink(temporary)
        throw CommandFailure(message: "writing \(path) failed: \(error)")
    }
    if force {
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CommandFailure(message: "cannot move the new file to \(path): \(reason)")
        }
    } else {
        let linked = link(temporary, path)
        let reason = linked == 0 ? "" : String(cString: strerror(errno))
        let existed = linked != 0 && errno == EEXIST
        unlink(temporary)
        if existed { throw CommandFailure(message: "\(path) already exists; pass --force to replace it") }
        guard linked == 0 else { throw CommandFailure(message: "cannot move the new file to \(path): \(reason)") }
    }
}

