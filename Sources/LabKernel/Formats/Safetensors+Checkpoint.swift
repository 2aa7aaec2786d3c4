// Safetensors+Checkpoint: the weights of a Hugging Face model folder, in one file or in shards.
//
// A small model saves `model.safetensors`. A large one is split into shards
// (`model-00001-of-00004.safetensors`, …) with `model.safetensors.index.json`, whose "weight_map"
// says which shard holds each tensor. `SafetensorsCheckpoint(folder:)` opens whichever the folder
// has and answers `tensor(_:)` by name from the right shard, so model code never sees the split.
// The index is checked against the shards: every mapped tensor must be in the file the index
// names, and every tensor of the shards must be in the index. Left out: the older PyTorch
// `pytorch_model.bin` (pickled, which the kit does not execute) and writing shards.

import Foundation

/// All the weights of a checkpoint folder, read lazily from memory-mapped safetensors files.
///
///     let weights = try SafetensorsCheckpoint(folder: modelFolder)
///     let embedding = try weights.tensor("model.embed_tokens.weight")   // (V, C)
public struct SafetensorsCheckpoint: Sendable {
    /// The folder the checkpoint was read from.
    public let folder: URL
    /// The opened files (one, or every shard), in file-name order.
    public let files: [SafetensorsFile]
    /// Tensor names over all files, sorted.
    public let names: [String]
    private let fileOfTensor: [String: SafetensorsFile]

    /// The index file's name in a sharded checkpoint.
    public static let indexFileName = "model.safetensors.index.json"
    /// The single file's name in an unsharded checkpoint.
    public static let singleFileName = "model.safetensors"

    /// One named safetensors file as a checkpoint (a quantized folder's `model.q8.safetensors`).
    public init(file url: URL) throws {
        folder = url.deletingLastPathComponent()
        let file = try SafetensorsFile(contentsOf: url)
        files = [file]
        fileOfTensor = Dictionary(uniqueKeysWithValues: file.names.map { ($0, file) })
        names = file.names
    }

    /// Opens `folder/model.safetensors.index.json` and its shards if the index exists, else
    /// `folder/model.safetensors`.
    /// - Throws: `SafetensorsError` naming the file and the tensor or field.
    public init(folder: URL) throws {
        self.folder = folder
        let index = folder.appendingPathComponent(Self.indexFileName)
        let single = folder.appendingPathComponent(Self.singleFileName)
        var map: [String: SafetensorsFile] = [:]
        if FileManager.default.fileExists(atPath: index.path) {
            let weightMap = try Self.readIndex(index)
            var shards: [String: SafetensorsFile] = [:]
            for shardName in Set(weightMap.values).sorted() {
                shards[shardName] = try SafetensorsFile(contentsOf: folder.appendingPathComponent(shardName))
            }
            for (name, shardName) in weightMap {
                let shard = shards[shardName]!
                guard shard.contains(name) else {
                    throw SafetensorsError("\(Self.indexFileName): tensor \"\(printable(name))\" is mapped to \(printable(shardName)), "
                        + "which has no tensor of that name")
                }
                map[name] = shard
            }
            for (shardName, shard) in shards {
                if let stray = shard.names.first(where: { map[$0] == nil }) {
                    throw SafetensorsError("\(Self.indexFileName): tensor \"\(printable(stray))\" of \(printable(shardName)) is missing from \"weight_map\"")
                }
            }
            files = shards.keys.sorted().map { shards[$0]! }
        } else if FileManager.default.fileExists(atPath: single.path) {
            let file = try SafetensorsFile(contentsOf: single)
            for name in file.names { map[name] = file }
            files = [file]
        } else {
            throw SafetensorsError("\(folder.lastPathComponent): no \(Self.singleFileName) or \(Self.indexFileName) "
                + "in \(folder.path); a Hugging Face model folder holds its weights in one of them")
        }
        fileOfTensor = map
        names = map.keys.sorted()
    }

    /// Whether the checkpoint holds a tensor called `name`.
    public func contains(_ name: String) -> Bool { fileOfTensor[name] != nil }

    /// The dtype and shape of tensor `name`.
    public func info(_ name: String) throws -> (dtype: SafetensorsDType, shape: [Int]) {
        try file(holding: name).info(name)
    }

    /// Tensor `name` converted to Float, from whichever file holds it.
    public func tensor(_ name: String) throws -> Tensor {
        try file(holding: name).tensor(name)
    }

    /// The stored bytes of tensor `name` (`SafetensorsFile.withStoredBytes`).
    public func withStoredBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer, SafetensorsTensorInfo) throws -> R) throws -> R {
        try file(holding: name).withStoredBytes(name, body)
    }

    private func file(holding name: String) throws -> SafetensorsFile {
        guard let file = fileOfTensor[name] else {
            let where_ = files.count == 1 ? files[0].url.lastPathComponent : "the \(files.count) shards of \(Self.indexFileName)"
            throw SafetensorsError("\(where_): no tensor named \"\(name)\" (the checkpoint has \(names.count) tensors"
                + (names.isEmpty ? ")" : ", e.g. \(names.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ")))"))
        }
        return file
    }

    /// The "weight_map" of an index file: tensor name → shard file name.
    static func readIndex(_ url: URL) throws -> [String: String] {
        let name = url.lastPathComponent
        let root: JSONValue
        do {
            root = try JSONValue.parse(try readRegularFile(url, maximumBytes: maximumJSONFileBytes))
        } catch let error as JSONParseError {
            throw SafetensorsError("\(name): not valid JSON: \(error)")
        } catch {
            throw SafetensorsError("\(name): \(error)")
        }
        guard let weightMap = root["weight_map"]?.object else {
            throw SafetensorsError("\(name): expected an object \"weight_map\" of tensor names to shard files, "
                + "found \(root["weight_map"]?.kind ?? "nothing")")
        }
        var result: [String: String] = [:]
        for (tensor, value) in weightMap {
            guard let file = value.string, !file.isEmpty, !file.contains("/"), file != "..", file != "." else {
                throw SafetensorsError("\(name): \"weight_map\".\"\(printable(tensor))\" should be a shard file name in the same folder, "
                    + "found \(value.kind)")
            }
            result[tensor] = file
        }
        return result
    }
}
