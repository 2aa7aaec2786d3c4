// Fixture exercise fixtures.chatty: prints about 4 MB of debugging output, then answers wrongly
// for large counts.

/// The number of lines printed, after printing `lines` lines of 99 characters.
public func chatter(lines: Int) -> Int {
    let line = String(repeating: "x", count: 99)
    for _ in 0..<lines {
        print(line)
    }
    return lines > 1000 ? lines - 1 : lines
}
