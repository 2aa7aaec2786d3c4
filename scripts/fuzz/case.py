"""A fuzz case: the input folder a family writes, and the `lab` command lines run on it.

A family function receives a seeded `random.Random` and an empty folder; it copies a committed
fixture into the folder, mutates one thing, and returns a `Case` naming the mutation and the
commands. Commands are argument lists after `lab`, with paths relative to the case folder (the
working directory of every run), so a kept failure folder reproduces anywhere. Left out: running
the commands and judging them (running.py), the mutations themselves (mutations.py, families/).
"""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

# The repository this script lives in (scripts/fuzz/case.py -> the root), and its fixtures.
REPOSITORY = Path(__file__).resolve().parents[2]
MODEL_FIXTURES = REPOSITORY / "Tests" / "Fixtures" / "models"
TOKENIZER_FIXTURES = REPOSITORY / "Tests" / "Fixtures" / "tokenizer"
KIT_MODEL = REPOSITORY / "models" / "lab-stories-4m"

# The tiny single-file model folders (C 32, 2 layers). Only gpt2 has a tokenizer (V 300).
SINGLE_FILE_MODELS = ["gpt2", "llama", "qwen2", "mistral", "llama-f16", "qwen2-bf16"]
SHARDED_MODEL = "gpt2-sharded"
# Standalone tokenizer.json fixtures (400-600 tokens, more than the tiny Llama/Qwen2 V of 96).
STANDALONE_TOKENIZERS = ["kit_trained_tokenizer.json", "llama3_style_tokenizer.json",
                         "llama3_template_tokenizer.json", "qwen2_style_tokenizer.json",
                         "smollm2_style_tokenizer.json"]
# Files of a fixture folder that no `lab` command reads: left out of case folders.
UNREAD_FILES = {"reference.json", "tokenizer_reference.json"}


@dataclass
class Command:
    """One `lab` invocation of a case."""
    argv: list                 # the arguments after `lab`, e.g. ["logits", "model", "--ids", "1,2"]
    stdin: bytes = None        # standard input (None: /dev/null)
    must_fail: bool = False    # the input is invalid for this command: exit 0 is flagged "accepted"

    @property
    def name(self):
        return self.argv[0] if self.argv else ""


@dataclass
class Case:
    """What a family made: a one-line mutation and the commands to run on the folder."""
    mutation: str
    commands: list
    # True when a command reads what an earlier one wrote (train, then eval on its output);
    # a reproduction then runs the earlier commands first.
    chained: bool = False
    family: str = ""
    index: int = 0
    seed: int = 0

    @property
    def name(self):
        return f"{self.family}-{self.index}"


def copy_model(name, destination, with_tokenizer=True):
    """Copies fixture model folder `name` to `destination` (without the reference outputs)."""
    source = MODEL_FIXTURES / name
    destination.mkdir(parents=True, exist_ok=True)
    for item in sorted(source.iterdir()):
        if item.name in UNREAD_FILES or (not with_tokenizer and item.name == "tokenizer.json"):
            continue
        shutil.copyfile(item, destination / item.name)
    return destination


def link_kit_model(destination):
    """The kit's 17 MB model as symbolic links (copying it for every case would be slow);
    families that use it never write to it."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in ["config.json", "model.safetensors", "tokenizer.json"]:
        os.symlink(KIT_MODEL / name, destination / name)
    return destination


def weighted_choice(rng, table):
    """Picks a key of {choice: weight} with probability proportional to its weight."""
    keys = sorted(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]
