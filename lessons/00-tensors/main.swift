// Lesson 00: tensors. `swift run tensors` (options: --step, --quick, --no-color, --help).
//
// The cells are in the other files of this folder, in the order TensorsLesson.run() calls them;
// this file only starts the notebook, so the lesson's code stays testable.

import LabNotebook

let notebook = Notebook(arguments: CommandLine.arguments)
TensorsLesson(notebook: notebook).run()
