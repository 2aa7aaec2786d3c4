"""Timing and reporting shared by the Python peer benchmarks (numpy_matmul.py, tokenizer_peers.py).

They follow the conventions of lab's Sources/lab/Benchmark.swift, so their JSON lines can be
compared with `lab bench ... --json` line for line.
"""

import json
import sys
import time


def median_seconds(body, samples, minimum_sample_seconds, warn_if_threaded=False):
    """Median time of one call of `body` over `samples` samples, after a calibrating warm-up.

    With `warn_if_threaded`, also warns when the warm-up used clearly more CPU time than wall time
    (a library that quietly used a second core)."""
    start, cpu_start = time.perf_counter(), time.process_time()
    body()
    warm_up = time.perf_counter() - start
    if warn_if_threaded and warm_up > 0.05 and time.process_time() - cpu_start > 1.3 * warm_up:
        print(f"warning: {body.__name__} used more than one core", file=sys.stderr)
    calls = max(1, int(-(-minimum_sample_seconds // max(warm_up, 1e-9))))
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(calls):
            body()
        times.append((time.perf_counter() - start) / calls)
    times.sort()
    middle = len(times) // 2
    return times[middle] if len(times) % 2 else (times[middle - 1] + times[middle]) / 2


def figure(value):
    """The same rounding as lab's formatFigure: 61.2, 3.14, 0.052."""
    magnitude = abs(value)
    return round(value, 1 if magnitude >= 10 else 2 if magnitude >= 1 else 3)


def emit(fields):
    """One JSON object on one line, keys in the given order."""
    print(json.dumps(fields, separators=(",", ":"), ensure_ascii=False), flush=True)
