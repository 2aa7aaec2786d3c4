"""Family files: something other than a regular file where a model file should be.

A copy of the tiny GPT-2 fixture with one of its files (config.json, model.safetensors,
tokenizer.json) replaced by a FIFO (a reader would block forever), a directory, a symbolic link
loop, a dangling link, a link to a device (/dev/zero, /dev/null), an empty file, or a sparse file
of 64 GB (mapping it must not pass the address-space limit unnoticed). Every such folder is
invalid, so exit 0 is flagged.
"""

import os

from case import Case, copy_model
from families.common import model_commands

FILES = ["config.json", "model.safetensors", "tokenizer.json"]
KINDS = ["fifo", "directory", "loop", "dangling", "dev-zero", "dev-null", "empty", "sparse"]


def files_case(rng, folder):
    model = copy_model("gpt2", folder / "model")
    name, kind = rng.choice(FILES), rng.choice(KINDS)
    path = model / name
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "loop":
        os.symlink(name, path)  # a link to itself
    elif kind == "dangling":
        os.symlink("no-such-file", path)
    elif kind == "dev-zero":
        os.symlink("/dev/zero", path)
    elif kind == "dev-null":
        os.symlink("/dev/null", path)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "sparse":
        with open(path, "wb") as file:
            file.truncate(64 << 30)
    # An empty or sparse tokenizer.json is a broken tokenizer; logits works on ids without one.
    must_fail = name != "tokenizer.json"
    return Case(mutation=f"{name} is {kind}", commands=model_commands(rng, has_tokenizer=True, must_fail=must_fail))
