// Safetensors: reading the weight files of Hugging Face checkpoints.
//
// A safetensors file is three parts: 8 bytes holding N, the header's length (little-endian
// UInt64); N bytes of JSON; then the data section, the raw tensors back to back. The header maps
// each tensor's name to {"dtype": "F32", "shape": [V, C], "data_offsets": [begin, end]}, with
// offsets counted from the start of the data section, and may hold "__metadata__", a map of
// strings to strings. There is nothing else: no compression, no alignment rules, no pickled code,
// which is why the format is safe to open from anyone.
//
// The file is memory-mapped, so opening a several-hundred-MB checkpoint reads only the header;
// `tensor(_:)` converts one tensor to Float when asked, and the page cache holds the bytes once.
// After the copy it tells the kernel that the process no longer needs the mapped pages of that
// tensor (`madvise(MADV_DONTNEED)`), so they leave the process's resident memory: loading a model
// then peaks at about its Float weights instead of Float weights + the whole mapped file (2× for
// an F32 checkpoint). The pages stay in the page cache; reading the tensor again maps them back.
// The header is checked before anything is read through it: the length fits in the file, the JSON
// has the expected shape, every dtype is known, each byte range is exactly element size × the
// product of the shape, and the ranges tile the data section without gaps or overlaps. An error
// names the file and the tensor or field, and says what was expected.
//
// Loadable dtypes are F32, F16 and BF16 (the last two converted to Float exactly, see
// Safetensors+Conversions.swift); other known dtypes (I64, U8, F64, …) are listed by `info(_:)`
// but `tensor(_:)` refuses them. Left out: big-endian hosts (every platform the kit runs on is
// little-endian), writing (Safetensors+Writer.swift) and sharded checkpoints
// (Safetensors+Checkpoint.swift).

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The element types a safetensors header may name.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16"
    // Known but not loadable as Float tensors: reported by `info(_:)`, refused by `tensor(_:)`.
    case f64 = "F64", i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8"
    case u64 = "U64", u32 = "U32", u16 = "U16", u8 = "U8", bool = "BOOL"
    case f8e4m3 = "F8_E4M3", f8e5m2 = "F8_E5M2"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f64, .i64, .u64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .i8, .u8, .bool, .f8e4m3, .f8e5m2: return 1
        }
    }

    /// Whether `tensor(_:)` can convert this dtype to Float.
    public var isLoadable: Bool { self == .f32 || self == .f16 || self == .bf16 }
}

/// A safetensors file or checkpoint that cannot be read; the description names the file and the
/// tensor or field, and what was expected.
public struct SafetensorsError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Where one tensor is in a safetensors file.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    public let dtype: SafetensorsDType
    public let shape: [Int]
    /// Byte range inside the data section (which starts after the 8-byte length and the header).
    public let byteRange: Range<Int>
}

/// An opened, validated safetensors file; tensors are read from the memory map on demand.
///
///     let file = try SafetensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
///     let wte = try file.tensor("transformer.wte.weight")   // (V, C), converted to Float
public final class SafetensorsFile: @unchecked Sendable {  // immutable after init; the map is read-only
    /// The file's URL.
    public let url: URL
    /// Tensor names, sorted.
    public let names: [String]
    /// The header's `__metadata__` (empty when absent), e.g. `["format": "pt"]`.
    public let metadata: [String: String]
    /// Every tensor's dtype, shape and byte range, by name.
    public let tensorInfos: [String: SafetensorsTensorInfo]

    private let map: MappedFile
    private let dataStart: Int

    /// The largest header the reader accepts (the same limit as the Python library's), so a
    /// corrupt length cannot make it parse gigabytes of noise.
    public static let maximumHeaderLength = 100_000_000

