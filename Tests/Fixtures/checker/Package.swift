// swift-tools-version:6.0
//
// A tiny course for testing the exercise checker (Sources/LabChecker) without the real kit.
//
// It follows the kit's layout and switches exactly (see the root Package.swift): one module
// `Exercise<File>` per file in exercises/00-fixtures/ (or solutions/ with LAB_SOLUTIONS=1), the
// test target ExerciseTests, LAB_EXCLUDE to leave modules out, LAB_ONLY to keep only some. Each
// exercise misbehaves in one way a student's code can: it passes, fails an assertion, fails a
// numeric check, calls fatalError, indexes out of range, loops forever, prints megabytes, does not
// compile, or is not started.
// The solutions all pass. lab-course.json lists the exercises for the checker, in this order.
// No dependencies: it builds in seconds.

import PackageDescription

let environment = Context.environment
let useSolutions = environment["LAB_SOLUTIONS"] == "1"
let includeExercises = useSolutions || environment["LAB_EXERCISES"] == "1"
let excludedExercises = Set((environment["LAB_EXCLUDE"] ?? "").split(separator: ",").map(String.init))
let onlyExercises = environment["LAB_ONLY"].flatMap { $0.isEmpty ? nil : Set($0.split(separator: ",").map(String.init)) }

let exercises: [(lesson: String, file: String)] = [
    ("00-fixtures", "Passing"),
    ("00-fixtures", "WrongAnswer"),
    ("00-fixtures", "NotClose"),
    ("00-fixtures", "FatalError"),
    ("00-fixtures", "IndexOutOfRange"),
    ("00-fixtures", "InfiniteLoop"),
    ("00-fixtures", "Chatty"),
    ("00-fixtures", "Broken"),
    ("00-fixtures", "NotStarted"),
]

var targets: [Target] = []
if includeExercises {
    var testDependencies: [Target.Dependency] = []
    var excludedTests: [String] = []
    for exercise in exercises {
        let module = "Exercise\(exercise.file)"
        let leftOut = excludedExercises.contains(module) || excludedExercises.contains(exercise.file)
            || onlyExercises.map { !$0.contains(module) && !$0.contains(exercise.file) } ?? false
        if leftOut {
            excludedTests.append("\(exercise.lesson)/\(exercise.file)Tests.swift")
            continue
        }
        let root = useSolutions ? "solutions" : "exercises"
        let siblings = exercises.filter { $0.lesson == exercise.lesson && $0.file != exercise.file }
            .map { "\($0.file).swift" }
        targets.append(.target(name: module, path: "\(root)/\(exercise.lesson)", exclude: siblings,
                               sources: ["\(exercise.file).swift"]))
        testDependencies.append(.target(name: module))
    }
    if excludedTests.count < exercises.count {   // a test target without sources is an error
        targets.append(.testTarget(name: "ExerciseTests", dependencies: testDependencies,
                                   path: "Tests/ExerciseTests", exclude: excludedTests))
    }
}

let package = Package(
    name: "CheckerFixture",
    targets: targets,
    swiftLanguageModes: [.v6]
)
