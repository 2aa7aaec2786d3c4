// Cell: the model card as a document to read. A Hub model folder carries a README.md, its card:
// a header of metadata (license, datasets, language) between `---` lines, then sections. The
// cell reads the card of each model and shows what it says about the three things a user of an
// open model must know: what data it learned from, what the license allows, and what it cannot do.
//
// Left out: judging a card's claims (the later cells measure some of them).

import Foundation
import LabKernel
import LabNotebook

/// A model card: the metadata header and the sections, as written.
struct ModelCard {
    /// `key: value` lines of the header between the `---` lines (lists keep their first item).
    var metadata: [(key: String, value: String)] = []
    /// Each `#` heading with the lines under it; the text before the first heading has heading "".
    var sections: [(heading: String, lines: [String])] = []

    /// Reads `folder`/README.md; nil when there is none or it is not UTF-8 text.
    init?(folder: URL) {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8) else { return nil }
        var lines = text.components(separatedBy: "\n")
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---",
           let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) {
            var pendingKey: String?
            for line in lines[1..<end] {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("- "), let key = pendingKey {  // the first item of a list value
                    metadata.append((key, String(trimmed.dropFirst(2))))
                    pendingKey = nil
                } else if let colon = line.firstIndex(of: ":"), !line.hasPrefix(" ") {
                    let key = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
                    let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                    if value.isEmpty { pendingKey = key } else { metadata.append((key, value)); pendingKey = nil }
                }
            }
            lines.removeSubrange(0...end)
        }
        sections = [("", [])]
        for line in lines {
            if line.hasPrefix("#") {
                sections.append((line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces), []))
            } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                sections[sections.count - 1].lines.append(line)
            }
        }
    }

    /// The header's value for `key`, if any.
    func value(_ key: String) -> String? { metadata.first { $0.key == key }?.value }

    /// The first section whose heading contains one of `words` (case-insensitive).
    func section(about words: [String]) -> (heading: String, lines: [String])? {
        sections.first { section in words.contains { section.heading.lowercased().contains($0) } }
    }

    /// The first line anywhere in the card that mentions one of `words`.
    func line(mentioning words: [String]) -> String? {
        sections.lazy.flatMap(\.lines).first { line in words.contains { line.lowercased().contains($0) } }
    }
}

extension OpenModelsLesson {
    func modelCard(_ subjects: [Subject]) {
        notebook.prose("""
            An open model is a folder: config.json says its shape, model.safetensors holds its \
            weights, tokenizer.json its vocabulary, and README.md is its card, the document that \
            says what the model is for. Read it before you run the model. Three questions \
            matter most: what did it learn from (its data decides what it knows and which \
            biases it carries), what may you do with it (the license), and what can it not do.
            """)
        for subject in subjects {
            guard let card = ModelCard(folder: subject.folder) else {
                notebook.prose("\(subject.name) has no README.md: a model without a card. You know its shape from config.json and nothing about its data, license or limits.")
                continue
            }
            let headings = card.sections.map(\.heading).filter { !$0.isEmpty }
            let data = card.section(about: ["data", "how it was made", "training"])
            let limits = card.section(about: ["cannot", "limitation", "bias", "risk", "out-of-scope"])
            let license = card.value("license") ?? card.line(mentioning: ["license", "licence"])
            notebook.prose("The card of \(subject.name), \(headings.count) sections:")
            notebook.output(headings.prefix(12).map { "§ " + $0 }.joined(separator: "\n"))
            notebook.values([
                ("data", data.map { "§ " + $0.heading + ": " + excerpt($0.lines) } ?? "not stated"),
                ("license", license.map { excerpt([$0]) } ?? "not stated"),
                ("limits", limits.map { "§ " + $0.heading + ": " + excerpt($0.lines) } ?? "not stated"),
            ])
            if let limits {
                notebook.output(limits.lines.prefix(6).map { excerpt([$0], length: 76) }.joined(separator: "\n"))
            }
            if subject.isKit && license == nil {
                notebook.prose("""
                    The kit's card describes its data exactly (the generator, the seed, the bytes, \
                    the split) and lists what the model cannot do, but it states no license: a gap \
                    you can see. Hub cards carry one in the header (`license: apache-2.0` for \
                    SmolLM2 and Qwen2.5, `license: mit` for GPT-2, Meta's own license for Llama); \
                    without one, nobody has been given permission to reuse the weights.
                    """)
            }
        }
    }

    /// The first words of `lines`, joined, cut to `length` characters with "…".
    private func excerpt(_ lines: [String], length: Int = 60) -> String {
        let text = lines.joined(separator: " ").replacingOccurrences(of: "**", with: "")
            .split(separator: " ").joined(separator: " ")
        return text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
