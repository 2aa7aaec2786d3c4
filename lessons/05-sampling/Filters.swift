// Cells: top-k, top-p and min-p. Each shows the lesson's filter (FiltersFromScratch.swift), a
// picture of what it keeps on one row, and a check that it keeps exactly the kernel's tokens with
// the same probabilities on every row of a sampled continuation. The min-p cell ends with the
// three filters side by side on a confident row and an unsure one.

import LabKernel
import LabNotebook

/// One step of a generation: the ids so far and the model's row (V) for the next token.
struct SampledRow {
    let context: [Int]
    let logits: [Float]
}

extension SamplingLesson {
    /// The model's rows along one sampled continuation (temperature 1, seed 1): real rows, some
    /// confident and some not, for comparing the filters and penalties with the kernel's.
    func sampledRows(_ setup: Setup) -> [SampledRow] {
        var sampler = TokenSampler(settings: SamplingSettings(seed: 1))
        var ids = setup.promptIDs
        var rows: [SampledRow] = []
        for _ in 0..<sizes.continuationLength {
            let logits = setup.model.logits(after: ids)
            rows.append(SampledRow(context: ids, logits: logits))
            ids.append(sampler.next(logits: logits, previousTokens: ids))
        }
        return rows
    }

    /// The rows' largest top-token probability (most confident) and smallest (least confident).
    func confidentAndUnsureRows(_ rows: [SampledRow]) -> (confident: [Float], unsure: [Float]) {
        let top = rows.map { probabilities($0.logits).max()! }
        return (rows[top.indices.max { top[$0] < top[$1] }!].logits, rows[top.indices.min { top[$0] < top[$1] }!].logits)
    }

    /// Bars for the row's 10 most likely tokens: the probability after filtering for the kept
    /// ones, an empty bar and the old probability for the removed ones.
    func keptPicture(_ logits: [Float], filtered: [Float], _ setup: Setup) {
        let before = probabilities(logits)
        let after = probabilities(filtered)
        let kept = filtered.filter { $0 > -.infinity }.count
        notebook.bars(topIDs(logits, count: 10).map { id in
            let label = tokenLabel(id, setup.tokenizer)
            return filtered[id] > -.infinity
                ? Bar(label, value: Double(after[id]), text: formatFixed(before[id], decimals: 3) + " → " + formatFixed(after[id], decimals: 3))
                : Bar(label, value: 0, text: formatFixed(before[id], decimals: 3) + " → removed")
        }, width: 30)
        notebook.prose("\(grouped(kept)) of \(grouped(logits.count)) tokens kept; the kept ones are renormalized to sum to 1.")
    }

    /// Checks that `lesson` and `kernel` keep the same tokens with the same probabilities on every row.
    func compareWithKernel(_ rows: [SampledRow], settings: [String],
                           lesson: (String, [Float]) -> [Float], kernel: (String, [Float]) -> [Float]) {
        var sameKept = true
        var largest: Float = 0
        for setting in settings {
            for row in rows {
                let (a, b) = (lesson(setting, row.logits), kernel(setting, row.logits))
                sameKept = sameKept && a.indices.allSatisfy { (a[$0] > -.infinity) == (b[$0] > -.infinity) }
                largest = max(largest, zip(probabilities(a), softmax(Tensor(b)).scalars).map { abs($0 - $1) }.max()!)
            }
        }
        notebook.check(sameKept && largest < 1e-6,
                       "on all \(rows.count) rows of a sampled continuation, for \(settings.joined(separator: ", ")), "
                       + "the lesson's filter keeps exactly the kernel's tokens, and their probabilities agree within 1e-6 "
                       + "(largest difference \(scientific(largest)))")
    }

    func topK(_ setup: Setup, rows: [SampledRow]) {
        let logits = setup.model.logits(after: setup.promptIDs)
        notebook.prose("""
            Temperature rescales the tail but keeps it. Filters cut it off: they set the logits \
            of unlikely tokens to -infinity, so softmax gives them exactly 0 and the draw can \
            never pick them, and the probability of the survivors is renormalized. The oldest \
            filter, top-k (Fan et al., 2018), keeps the k tokens with the largest logits:
            """)
        notebook.code("""
            func lessonTopK(_ logits: [Float], k: Int) -> [Float] {
                guard k < logits.count else { return logits }
                let kth = logits.sorted(by: >)[k - 1]              // the k-th largest logit
                return logits.map { $0 < kth ? -.infinity : $0 }  // ties with it stay
            }
            """)
        notebook.prose("With k = 5 on the prompt's row:")
        keptPicture(logits, filtered: lessonTopK(logits, k: 5), setup)
        notebook.prose("""
            Tokens tied with the k-th are all kept, as transformers does ("remove if strictly \
            below"), so a row can keep more than k. The kernel's `TopKFilter` finds the k-th \
            largest with a small heap instead of a sort, which matters for a 150,000-token row; \
            the tokens it keeps are the same:
            """)
        compareWithKernel(rows, settings: ["k = 1", "k = 5", "k = 40"],
                          lesson: { lessonTopK($1, k: Int($0.dropFirst(4))!) },
                          kernel: { TopKFilter(Int($0.dropFirst(4))!).processed($1) })
        notebook.prose("""
            Top-k's weakness is that k is fixed: 5 tokens may cut off good choices where the \
            model is unsure and keep nonsense where it is sure. The next two filters adapt.
            """)
    }

