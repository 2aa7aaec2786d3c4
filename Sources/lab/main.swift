// The `lab` command-line tool: one entry point for everything that is not a lesson.
//
// This file only hands the arguments to the dispatcher (Lab.swift) and exits with its status;
// Swift 6 makes top-level code in main.swift main-actor isolated, so the logic lives elsewhere.

import Foundation

exit(Lab.run(Array(CommandLine.arguments.dropFirst())))
