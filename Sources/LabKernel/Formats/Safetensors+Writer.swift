// Safetensors+Writer: saving tensors as a safetensors file that Python's `safetensors` and
// PyTorch read.
//
// The layout is the one the reader checks (Safetensors.swift): the 8-byte length, the JSON header
// padded with spaces to a multiple of 8 bytes (the format allows trailing spaces, and the padding
// keeps every F32 tensor 4-byte aligned in a mapped file), then the tensors in the order of their
// names. The file is written to a temporary name beside the target and renamed over it, so a
// crash never leaves a half-written checkpoint under the real name. F16 and BF16 round to nearest,
// ties to even (Safetensors+Conversions.swift). Tensors already in stored form (`StoredTensor`,
// any dtype) are written as given. Left out: sharding.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `tensors` (name → tensor) to a safetensors file, stored as `dtype` (F32, F16 or BF16).
///
///     try writeSafetensors(["wte": wte, "wpe": wpe], metadata: ["format": "pt"], to: url)
///
/// - Throws: `SafetensorsError` for a dtype the writer does not produce, or when the file cannot be written.
public func writeSafetensors(_ tensors: [String: Tensor], metadata: [String: String] = [:],
                             dtype: SafetensorsDType = .f32, to url: URL) throws {
    guard dtype.isLoadable else {
        throw SafetensorsError("\(url.lastPathComponent): the writer stores F32, F16 or BF16, not \(dtype.rawValue)")
    }
    let stored = tensors.map { name, tensor in
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tensor.count * dtype.byteSize)
        for value in tensor.scalars {
            switch dtype {
            case .f32: appendLittleEndian(value.bitPattern, to: &bytes)
            case .f16: appendLittleEndian(halfBits(from: value), to: &bytes)
            default: appendLittleEndian(bfloat16Bits(from: value), to: &bytes)
            }
        }
        return StoredTensor(name: name, dtype: dtype, shape: tensor.shape, bytes: bytes)
    }
    try writeSafetensors(stored, metadata: metadata, to: url)
}

/// One tensor as a safetensors file stores it: its dtype, shape and little-endian bytes.
public struct StoredTensor: Sendable {
    public let name: String
    public let dtype: SafetensorsDType
    public let shape: [Int]
    public let bytes: [UInt8]

    public init(name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) {
        precondition(bytes.count == shape.reduce(1, *) * dtype.byteSize,
                     "StoredTensor: \(bytes.count) bytes do not hold \(shape.shapeDescription) of \(dtype.rawValue)")
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }
}

/// Writes tensors already in their stored form (any dtype, e.g. a quantized folder's I8 values
/// and F16 scales) to a safetensors file, in the order of their names.
public func writeSafetensors(_ tensors: [StoredTensor], metadata: [String: String] = [:], to url: URL) throws {
    let sorted = tensors.sorted { $0.name < $1.name }
    var entries: [String] = []
    if !metadata.isEmpty {
        let members = metadata.keys.sorted().map { "\(jsonStringLiteral($0)):\(jsonStringLiteral(metadata[$0]!))" }
        entries.append("\"__metadata__\":{\(members.joined(separator: ","))}")
    }
    var offset = 0
    for tensor in sorted {
        let size = tensor.bytes.count
        let shape = tensor.shape.map(String.init).joined(separator: ",")
        entries.append("\(jsonStringLiteral(tensor.name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],"
            + "\"data_offsets\":[\(offset),\(offset + size)]}")
        offset += size
    }
    var header = Array("{\(entries.joined(separator: ","))}".utf8)
    while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }

    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + header.count + offset)
    for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: UInt64(header.count) >> (8 * UInt64(i)))) }
    bytes += header
    for tensor in sorted { bytes += tensor.bytes }

    do {
        try writeFileAtomically(Data(bytes), to: url)
    } catch let error as FileWriteError {
        throw SafetensorsError("\(url.lastPathComponent): \(error)")
    }
}

private func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    var v = value.littleEndian
    withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
}
