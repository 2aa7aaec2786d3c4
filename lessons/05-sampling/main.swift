// Lesson 05: sampling. `swift run sampling` (options: --step, --quick, --no-color, --help).
//
// The cells are in the other files of this folder, in the order SamplingLesson.run() calls them;
// this file only reads the options, so the lesson's code stays testable.

import LabNotebook

SamplingLesson(notebook: Notebook(arguments: CommandLine.arguments)).run()
