// Lesson 04: the transformer. `swift run transformer` (options: --model DIR, --step, --quick,
// --no-color, --help).
//
// The cells are in the other files of this folder, in the order TransformerLesson.run() calls
// them; this file only reads the options and loads a downloaded model, so the lesson's code stays
// testable.

import Foundation
import LabKernel
import LabNotebook

let notebook = Notebook(arguments: CommandLine.arguments, lessonOptions: [TransformerLesson.modelOption])
var downloaded: DownloadedModel?
if let folder = notebook.options.value(of: "--model") {
    do {
        downloaded = try DownloadedModel(folder: folder)
    } catch {
        FileHandle.standardError.write(Data("transformer: \(error)\n".utf8))
        exit(1)
    }
}
TransformerLesson(notebook: notebook, downloaded: downloaded).run()
