// FileReading: opening the files of a model folder safely, whatever stands at their paths.
//
// A path named like a model file may hold something else: a directory, a FIFO (which blocks a
// reader forever), a device, a link to nowhere, or a file far larger than any config. Each file
// is opened without blocking, checked with fstat to be a regular file of a sensible size, and
// only then read or mapped; anything else is a sentence naming what was found, for the caller to
// put in its own error with the file's name.
//
// Left out: files that change while being read (the kit reads each file once).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Why a file could not be opened or read, as a sentence without the file's name.
struct FileProblem: Error, CustomStringConvertible {
    let description: String
}

/// Opens `url` for reading without blocking and checks it is a regular file of at most
/// `maximumBytes`; returns the open descriptor (the caller closes it) and the size.
func openRegularFile(_ url: URL, maximumBytes: Int = .max) throws(FileProblem) -> (descriptor: Int32, size: Int) {
    let descriptor = open(url.path, O_RDONLY | O_NONBLOCK)
    guard descriptor >= 0 else {
        let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
        throw FileProblem(description: "cannot open \(url.path) (\(reason))")
    }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
        let reason = String(cString: strerror(errno))
        close(descriptor)
        throw FileProblem(description: "cannot read the size of \(url.path) (\(reason))")
    }
    let kind = status.st_mode & S_IFMT
    guard kind == S_IFREG else {
        close(descriptor)
        let found = kind == S_IFDIR ? "a directory" : kind == S_IFIFO ? "a FIFO (named pipe)"
            : kind == S_IFCHR || kind == S_IFBLK ? "a device" : kind == S_IFSOCK ? "a socket" : "not a regular file"
        throw FileProblem(description: "\(url.path) is \(found), not a regular file")
    }
    let size = Int(status.st_size)
    guard size <= maximumBytes else {
        close(descriptor)
        throw FileProblem(description: "\(url.path) is \(formatBytes(Double(size))), more than the \(formatBytes(Double(maximumBytes))) "
            + "such a file may have")
    }
    return (descriptor, size)
}

/// The whole contents of the regular file `url`, of at most `maximumBytes`.
func readRegularFile(_ url: URL, maximumBytes: Int) throws(FileProblem) -> Data {
    let (descriptor, size) = try openRegularFile(url, maximumBytes: maximumBytes)
    defer { close(descriptor) }
    var data = Data(count: size)
    var done = 0
    let failure: Int32? = data.withUnsafeMutableBytes { buffer -> Int32? in
        while done < size {
            let n = read(descriptor, buffer.baseAddress! + done, size - done)
            if n < 0 { if errno == EINTR { continue }; return errno }
            if n == 0 { break }  // the file shrank while being read
            done += n
        }
        return nil
    }
    if let failure { throw FileProblem(description: "cannot read \(url.path) (\(String(cString: strerror(failure))))") }
    return data.prefix(done)
}

/// The largest JSON file a model folder holds: tokenizer.json of the largest vocabularies is tens
/// of MB; a config is a few kB.
let maximumJSONFileBytes = 512 << 20
