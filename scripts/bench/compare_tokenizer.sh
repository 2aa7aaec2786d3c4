#!/usr/bin/env bash
# Compares `lab bench tokenizer` with Hugging Face `tokenizers` and tiktoken in one session.
#
# Usage: scripts/bench/compare_tokenizer.sh [--rounds R] [--input FILE | --bytes N] [--vocab-size N]
#                                           [--vocab FILE --merges FILE] [--quick] [--save FILE]
#
#   --input FILE          the text (default: `lab corpus --kind stories --bytes N --seed 1`, N = 5M)
#   --vocab-size N        vocabulary to train (default: 10000)
#   --vocab/--merges      GPT-2's vocab.json and merges.txt: also time encoding with them
#   --save FILE           also keep every JSON line in FILE
#
# One thread everywhere (lab's tokenizer is single-threaded; the peers run with
# RAYON_NUM_THREADS=1 and TOKENIZERS_PARALLELISM=false). The peers encode with the same
# tokenizers as lab: GPT-2's files, and the tokenizer.json that `lab train-tokenizer` writes from
# the same text, whose ids are first checked to be identical in all three libraries. lab and
# the peers then run alternately R times (default 3) so that both see similar background load;
# each figure is the median over the rounds of the per-round medians, and each ratio the median
# of the per-round ratios (range in brackets). A ratio above 1 means lab is faster. Optional
# tooling: it needs Python with `tokenizers` and `tiktoken` (set PYTHON to choose the interpreter).
set -euo pipefail

cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"
rounds=3
save=""
input=""
bytes=5M
vocab_size=10000
vocab=""
merges=""
quick=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --save) save="$2"; shift 2 ;;
        --input) input="$2"; shift 2 ;;
        --bytes) bytes="$2"; shift 2 ;;
        --vocab-size) vocab_size="$2"; shift 2 ;;
        --vocab) vocab="$2"; shift 2 ;;
        --merges) merges="$2"; shift 2 ;;
        --quick) quick=(--quick); shift ;;
        -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare_tokenizer.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if [[ -n "$vocab" && -z "$merges" || -z "$vocab" && -n "$merges" ]]; then
    echo "compare_tokenizer.sh: --vocab and --merges go together" >&2; exit 2
fi

scratch=.build/release-scratch
swift build -c release --scratch-path "$scratch" --product lab >&2
lab="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/lab"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ -z "$input" ]]; then
    input="$work/stories.txt"
    "$lab" corpus --kind stories --bytes "$bytes" --seed 1 --output "$input"
fi
gpt2=()
if [[ -n "$vocab" ]]; then gpt2=(--vocab "$vocab" --merges "$merges"); fi

# The trained tokenizer the peers encode with, and the ids all three must agree on.
"$lab" train-tokenizer --input "$input" --vocab-size "$vocab_size" --special '<|endoftext|>' --output "$work/trained" >&2
"$lab" tokenize --tokenizer "$work/trained" --json "$input" > "$work/trained-ids.json"
check=(--lab-ids "trained=$work/trained-ids.json")
if [[ -n "$vocab" ]]; then
    "$lab" tokenize --vocab "$vocab" --merges "$merges" --json "$input" > "$work/gpt2-ids.json"
    check+=(--lab-ids "gpt2=$work/gpt2-ids.json")
fi
echo "checking that the three libraries give the same ids (stops here if they do not)" >&2
"$PYTHON" scripts/bench/tokenizer_peers.py --input "$input" --only encode --samples 1 --trained "$work/trained/tokenizer.json" \
    ${gpt2[@]+"${gpt2[@]}"} "${check[@]}" > /dev/null

results="$work/results.jsonl"
for round in $(seq 1 "$rounds"); do
    echo "round $round of $rounds: lab, then tokenizers and tiktoken" >&2
    "$lab" bench tokenizer --json --input "$input" --vocab-size "$vocab_size" ${gpt2[@]+"${gpt2[@]}"} ${quick[@]+"${quick[@]}"} >> "$results"
    "$PYTHON" scripts/bench/tokenizer_peers.py --input "$input" --vocab-size "$vocab_size" --trained "$work/trained/tokenizer.json" \
        ${gpt2[@]+"${gpt2[@]}"} ${quick[@]+"${quick[@]}"} >> "$results"
done
if [[ -n "$save" ]]; then cp "$results" "$save"; fi

"$PYTHON" - "$results" <<'PYTHON'
import json, statistics, sys
from collections import defaultdict

# figures[measurement][library] = the figures of each round, in order; lab and the peers
# alternate, so the i-th figures of all were measured a minute apart under similar load.
figures = defaultdict(lambda: defaultdict(list))
for line in open(sys.argv[1]):
    r = json.loads(line)
    key = (r["variant"], r.get("tokenizer", ""), r["vocab_size"], r["bytes"])
    figures[key][r.get("library", "lab")].append(r["seconds"] if r["variant"] == "train" else r["mbps"])

def speed_ratios(key, peer):
    lab, other = figures[key]["lab"], figures[key][peer]
    pairs = [(a, b) for a, b in zip(lab, other) if a > 0 and b > 0]
    # Training is a time (lower is better), encoding a rate (higher is better).
    return [b / a if key[0] == "train" else a / b for a, b in pairs]

def cell(values, unit):
    return f"{statistics.median(values):.3g} {unit}" if values else "–"

def ratio(values):
    return f"{statistics.median(values):.2f}× [{min(values):.2f}–{max(values):.2f}]" if values else "–"

print("median over rounds; speed ratio = how many times faster lab is (median of per-round ratios, range in brackets)")
print(f"{'measurement':34} {'lab':>11} {'tiktoken':>11} {'tokenizers':>11}   {'vs tiktoken':>20} {'vs tokenizers':>20}")
for key in sorted(figures):
    variant, name, vocab_size, size = key
    unit = "s" if variant == "train" else "MB/s"
    label = f"{variant} {name} V={vocab_size} {size / 1e6:.2f} MB".replace("  ", " ")
    libraries = figures[key]
    print(f"{label:34} {cell(libraries['lab'], unit):>11} {cell(libraries['tiktoken'], unit):>11} "
          f"{cell(libraries['tokenizers'], unit):>11}   {ratio(speed_ratios(key, 'tiktoken')):>20} "
          f"{ratio(speed_ratios(key, 'tokenizers')):>20}")
PYTHON
