// Fixtures: reference numbers made by programs we did not write (PyTorch, Hugging Face), committed
// as small JSON files under Tests/Fixtures/, and typed access to them from tests.
//
// The files are found from this source file's own path (`#filePath`), so the tests work in any
// clone without bundle resources; the price is that a test binary moved to another machine without
// its source tree cannot find them (nothing in the kit does that). A fixture is a JSON object;
// tensors are written `{"shape": [2, 3], "data": [...]}` with the data flat and row-major, and a
// non-finite element as the string "nan", "inf" or "-inf" (JSON has no such numbers). A file can
// hold a list of cases, each an object with its own named fields.
//
// Also here: the peer conformance data in `../shared/conformance/` beside the repository, which a
// student's clone does not have, so tests skip with a message where it is absent.
// Left out: writing fixtures (the Python scripts under scripts/fixtures/ do that) and binary
// fixtures such as safetensors files, which tests read with the kernel's own format loaders.

import Foundation
import XCTest
import LabKernel

// MARK: - Where things are

/// Folders of the repository, found from this file's location `<repo>/Tests/LabTestSupport/`.
public enum RepositoryPaths {
    /// The repository's root folder (the one holding Package.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/LabTestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `<repo>/Tests/Fixtures/`: the committed reference fixtures.
    public static let fixtures: URL = root.appendingPathComponent("Tests/Fixtures", isDirectory: true)

    /// `<repo>/../shared/conformance/`, or nil where it does not exist (e.g. in a student's clone).
    public static var sharedConformance: URL? {
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/conformance", isDirectory: true)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? url.standardizedFileURL : nil
    }

    /// A file or folder inside the shared conformance data, e.g. `"cs336/fixtures/corpus.en"`;
    /// throws `XCTSkip` (the test is reported as skipped, with the reason) when it is absent.
    ///
    ///     let corpus = try RepositoryPaths.requireConformance("cs336/fixtures/corpus.en")
    public static func requireConformance(_ relativePath: String) throws -> URL {
        guard let folder = sharedConformance else {
            throw XCTSkip("peer conformance data not found: expected the folder ../shared/conformance/ beside the "
                + "repository (\(root.path)); it is not part of a clone, so this test is skipped")
        }
        let url = folder.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("peer conformance file not found: \(url.path)")
        }
        return url
    }
}

// MARK: - Errors

/// A fixture that is missing or does not hold what a test asked for. The description names the
/// file, the field (with the path through nested cases) and what was expected.
public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
}

// MARK: - Fixture

/// One JSON fixture object (a whole file, or one case inside it) with typed accessors.
///
///     let f = try Fixture.load("kernel/softmax.json")
///     for c in try f.cases("cases") {
///         let x = try c.tensor("x")          // {"shape": [...], "data": [...]}
///         let expected = try c.tensor("softmax")
///     }
///     let targets = try f.ints("targets")
///     let loss = try f.float("loss")
public struct Fixture: Sendable {
    /// Where this object is, for messages: `kernel/softmax.json` or `kernel/softmax.json, cases[2]`.
    public let location: String
    private let fields: [String: JSONValue]

    private init(location: String, fields: [String: JSONValue]) {
        self.location = location
        self.fields = fields
    }

