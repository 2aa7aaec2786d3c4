// Lesson 06: fine-tuning. `swift run finetuning` (options: --step, --quick, --no-color, --help).
//
// The cells are in the other files of this folder, in the order FinetuningLesson.run() calls
// them; this file only starts the notebook, so the lesson's code stays testable.

import LabNotebook

FinetuningLesson(notebook: Notebook(arguments: CommandLine.arguments)).run()
