// Lesson 07: open models. `swift run open-models` (options: --model DIR, --step, --quick,
// --no-color, --help).
//
// The cells are in the other files of this folder, in the order OpenModelsLesson.run() calls
// them; this file only reads the options and loads a downloaded model, so the lesson's code stays
// testable.

import Foundation
import LabKernel
import LabNotebook

let notebook = Notebook(arguments: CommandLine.arguments, lessonOptions: [OpenModelsLesson.modelOption])
var downloaded: OpenModelsLesson.Subject?
if let folder = notebook.options.value(of: "--model") {
    do {
        downloaded = try OpenModelsLesson.Subject(folder: folder)
    } catch {
        FileHandle.standardError.write(Data("open-models: \(error)\n".utf8))
        exit(1)
    }
}
OpenModelsLesson(notebook: notebook, downloaded: downloaded).run()
