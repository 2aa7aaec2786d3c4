// Tests of the fixture loader (LabTestSupport/Fixtures.swift): typed fields, nested cases, error
// messages that name the file and field, and locating the committed fixtures and the peer
// conformance data from the source tree.

import Foundation
import XCTest
import LabKernel
import LabTestSupport

final class FixtureLoaderTests: XCTestCase {
    private func parse(_ json: String) throws -> Fixture {
        try Fixture(json: Data(json.utf8), location: "test.json")
    }

    func testTypedFields() throws {
        let f = try parse("""
            {"x": {"shape": [2, 3], "data": [1, 2.5, -3, 4e-3, 0.1, 6]},
             "s": {"shape": [], "data": [7]},
             "targets": [3, -100, 0], "loss": 1.25, "steps": 1000, "name": "softmax",
             "list": [0.5, "nan", "-inf"], "gone": null, "flag": true}
            """)
        let x = try f.tensor("x")
        XCTAssertEqual(x.shape, [2, 3])
        XCTAssertEqual(x.scalars, [1, 2.5, -3, 0.004, 0.1, 6])
        XCTAssertEqual(try f.tensor("s").shape, [])
        XCTAssertEqual(try f.tensor("s").item, 7)
        XCTAssertEqual(try f.ints("targets"), [3, -100, 0])
        XCTAssertEqual(try f.float("loss"), 1.25)
        XCTAssertEqual(try f.int("steps"), 1000)
        XCTAssertEqual(try f.string("name"), "softmax")
        let list = try f.floats("list")
        XCTAssertEqual(list[0], 0.5)
        XCTAssertTrue(list[1].isNaN)
        XCTAssertEqual(list[2], -.infinity)
        XCTAssertTrue(f.contains("x"))
        XCTAssertFalse(f.contains("gone"))
        XCTAssertFalse(f.contains("absent"))
        XCTAssertEqual(f.keys, ["flag", "gone", "list", "loss", "name", "s", "steps", "targets", "x"])
    }

    func testFloat32ValuesRoundTripExactly() throws {
        // The scripts write float(np.float32(v)) reprs: 17 significant digits at most, read back exactly.
        let value: Float = 0.1
        let f = try parse(#"{"v": \#(Double(value))}"#)
        XCTAssertEqual(try f.float("v").bitPattern, value.bitPattern)
    }

    func testNestedCasesAndObjects() throws {
        let f = try parse("""
            {"torch": "2.5.0", "cases": [{"x": [1]}, {"x": [2, 3]}], "meta": {"seed": 42}}
            """)
        let cases = try f.cases("cases")
        XCTAssertEqual(cases.count, 2)
        XCTAssertEqual(try cases[1].floats("x"), [2, 3])
        XCTAssertEqual(cases[1].location, "test.json, cases[1]")
        XCTAssertEqual(try f.object("meta").int("seed"), 42)
    }

    func testErrorsNameTheFileTheFieldAndWhatWasExpected() throws {
        let f = try parse("""
            {"x": {"shape": [2, 3], "data": [1, 2]}, "n": 1.5, "t": [1, "a"], "cases": [{"y": 1}],
             "half": {"shape": [1]}}
            """)
        XCTAssertThrowsError(try f.tensor("x")) { error in
            XCTAssertEqual("\(error)", #"test.json: field "x": shape [2, 3] needs 6 elements, but data has 2"#)
        }
        XCTAssertThrowsError(try f.tensor("missing")) { error in
            XCTAssertEqual("\(error)", #"test.json: field "missing" is missing; the fields are ["cases", "half", "n", "t", "x"]"#)
        }
        XCTAssertThrowsError(try f.tensor("n")) { error in
            XCTAssertEqual("\(error)", #"test.json: field "n": expected a tensor {"shape": [...], "data": [...]}, found a number (1.5)"#)
        }
        XCTAssertThrowsError(try f.tensor("half")) { error in
            XCTAssertTrue("\(error)".contains(#"field "half": expected a tensor with keys "shape" and "data", found keys ["shape"]"#), "\(error)")
        }
        XCTAssertThrowsError(try f.int("n")) { error in
            XCTAssertEqual("\(error)", #"test.json: field "n": expected an integer, found a number (1.5)"#)
        }
        XCTAssertThrowsError(try f.ints("t")) { error in
            XCTAssertEqual("\(error)", #"test.json: field "t[1]": expected an integer, found a string ("a")"#)
        }
        XCTAssertThrowsError(try f.cases("cases")[0].tensor("x")) { error in
            XCTAssertEqual("\(error)", #"test.json, cases[0]: field "x" is missing; the fields are ["y"]"#)
        }
        XCTAssertThrowsError(try parse("[1, 2]")) { error in
            XCTAssertEqual("\(error)", "fixture test.json: expected a JSON object at the top, found an array of 2 values")
        }
        XCTAssertThrowsError(try parse("{\"a\": ")) { error in
            XCTAssertTrue("\(error)".hasPrefix("fixture test.json: not valid JSON"), "\(error)")
        }
    }

    func testMissingFileSaysWhereItLookedAndHowFixturesAreMade() {
        XCTAssertThrowsError(try Fixture.load("kernel/no-such-fixture.json")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(RepositoryPaths.fixtures.appendingPathComponent("kernel/no-such-fixture.json").path), text)
            XCTAssertTrue(text.contains("scripts/fixtures/"), text)
        }
    }

    func testRepositoryPathsPointAtThisRepository() {
        let manifest = RepositoryPaths.root.appendingPathComponent("Package.swift")
        XCTAssertTrue(FileManager.default.fileExists(atPath: manifest.path), manifest.path)
        XCTAssertEqual(RepositoryPaths.fixtures.lastPathComponent, "Fixtures")
    }

    func testConformanceDataIsFoundOrSkipped() throws {
        // Present beside the repository on the kit's own machines; absent in a student's clone.
        let readme = try RepositoryPaths.requireConformance("README.md")
        XCTAssertTrue(FileManager.default.fileExists(atPath: readme.path))
        XCTAssertThrowsError(try RepositoryPaths.requireConformance("no/such/file")) { error in
            XCTAssertTrue(error is XCTSkip, "\(error)")
        }
    }
}
