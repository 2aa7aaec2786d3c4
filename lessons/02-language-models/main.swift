// Lesson 02: language models. `swift run language-models` (options: --step, --quick, --no-color, --help).
//
// The cells are in the other files of this folder, in the order LanguageModelsLesson.run() calls
// them; this file only starts the notebook, so the lesson's code stays testable.

import LabNotebook

LanguageModelsLesson(notebook: Notebook(arguments: CommandLine.arguments)).run()
