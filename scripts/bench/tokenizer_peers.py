#!/usr/bin/env python3
"""The measurements of `lab bench tokenizer` for Hugging Face `tokenizers` and tiktoken, as the same JSON lines.

Optional tooling: it gives the reference figures that scripts/bench/compare_tokenizer.sh sets
beside the kit's. Nothing in the build, the tests or the lessons needs Python. It needs the
PyPI packages `tokenizers` and `tiktoken`, and downloads nothing: tiktoken's Encoding is built
from the GPT-2 files given (or from a tokenizer.json), not fetched.

It prints one line per measurement; the key "library" names the peer, e.g.

    {"bench":"tokenizer","variant":"train","library":"tokenizers","vocab_size":10000,"bytes":5000734,"threads":1,"seconds":1.52}
    {"bench":"tokenizer","variant":"encode","library":"tiktoken","tokenizer":"gpt2","vocab_size":50257,"bytes":5000734,"threads":1,"mbps":30.1}

What is measured, on one thread, matching lab:
  train   `tokenizers`' BpeTrainer with a ByteLevel pre-tokenizer (GPT-2's pattern) and the 256
          byte alphabet, special tokens registered first (so the text is cut at them, as lab
          does), on the whole text as one string: pre-tokenizing, counting and merging.
          RAYON_NUM_THREADS=1 and TOKENIZERS_PARALLELISM=false are set before the import.
  encode  the whole text, special tokens recognized, with GPT-2's vocabulary (--vocab/--merges)
          and with a trained tokenizer.json (--trained, e.g. the one `lab train-tokenizer` wrote
          from the same text), each library used the way that is fastest for it on one thread:
          tiktoken: one `encode(text, allowed_special="all")` call (its `encode_batch` uses a
          thread pool); `tokenizers`: `encode_batch` over the text cut into documents and lines
          (one `encode` of a 5 MB string is about 2x slower). The cuts are made only where they
          cannot change a token (after a special token, and at a line break between two
          non-space characters), so the ids are those of the whole text; cutting is not timed.
Timing follows lab's convention (Sources/lab/Benchmark.swift): a warm-up call that also
calibrates, the median of the samples. With --lab-ids NAME=FILE it also checks that each
library's ids equal the ids lab printed (`lab tokenize --json`) for the tokenizer NAME.
"""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import emit, figure, median_seconds  # noqa: E402

