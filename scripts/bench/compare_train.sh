#!/usr/bin/env bash
# Compares `lab bench train` with PyTorch eager in one session and prints the ratios (lab / PyTorch).
#
# Usage: scripts/bench/compare_train.sh [--rounds R] [--shapes small,gpt2-124m] [--threads N] [--lora-rank R]
#                                       [--samples N] [--save FILE]   (also keep every JSON line)
#
# For each shape, lab and PyTorch (scripts/bench/pytorch_train_step.py) run alternately R times
# (default 3), each in its own process so that its peak resident memory is that shape's alone.
# Step times are the medians over the rounds; each ratio is the median of the per-round ratios
# of step times (below 1: lab is faster); memory is each side's largest peak RSS. Optional
# tooling: it needs Python with torch (set PYTHON); nothing else in the kit does. llm.c's
# train_gpt2 is measured by hand (see the training notes in README.md), since it is built
# outside the repository.
set -euo pipefail

cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"
rounds=3
save=""
shapes="small,gpt2-124m,smollm2-135m"
options=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --save) save="$2"; shift 2 ;;
        --shapes) shapes="$2"; shift 2 ;;
        --threads|--samples|--lora-rank) options+=("$1" "$2"); shift 2 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare_train.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done

swift build -c release --product lab >&2
lab="$(swift build -c release --show-bin-path)/lab"

results="$(mktemp)"
trap 'rm -f "$results" "$results.time" "$results.lab"' EXIT
peak() {  # peak RSS in MB of the command's process, from GNU time (written to $results.time)
    awk '/Maximum resident set size/ { printf "%.1f", $NF / 1024 }' "$results.time"
}
for round in $(seq 1 "$rounds"); do
    for shape in ${shapes//,/ }; do
        echo "round $round of $rounds, $shape: lab, then pytorch" >&2
        /usr/bin/time -v -o "$results.time" "$lab" bench train --json --shapes "$shape" ${options[@]+"${options[@]}"} \
            > "$results.lab"
        mb="$(peak)"
        sed "s/}\$/,\"peer\":\"lab\",\"peak_rss_mb\":$mb}/" "$results.lab" >> "$results"
        "$PYTHON" scripts/bench/pytorch_train_step.py --shapes "$shape" ${options[@]+"${options[@]}"} >> "$results"
    done
done
if [[ -n "$save" ]]; then cp "$results" "$save"; fi

"$PYTHON" - "$results" <<'PYTHON'
import json, statistics, sys
from collections import defaultdict

# runs[(shape, threads)][peer] = [(step_seconds, peak_rss_mb) per round], in order: lab and
# pytorch alternate, so the i-th entries of both were measured under similar background load.
runs = defaultdict(lambda: defaultdict(list))
for line in open(sys.argv[1]):
    record = json.loads(line)
    runs[(record["shape"], record["threads"])][record["peer"]].append((record["step_seconds"], record["peak_rss_mb"]))

print("step seconds: median over rounds; ratio: median of per-round ratios lab / pytorch [range]; peak RSS in MB")
print(f"{'shape':14} {'threads':>7} {'lab s':>8} {'torch s':>8} {'ratio':>6}  {'range':13} {'lab MB':>8} {'torch MB':>9}")
for (shape, threads), peers in sorted(runs.items()):
    lab, torch = peers.get("lab", []), peers.get("pytorch", [])
    ratios = [a[0] / b[0] for a, b in zip(lab, torch) if b[0] > 0]
    median = lambda values: f"{statistics.median(values):.3f}" if values else "–"
    spread = f"[{min(ratios):.2f}–{max(ratios):.2f}]" if ratios else ""
    print(f"{shape:14} {threads:>7} {median([x[0] for x in lab]):>8} {median([x[0] for x in torch]):>8} "
          f"{(f'{statistics.median(ratios):.2f}' if ratios else '–'):>6}  {spread:13} "
          f"{max([x[1] for x in lab], default=0):>8.0f} {max([x[1] for x in torch], default=0):>9.0f}")
PYTHON
