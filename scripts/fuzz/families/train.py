"""Family train: `lab train` on a mutated corpus file, or with one option given an odd value.

Every run trains a tiny model (one layer, C 16, two heads, T 16, a 300-token BPE vocabulary
trained on the text, three steps), so a case that trains takes well under a second. Two kinds:
  * corpus: the text file of `--corpus` is empty, random bytes, cut inside a UTF-8 character or
    holding invalid UTF-8, one huge line (or one huge word, no space to split it), full of NUL
    bytes, control characters or a BOM, too short for one window, or not a text file at all: a
    FIFO, a directory, a dangling link, a symbolic link loop, a link to /dev/zero or /dev/null,
    a 64 GB sparse file. A run that trains is followed by `lab eval` and `lab generate` on the
    folder it wrote (the case is chained);
  * option: one option of the command (steps, batch, context, learning rate, warmup, the model's
    shape, seeds, threads, the corpus's size, ...) gets nan, inf, -1, 0, 2^62, text, an empty or
    a 100,000-character value, escape codes, or a value just past a limit. `--stop-after 3` is
    always given, so a valid but huge `--steps` still ends.
`must_fail` is set for what no correct kit may accept: a corpus that is not UTF-8 text, empty,
too short or not a regular file, and a number option given nan, inf, -1, text or nothing.
"""

import os

from case import Case, Command
from formats import write_text
from mutations import INVALID_UTF8, describe

# Plain English with punctuation, digits and a few non-ASCII characters: about 14 kB, which a
# 300-token vocabulary turns into a few thousand tokens (the held-out 10% is many windows of 17).
SENTENCES = ["Once upon a time a small fox lived near the river.", "She liked to count the stones: 1, 2, 3.",
             "Every morning the baker sold bread for 2.50 each.", "The café was closed on Sunday — nobody knew why.",
             "\"Where are you going?\" asked the owl.", "They walked home slowly, talking about the weather."]
BASE_TEXT = "\n".join(SENTENCES[i % len(SENTENCES)] + (" " if i % 3 else "\n") for i in range(300))

TINY_MODEL = ["--vocab-size", "300", "--layers", "1", "--width", "16", "--heads", "2", "--context", "16",
              "--batch", "2", "--steps", "3", "--eval-batches", "2", "--stop-after", "3"]

NUMBER_VALUES = ["nan", "inf", "-inf", "-1", "0", "1", "2", "0.5", "1e-30", "1e300", "4611686018427387904",
                 "9223372036854775808", "abc", "", "1,2", "0x10", "\x1b[2J", "7" * 100_000]
# Values that no number option may accept.
INVALID_NUMBERS = {"nan", "inf", "-inf", "-1", "abc", "", "1,2", "\x1b[2J"}  # 0x10 is a hexadecimal Float to Swift

# option -> values tried besides NUMBER_VALUES. Valid values stay quick on two cores: 4,096 layers
# is within the kit's limits but takes longer than the time limit to train, so 64 stands for it.
OPTIONS = {
    "--steps": ["4", "100"], "--batch": ["1", "64", "1048576"], "--context": ["1", "15", "17", "100000"],
    "--accumulate": ["2", "4096", "4097"], "--learning-rate": ["1", "100", "3.4e38"], "--warmup": ["2", "3"],
    "--min-learning-rate": ["0.01", "1"], "--weight-decay": ["0", "1e30"], "--clip": ["1e-30", "1e30"],
    "--eval-interval": ["1", "2"], "--eval-batches": ["1", "10000", "10001"], "--batch-seed": ["18446744073709551615"],
    "--layers": ["2", "64", "4097"], "--width": ["18", "17", "1048576"], "--heads": ["3", "16", "32"],
    "--kv-heads": ["1", "3"], "--ff": ["1", "4194304"], "--positions": ["15", "16", "16777217"],
    "--vocab-size": ["256", "257", "100000"], "--init-seed": ["18446744073709551616"], "--threads": ["2", "1024", "1025"],
    "--stop-after": ["1", "2"], "--validation": ["0.4", "0.5", "0.01"], "--bytes": ["1", "20k", "2G"], "--seed": ["7"],
}
TEXT_OPTIONS = {"--family": ["llama", "gpt3", "", "LLAMA", "\x1b[31m"],
                "--tokenizer": ["missing.json", "dir", "fifo", "corpus.txt"],
                "--config": ["missing.json", "dir", "fifo", "corpus.txt"],
                "--output": ["corpus.txt", "dir/deeper/out", "fifo", "", "/proc/out"],
                "--corpus": ["poems", "", "dir", "STORIES", "stories "]}


def train_case(rng, folder):
    write_text(folder / "corpus.txt", BASE_TEXT)
    if rng.random() < 0.5:
        return corpus_case(rng, folder)
    return option_case(rng, folder)


def follow_ups(rng):
    """eval and generate on the folder a successful train wrote."""
    return [Command(["eval", "--model", "out", "--max-tokens", "200", "--ngram", rng.choice(["1", "3"])] + rng.choice([[], ["--json"]])),
            Command(["generate", "--model", "out", "--prompt", "Once upon", "--max-tokens", "4", "--temperature", "0", "--quiet"])]


