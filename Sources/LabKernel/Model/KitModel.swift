// Where the kit's own trained model lives: `models/lab-stories-4m`, a Hugging Face folder that
// `lab train` wrote (scripts/models/train_lab_stories.sh rebuilds it; its README is the model card).
//
// Lessons look for it beside the current folder (a student runs `swift run attention` at the root
// of the kit) and, failing that, in the source tree this file was compiled from, so a test run
// from elsewhere finds it too. Left out: downloading models (the kit needs no network).

import Foundation

public enum KitModel {
    /// The folder's name under `models/`.
    public static let name = "lab-stories-4m"

    /// The model folder, or nil when neither place holds its config.json.
    public static var folder: URL? {
        let relative = "models/\(name)"
        let sourceRoot = URL(fileURLWithPath: #filePath)  // <root>/Sources/LabKernel/Model/KitModel.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relative),
                          sourceRoot.appendingPathComponent(relative)]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("config.json").path) }
    }

    /// The loaded model with its tokenizer, or nil when it is absent or cannot be read.
    public static func load() -> LoadedModel? {
        guard let folder, let loaded = try? loadModel(folder: folder), loaded.tokenizer != nil else { return nil }
        return loaded
    }
}