    /// Reads `Tests/Fixtures/<relativePath>`, which must hold one JSON object.
    public static func load(_ relativePath: String) throws -> Fixture {
        let url = RepositoryPaths.fixtures.appendingPathComponent(relativePath)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FixtureError(description: "fixture \(relativePath): cannot read \(url.path) (\(error.localizedDescription)). "
                + "Fixtures are made by the scripts in scripts/fixtures/ and committed under Tests/Fixtures/.")
        }
        return try Fixture(json: data, location: relativePath)
    }

    /// Parses one JSON object from memory; `location` names it in error messages.
    public init(json data: Data, location: String) throws {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw FixtureError(description: "fixture \(location): not valid JSON (\(error))")
        }
        guard case .object(let fields) = value else {
            throw FixtureError(description: "fixture \(location): expected a JSON object at the top, found \(value.kind)")
        }
        self.init(location: location, fields: fields)
    }

    /// The names of the fields, sorted.
    public var keys: [String] { fields.keys.sorted() }

    /// Whether the field exists (and is not null).
    public func contains(_ key: String) -> Bool {
        if case .some(.null) = fields[key] { return false }
        return fields[key] != nil
    }

    // MARK: Typed fields

    /// A tensor written `{"shape": [d0, d1, …], "data": [row-major numbers]}`; shape `[]` is a scalar.
    public func tensor(_ key: String) throws -> Tensor {
        try tensor(from: try field(key), key)
    }

    /// A list of tensors, each written as `tensor(_:)` reads one.
    public func tensors(_ key: String) throws -> [Tensor] {
        let value = try field(key)
        guard case .array(let items) = value else { throw mismatch(key, expected: "an array of tensors", found: value) }
        return try items.enumerated().map { index, item in try tensor(from: item, "\(key)[\(index)]") }
    }

    private func tensor(from value: JSONValue, _ key: String) throws -> Tensor {
        guard case .object(let object) = value else {
            throw mismatch(key, expected: #"a tensor {"shape": [...], "data": [...]}"#, found: value)
        }
        guard let shapeValue = object["shape"], let dataValue = object["data"] else {
            throw FixtureError(description: "\(location): field \"\(key)\": expected a tensor with keys \"shape\" and \"data\", "
                + "found keys \(object.keys.sorted())")
        }
        let shape = try integers(shapeValue, "\(key).shape")
        let data = try numbers(dataValue, "\(key).data")
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == data.count else {
            throw FixtureError(description: "\(location): field \"\(key)\": shape \(shape.shapeDescription) needs "
                + "\(shape.reduce(1, *)) elements, but data has \(data.count)")
        }
        return Tensor(shape: shape, scalars: data)
    }

    /// A flat list of numbers, e.g. `[0.1, 0.2]`.
    public func floats(_ key: String) throws -> [Float] {
        try numbers(try field(key), key)
    }

    /// A list of integers, e.g. class targets `[3, -100, 1]`.
    public func ints(_ key: String) throws -> [Int] {
        try integers(try field(key), key)
    }

    /// One number (a JSON number or "nan"/"inf"/"-inf").
    public func float(_ key: String) throws -> Float {
        let value = try field(key)
        guard let number = value.float else { throw mismatch(key, expected: "a number", found: value) }
        return number
    }

    /// One integer.
    public func int(_ key: String) throws -> Int {
        let value = try field(key)
        guard let integer = value.int else { throw mismatch(key, expected: "an integer", found: value) }
        return integer
    }

    /// One string.
    public func string(_ key: String) throws -> String {
        let value = try field(key)
        guard case .string(let text) = value else { throw mismatch(key, expected: "a string", found: value) }
        return text
    }

    /// A list of strings, e.g. parameter names.
    public func strings(_ key: String) throws -> [String] {
        let value = try field(key)
        guard case .array(let items) = value else { throw mismatch(key, expected: "an array of strings", found: value) }
        return try items.enumerated().map { index, item in
            guard case .string(let text) = item else { throw mismatch("\(key)[\(index)]", expected: "a string", found: item) }
            return text
        }
    }

    /// A nested object, with the same accessors.
    public func object(_ key: String) throws -> Fixture {
        let value = try field(key)
        guard case .object(let object) = value else { throw mismatch(key, expected: "an object", found: value) }
        return Fixture(location: "\(location), \(key)", fields: object)
    }

    /// A list of cases: an array of objects, each with its own named fields. Messages about a
    /// case name its position, e.g. `kernel/softmax.json, cases[2]: field "x" is missing`.
    public func cases(_ key: String) throws -> [Fixture] {
        let value = try field(key)
        guard case .array(let items) = value else { throw mismatch(key, expected: "an array of objects", found: value) }
        return try items.enumerated().map { index, item in
            guard case .object(let object) = item else {
                throw FixtureError(description: "\(location): field \"\(key)\"[\(index)]: expected an object, found \(item.kind)")
            }
            return Fixture(location: "\(location), \(key)[\(index)]", fields: object)
        }
    }

    // MARK: Helpers

    private func field(_ key: String) throws -> JSONValue {
        guard let value = fields[key] else {
            throw FixtureError(description: "\(location): field \"\(key)\" is missing; the fields are \(keys)")
        }
        return value
    }

    private func mismatch(_ key: String, expected: String, found: JSONValue) -> FixtureError {
        FixtureError(description: "\(location): field \"\(key)\": expected \(expected), found \(found.kind)")
    }

    private func numbers(_ value: JSONValue, _ key: String) throws -> [Float] {
        guard case .array(let items) = value else { throw mismatch(key, expected: "an array of numbers", found: value) }
        return try items.enumerated().map { index, item in
            guard let number = item.float else {
                throw mismatch("\(key)[\(index)]", expected: #"a number (or "nan", "inf", "-inf")"#, found: item)
            }
            return number
        }
    }

    private func integers(_ value: JSONValue, _ key: String) throws -> [Int] {
        guard case .array(let items) = value else { throw mismatch(key, expected: "an array of integers", found: value) }
        return try items.enumerated().map { index, item in
            guard let integer = item.int else { throw mismatch("\(key)[\(index)]", expected: "an integer", found: item) }
            return integer
        }
    }
}

// MARK: - JSON values

// Fixtures are parsed with the kernel's own JSON reader (Formats/JSON.swift), which reports the
// line and column of a syntax error. Numbers are Doubles: a float32 written with enough digits
// converts back exactly.
private extension JSONValue {
    /// The value as a Float: a number, or one of the strings "nan", "inf", "-inf" (how the
    /// fixture scripts write values JSON cannot hold).
    var float: Float? {
        switch self {
        case .number(let value): return Float(value)
        case .string("nan"): return .nan
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        default: return nil
        }
    }
}
