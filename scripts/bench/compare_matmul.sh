#!/usr/bin/env bash
# Compares `lab bench matmul` with NumPy in one session and prints the ratios (Swift / NumPy).
#
# Usage: scripts/bench/compare_matmul.sh [--rounds R] [--sizes 256,512] [--threads N] [--quick]
#                                        [--save FILE]   (also keep every JSON line in FILE)
#
# The two benchmarks run alternately R times (default 3) so that both see similar background
# load; each figure is the median over the rounds of the per-round medians, and each ratio the
# median of the per-round ratios (a shared machine's load changes from minute to minute, so
# pairing the rounds matters more than averaging them). Optional tooling:
# it needs Python with NumPy (set PYTHON to choose the interpreter); nothing else in the kit does.
set -euo pipefail

cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"
rounds=3
save=""
options=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --save) save="$2"; shift 2 ;;
        --sizes|--threads) options+=("$1" "$2"); shift 2 ;;
        --quick) options+=("$1"); shift ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
    "$lab" bench matmul --json ${options[@]+"${options[@]}"} >> "$results"
    "$PYTHON" scripts/bench/numpy_matmul.py ${options[@]+"${options[@]}"} >> "$results"
done
if [[ -n "$save" ]]; then cp "$results" "$save"; fi

"$PYTHON" - "$results" <<'PYTHON'
import json, statistics, sys
from collections import defaultdict

# figures[key][variant] = the figures of each round, in order; lab and numpy alternate, so the
# i-th figures of both were measured a minute apart under similar background load.
figures = defaultdict(lambda: defaultdict(list))
for line in open(sys.argv[1]):
    record = json.loads(line)
    shape = (record["n"],) if record["bench"] == "matmul" else (record["form"], record["m"], record["k"])
    figures[(record["bench"], shape, record["threads"])][record["variant"]].append(record["gflops"])

def cell(values):
    return f"{statistics.median(values):.1f}" if values else "–"

print("GFLOPS: median over rounds; ratio: median of the per-round ratios lab / numpy (range in brackets)")
print(f"{'bench':7} {'shape':>14} {'threads':>7} {'naive':>7} {'lab':>7} {'numpy':>7} {'ratio':>6}  range")
for key in sorted(figures):
    bench, shape, threads = key
    variants = figures[key]
    lab, numpy = variants.get("optimized", []), variants.get("numpy", [])
    ratios = [a / b for a, b in zip(lab, numpy) if b > 0]
    label = f"{shape[0]}³" if bench == "matmul" else f"{shape[0]} {shape[1]}×{shape[2]}"
    ratio = f"{statistics.median(ratios):.2f}" if ratios else "–"
    spread = f"[{min(ratios):.2f}–{max(ratios):.2f}]" if ratios else ""
    print(f"{bench:7} {label:>14} {threads:>7} {cell(variants.get('naive', [])):>7} {cell(lab):>7} "
          f"{cell(numpy):>7} {ratio:>6}  {spread}")
PYTHON
