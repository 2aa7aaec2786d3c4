// Cell: temperature, as bar charts of the top tokens at several temperatures and as entropy.
//
// The division itself is one line; what the cell shows is its effect on the distribution. The
// kernel's `TemperatureScaling` is the same division (checked against transformers in the
// kernel's tests), and the lesson checks its own against it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabKernel
import LabNotebook

extension SamplingLesson {
    func temperature(_ setup: Setup) {
        let logits = setup.model.logits(after: setup.promptIDs)
        notebook.prose("""
            Drawing from the model's own distribution is often too adventurous: the tail of \
            thousands of unlikely tokens together holds real probability. Temperature T reshapes \
            the distribution before the draw by dividing every logit by T:
            """)
        notebook.code("let scaled = logits.map { $0 / temperature }   // then softmax, then draw")
        let top = topIDs(logits, count: 6)
        let labels = top.map { tokenLabel($0, setup.tokenizer) }
        for t: Float in [0.5, 1, 2] {
            let p = probabilities(logits.map { $0 / t })
            notebook.prose("T = \(formatFixed(t, decimals: 1))" + (t == 1 ? " (the model's own distribution)" : t < 1 ? " (sharper)" : " (flatter)") + ":")
            notebook.bars(zip(labels, top).map { label, id in
                Bar(label, value: Double(p[id]), text: formatFixed(p[id], decimals: 3))
            }, width: 40, title: "The 6 likeliest tokens at T = \(formatFixed(t, decimals: 1))")
        }
        notebook.prose("""
            Each chart is scaled to its largest bar; read the numbers. Below 1, the gaps between \
            logits grow, so the likely tokens take more of the probability; as T → 0 all of it \
            goes to the top token, which is greedy decoding (so the kit treats T = 0 as greedy \
            rather than dividing by zero). Above 1 the gaps shrink toward the uniform \
            distribution. The order of the tokens never changes. Entropy measures the spread in \
            bits, and 2^entropy is the number of equally likely tokens with the same spread:
            """)
        var table = Table(["temperature", "entropy (bits)", "like a choice among", "top token", ""])
        let temperatures: [Float] = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 5]
        var entropies: [Double] = []
        for t in temperatures {
            let p = probabilities(logits.map { $0 / t })
            let h = entropyInBits(p)
            entropies.append(h)
            table.append([formatFixed(t, decimals: 2), formatFixed(h, decimals: 2), formatFixed(pow(2, h), decimals: 1),
                          formatFixed(p[top[0]], decimals: 3), barText(length: h)])
        }
        notebook.table(table)
        let kernel = TemperatureScaling(0.7).processed(logits)
        let lesson = logits.map { $0 / Float(0.7) }
        notebook.checks([
            (zip(entropies, entropies.dropFirst()).allSatisfy { $0 < $1 },
             "entropy rises with the temperature at every step of the table"),
            (lesson == kernel, "the lesson's division by T = 0.7 gives exactly the kernel's TemperatureScaling(0.7)"),
        ])
    }
}
