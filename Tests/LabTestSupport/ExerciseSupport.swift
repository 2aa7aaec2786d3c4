// Running a student's exercise code inside a test: "not implemented yet" instead of a wrong answer.
//
// An exercise stub returns `todo(placeholder)` (LabExercise), which records where it was reached
// and hands back a dummy value. A test that compared that dummy with the right answer would say
// "expected 32, got 0": true, but not what the student needs to hear. `exercise(_:)` runs the
// code, notices any recorded `todo`, and fails with "not implemented yet: dot(_:_:) in
// exercises/00-tensors/DotProduct.swift:28" instead, returning nil so the test stops there.
//
// Left out: traps and infinite loops in student code. They cannot be caught inside the test
// process; the checker (`lab check`) runs each test in its own process with a deadline.

import XCTest
import LabExercise

/// Runs exercise code and returns its result, or fails the test and returns nil when the code
/// reached a `todo()` marker (the exercise is not written yet).
///
/// Use it around every call into an exercise module, then compare the result:
///
///     guard let c = exercise({ dot(a, b) }) else { return }
///     assertClose(c, 32, tolerance: 0, "dot of [1, 2, 3] and [4, 5, 6]")
///
/// The failure says `not implemented yet: <function> in <file>:<line>` for every marker reached,
/// and is reported at the line of the `exercise` call (`file`, `line`).
@discardableResult
public func exercise<T>(_ body: () throws -> T,
                        file: StaticString = #filePath, line: UInt = #line) rethrows -> T? {
    // Forget markers left by earlier code, so that only this call's markers count.
    _ = TodoLog.shared.reset()
    let result = try body()
    let markers = TodoLog.shared.reset()
    if let report = notImplementedReport(markers) {
        XCTFail(report, file: file, line: line)
        return nil
    }
    return result
}

/// The failure message for reached `todo()` markers, or nil when there are none:
/// `not implemented yet: dot(_:_:) in exercises/00-tensors/DotProduct.swift:28`, one such
/// clause per marker, joined with "; ". The checker matches the `not implemented yet:` prefix.
public func notImplementedReport(_ markers: [TodoMarker]) -> String? {
    guard !markers.isEmpty else { return nil }
    return markers.map { "not implemented yet: \($0)" }.joined(separator: "; ")
}
