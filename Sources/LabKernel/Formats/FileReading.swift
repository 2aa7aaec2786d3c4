// FileReading: opening the files the kit reads safely, whatever stands at their paths.
//
// A path named like a model file, a corpus or a checkpoint may hold something else: a directory,
// a FIFO (which blocks a reader forever), a device (/dev/zero never ends), a link to nowhere, or a
// file far larger than any config. Each file is opened without blocking, checked with fstat to be
// a regular file of a sensible size, and only then read, mapped or streamed; anything else is a
// sentence naming the path and what was found, for the caller to put in its own error. Text files
// must be UTF-8: the first invalid sequence is named by its byte offset rather than silently
// replaced with U+FFFD.
//
// Used by every reader of a user's file: config.json, safetensors, tokenizer files, checkpoints,
// and `lab`'s corpora and text inputs. Left out: files that change while being read (the kit
// reads each file once), and standard input (a pipe is the user's choice and may block).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Why a file could not be opened or read, as a sentence naming its path.
public struct FileProblem: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Opens `url` for reading without blocking and checks it is a regular file of at most
/// `maximumBytes`; returns the open descriptor (the caller closes it) and the size.
public func openRegularFile(_ url: URL, maximumBytes: Int = .max) throws(FileProblem) -> (descriptor: Int32, size: Int) {
    let descriptor = open(url.path, O_RDONLY | O_NONBLOCK)
    guard descriptor >= 0 else {
        let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
        throw FileProblem("cannot open \(shownPath(url)) (\(reason))")
    }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
        let reason = String(cString: strerror(errno))
        close(descriptor)
        throw FileProblem("cannot read the size of \(shownPath(url)) (\(reason))")
    }
    let kind = status.st_mode & S_IFMT
    guard kind == S_IFREG else {
        close(descriptor)
        let found = kind == S_IFDIR ? "a directory" : kind == S_IFIFO ? "a FIFO (named pipe)"
            : kind == S_IFCHR || kind == S_IFBLK ? "a device" : kind == S_IFSOCK ? "a socket" : "not a regular file"
        throw FileProblem("\(shownPath(url)) is \(found), not a regular file")
    }
    let size = Int(status.st_size)
    guard size <= maximumBytes else {
        close(descriptor)
        throw FileProblem("\(shownPath(url)) is \(formatBytes(Double(size))), more than the \(formatBytes(Double(maximumBytes))) "
            + "such a file may have")
    }
    return (descriptor, size)
}

/// The whole contents of the regular file `url`, of at most `maximumBytes`.
public func readRegularFile(_ url: URL, maximumBytes: Int) throws(FileProblem) -> Data {
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
    if let failure { throw FileProblem("cannot read \(shownPath(url)) (\(String(cString: strerror(failure))))") }
    return data.prefix(done)
}

/// The whole of the regular file `url` (at most `maximumBytes`) as UTF-8 text.
/// - Throws: `FileProblem` when it is not a regular file, is too large, cannot be read, or is not
///   valid UTF-8 (naming the byte offset of the first invalid sequence).
public func readUTF8File(_ url: URL, maximumBytes: Int) throws(FileProblem) -> String {
    let data = try readRegularFile(url, maximumBytes: maximumBytes)
    return try utf8Text(data, source: url.path)
}

/// `data` as a String, or a `FileProblem` naming `source` and the byte offset of the first
/// invalid UTF-8 sequence (decoding would silently turn it into U+FFFD "�").
public func utf8Text(_ data: Data, source: String) throws(FileProblem) -> String {
    let offset = data.withUnsafeBytes { raw in firstInvalidUTF8Offset(raw.bindMemory(to: UInt8.self)) }
    if let offset {
        throw FileProblem("\(source) is not valid UTF-8: invalid byte sequence at byte offset \(offset) "
            + "(text files are read as UTF-8; convert it first, e.g. with iconv)")
    }
    return String(decoding: data, as: UTF8.self)
}

/// The largest JSON file a model folder holds: tokenizer.json of the largest vocabularies is tens
/// of MB; a config is a few kB.
let maximumJSONFileBytes = 512 << 20

/// The largest text the kit reads whole into memory (a training corpus, a file of token ids): the
/// text and its tokens (8 bytes each) must fit beside the model. Streaming readers (`lab
/// tokenize`) have no such limit.
public let maximumTextFileBytes = 1 << 30

/// A path for an error message: control characters escaped (a file name may hold a newline or an
/// escape sequence) and cut to 120 characters.
func shownPath(_ url: URL) -> String { printable(url.path, limit: 120) }
