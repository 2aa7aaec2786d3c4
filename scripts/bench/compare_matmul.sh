#!/usr/bin/env bash
# Compares `lab bench matmul` with NumPy in one session and prints the ratios (Swift / NumPy).
#
# Usage: scripts/bench/compare_matmul.sh [--rounds R] [--sizes 256,512] [--threads N] [--quick]
#
# The two benchmarks run alternately R times (default 3) so that both see the same background
# load; each figure is the median over the rounds of the per-round medians. Optional tooling:
# it needs Python with NumPy (set PYTHON to choose the interpreter); nothing else in the kit does.
set -euo pipefail

cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"
rounds=3
options=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --sizes|--threads) options+=("$1" "$2"); shift 2 ;;
        --quick) options+=("$1"); shift ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare_matmul.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done

scratch=.build/release-scratch
swift build -c release --scratch-path "$scratch" --product lab >&2
lab="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/lab"

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for round in $(seq 1 "$rounds"); do
    echo "round $round of $rounds: lab, then numpy" >&2
    "$lab" bench matmul --json "${options[@]}" >> "$results"
    "$PYTHON" scripts/bench/numpy_matmul.py "${options[@]}" >> "$results"
done

"$PYTHON" - "$results" <<'PYTHON'
import json, statistics, sys
from collections import defaultdict

figures = defaultdict(list)
for line in open(sys.argv[1]):
    record = json.loads(line)
    shape = (record["n"],) if record["bench"] == "matmul" else (record["form"], record["m"], record["k"])
    figures[(record["bench"], shape, record["threads"], record["variant"])].append(record["gflops"])
median = {key: statistics.median(values) for key, values in figures.items()}

print(f"{'bench':8} {'shape':>16} {'threads':>7} {'naive':>8} {'optimized':>10} {'numpy':>8} {'ratio':>7}")
for (bench, shape, threads, variant) in sorted(k for k in median if k[3] == "optimized"):
    swift = median[(bench, shape, threads, "optimized")]
    numpy = median.get((bench, shape, threads, "numpy"))
    naive = median.get((bench, shape, threads, "naive"))
    label = f"{shape[0]}³" if bench == "matmul" else f"{shape[0]} {shape[1]}×{shape[2]}"
    ratio = f"{swift / numpy:.2f}×" if numpy else "–"
    print(f"{bench:8} {label:>16} {threads:>7} {naive if naive is not None else '–':>8} "
          f"{swift:>10} {numpy if numpy is not None else '–':>8} {ratio:>7}")
PYTHON
