// Tests for exercise 01.1 (tokenization.utf8-bytes): `utf8Bytes(of:)` in
// exercises/01-tokenization/UTF8Bytes.swift.
//
// The four examples of the doc comment (byte values from the Unicode standard's tables), the code
// points where the byte count changes, characters made of several scalars, and then random text
// from all planes against Swift's own `String.utf8`, and against the kernel's tokenizer with no
// merges, which encodes any text to exactly its bytes.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseUTF8Bytes

final class UTF8BytesTests: XCTestCase {
    func testOneExampleOfEachLength() {
        // U+0061, U+00E9, U+20AC and U+1F642, encoded by hand from the bit patterns.
        for (text, expected) in [("a", [0x61]), ("é", [0xC3, 0xA9]), ("€", [0xE2, 0x82, 0xAC]), ("🙂", [0xF0, 0x9F, 0x99, 0x82])] {
            guard let bytes = exercise({ utf8Bytes(of: text) }) else { return }
            XCTAssertEqual(bytes, expected.map(UInt8.init), "utf8Bytes(of: \(text.debugDescription)), code point "
                           + "U+\(String(text.unicodeScalars.first!.value, radix: 16, uppercase: true))")
        }
    }

    func testASCIITextIsOneBytePerCharacter() {
        guard let bytes = exercise({ utf8Bytes(of: "Hi, 42!") }) else { return }
        XCTAssertEqual(bytes, [72, 105, 44, 32, 52, 50, 33], "ASCII characters are their own byte values")
    }

    func testEmptyTextHasNoBytes() {
        guard let bytes = exercise({ utf8Bytes(of: "") }) else { return }
        XCTAssertEqual(bytes, [])
    }

    func testCodePointsWhereTheLengthChanges() {
        // The last and first code point of each length: 1, 2, 2, 3, 3, 4, 4 bytes.
        let cases: [(UInt32, Int)] = [(0x7F, 1), (0x80, 2), (0x7FF, 2), (0x800, 3), (0xFFFF, 3), (0x10000, 4), (0x10FFFF, 4)]
        for (value, length) in cases {
            let text = String(Unicode.Scalar(value)!)
            guard let bytes = exercise({ utf8Bytes(of: text) }) else { return }
            XCTAssertEqual(bytes.count, length, "U+\(String(value, radix: 16, uppercase: true)) takes \(length) byte(s)")
            XCTAssertEqual(bytes, Array(text.utf8), "the bytes of U+\(String(value, radix: 16, uppercase: true))")
        }
    }

    func testCharactersMadeOfSeveralScalars() {
        // One Character each, but 2 scalars: every scalar is encoded, in order.
        for text in ["e\u{301}", "👋🏽", "🇩🇪", "\r\n"] {
            guard let bytes = exercise({ utf8Bytes(of: text) }) else { return }
            XCTAssertEqual(bytes, Array(text.utf8), "\(text.debugDescription) (\(text.unicodeScalars.count) scalars)")
        }
    }

    func testRandomScalarsFromAllPlanesMatchSwiftsUTF8() {
        var generator = SeededGenerator(seed: 101)
        for _ in 0..<20 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<200 {
                // Pick the length first, so that every length is common.
                let ranges: [ClosedRange<UInt32>] = [0...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF]
                let range = ranges[generator.nextInt(below: ranges.count)]
                let value = range.lowerBound + UInt32(generator.nextInt(below: Int(range.upperBound - range.lowerBound) + 1))
                scalars.append(Unicode.Scalar(value)!)
            }
            let text = String(scalars)
            guard let bytes = exercise({ utf8Bytes(of: text) }) else { return }
            guard bytes != Array(text.utf8) else { continue }
            let expected = Array(text.utf8)
            let first = zip(bytes, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(bytes.count, expected.count)
            return XCTFail("random text of 200 scalars: \(bytes.count) bytes, expected \(expected.count); first difference at byte "
                           + "\(first): got \(bytes.dropFirst(first).prefix(4).map { String($0, radix: 16) }), expected "
                           + "\(expected.dropFirst(first).prefix(4).map { String($0, radix: 16) })")
        }
    }

    func testBytesAreWhatATokenizerWithoutMergesEncodes() throws {
        // The kernel's byte-level tokenizer with no merges: token id = byte value.
        let bytesOnly = try BPETokenizer.train(text: "", vocabularySize: 256)
        let text = "Tokenizers see bytes: Grüße, 日本語, 🙂 and \t tabs.\n"
        guard let bytes = exercise({ utf8Bytes(of: text) }) else { return }
        XCTAssertEqual(bytes.map(Int.init), bytesOnly.encode(text), "the ids of a tokenizer with no merges")
    }
}