# MARK: - Corpus

CORPUS_KINDS = ["empty", "binary", "invalid-utf8", "cut-character", "huge-line", "huge-word", "nul", "controls", "bom",
                "tiny", "fifo", "directory", "dangling", "loop", "dev-zero", "dev-null", "sparse", "crlf"]


def corpus_case(rng, folder):
    path = folder / "corpus.txt"
    kind = rng.choice(CORPUS_KINDS)
    text = BASE_TEXT.encode()
    must_fail = True
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        size = rng.choice([100, 10_000, 1_000_000])
        blob = bytes(rng.randrange(256) for _ in range(min(size, 10_000))) * max(1, size // 10_000)
        path.write_bytes(blob)
        must_fail = not valid_utf8(blob)
    elif kind == "invalid-utf8":
        piece, at = rng.choice(INVALID_UTF8), rng.randrange(len(text))
        path.write_bytes(text[:at] + piece + text[at:])
        must_fail = not valid_utf8(text[:at] + piece + text[at:])
    elif kind == "cut-character":
        path.write_bytes(text + "é".encode()[:1])
    elif kind == "huge-line":
        size = rng.choice([100_000, 1_000_000, 4_000_000])
        line = (BASE_TEXT.replace("\n", " ") * (size // len(BASE_TEXT) + 1))[:size]
        path.write_bytes(line.encode())
        must_fail = False
    elif kind == "huge-word":
        size = rng.choice([10_000, 100_000, 1_000_000])
        path.write_bytes(text + b"\n" + rng.choice([b"a", b"ab", b"x9"]) * (size // 2) + b"\n" + text)
        must_fail = False
    elif kind == "nul":
        step = rng.choice([1, 10, 1000])
        path.write_bytes(b"".join(text[i:i + step] + b"\x00" for i in range(0, len(text), step)))
        must_fail = False
    elif kind == "controls":
        path.write_bytes(text.replace(b" ", b"\x1b[2J\x07 ", 50))
        must_fail = False
    elif kind == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + text)
        must_fail = False
    elif kind == "tiny":
        path.write_bytes(rng.choice([b"a", b"hello", b"Once upon a time."]))
    elif kind == "crlf":
        path.write_bytes(text.replace(b"\n", b"\r\n"))
        must_fail = False
    else:
        path.unlink()
        make_special(path, kind)
    commands = [Command(["train", "--corpus", "corpus.txt", *TINY_MODEL, "--output", "out"] + rng.choice([[], ["--json"]]),
                        must_fail=must_fail)]
    if not must_fail:
        commands += follow_ups(rng)
    return Case(f"corpus {kind}", commands, chained=True)


def make_special(path, kind):
    """Something other than a regular file at `path` (kinds as in the files family)."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "dangling":
        os.symlink("no-such-file", path)
    elif kind == "loop":
        os.symlink(path.name, path)
    elif kind == "dev-zero":
        os.symlink("/dev/zero", path)
    elif kind == "dev-null":
        os.symlink("/dev/null", path)
    elif kind == "sparse":
        with open(path, "wb") as file:
            file.truncate(64 << 30)


def valid_utf8(data):
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


# MARK: - Options

def option_case(rng, folder):
    (folder / "dir").mkdir()
    os.mkfifo(folder / "fifo")
    option = rng.choice(sorted(OPTIONS) + sorted(TEXT_OPTIONS))
    if option in OPTIONS:
        value = rng.choice(NUMBER_VALUES + OPTIONS[option])
        must_fail = value in INVALID_NUMBERS
    else:
        value = rng.choice(TEXT_OPTIONS[option])
        must_fail = value in ("", "\x1b[31m", "gpt3", "LLAMA", "fifo", "dir", "missing.json", "poems", "STORIES",
                              "stories ") or (option == "--output" and value in ("corpus.txt", "/proc/out"))
        if option == "--tokenizer" and value == "corpus.txt":
            must_fail = True
        if option == "--config" and value == "corpus.txt":
            must_fail = True
    corpus = ["--corpus", "stories", "--bytes", "20k"] if option in ("--bytes", "--seed") or rng.random() < 0.3 else ["--corpus", "corpus.txt"]
    argv = ["train"] + (corpus if option != "--corpus" else [])
    # The tiny shape, with the mutated option's own value in place of the default one.
    model = list(TINY_MODEL)
    if option in model:
        at = model.index(option)
        del model[at:at + 2]
    if option == "--kv-heads" or (option == "--family" and value == "llama"):
        model += ["--family", "llama"] if option != "--family" else []
    if option in ("--tokenizer",):
        at = model.index("--vocab-size")
        del model[at:at + 2]
    if option in ("--config",):
        model = ["--steps", "3", "--stop-after", "3", "--context", "16", "--batch", "2"]
    argv += model + [option, value]
    if option != "--output":
        argv += ["--output", "out"]
    argv += rng.choice([[], ["--json"]])
    commands = [Command(argv, must_fail=must_fail)]
    if not must_fail and option not in ("--output",):
        commands += follow_ups(rng)
    return Case(f"option {option} {describe(value)}", commands, chained=True)
