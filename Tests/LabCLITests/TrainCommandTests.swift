// `lab train` as a student runs it: a tiny model trained on the kit's stories into a folder the kit
// loads again, JSON lines, a run stopped and resumed that ends with the same bytes as one that was
// not, Ctrl-C (SIGINT) saving a checkpoint, and every bad input the training issue names (an empty
// or too-short corpus, a context longer than the model's positions, a vocabulary below 256,
// --resume with another shape, a learning rate that blows up) giving a clear error, a non-zero
// exit and nothing lost.

import Foundation
import XCTest
import LabKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class TrainCommandTests: XCTestCase {
    /// A tiny run: 300 kB of stories, 300 tokens, 2 layers of width 32, 16-token windows.
    static let tiny = ["train", "--corpus", "stories", "--bytes", "300k", "--vocab-size", "300", "--layers", "2",
                       "--width", "32", "--heads", "2", "--context", "16", "--batch", "4", "--steps", "12",
                       "--eval-interval", "4", "--eval-batches", "2", "--threads", "1"]

    func testTrainsIntoAFolderTheKitLoadsWithHistoryAndCurve() throws {
        let folder = try makeTemporaryFolder(self)
        let run = try LabTool.run(Self.tiny + ["--output", "model", "--json"], in: folder)
        XCTAssertEqual(run.status, 0, run.transcript)
        let lines = run.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.filter { $0.contains("\"event\":\"step\"") || $0.contains("\"event\":\"eval\"") }.count, 12, run.transcript)
        XCTAssertEqual(lines.filter { $0.contains("\"event\":\"eval\"") }.count, 3)
        XCTAssertTrue(lines.last?.contains("\"event\":\"done\"") == true, run.transcript)
        let model = folder.appendingPathComponent("model")
        let loaded = try loadModel(folder: model)
        XCTAssertEqual(loaded.model.config.layers, 2)
        XCTAssertEqual(loaded.tokenizer?.vocabularySize, 300)
        let csv = try String(contentsOf: model.appendingPathComponent("loss.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 13, csv)
        let svg = try String(contentsOf: model.appendingPathComponent("loss.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg") && svg.contains("<polyline"), svg)
        let generated = try LabTool.run(["generate", "--model", "model", "--prompt", "Once", "--max-tokens", "5"], in: folder)
        XCTAssertEqual(generated.status, 0, generated.transcript)
    }

    func testAStoppedAndResumedRunEndsWithTheSameBytes() throws {
        let folder = try makeTemporaryFolder(self)
        XCTAssertEqual(try LabTool.run(Self.tiny + ["--output", "straight"], in: folder).status, 0)
        let stopped = try LabTool.run(Self.tiny + ["--output", "resumed", "--stop-after", "6"], in: folder)
        XCTAssertEqual(stopped.status, 0, stopped.transcript)
        XCTAssertEqual(try TrainingCheckpoint.load(folder.appendingPathComponent("resumed")).step, 6)
        let resumed = try LabTool.run(["train", "--resume", "resumed", "--threads", "2"], in: folder)
        XCTAssertEqual(resumed.status, 0, resumed.transcript)
        for file in ["model.safetensors", "training_state.safetensors"] {
            let a = try Data(contentsOf: folder.appendingPathComponent("straight/\(file)"))
            let b = try Data(contentsOf: folder.appendingPathComponent("resumed/\(file)"))
            XCTAssertEqual(a, b, "\(file): a run resumed at step 6 (on 2 threads) differs from one that was not")
        }
        let rows = { (name: String) in
            try String(contentsOf: folder.appendingPathComponent("\(name)/loss.csv"), encoding: .utf8)
                .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(5).joined(separator: ",") }
        }
        XCTAssertEqual(try rows("straight"), try rows("resumed"), "the loss history is the same, step for step")
    }

    func testControlCSavesACheckpointAndExits() throws {
        let folder = try makeTemporaryFolder(self)
        let binary = try LabTool.requireBinary()
        let process = Process()
        process.executableURL = binary
        process.currentDirectoryURL = folder
        var arguments = Self.tiny
        arguments[arguments.firstIndex(of: "--steps")! + 1] = "100000"
        process.arguments = arguments + ["--output", "model", "--json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the first step's line, then press Ctrl-C.
        let firstLine = output.fileHandleForReading.availableData
        XCTAssertTrue(String(decoding: firstLine, as: UTF8.self).contains("\"event\""))
        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        XCTAssertFalse(process.isRunning, "lab train did not stop within 30 s of SIGINT")
        if process.isRunning { process.terminate() }
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertEqual(process.terminationReason, .exit, "it exits by itself, not killed by the signal")
        let saved = try TrainingCheckpoint.load(folder.appendingPathComponent("model"))
        XCTAssertGreaterThan(saved.step, 0)
    }

    func testBadInputsNameTheArgumentAndLoseNothing() throws {
        let folder = try makeTemporaryFolder(self)
        try Data().write(to: folder.appendingPathComponent("empty.txt"))
        try Data("Once upon a time.".utf8).write(to: folder.appendingPathComponent("short.txt"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("notes"), withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: folder.appendingPathComponent("notes/mine.txt"))
        func replacing(_ option: String, with value: String) -> [String] {
            var arguments = Self.tiny
            arguments[arguments.firstIndex(of: option)! + 1] = value
            return arguments
        }
        let cases: [(arguments: [String], status: Int32, message: String)] = [
            (replacing("--corpus", with: "empty.txt") + ["--output", "a"], 1, "empty.txt is empty"),
            (replacing("--corpus", with: "short.txt") + ["--output", "a"], 1, "short.txt gives"),
            (replacing("--corpus", with: "nowhere.txt") + ["--output", "a"], 2, "--corpus 'nowhere.txt'"),
            (Self.tiny + ["--positions", "8", "--output", "a"], 2, "--context 16 is longer than the model's --positions 8"),
            (replacing("--vocab-size", with: "100") + ["--output", "a"], 2, "--vocab-size 100 is too small"),
            (Self.tiny + ["--output", "notes"], 1, "--output"),
            (Self.tiny, 2, "--output DIR is required"),
            (replacing("--width", with: "65536") + ["--output", "huge"], 2,
             "would need"),  // the model's copies and the batch's activations, one budget
            (replacing("--steps", with: "200") + ["--learning-rate", "1000", "--clip", "1000000", "--output", "blown"], 1,
             "training stopped at step"),
        ]
        for (arguments, status, message) in cases {
            let run = try LabTool.run(arguments, in: folder)
            XCTAssertEqual(run.status, status, run.transcript)
            XCTAssertTrue(run.errors.contains(message), "expected “\(message)” in: \(run.transcript)")
        }
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("notes/mine.txt"), encoding: .utf8), "keep me")
        // --resume of a folder with another shape.
        XCTAssertEqual(try LabTool.run(Self.tiny + ["--output", "model", "--stop-after", "2"], in: folder).status, 0)
        let reshaped = try LabTool.run(["train", "--resume", "model", "--layers", "3"], in: folder)
        XCTAssertEqual(reshaped.status, 2, reshaped.transcript)
        XCTAssertTrue(reshaped.errors.contains("--layers cannot change when resuming"), reshaped.transcript)
        XCTAssertEqual(try TrainingCheckpoint.load(folder.appendingPathComponent("model")).step, 2, "the checkpoint is untouched")
    }
}
