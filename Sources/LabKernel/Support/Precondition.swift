// Preconditions that always say what went wrong.
//
// The kernel is compiled with -O even in debug builds (Package.swift). In -O, Swift's standard
// `precondition` still stops the program but drops its message: a student would see only
// "Illegal instruction" instead of "matmul: inner dimensions differ: a is [2, 3], b is [4, 5]".
// These two functions shadow the standard ones inside LabKernel and stop through `fatalError`,
// which prints its message in every build mode. The check itself costs the same.

/// Stops the program with `message` (and the caller's file and line) when `condition` is false.
/// Shadows `Swift.precondition` inside LabKernel; see the file header for why.
@inline(__always)
func precondition(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String = String(),
                  file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}

/// Stops the program with `message`. Shadows `Swift.preconditionFailure` inside LabKernel.
@inline(__always)
func preconditionFailure(_ message: @autoclosure () -> String = String(),
                         file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message(), file: file, line: line)
}
