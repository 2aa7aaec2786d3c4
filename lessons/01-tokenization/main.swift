// Lesson 01: tokenization. `swift run tokenization` (options: --gpt2 DIR, --step, --quick,
// --no-color, --help).
//
// The cells are in the other files of this folder, in the order TokenizationLesson.run() calls
// them; this file only reads the options, so the lesson's code stays testable.

import Foundation
import LabKernel
import LabNotebook

let notebook = Notebook(arguments: CommandLine.arguments, lessonOptions: [TokenizationLesson.gpt2Option])
var gpt2: BPETokenizer?
if let folder = notebook.options.value(of: "--gpt2") {
    do {
        gpt2 = try loadGPT2Tokenizer(folder: folder)
    } catch {
        FileHandle.standardError.write(Data("tokenization: \(error)\n".utf8))
        exit(1)
    }
}
TokenizationLesson(notebook: notebook, gpt2: gpt2).run()
