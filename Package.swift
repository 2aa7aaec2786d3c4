// swift-tools-version:6.0
//
// OpenModelLab: learn how open language models work by building every piece in Swift.
//
// The package has no dependencies beyond the Swift toolchain. Targets:
//   LabKernel     the shared kernel: tensors, matmul, autograd, training (optimized, even in debug)
//   LabCorpora    the kit's generated text: stories, recipes, story questions (optimized too)
//   LabNotebook   notebook-style terminal output for lessons
//   LabCourse     the course registry: lessons and exercises in order, with hints
//   LabExercise   the `todo()` marker that exercise stubs return
//   LabChecker    the exercise checker behind `lab check`, `lab watch`, `lab verify-course`, …
//   lab           the command-line tool: the checker's commands and the benchmarks
//   tensors, ...  one executable per lesson, under lessons/NN-topic/
//   Exercise*     one module per exercise, compiled from exercises/ (or solutions/, see below)
//
// Environment switches read by this manifest:
//   LAB_EXERCISES=1   add the student's exercises and their test suite to the build
//   LAB_SOLUTIONS=1   the same, but compile the reference solutions from solutions/ instead
//   LAB_EXCLUDE=A,B   leave these exercise modules (and their tests) out, e.g. when one does not compile
//   LAB_ONLY=A,B      keep only these exercise modules and their tests (what `lab check ID` and `lab watch` build)
// With exercises in the build, the kit's own test targets are left out: `--build-tests` then
// builds the exercise suite only, which is all these modes are for.
// Use a separate scratch path for each mode so they do not rebuild each other, e.g.
//   LAB_SOLUTIONS=1 swift test --scratch-path .build/solutions --filter ExerciseTests

import Foundation
import PackageDescription

let environment = Context.environment
let useSolutions = environment["LAB_SOLUTIONS"] == "1"
let includeExercises = useSolutions || environment["LAB_EXERCISES"] == "1"
let excludedExercises = Set((environment["LAB_EXCLUDE"] ?? "").split(separator: ",").map(String.init))
let onlyExercises = environment["LAB_ONLY"].flatMap { $0.isEmpty ? nil : Set($0.split(separator: ",").map(String.init)) }

/// The course's exercises in order: the lesson folder and the file (without `.swift`).
/// Each becomes a module named `Exercise<File>`, tested by `Tests/ExerciseTests/<lesson>/<File>Tests.swift`.
let exercises: [(lesson: String, file: String)] = [
    ("00-tensors", "DotProduct"),
    ("00-tensors", "MatmulNaive"),
    ("00-tensors", "Softmax"),
    ("00-tensors", "ReLUBackward"),
    ("00-tensors", "MatmulBackward"),
    ("01-tokenization", "UTF8Bytes"),
    ("01-tokenization", "PairCounts"),
    ("01-tokenization", "MergePair"),
    ("01-tokenization", "TrainBPE"),
    ("01-tokenization", "EncodeWithMerges"),
    ("01-tokenization", "DecodeTokens"),
    ("02-language-models", "BigramProbabilities"),
    ("02-language-models", "CrossEntropyLoss"),
    ("02-language-models", "CrossEntropyGradient"),
    ("02-language-models", "AdamWStep"),
    ("02-language-models", "TrainNeuralBigram"),
    ("03-attention", "AttentionScores"),
    ("03-attention", "CausalSoftmax"),
    ("03-attention", "SplitHeads"),
    ("03-attention", "RotaryEmbedding"),
    ("03-attention", "DecodeStepWithCache"),
    ("04-transformer", "LayerNorm"),
    ("04-transformer", "RMSNorm"),
    ("04-transformer", "GELUMLP"),
    ("04-transformer", "SwiGLU"),
    ("04-transformer", "BlockForward"),
    ("05-sampling", "SoftmaxWithTemperature"),
    ("05-sampling", "TopK"),
    ("05-sampling", "TopP"),
    ("05-sampling", "MinP"),
    ("05-sampling", "SampleIndex"),
    ("05-sampling", "RepetitionPenalty"),
    ("06-finetuning", "LoRAForward"),
    ("06-finetuning", "LoRAParameterCount"),
    ("06-finetuning", "MergeAdapter"),
    ("06-finetuning", "LossMask"),
    ("06-finetuning", "AlpacaPrompt"),
    ("07-open-models", "QuantizeBlock"),
    ("07-open-models", "Q8DotProduct"),
    ("07-open-models", "LogitLensRow"),
    ("07-open-models", "PairScore"),
]

/// Lessons: the executable's name, its folder under `lessons/`, and whether it reads the kit's
/// generated text (LabCorpora).
let lessons: [(name: String, folder: String, usesCorpora: Bool)] = [
    ("tensors", "00-tensors", false),
    ("tokenization", "01-tokenization", true),
    ("language-models", "02-language-models", true),
    ("attention", "03-attention", true),
    ("transformer", "04-transformer", false),
    ("sampling", "05-sampling", true),
    ("finetuning", "06-finetuning", true),
    ("open-models", "07-open-models", true),
]

