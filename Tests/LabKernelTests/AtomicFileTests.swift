// writeFileAtomically: the destination is replaced whole or not at all, and nothing is left beside it.

import Foundation
import XCTest
import LabKernel

final class AtomicFileTests: XCTestCase {
    func testReplacesTheFileAndLeavesNoTemporaryFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a.txt")
        try writeFileAtomically(Data("old".utf8), to: file)
        try writeFileAtomically(Data("new".utf8), to: file)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "new")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["a.txt"])

        let missing = folder.appendingPathComponent("no-such-folder/b.txt")
        XCTAssertThrowsError(try writeFileAtomically(Data("x".utf8), to: missing)) { error in
            XCTAssertTrue(error is FileWriteError)
            XCTAssertTrue("\(error)".contains("no-such-folder"), "\(error)")
        }
        // A folder in the way: the rename fails, the temporary file is removed, the folder stays.
        let blocked = folder.appendingPathComponent("c")
        try FileManager.default.createDirectory(at: blocked.appendingPathComponent("inside"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try writeFileAtomically(Data("x".utf8), to: blocked)) { error in
            XCTAssertTrue("\(error)".contains("cannot move the written file into place"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["a.txt", "c"])
    }
}
