// The "not implemented yet" marker for exercise stubs.
//
// A stub must compile and must not crash the test run, yet its tests must fail with a message
// that tells the student what to do. So a stub returns `todo(placeholder)`: the placeholder
// keeps the types happy, and the call is recorded. The test suites (LabTestSupport's
// `exercise(_:)`) check the record and report "not implemented yet: dot(_:_:) in
// exercises/00-tensors/DotProduct.swift:14" instead of a confusing wrong answer.

import Foundation

/// Marks an exercise function as not written yet and returns `placeholder` so that the stub
/// compiles. Replace the whole `return todo(...)` line with your implementation.
///
///     public func dot(_ a: [Float], _ b: [Float]) -> Float {
///         return todo(0)
///     }
public func todo<T>(_ placeholder: T, function: StaticString = #function,
                    file: StaticString = #filePath, line: UInt = #line) -> T {
    TodoLog.shared.record(TodoMarker(function: "\(function)", file: "\(file)", line: Int(line)))
    return placeholder
}

/// Where a `todo` was reached: the function and its source location.
public struct TodoMarker: Sendable, Equatable, CustomStringConvertible {
    public let function: String
    public let file: String
    public let line: Int

    /// `dot(_:_:) in exercises/00-tensors/DotProduct.swift:14`, with the path shortened to start
    /// at `exercises/` or `solutions/` when it can.
    public var description: String {
        var path = file
        for root in ["/exercises/", "/solutions/"] {
            if let range = file.range(of: root, options: .backwards) {
                path = String(file[file.index(after: range.lowerBound)...])
                break
            }
        }
        return "\(function) in \(path):\(line)"
    }
}

/// The markers reached since the last `reset`; thread-safe.
public final class TodoLog: @unchecked Sendable {
    public static let shared = TodoLog()
    private let lock = NSLock()
    private var markers: [TodoMarker] = []

    public func record(_ marker: TodoMarker) {
        lock.lock(); defer { lock.unlock() }
        if !markers.contains(marker) { markers.append(marker) }
    }

    /// Returns the markers recorded so far and clears the log.
    public func reset() -> [TodoMarker] {
        lock.lock(); defer { lock.unlock() }
        let result = markers
        markers = []
        return result
    }
}
