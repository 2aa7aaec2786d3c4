"""Running one `lab` command under a memory and time limit, and judging how it ended.

Each run gets its own process group and these limits, set in the child before `exec`:
  * RLIMIT_AS, the address space (default 4 GB): an allocation past it fails, and Swift stops
    with "Fatal error: failed to allocate N bytes" (SIGABRT) - an out-of-memory, not a crash.
    A valid run of the tiny fixtures needs well under 128 MB of address space (measured), so
    4 GB refuses only the runaway allocations and never a valid run;
  * RLIMIT_FSIZE (256 MB) so a runaway writer cannot fill the disk; RLIMIT_CORE 0: no core files;
  * a wall-clock timeout (default 20 s), after which the whole group is killed (SIGKILL).
SWIFT_BACKTRACE=enable=no: Swift's crash reporter would add ~0.3 s and 60 lines per crash; the
"Fatal error" line and the signal are what classification needs.

Classification (one status per run): ok (exit 0), error (a non-zero exit status), crash (a
signal, or "Fatal error"/a stack trace on stderr), hang (the timeout), oom (an allocation
failure message from a process that did not exit cleanly, or SIGKILL that the timeout did not
send). Flags on top of a status:
noisy (an error longer than 2 kB or 8 lines; raw control characters on stderr, or on the
stdout of a command that prints a report), silent-nan (exit 0 with nan/inf printed as a
number by logits/eval/train/generate --json), accepted (exit 0 on an input the case marks
invalid for that command). Left out: making the cases and keeping failures (fuzz.py).
"""

import os
import re
import resource
import signal
import time

STDOUT_KEPT = 64 * 1024     # bytes of output read back for classification
STDERR_KEPT = 64 * 1024
NOISY_BYTES = 2048          # an error message longer than this is noisy
NOISY_LINES = 8

OOM_PATTERNS = re.compile(r"failed to allocate|Could not allocate memory|Cannot allocate memory|out of memory"
                          r"|bad_alloc|ENOMEM", re.IGNORECASE)
CRASH_PATTERNS = re.compile(r"Fatal error|Illegal instruction|Segmentation fault|Current stack trace"
                            r"|Program crashed|Stack dump|Assertion failed|precondition failed", re.IGNORECASE)
# Raw control characters other than tab, newline and carriage return (ESC is the one that matters).
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A nan or inf written as a number, once quoted text (token strings) has been removed.
NOT_A_NUMBER = re.compile(r"(?<![A-Za-z_])[-+]?(nan|inf|infinity)(?![A-Za-z_])", re.IGNORECASE)
QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def limits(memory_bytes):
    """The function the child runs before exec: its own process group and the rlimits."""
    def apply():
        os.setpgid(0, 0)
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 << 20, 256 << 20))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run(lab, command, cwd, io_folder, timeout, memory_bytes):
    """Runs `lab command.argv` in `cwd`; returns a dict describing how it ended."""
    import subprocess  # here so that the self-test of classification needs no process
    out_path, err_path = io_folder / "stdout", io_folder / "stderr"
    env = dict(os.environ, SWIFT_BACKTRACE="enable=no", NO_COLOR="1", TMPDIR=str(cwd), LC_ALL="C.UTF-8")
    stdin = subprocess.DEVNULL
    if command.stdin is not None:
        (io_folder / "stdin").write_bytes(command.stdin)
        stdin = open(io_folder / "stdin", "rb")
    argv = [lab] + [os.fsencode(a) for a in command.argv]
    started = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen(argv, cwd=cwd, stdin=stdin, stdout=out, stderr=err, env=env,
                                   preexec_fn=limits(memory_bytes), close_fds=True)
    if stdin is not subprocess.DEVNULL:
        stdin.close()
    status, usage, timed_out = wait(process.pid, started + timeout)
    process.returncode = status  # reaped here; tell Popen so it does not wait again
    seconds = time.monotonic() - started
    stdout, stdout_size = read_head(out_path, STDOUT_KEPT)
    stderr, stderr_size = read_head(err_path, STDERR_KEPT)
    return {"argv": command.argv, "timed_out": timed_out,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "seconds": round(seconds, 3), "max_rss_kb": usage.ru_maxrss if usage else None,
            "stdout": stdout, "stdout_size": stdout_size, "stderr": stderr, "stderr_size": stderr_size}


def wait(pid, deadline):
    """Waits for `pid` until `deadline`; kills its process group then. (status, rusage, timed out)."""
    pause, timed_out = 0.0005, False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage, timed_out
        if not timed_out and time.monotonic() > deadline:
            timed_out = True
            for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
                try:
                    target()
                except ProcessLookupError:
                    pass
        time.sleep(pause)
        pause = min(pause * 2, 0.02)


def read_head(path, limit):
    """The first `limit` bytes of a file and its full size."""
    with open(path, "rb") as file:
        return file.read(limit), os.path.getsize(path)


# MARK: - Classification

def classify(outcome, command):
    """(status, [flags], one-line reason) for a finished run."""
    stderr = outcome["stderr"].decode("utf-8", "replace")
    stdout = outcome["stdout"].decode("utf-8", "replace")
    name = command.argv[0] if command.argv else ""
    if outcome["timed_out"]:
        return "hang", [], "no exit within the time limit (killed)"
    first = first_line(stderr)
    fatal = fatal_line(stderr)
    # An allocation failure is an oom only when it stopped the process; a clean error that says
    # "cannot memory-map … (Cannot allocate memory)" is the kit refusing, which is right.
    if outcome["signal"] is not None or fatal:
        if OOM_PATTERNS.search(stderr):
            line = next(l for l in stderr.splitlines() if OOM_PATTERNS.search(l))
            return "oom", [], line.strip()[:200]
        if outcome["signal"] == signal.SIGKILL:  # not ours (that would be a timeout): the OOM killer
            return "oom", [], "killed by SIGKILL (out of memory)"
        return "crash", [], (fatal or first or "no message") + (f" [{signal_name(outcome['signal'])}]" if outcome["signal"] else "")
    flags = []
    status = "ok" if outcome["exit"] == 0 else "error"
    if status == "error" and (outcome["stderr_size"] > NOISY_BYTES or stderr.count("\n") > NOISY_LINES):
        flags.append("noisy")
    report_stdout = name in ("inspect", "logits", "eval", "train") or (name == "tokenize" and "--decode" not in command.argv)
    if CONTROL.search(outcome["stderr"]) or (report_stdout and CONTROL.search(outcome["stdout"])):
        if "noisy" not in flags:
            flags.append("noisy")
    if status == "ok" and prints_not_a_number(name, command.argv, stdout):
        flags.append("silent-nan")
    if status == "ok" and command.must_fail:
        flags.append("accepted")
    reason = first if status == "error" else ""
    if "noisy" in flags and status == "ok":
        reason = "raw control characters in the output"
    elif "silent-nan" in flags:
        reason = "nan/inf printed as a result"
    elif "accepted" in flags:
        reason = "exit 0 on an input that should be refused"
    return status, flags, reason


def prints_not_a_number(name, argv, stdout):
    """Whether a successful run printed nan/inf (or logits --json's null) as a result."""
    if name == "generate" and "--json" not in argv:
        return False  # streamed text can say "inf" as a word
    if name not in ("logits", "eval", "train", "generate"):
        return False
    text = QUOTED.sub('""', stdout)
    if name == "logits" and "--json" in argv and "null" in text:
        return True
    return bool(NOT_A_NUMBER.search(text))


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def fatal_line(stderr):
    for line in stderr.splitlines():
        if CRASH_PATTERNS.search(line):
            return line.strip()[:200]
    return ""


def signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
