#!/usr/bin/env python3
"""NumPy's speed on the products of `lab bench matmul`, as the same JSON lines.

Optional tooling: it gives the reference figures that scripts/bench/compare_matmul.sh divides
the kit's figures by. Nothing in the build, the tests or the lessons needs Python.

It prints one line per measurement, with variant "numpy", e.g.

    {"bench":"matmul","variant":"numpy","n":1024,"threads":1,"gflops":118.3}
    {"bench":"matvec","variant":"numpy","form":"Wx","m":4096,"k":4096,"threads":1,"gflops":13.6}

Threads: with threadpoolctl installed, the BLAS thread count is set in-process; without it the
script runs itself once per thread count with OPENBLAS_NUM_THREADS (and its MKL/OpenMP twins)
set, since that variable is read only when NumPy is first imported.

Timing follows lab's convention (Sources/lab/Benchmark.swift): one warm-up call that also
calibrates, calls repeated within a sample until it lasts 20 ms, the median of 7 samples.
"""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import emit, figure, median_seconds  # noqa: E402

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def measure(options, threads):
    import numpy as np

    rng = np.random.default_rng(0)
    samples, minimum = (3, 0.005) if options.quick else (7, 0.02)
    for n in options.sizes:
        a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        c = np.empty((n, n), dtype=np.float32)
        seconds = median_seconds(lambda: np.matmul(a, b, out=c), samples, minimum)
        emit({"bench": "matmul", "variant": "numpy", "n": n, "threads": threads,
              "gflops": figure(2 * n**3 / seconds / 1e9)})
    for m, k in options.matrix_vector_shapes:
        w = rng.uniform(-1, 1, (m, k)).astype(np.float32)
        x_rows = rng.uniform(-1, 1, k).astype(np.float32)
        x_columns = rng.uniform(-1, 1, m).astype(np.float32)
        for form, body in (("Wx", lambda: w @ x_rows), ("xW", lambda: x_columns @ w)):
            seconds = median_seconds(body, samples, minimum)
            emit({"bench": "matvec", "variant": "numpy", "form": form, "m": m, "k": k,
                  "threads": threads, "gflops": figure(2 * m * k / seconds / 1e9)})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help="square sizes, e.g. 256,512 (default 256,512,1024,2048)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="threads for the multi-threaded measurements (default: all cores)")
    parser.add_argument("--quick", action="store_true", help="small sizes and few samples")
    parser.add_argument("--only-threads", type=int, default=None, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.sizes:
        options.sizes = [int(s) for s in options.sizes.split(",")]
    else:
        options.sizes = [64, 128] if options.quick else [256, 512, 1024, 2048]
    options.matrix_vector_shapes = [(256, 512)] if options.quick else [(4096, 4096), (768, 3072), (3072, 768)]

    if options.only_threads is not None:
        # A child run: the thread variables were set before NumPy was imported.
        measure(options, options.only_threads)
        return

    thread_counts = [1] if options.threads <= 1 else [1, options.threads]
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    for threads in thread_counts:
        if threadpool_limits is not None:
            with threadpool_limits(limits=threads):
                measure(options, threads)
        else:
            environment = dict(os.environ, **{name: str(threads) for name in THREAD_VARIABLES})
            arguments = [sys.executable, os.path.abspath(__file__), "--only-threads", str(threads),
                         "--sizes", ",".join(map(str, options.sizes))] + (["--quick"] if options.quick else [])
            subprocess.run(arguments, env=environment, check=True)


if __name__ == "__main__":
    main()
