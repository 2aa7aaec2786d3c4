// Cell: streaming text as tokens are generated, without ever printing half a character.
//
// A byte-level token can end inside a character, so decoding each token on its own prints "�"
// where a character is split. The kernel's `IncrementalDecoder` (Tokenizer/BPE+Decoding.swift)
// holds back the start of a character until its last byte has arrived; the cell shows both on a
// text with multi-byte characters, token by token.

import LabKernel
import LabNotebook

extension SamplingLesson {
    func streaming(_ setup: Setup) {
        let text = "Aldo ate a crêpe 🥞 in Zürich."
        let ids = setup.tokenizer.encode(text)
        notebook.prose("""
            A chat program prints each token as soon as it is chosen. But a token is a string of \
            bytes, and our tokenizer, trained on English stories, has no token for "ê", "ü" or \
            "🥞": they are spelled with single bytes, 2 and 4 of them. Printing each token's \
            bytes on their own shows "�" for every piece of a character. An incremental decoder \
            keeps the bytes of an unfinished character until the rest arrives:
            """)
        notebook.code("""
            var decoder = IncrementalDecoder(tokenizer: tokenizer)
            for id in ids { print(try decoder.append(id), terminator: "") }   // whole characters only
            print(decoder.finish())
            """)
        var decoder = IncrementalDecoder(tokenizer: setup.tokenizer)
        var table = Table(["token", "bytes", "decoded alone", "incremental decoder prints"],
                          alignments: [.left, .left, .left, .left])
        var pieces: [String] = []
        var naive = ""
        // Only the tokens around the multi-byte characters; the plain ASCII ones decode alike.
        for (index, id) in ids.enumerated() {
            let piece = try! decoder.append(id)
            pieces.append(piece)
            let alone = String(decoding: setup.tokenizer.tokens[id], as: UTF8.self)
            naive += alone
            let bytes = setup.tokenizer.tokens[id]
            let interesting = bytes.contains { $0 >= 0x80 } || ids[min(index + 1, ids.count - 1)..<min(index + 2, ids.count)]
                .contains { setup.tokenizer.tokens[$0].contains { $0 >= 0x80 } }
            if interesting {
                table.append([tokenLabel(id, setup.tokenizer), bytes.map { hexByte($0) }.joined(),
                              quoted(alone), piece.isEmpty ? "(nothing yet)" : quoted(piece)])
            }
        }
        pieces.append(decoder.finish())
        notebook.table(table)
        notebook.values([("all tokens decoded alone", naive), ("incremental decoder", pieces.joined())])
        let whole = try! setup.tokenizer.decode(ids)
        notebook.checks([
            (pieces.joined() == whole && whole == text,
             "the incremental pieces, concatenated, are exactly the text (\(ids.count) tokens)"),
            (!pieces.contains { $0.contains("\u{FFFD}") }, "no piece contains a replacement character �"),
        ])
        notebook.prose("""
            The decoder looks only at the last three bytes: a UTF-8 lead byte says how many \
            continuation bytes follow (lesson 01), so it knows whether the character is \
            complete. The kernel's generation loop streams through it, and through a stop monitor \
            that also holds back text that might be the start of a stop string, such as "\\n\\n".
            """)
    }
}

/// Text in quotes, with a line break shown as "↵".
func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\n", with: "↵") + "\""
}
