#!/usr/bin/env bash
# Rebuilds the kit's own model, models/lab-stories-4m, from scratch with `lab train`.
#
# Usage: scripts/models/train_lab_stories.sh [OUTPUT]   (default: models/lab-stories-4m)
#
# Everything is seeded (corpus, tokenizer, initial weights, batches) and the kernel's sums do not
# depend on the thread count, so a rerun on the same kind of machine should write the same weights
# (not checked bit for bit for the full run). 23 min 48 s on 2 cores (see the model card). The run writes the training state too
# (training_state.*, about 34 MB of optimizer moments, so that `lab train --resume` can go on);
# the repository keeps only the model folder a user needs.
set -euo pipefail
cd "$(dirname "$0")/../.."
output="${1:-models/lab-stories-4m}"
swift build -c release --product lab >&2
lab="$(swift build -c release --show-bin-path)/lab"
"$lab" train --corpus stories --bytes 20M --seed 1 --vocab-size 4096 \
    --family gpt2 --layers 4 --width 256 --heads 4 --positions 256 \
    --context 256 --batch 8 --steps 4000 --warmup 200 --learning-rate 2e-3 --min-learning-rate 2e-4 \
    --weight-decay 0.1 --clip 1.0 --eval-interval 250 --eval-batches 16 --init-seed 1 --batch-seed 1 \
    --threads 2 --output "$output" --force
