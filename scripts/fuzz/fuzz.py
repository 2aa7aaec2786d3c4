#!/usr/bin/env python3
"""Fuzz the `lab` tool: seeded mutations of every input it reads, each run under limits.

    python3 scripts/fuzz/fuzz.py --lab .build/release/lab --cases 300 --seed 1 --out /tmp/fuzz

Case i of family f under seed s is always the same input (its generator is seeded with
"s-f-i"), so a run is reproducible and a failure can be made again by its name. Families take
turns (families/__init__.py lists them). Every command of a case runs in the case's folder
under an address-space limit and a time limit (running.py), and is classified ok / error /
crash / hang / oom, with the flags noisy, silent-nan and accepted. A case with a crash, hang,
oom or flag is kept under OUT/failures/<family>-<i>/ with repro.sh (the command lines, run from
that folder) and the head of each run's stderr; OUT/summary.json holds the table. The exit
status is 1 when any run crashed, hung or ran out of memory (0 with --report-only).

Left out: shrinking failing inputs to a minimum, and running cases in parallel (each run is a
process already; two cores are shared with the build).
"""

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from families import FAMILIES, PREPARE  # noqa: E402
from running import classify, run  # noqa: E402

STATUSES = ["ok", "error", "crash", "hang", "oom"]
FLAGS = ["noisy", "silent-nan", "accepted"]
SERIOUS = {"crash", "hang", "oom"}


def make_case(family, index, seed, folder):
    rng = random.Random(f"{seed}-{family}-{index}")
    case = FAMILIES[family](rng, folder)
    case.family, case.index, case.seed = family, index, seed
    return case


def keep(case, folder, results, out):
    """Copies a failing case's folder (minus large sparse files) with its reproduction."""
    target = out / "failures" / case.name
    if target.exists():
        shutil.rmtree(target)
    # FIFOs and large (sparse) files are made again by repro.sh instead of copied.
    remade = []

    def leave_out(directory, names):
        left = []
        for name in names:
            path = Path(directory) / name
            if path.is_symlink():
                continue
            if path.is_fifo():
                remade.append(f'mkfifo "{path.relative_to(folder)}" 2>/dev/null')
                left.append(name)
            elif path.is_file() and path.stat().st_size > 16 << 20:
                remade.append(f'truncate -s {path.stat().st_size} "{path.relative_to(folder)}"')
                left.append(name)
        return left
    shutil.copytree(folder, target, symlinks=True, ignore_dangling_symlinks=True, ignore=leave_out)
    lines = ["#!/bin/sh", f"# {case.family} case {case.index}, seed {case.seed}: {case.mutation}",
             "# run from this folder; LAB is the lab binary", 'LAB="${LAB:-lab}"'] + remade
    for result in results:
        lines.append('"$LAB" ' + " ".join(shell_quote(a) for a in result["argv"]))
    (target / "repro.sh").write_text("\n".join(lines) + "\n")
    report = [f"{r['status']} {' '.join(r['flags'])} {r['reason']}\n  lab {' '.join(shell_quote(a)[:60] for a in r['argv'])}\n"
              + "  stderr: " + r["stderr_head"] for r in results]
    (target / "outcome.txt").write_text("\n".join(report) + "\n")


def shell_quote(text):
    if text and all(c.isalnum() or c in "-_./,=:" for c in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lab", required=True, help="the lab binary to fuzz")
    parser.add_argument("--cases", type=int, default=300, help="cases in all, spread over the families")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="/tmp/lab-fuzz", help="where failures and summary.json go")
    parser.add_argument("--families", default=",".join(FAMILIES), help="comma-separated, from: " + ", ".join(FAMILIES))
    parser.add_argument("--timeout", type=float, default=20, help="seconds per run")
    parser.add_argument("--memory-gb", type=float, default=4, help="address-space limit per run")
    parser.add_argument("--report-only", action="store_true", help="exit 0 even when runs crashed, hung or ran out of memory")
    options = parser.parse_args()
    families = [f for f in options.families.split(",") if f]
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        parser.error(f"unknown families {unknown}; choose from {list(FAMILIES)}")
    lab = str(Path(options.lab).resolve())
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    memory = int(options.memory_gb * (1 << 30))
    table = {f: {k: 0 for k in ["cases", "runs"] + STATUSES + FLAGS} for f in families}
    kinds = {}  # (family, status, reason) -> [count, first case]
    started = time.monotonic()
    # What a family needs made once (the checkpoint family's base checkpoint), kept until the end.
    shared = Path(tempfile.mkdtemp(prefix="fuzz-shared-"))
    for family in families:
        if family in PREPARE:
            PREPARE[family](lab, shared)
    for number in range(options.cases):
        family = families[number % len(families)]
        index = number // len(families)
        with tempfile.TemporaryDirectory(prefix=f"fuzz-{family}-") as work:
            folder = Path(work) / "case"
            io = Path(work) / "io"
            folder.mkdir()
            io.mkdir()
            case = make_case(family, index, options.seed, folder)
            results, failing = [], False
            for command in case.commands:
                outcome = run(lab, command, folder, io, options.timeout, memory)
                status, flags, reason = classify(outcome, command)
                row = table[family]
                row["runs"] += 1
                row[status] += 1
                for flag in flags:
                    row[flag] += 1
                if status in SERIOUS or flags:
                    failing = True
                    key = (family, status if status in SERIOUS else "+".join(flags), reason[:120])
                    kinds.setdefault(key, [0, case.name])[0] += 1
                results.append({"argv": command.argv, "status": status, "flags": flags, "reason": reason,
                                "stderr_head": outcome["stderr"][:300].decode("utf-8", "replace")})
            table[family]["cases"] += 1
            if failing:
                keep(case, folder, results, out)
    shutil.rmtree(shared, ignore_errors=True)
    seconds = time.monotonic() - started
    header = f"{'family':<16}" + "".join(f"{k:>11}" for k in ["cases", "runs"] + STATUSES + FLAGS)
    print(header)
    for family, row in table.items():
        print(f"{family:<16}" + "".join(f"{row[k]:>11}" for k in ["cases", "runs"] + STATUSES + FLAGS))
    totals = {k: sum(row[k] for row in table.values()) for k in ["cases", "runs"] + STATUSES + FLAGS}
    print(f"{'all':<16}" + "".join(f"{totals[k]:>11}" for k in ["cases", "runs"] + STATUSES + FLAGS))
    print(f"{options.cases} cases, seed {options.seed}, {seconds:.0f} s; failures kept in {out / 'failures'}")
    for (family, kind, reason), (count, first) in sorted(kinds.items(), key=lambda item: (item[0][1] not in SERIOUS, item[0])):
        print(f"  {kind:<12} {family:<14} ×{count:<4} {first:<20} {reason}")
    summary = {"seed": options.seed, "cases": options.cases, "seconds": round(seconds, 1), "families": table,
               "totals": totals, "kinds": [{"family": f, "kind": k, "reason": r, "count": c, "first": n}
                                           for (f, k, r), (c, n) in sorted(kinds.items())]}
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    serious = sum(totals[s] for s in SERIOUS)
    return 0 if options.report_only or serious == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
