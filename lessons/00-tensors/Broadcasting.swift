// Cell: broadcasting. Adding a bias to every row, the shape rule, and a picture of an outer product.
//
// The kernel implements the rule (`broadcastShape`, Tensor's operators); this cell shows it at
// work. Gradients of broadcast operations (`summed(toShape:)`) are mentioned here and used by
// the autograd cells.

import LabKernel
import LabNotebook

extension TensorsLesson {
    func broadcasting() {
        notebook.prose("""
            A layer of a network adds the same bias vector to every row of its output. Writing the \
            loop by hand each time would be tedious, so tensor libraries broadcast: a smaller tensor \
            is repeated along the axes it lacks, without ever being copied.
            """)
        let x = Tensor([[1, 2, 3], [4, 5, 6]])
        let bias = Tensor([10, 20, 30])
        notebook.code("let x = Tensor([[1, 2, 3], [4, 5, 6]])   // (2, 3)\nlet bias = Tensor([10, 20, 30])          // (3)\nx + bias                                 // (2, 3)")
        notebook.output((x + bias).description)

        notebook.prose("""
            The rule: line the two shapes up at their last axes; each pair of sizes must be equal, \
            or one of them must be 1 (or missing), and the result takes the larger size. Anything \
            else is an error, never a silent guess.
            """)
        var rules = Table(["a", "b", "a + b"])
        for (a, b) in [([2, 3], [3]), ([2, 3], [2, 1]), ([4, 1], [1, 5]), ([2, 3, 4], [4]), ([2, 3], [2])] {
            let result = broadcastShape(a, b)?.shapeDescription ?? "error: \(a.last!) and \(b.last!) differ"
            rules.append([a.shapeDescription, b.shapeDescription, result])
        }
        notebook.table(rules)

        notebook.prose("""
            A column times a row broadcasts both ways: [8, 1] · [1, 12] gives every product of the \
            two, an [8, 12] multiplication table. Here it is as a heatmap, one cell per element:
            """)
        let column = Tensor(shape: [8, 1], scalars: (1...8).map(Float.init))
        let row = Tensor(shape: [1, 12], scalars: (1...12).map(Float.init))
        let table = column * row  // (8, 1) * (1, 12) -> (8, 12)
        notebook.code("let table = column * row   // (8, 1) * (1, 12) -> (8, 12)")
        notebook.heatmap(Heatmap(table, rowLabels: (1...8).map(String.init),
                                 columnLabels: [0: "1", 4: "5", 9: "10", 11: "12"]),
                         title: "column * row: an [8, 12] multiplication table")

        notebook.prose("""
            Broadcasting matters again for gradients: a bias used by every row receives the sum of \
            all the rows' gradients. The kernel's `summed(toShape:)` undoes a broadcast this way: \
            `Tensor.ones([2, 3]).summed(toShape: [3])` is \
            \(compact(Tensor.ones([2, 3]).summed(toShape: [3]).scalars)).
            """)
    }
}
