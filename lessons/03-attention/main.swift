// Lesson 03: attention. `swift run attention` (options: --step, --quick, --no-color, --help).
//
// The cells are in the other files of this folder, in the order AttentionLesson.run() calls
// them; this file only starts the notebook, so the lesson's code stays testable.

import LabNotebook

let notebook = Notebook(arguments: CommandLine.arguments)
AttentionLesson(notebook: notebook).run()