    /// Maps the file and validates its header.
    /// - Throws: `SafetensorsError` naming the file and the tensor or field.
    public init(contentsOf url: URL) throws {
        self.url = url
        let file = printable(url.lastPathComponent, limit: 40)
        map = try MappedFile(url: url)
        let size = map.count
        guard size >= 8 else {
            throw SafetensorsError("\(file): the file is \(size) bytes, too short for the 8-byte header length "
                + "a safetensors file starts with (truncated?)")
        }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(map.bytes[i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(size - 8) else {
            throw SafetensorsError("\(file): the header length is \(headerLength) bytes, but only \(size - 8) "
                + "bytes follow it (truncated file, or not a safetensors file)")
        }
        guard headerLength <= UInt64(Self.maximumHeaderLength) else {
            throw SafetensorsError("\(file): the header length is \(headerLength) bytes, more than the "
                + "\(Self.maximumHeaderLength) a safetensors header may have")
        }
        let length = Int(headerLength)
        dataStart = 8 + length
        let header = UnsafeBufferPointer(rebasing: map.bytes[8..<dataStart])
        let parsed = try SafetensorsHeader(header, file: file, dataLength: size - dataStart)
        metadata = parsed.metadata
        tensorInfos = parsed.tensors
        names = parsed.tensors.keys.sorted()
    }

    /// The dtype and shape of tensor `name`.
    public func info(_ name: String) throws -> (dtype: SafetensorsDType, shape: [Int]) {
        let entry = try lookUp(name)
        return (entry.dtype, entry.shape)
    }

    /// Whether the file holds a tensor called `name`.
    public func contains(_ name: String) -> Bool { tensorInfos[name] != nil }

    /// Tensor `name` converted to Float (F16 and BF16 exactly), with the shape from the header.
    /// - Throws: when the tensor is missing or its dtype is not F32, F16 or BF16.
    public func tensor(_ name: String) throws -> Tensor {
        let entry = try lookUp(name)
        guard entry.dtype.isLoadable else {
            throw SafetensorsError("\(url.lastPathComponent): tensor \"\(printable(name))\" has dtype \(entry.dtype.rawValue); "
                + "the kit loads only F32, F16 and BF16 tensors")
        }
        let count = entry.shape.reduce(1, *)
        let source = UnsafeRawPointer(map.bytes.baseAddress!) + dataStart + entry.byteRange.lowerBound
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            switch entry.dtype {
            case .f32:
                // Unaligned copy: the data section need not start at a multiple of 4.
                if count > 0 { memcpy(buffer.baseAddress!, source, count * 4) }
            case .f16:
                for i in 0..<count { buffer[i] = floatFromHalfBits(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
            default:
                for i in 0..<count { buffer[i] = floatFromBFloat16Bits(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
            }
            initialized = count
        }
        map.releasePages(dataStart + entry.byteRange.lowerBound..<dataStart + entry.byteRange.upperBound)
        return Tensor(shape: entry.shape, scalars: scalars)
    }

    /// Calls `body` with the stored bytes of tensor `name` as they are in the file (any dtype,
    /// little-endian, not converted): how the quantized loader reads its I8 and F16 planes. The
    /// bytes are valid during the call only; their pages are released afterwards, as `tensor` does.
    public func withStoredBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer, SafetensorsTensorInfo) throws -> R) throws -> R {
        let entry = try lookUp(name)
        let start = UnsafeRawPointer(map.bytes.baseAddress!) + dataStart + entry.byteRange.lowerBound
        defer { map.releasePages(dataStart + entry.byteRange.lowerBound..<dataStart + entry.byteRange.upperBound) }
        return try body(UnsafeRawBufferPointer(start: start, count: entry.byteRange.count), entry)
    }

    private func lookUp(_ name: String) throws -> SafetensorsTensorInfo {
        guard let entry = tensorInfos[name] else {
            throw SafetensorsError("\(url.lastPathComponent): no tensor named \"\(name)\"; the file has \(names.count) tensors"
                + (names.isEmpty ? "" : ", e.g. \(names.prefix(5).map { "\"\($0)\"" }.joined(separator: ", "))"))
        }
        return entry
    }
}

// MARK: - The header

/// The validated content of a header: what `SafetensorsFile` keeps.
struct SafetensorsHeader {
    var metadata: [String: String] = [:]
    var tensors: [String: SafetensorsTensorInfo] = [:]

    /// Parses and checks the header JSON against a data section of `dataLength` bytes.
    init(_ bytes: UnsafeBufferPointer<UInt8>, file: String, dataLength: Int) throws {
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes)
        } catch let error as JSONParseError {
            throw SafetensorsError("\(file): the header is not valid JSON: \(error)")
        }
        guard let members = root.object else {
            throw SafetensorsError("\(file): the header should be a JSON object of tensors, found \(root.kind)")
        }
        for (name, value) in members {
            if name == "__metadata__" {
                guard let object = value.object else {
                    throw SafetensorsError("\(file): \"__metadata__\" should be an object of strings, found \(value.kind)")
                }
                for (key, item) in object {
                    guard let text = item.string else {
                        throw SafetensorsError("\(file): \"__metadata__\".\"\(printable(key))\" should be a string, found \(item.kind)")
                    }
                    metadata[key] = text
                }
                continue
            }
            tensors[name] = try Self.entry(name, value, file: file, dataLength: dataLength)
        }
        // The byte ranges must tile the data section: start at 0, each begins where the previous
        // ended, the last ends at the end of the file. Empty tensors take no bytes.
        var end = 0
        for (name, entry) in tensors.sorted(by: { ($0.value.byteRange.lowerBound, $0.value.byteRange.upperBound, $0.key)
                                                  < ($1.value.byteRange.lowerBound, $1.value.byteRange.upperBound, $1.key) }) {
            guard entry.byteRange.lowerBound == end else {
                let problem = entry.byteRange.lowerBound < end ? "overlaps the tensor before it" : "leaves a gap after the tensor before it"
                throw SafetensorsError("\(file): tensor \"\(printable(name))\": data_offsets [\(entry.byteRange.lowerBound), "
                    + "\(entry.byteRange.upperBound)] \(problem) (which ends at \(end))")
            }
            end = entry.byteRange.upperBound
        }
        guard end == dataLength else {
            throw SafetensorsError("\(file): the tensors cover \(end) bytes of data, but the file has \(dataLength) bytes "
                + "after the header (extra or missing bytes)")
        }
    }

    /// One tensor's entry: {"dtype": …, "shape": […], "data_offsets": [begin, end]}.
    static func entry(_ name: String, _ value: JSONValue, file: String, dataLength: Int) throws -> SafetensorsTensorInfo {
        func fail(_ message: String) -> SafetensorsError {
            SafetensorsError("\(file): tensor \"\(printable(name))\": \(message)")
        }
        guard let object = value.object else {
            throw fail("expected an object with \"dtype\", \"shape\" and \"data_offsets\", found \(value.kind)")
        }
        if let extra = object.keys.sorted().first(where: { !["dtype", "shape", "data_offsets"].contains($0) }) {
            throw fail("unexpected field \"\(printable(extra))\"; a tensor has only \"dtype\", \"shape\" and \"data_offsets\"")
        }
        guard let dtypeName = object["dtype"]?.string else {
            throw fail("\"dtype\" should be a string such as \"F32\", found \(object["dtype"]?.kind ?? "nothing")")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw fail("unknown dtype \"\(printable(dtypeName))\"; known dtypes are "
                + SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let shapeValues = object["shape"]?.array else {
            throw fail("\"shape\" should be an array of sizes, found \(object["shape"]?.kind ?? "nothing")")
        }
        var shape: [Int] = []
        var count = 1
        for item in shapeValues {
            guard let size = item.int, size >= 0 else {
                if case .number(let x) = item, x.rounded() == x, x > 0 {
                    throw fail("\"shape\" entry \(x) is too large (a tensor's sizes are below 9e15)")
                }
                throw fail("\"shape\" should hold non-negative integers, found \(item.kind)")
            }
            shape.append(size)
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw fail("shape \(shape.shapeDescription)… has too many elements") }
            count = product
        }
        guard let offsets = object["data_offsets"]?.array, offsets.count == 2,
              let begin = offsets[0].int, let end = offsets[1].int else {
            throw fail("\"data_offsets\" should be two integers [begin, end], found \(object["data_offsets"]?.kind ?? "nothing")")
        }
        guard 0 <= begin, begin <= end else {
            throw fail("data_offsets [\(begin), \(end)] should satisfy 0 ≤ begin ≤ end")
        }
        guard end <= dataLength else {
            throw fail("data_offsets [\(begin), \(end)] reach past the end of the data section (\(dataLength) bytes; truncated file?)")
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, bytes == end - begin else {
            throw fail("shape \(shape.shapeDescription) of \(dtype.rawValue) needs \(count) × \(dtype.byteSize) bytes, "
                + "but data_offsets [\(begin), \(end)] hold \(end - begin)")
        }
        return SafetensorsTensorInfo(dtype: dtype, shape: shape, byteRange: begin..<end)
    }
}

// MARK: - Memory map

/// A read-only memory map of a whole file, unmapped when released.
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>
    var count: Int { bytes.count }
    private let mapped: Bool

    init(url: URL) throws {
        let file = printable(url.lastPathComponent, limit: 40)
        let descriptor: Int32, size: Int
        do { (descriptor, size) = try openRegularFile(url) } catch { throw SafetensorsError("\(file): \(error)") }
        defer { close(descriptor) }
        guard size > 0 else {
            // mmap refuses a length of 0; an empty file is simply an empty buffer.
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw SafetensorsError("\(file): cannot memory-map \(shownPath(url)) (\(String(cString: strerror(errno))))")
        }
        bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: size)
        mapped = true
    }

    /// Drops the pages overlapping `range` from the process's resident memory. The mapping is
    /// read-only and file-backed, so a later read faults them back in from the file (page cache).
    func releasePages(_ range: Range<Int>) {
        guard mapped, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = range.lowerBound / page * page  // madvise needs a page-aligned start
        madvise(UnsafeMutableRawPointer(mutating: bytes.baseAddress! + start), range.upperBound - start, MADV_DONTNEED)
    }

    deinit {
        if mapped { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) }
    }
}