# Before `tokenizers` is imported: its thread pool reads these once.
os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["RAYON_RS_NUM_CPUS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

GPT2_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def gpt2_byte_decoder():
    """GPT-2's printable character for each byte, inverted: the map vocab.json is written in."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    characters = printable[:]
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            characters.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, characters)}


def tiktoken_encoding(name, vocabulary, special_tokens):
    """A tiktoken Encoding from a printable-form vocabulary (token -> id): byte-level BPE ranks
    are the ids, because ids are given in merge order (bytes first)."""
    import tiktoken

    decoder = gpt2_byte_decoder()
    ranks = {bytes(decoder[c] for c in token): rank for token, rank in vocabulary.items() if token not in special_tokens}
    return tiktoken.Encoding(name=name, pat_str=GPT2_PATTERN, mergeable_ranks=ranks, special_tokens=special_tokens)


def cut_into_documents(text):
    """The text cut after each <|endoftext|> and at each line break between two non-space
    characters: places where GPT-2's pattern ends a piece anyway, so encoding the parts one by
    one gives the ids of the whole text."""
    return [part for part in re.split(r"(?<=<\|endoftext\|>)|(?<=\S\n)(?=\S)", text) if part]


def load_encoders(options, documents):
    """(name, vocabulary size, {library: encode function}) for each tokenizer to encode with."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    encoders = []
    if options.vocab:
        with open(options.vocab, encoding="utf-8") as file:
            vocabulary = json.load(file)
        specials = {t: vocabulary[t] for t in ("<|endoftext|>",) if t in vocabulary}
        hf = Tokenizer(models.BPE.from_file(options.vocab, options.merges))
        hf.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        hf.decoder = decoders.ByteLevel()
        hf.add_special_tokens(list(specials))
        tt = tiktoken_encoding("gpt2-files", vocabulary, specials)
        encoders.append(("gpt2", hf.get_vocab_size(), {
            "tiktoken": lambda text, tt=tt: tt.encode(text, allowed_special="all"),
            "tokenizers": lambda text, hf=hf: [i for encoding in hf.encode_batch(documents) for i in encoding.ids],
        }))
    if options.trained:
        with open(options.trained, encoding="utf-8") as file:
            document = json.load(file)
        specials = {token["content"]: token["id"] for token in document.get("added_tokens") or []}
        hf = Tokenizer.from_file(options.trained)
        tt = tiktoken_encoding("trained", document["model"]["vocab"], specials)
        encoders.append(("trained", hf.get_vocab_size(), {
            "tiktoken": lambda text, tt=tt: tt.encode(text, allowed_special="all"),
            "tokenizers": lambda text, hf=hf: [i for encoding in hf.encode_batch(documents) for i in encoding.ids],
        }))
    return encoders


def train_tokenizers(text, vocab_size, special_tokens):
    """Trains `tokenizers`' byte-level BPE on `text`; returns the number of merges learned."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.add_special_tokens(special_tokens)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=0, special_tokens=special_tokens,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator([text], trainer=trainer)
    return len(json.loads(tokenizer.to_str())["model"]["merges"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", required=True, help="the text (UTF-8), e.g. the file `lab corpus` wrote")
    parser.add_argument("--vocab-size", type=int, default=10000, help="vocabulary to train (default 10000)")
    parser.add_argument("--special", action="append", default=None, help="special token (default <|endoftext|>)")
    parser.add_argument("--vocab", help="GPT-2's vocab.json (with --merges): time encoding with it")
    parser.add_argument("--merges", help="GPT-2's merges.txt (with --vocab)")
    parser.add_argument("--trained", help="a tokenizer.json to time encoding with (named 'trained')")
    parser.add_argument("--only", choices=("train", "encode"), help="only one of the two measurements")
    parser.add_argument("--samples", type=int, default=None, help="samples (default 3 for training, 7 for encoding)")
    parser.add_argument("--quick", action="store_true", help="one training sample, three encoding samples")
    parser.add_argument("--lab-ids", action="append", default=[], metavar="NAME=FILE",
                        help="check each library's ids against lab's {\"ids\": [...]} for tokenizer NAME")
    options = parser.parse_args()
    if bool(options.vocab) != bool(options.merges):
        parser.error("--vocab and --merges go together")
    special_tokens = options.special or ["<|endoftext|>"]
    with open(options.input, "rb") as file:
        text = file.read().decode("utf-8")
    size = len(text.encode("utf-8"))
    train_samples = options.samples or (1 if options.quick else 3)
    encode_samples = options.samples or (3 if options.quick else 7)

    if options.only != "encode":
        merges = []

        def train():
            merges.append(train_tokenizers(text, options.vocab_size, special_tokens))

        seconds = median_seconds(train, train_samples, 0, warn_if_threaded=True)
        print(f"tokenizers learned {merges[-1]} merges", file=sys.stderr)
        emit({"bench": "tokenizer", "variant": "train", "library": "tokenizers", "vocab_size": options.vocab_size,
              "bytes": size, "threads": 1, "seconds": figure(seconds)})

    if options.only == "train":
        return
    expected = {}
    for item in options.lab_ids:
        name, _, path = item.partition("=")
        with open(path, encoding="utf-8") as file:
            expected[name] = json.load(file)["ids"]
    mismatches = []
    for name, vocab_size, libraries in load_encoders(options, cut_into_documents(text)):
        for library, encode in libraries.items():
            if name in expected:
                ids = encode(text)
                same = ids == expected[name]
                first = next((i for i, (a, b) in enumerate(zip(ids, expected[name])) if a != b), min(len(ids), len(expected[name])))
                print(f"ids {name}: {library} {'==' if same else '!='} lab ({len(ids)} vs {len(expected[name])} tokens"
                      + ("" if same else f", first difference at token {first}") + ")", file=sys.stderr)
                if not same:
                    mismatches.append(f"{library} ({name})")

            def encode_all(encode=encode):
                encode(text)

            encode_all.__name__ = f"{library} encode"
            seconds = median_seconds(encode_all, encode_samples, 0.02, warn_if_threaded=True)
            emit({"bench": "tokenizer", "variant": "encode", "library": library, "tokenizer": name,
                  "vocab_size": vocab_size, "bytes": size, "threads": 1, "mbps": figure(size / seconds / 1e6)})
    if mismatches:
        sys.exit("ids differ from lab's for " + ", ".join(mismatches) + ": the speeds would not compare the same work")


if __name__ == "__main__":
    main()