// The kernel and the corpus generator are compiled with -O even in debug builds, so a student's
// `swift run` and `swift test` stay fast (a debug-built generator writes text at half the speed),
// and for the build machine's CPU on x86-64: without AVX2/FMA Swift emits scalar code and the
// SIMD matmul runs 100x slower. arm64 has NEON as its baseline and needs no flag.
var kernelSettings: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
#if arch(x86_64)
kernelSettings.append(.unsafeFlags(["-Xcc", "-march=native"]))
#endif
// The matmul's register tile suits the vector registers: 12×32 floats where AVX-512 gives 32
// registers of 16, 6×16 where AVX2 (16 registers of 8) or NEON (32 of 4) has fewer lanes
// (Sources/LabKernel/Math/Matmul+MicroKernel.swift). -march=native builds for this machine, so the
// choice reads this machine's CPU flags too (Linux's /proc/cpuinfo; elsewhere the smaller tile).
#if arch(x86_64) && os(Linux)
if let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
   cpu.split(separator: "\n").contains(where: { $0.hasPrefix("flags") && $0.split(separator: " ").contains("avx512f") }) {
    kernelSettings.append(.define("LAB_AVX512"))
}
#endif

var targets: [Target] = [
    .target(name: "LabKernel", path: "Sources/LabKernel", swiftSettings: kernelSettings),
    .target(name: "LabCorpora", dependencies: ["LabKernel"], path: "Sources/LabCorpora", swiftSettings: kernelSettings),
    // -O in debug too: exporting a lesson draws every figure as SVG, which a debug build does
    // slowly enough to add a visible fraction to a quick lesson's run.
    .target(name: "LabNotebook", dependencies: ["LabKernel"], path: "Sources/LabNotebook",
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
    .target(name: "LabExercise", path: "Sources/LabExercise"),
    .target(name: "LabCourse", path: "Sources/LabCourse"),
    .target(name: "LabChecker", dependencies: ["LabCourse"], path: "Sources/LabChecker"),
    .executableTarget(name: "lab", dependencies: ["LabKernel", "LabCorpora", "LabNotebook", "LabCourse", "LabChecker"],
                      path: "Sources/lab"),
    .target(name: "LabTestSupport", dependencies: ["LabKernel", "LabExercise", "LabCourse"], path: "Tests/LabTestSupport"),
]

// The kit's own tests (the README's `swift test`); not in the exercise modes, see the header.
let kitTests: [Target] = [
    .testTarget(name: "LabKernelTests", dependencies: ["LabKernel", "LabTestSupport"], path: "Tests/LabKernelTests"),
    .testTarget(name: "LabCorporaTests", dependencies: ["LabCorpora", "LabKernel"], path: "Tests/LabCorporaTests"),
    .testTarget(name: "LabNotebookTests", dependencies: ["LabNotebook", "LabTestSupport"], path: "Tests/LabNotebookTests"),
    .testTarget(name: "LabCheckerTests", dependencies: ["LabChecker", "LabCourse", "LabKernel", "LabTestSupport"],
                path: "Tests/LabCheckerTests"),
    // Runs the built `lab` binary as a subprocess (the dependency makes sure it is built).
    .testTarget(name: "LabCLITests", dependencies: ["lab", "LabKernel", "LabTestSupport"], path: "Tests/LabCLITests"),
]

// Lessons, and one test target that checks each lesson's --quick output against a golden file.
var lessonTestDependencies: [Target.Dependency] = ["LabNotebook", "LabTestSupport"]
for lesson in lessons {
    let dependencies: [Target.Dependency] = ["LabKernel", "LabNotebook"] + (lesson.usesCorpora ? ["LabCorpora"] : [])
    targets.append(.executableTarget(name: lesson.name, dependencies: dependencies, path: "lessons/\(lesson.folder)"))
    lessonTestDependencies.append(.target(name: lesson.name))
}
let lessonTests: Target = .testTarget(name: "LessonTests", dependencies: lessonTestDependencies, path: "Tests/LessonTests")
if !includeExercises {
    targets += kitTests + [lessonTests]
}

if includeExercises {
    var testDependencies: [Target.Dependency] = ["LabKernel", "LabCorpora", "LabTestSupport"]
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
        // The lesson's other exercises share the folder: exclude them, or SwiftPM warns that
        // they are unhandled files of this target.
        let siblings = exercises.filter { $0.lesson == exercise.lesson && $0.file != exercise.file }
            .map { "\($0.file).swift" }
        targets.append(.target(name: module, dependencies: ["LabKernel", "LabExercise"],
                               path: "\(root)/\(exercise.lesson)", exclude: siblings,
                               sources: ["\(exercise.file).swift"]))
        testDependencies.append(.target(name: module))
    }
    if excludedTests.count < exercises.count {   // a test target without sources is an error
        targets.append(.testTarget(name: "ExerciseTests", dependencies: testDependencies,
                                   path: "Tests/ExerciseTests", exclude: excludedTests))
    }
}

let package = Package(
    name: "OpenModelLab",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "lab", targets: ["lab"])],
    targets: targets,
    swiftLanguageModes: [.v6]
)
