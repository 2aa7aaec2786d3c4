// Lesson 00, tensors: the order of the cells and the closing summary.
//
// Each cell is a method in the file named after its topic: WhatIsATensor.swift,
// Broadcasting.swift, MatrixMultiply.swift (two cells), ScalarAutograd.swift (with the `Value`
// engine in Value.swift), TensorAutograd.swift, TrainingLoop.swift (two cells). Every cell seeds
// its own generator, so a cell prints the same numbers however the others change, and the whole
// lesson prints identical text on every run apart from measured times (masked by
// `--mask-timings` or LAB_MASK_TIMINGS=1).

import LabKernel
import LabNotebook

struct TensorsLesson {
    let notebook: Notebook

    func run() {
        notebook.header(lesson: 0, title: "Tensors",
                        summary: "Arrays of numbers with a shape, a matrix multiply written from scratch and made fast, and automatic differentiation from one scalar to a whole network.")
        notebook.cell("What is a tensor?") { whatIsATensor() }
        notebook.cell("Broadcasting") { broadcasting() }
        notebook.cell("Matrix multiplication from scratch") { matrixMultiplyFromScratch() }
        notebook.cell("Why the kernel's matmul is faster") { matrixMultiplySpeed() }
        notebook.cell("Autograd for one number at a time") { scalarAutograd() }
        notebook.cell("Autograd for tensors: the kernel's Variable") { tensorAutograd() }
        var trained: (model: TinyMLP, before: Tensor)?
        notebook.cell("Training a tiny network") { trained = trainingLoop() }
        notebook.cell("What the network learned") { whatTheNetworkLearned(trained!.model, before: trained!.before) }

        notebook.summary([
            "A tensor is flat storage plus a shape; strides turn an index into an offset.",
            "Broadcasting repeats a smaller tensor along missing or size-1 axes, without copying it by hand.",
            "A naive matmul is three loops; the kernel gets the same numbers much faster with cache blocking, SIMD and threads.",
            "Autograd applies the chain rule backwards through a recorded graph, one local derivative per operation: first for scalars (`Value`), then for tensors (the kernel's `Variable`), checked against finite differences.",
            "Gradient descent with those gradients trained a two-layer network to recognise a circle it was never told about.",
        ], next: [
            "Exercises: `exercises/00-tensors/` (DotProduct, MatmulNaive, Softmax, ReLUBackward, MatmulBackward). Check them with `LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter ExerciseTests`.",
            "Lesson 01: `swift run tokenization`, from text to the numbers a model reads.",
        ])
    }
}