    func topP(_ setup: Setup, rows: [SampledRow]) {
        let logits = setup.model.logits(after: setup.promptIDs)
        notebook.prose("""
            Top-p, or nucleus sampling (Holtzman et al., 2019), keeps the smallest set of most \
            likely tokens whose probabilities add up to at least p. Walk down the ranking adding \
            probabilities; a token is kept while the mass above it is still below p, so the token \
            that crosses p is kept, and the top token always is:
            """)
        notebook.code("""
            func lessonTopP(_ logits: [Float], p: Float) -> [Float] {
                let probability = probabilities(logits)
                let ranking = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
                var filtered = logits
                var massAbove = 0.0
                for (rank, id) in ranking.enumerated() {
                    if rank > 0 && massAbove >= Double(p) { filtered[id] = -.infinity }
                    massAbove += Double(probability[id])
                }
                return filtered
            }
            """)
        notebook.prose("With p = 0.9 on the prompt's row:")
        keptPicture(logits, filtered: lessonTopP(logits, p: 0.9), setup)
        compareWithKernel(rows, settings: ["p = 0.5", "p = 0.9", "p = 0.99"],
                          lesson: { lessonTopP($1, p: Float($0.dropFirst(4))!) },
                          kernel: { TopPFilter(Float($0.dropFirst(4))!).processed($1) })
    }

    func minP(_ setup: Setup, rows: [SampledRow]) {
        let logits = setup.model.logits(after: setup.promptIDs)
        notebook.prose("""
            Min-p (Nguyen et al., 2024) keeps every token whose probability is at least a \
            fraction of the top token's. When the top token has 0.9, min-p = 0.1 keeps only \
            tokens above 0.09; when it has 0.1, tokens above 0.01 survive. It is cheaper than \
            top-p (no sort) and adapts just as well:
            """)
        notebook.code("""
            func lessonMinP(_ logits: [Float], minP: Float) -> [Float] {
                let probability = probabilities(logits)
                let threshold = minP * probability.max()!
                return logits.indices.map { probability[$0] < threshold ? -.infinity : logits[$0] }
            }
            """)
        notebook.prose("With min-p = 0.1 on the prompt's row:")
        keptPicture(logits, filtered: lessonMinP(logits, minP: 0.1), setup)
        compareWithKernel(rows, settings: ["m = 0.05", "m = 0.1", "m = 0.3"],
                          lesson: { lessonMinP($1, minP: Float($0.dropFirst(4))!) },
                          kernel: { MinPFilter(Float($0.dropFirst(4))!).processed($1) })
        let (confident, unsure) = confidentAndUnsureRows(rows)
        notebook.prose("""
            How many tokens each filter keeps, on the continuation's most confident row and on \
            its least confident one:
            """)
        var table = Table(["filter", "confident row", "unsure row"])
        let filters: [(String, ([Float]) -> [Float])] = [
            ("top-k, k = 10", { lessonTopK($0, k: 10) }),
            ("top-p, p = 0.9", { lessonTopP($0, p: 0.9) }),
            ("min-p, min-p = 0.1", { lessonMinP($0, minP: 0.1) }),
        ]
        table.append(["(top probability)", formatFixed(probabilities(confident).max()!, decimals: 3),
                      formatFixed(probabilities(unsure).max()!, decimals: 3)])
        for (name, filter) in filters {
            table.append([name, String(filter(confident).filter { $0 > -.infinity }.count),
                          String(filter(unsure).filter { $0 > -.infinity }.count)])
        }
        notebook.table(table)
        notebook.prose("""
            Top-k keeps 10 either way. Top-p and min-p keep few tokens where the model is sure \
            and more where it is not. In the kit's pipeline (as in transformers' `generate`) the \
            order is fixed: penalties, temperature, top-k, top-p, min-p; min-p runs after the \
            temperature on purpose, so a high temperature widens the choice but min-p still cuts \
            the nonsense.
            """)
    }
}
