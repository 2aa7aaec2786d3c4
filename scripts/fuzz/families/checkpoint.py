"""Family checkpoint: a folder written by `lab train` with one of its files mutated, then resumed.

`prepare` trains one tiny checkpoint per fuzz run (one layer, C 16, T 16, three steps on 20 kB
of the kit's stories: about a second); each case copies it into its folder as `ck/` and mutates
one thing:
  * state: training_state.json's fields, targeted (step beyond the run or unequal to the
    optimizer's, settings as 0, -1, 2^62, wrong types, NaN/infinity bit patterns, a context
    longer than the model's positions, a batch far beyond memory, a seed out of range, a
    generator of 4 words or all zero, a wrong format or version, a damaged data record (corpus
    size 2^62, unknown corpus, a path), a duplicated key) or by the generic JSON edits;
  * moments: training_state.safetensors with NaN or infinity, a negative second moment, a
    tensor missing, added, renamed, resized or stored as F16, the layout changed, truncation;
  * model: model.safetensors with a tensor missing, added or resized, NaN weights, truncation;
    config.json with another layer count, context or width; tokenizer.json removed or larger
    than the model's vocabulary;
  * files: one of the five files replaced by a FIFO, a directory, a dangling link or an empty
    file; loss.csv garbage or missing (harmless: it is the curve's history only).
Commands: `lab eval` on the folder, then `lab train --resume ck --steps 5` (chained: the resume
writes into ck), and sometimes `lab inspect` and `lab generate`. `must_fail` is set for every
mutation that breaks a rule of the checkpoint (all but the harmless ones), for eval and resume.
"""

import json
import math
import os
import shutil
import struct
import subprocess

from case import Case, Command
from formats import (Pairs, Raw, dumps, float_bits, floats_of, layout, load_json, read_safetensors, tensors_in,
                     write_safetensors, write_text)
from mutations import describe, mutate_document, mutate_tree

BASE = None  # the checkpoint folder `prepare` made
FILES = ["training_state.json", "training_state.safetensors", "model.safetensors", "config.json", "tokenizer.json"]


def prepare(lab, work):
    """Trains the base checkpoint once, into `work`/ck."""
    global BASE
    argv = [lab, "train", "--corpus", "stories", "--bytes", "20k", "--vocab-size", "300", "--layers", "1", "--width", "16",
            "--heads", "2", "--context", "16", "--batch", "2", "--steps", "3", "--eval-batches", "2", "--output", "ck", "--json"]
    result = subprocess.run(argv, cwd=work, capture_output=True, timeout=300)
    if result.returncode != 0:
        raise SystemExit("checkpoint family: the base checkpoint could not be trained:\n" + result.stderr.decode(errors="replace"))
    BASE = work / "ck"


def checkpoint_case(rng, folder):
    checkpoint = folder / "ck"
    shutil.copytree(BASE, checkpoint)
    kind = rng.choice(["state", "state", "state", "moments", "moments", "model", "files"])
    edited = {"state": state_edit, "moments": moments_edit, "model": model_edit, "files": files_edit}[kind](rng, checkpoint)
    description, resume_fails = edited[0], edited[1]
    eval_fails = edited[2] if len(edited) > 2 else resume_fails
    commands = [Command(["eval", "--model", "ck", "--max-tokens", "200"] + rng.choice([[], ["--json"]]), must_fail=eval_fails),
                Command(["train", "--resume", "ck", "--steps", "5"] + rng.choice([[], ["--json"]]), must_fail=resume_fails)]
    if rng.random() < 0.3:
        commands.insert(0, Command(["inspect", "ck"]))
    if rng.random() < 0.3:
        commands.append(Command(["generate", "--model", "ck", "--prompt-ids", "1,2", "--max-tokens", "3", "--quiet"]))
    return Case(f"{kind}: {description}", commands, chained=True)


# MARK: - training_state.json

NAN_BITS, INF_BITS = 0x7FC00000, 0x7F800000
SETTING_INTEGERS = ["steps", "batch", "context", "accumulation", "warmup_steps", "evaluation_interval", "evaluation_batches"]
SETTING_FLOATS = ["learning_rate", "minimum_learning_rate", "weight_decay", "beta1", "beta2", "epsilon",
                  "max_gradient_norm", "spike_factor"]


def state_edit(rng, checkpoint):
    path = checkpoint / "training_state.json"
    state = load_json(path)
    settings = state["settings"]
    edit = rng.choice(["step", "optimizer_step", "integer", "float", "seed", "generator", "format", "data", "average",
                       "context", "batch", "tree", "text", "duplicate", "tokens"])
    harmless, eval_reads = False, True  # eval_reads: lab eval reads what the edit broke
    if edit == "step":
        state["step"] = rng.choice([-1, 4, 2**62, 1.5, "3", None, Raw("1e400")])
        state["optimizer_step"] = state["step"] if rng.random() < 0.5 else state["optimizer_step"]
        detail = f"step = {dumps(state['step'])[:20]}"
    elif edit == "optimizer_step":
        state["optimizer_step"] = rng.choice([0, 2, 4, 2**62, -1])
        detail = f"optimizer_step = {state['optimizer_step']}"
    elif edit == "integer":
        name = rng.choice(SETTING_INTEGERS)
        settings[name] = rng.choice([0, -1, 2**62, 2**63, "16", 16.5, None, []])
        detail = f"settings.{name} = {dumps(settings[name])}"
        # A larger step count or interval is a longer run, not a broken one; eval evaluates
        # one window at a time and never uses the batch shape or the accumulation.
        harmless = (name in ("steps", "evaluation_interval") and settings[name] == 2**62) or (name == "warmup_steps" and settings[name] == 0)
        eval_reads = not (name in ("accumulation", "evaluation_batches", "batch") and settings[name] == 2**62)
    elif edit == "float":
        name = rng.choice(SETTING_FLOATS)
        bits = rng.choice([NAN_BITS, INF_BITS, INF_BITS | 0x80000000, 2**32, -1, "0", None, 0xBF800000])
        settings[name + "_bits"] = bits
        detail = f"settings.{name}_bits = {dumps(bits)}"
    elif edit == "seed":
        settings["seed"] = rng.choice(["-1", "18446744073709551616", 5, "abc", "", "0x10"])
        detail = f"settings.seed = {dumps(settings['seed'])}"
    elif edit == "generator":
        words = state["generator"]
        state["generator"] = rng.choice([words[:4], ["0"] * 5, words[:4] + ["zz"], words[:4] + ["1" + "0" * 16], words + words[:1], 7])
        detail = f"generator = {describe(dumps(state['generator']), 60)}"
    elif edit == "format":
        field, value = rng.choice([("format", "other"), ("format", 1), ("version", 2), ("version", "1"), ("version", None)])
        state[field] = value
        detail = f"{field} = {dumps(value)}"
    elif edit == "data":
        data = state["data"]
        key, value = rng.choice([("bytes", "4611686018427387904"), ("bytes", "-5"), ("bytes", "abc"), ("corpus", "poems"),
                                 ("corpus", "file"), ("validation_fraction", "0.9"), ("validation_fraction", "nan"),
                                 ("seed", "-1"), ("corpus", 5), ("bytes", "21000")])
        data[key] = value
        if key == "corpus" and value == "file" and rng.random() < 0.5:
            data["path"] = rng.choice(["/etc/hostname", "../ck/config.json", "no-such-file", "/dev/zero"])
        # Another text of the right form: eval measures on it, a resume sees it is not the run's.
        eval_reads = not (key == "bytes" and value == "21000") and "path" not in data
        detail = f"data.{key} = {dumps(value)}" + (f", path {data['path']}" if "path" in data else "")
    elif edit == "average":
        state["average_loss_bits"] = rng.choice([NAN_BITS, INF_BITS, 0xBF800000])
        detail = f"average_loss_bits = {state['average_loss_bits']:#x}"
    elif edit == "context":
        settings["context"] = rng.choice([17, 32, 1000])
        detail = f"settings.context = {settings['context']} (the model has 16 positions)"
    elif edit == "batch":
        settings["batch"] = rng.choice([2**30, 2**40, 2**50])
        detail = f"settings.batch = {settings['batch']}"
        eval_reads = False
    elif edit == "tokens":
        state["train_tokens"] = rng.choice([0, state["train_tokens"] + 1, 2**62])
        detail = f"train_tokens = {state['train_tokens']}"
        eval_reads = False
    elif edit == "duplicate":
        pairs = list(state.items())
        pairs.insert(1, ("step", 0))
        write_text(path, dumps(Pairs(pairs), indent=2))
        return "duplicate key step", True
    elif edit == "tree":
        detail, state, _ = mutate_tree(rng, state)
        write_text(path, dumps(state, indent=2))
        return f"tree edit {detail}", False  # whether it breaks a rule depends on the member
    else:
        detail, text = mutate_document(rng, path.read_bytes())
        write_text(path, text)
        return f"text edit {detail}", False
    write_text(path, dumps(state, indent=2))
    return detail, not harmless, not harmless and eval_reads


# MARK: - training_state.safetensors

def moments_edit(rng, checkpoint):
    path = checkpoint / "training_state.safetensors"
    header, data = read_safetensors(path)
    metadata = header.get("__metadata__")
    tensors = tensors_in(header, data)
    edit = rng.choice(["poison", "negative", "missing", "extra", "rename", "resize", "f16", "layout", "truncate", "swap"])
    i = rng.randrange(len(tensors))
    name, dtype, shape, payload = tensors[i]
    if edit == "poison":
        values = floats_of(payload, dtype)
        poison = rng.choice([math.nan, math.inf, -math.inf])
        values[rng.randrange(len(values))] = poison
        tensors[i] = (name, dtype, shape, float_bits(values, dtype))
        detail = f"{poison} in {name}"
    elif edit == "negative":
        index = [t[0] for t in tensors].index("second_moment")
        name, dtype, shape, payload = tensors[index]
        values = floats_of(payload, dtype)
        values[rng.randrange(len(values))] = -1.0
        tensors[index] = (name, dtype, shape, float_bits(values, dtype))
        detail = "-1 in second_moment"
    elif edit == "missing":
        del tensors[i]
        detail = f"{name} removed"
    elif edit == "extra":
        tensors.append(("third_moment", "F32", [4], float_bits([0.0] * 4, "F32")))
        detail = "a third tensor added"
    elif edit == "rename":
        tensors[i] = (name + "_x", dtype, shape, payload)
        detail = f"{name} renamed"
    elif edit == "resize":
        cut = rng.choice([4, len(payload) // 2])
        tensors[i] = (name, dtype, [shape[0] - cut // 4], payload[:-cut])
        detail = f"{name} shortened by {cut // 4} values"
    elif edit == "f16":
        tensors[i] = (name, "F16", shape, float_bits(floats_of(payload, dtype), "F16"))
        detail = f"{name} stored as F16"
    elif edit == "layout":
        metadata = dict(metadata or {})
        metadata["layout"] = rng.choice(["", "a,b", metadata.get("layout", "")[::-1], "x" * 100_000])
        detail = f"layout metadata = {describe(metadata['layout'])}"
    elif edit == "swap":
        shape2 = [1, shape[0]]
        tensors[i] = (name, dtype, shape2, payload)
        detail = f"{name} reshaped to {shape2}"
    else:
        header, data = layout(tensors, metadata)
        write_safetensors(path, header, data)
        blob = path.read_bytes()
        cut = rng.choice([1, 4, len(data) // 2, len(data)])
        path.write_bytes(blob[:-cut])
        return f"training_state.safetensors: last {cut} bytes cut", True
    header, data = layout(tensors, metadata)
    write_safetensors(path, header, data)
    return f"training_state.safetensors: {detail}", True


# MARK: - model, config, tokenizer

def model_edit(rng, checkpoint):
    edit = rng.choice(["missing", "extra", "resize", "nan", "truncate", "config", "config", "tokenizer-gone", "tokenizer-larger"])
    if edit in ("missing", "extra", "resize", "nan", "truncate"):
        path = checkpoint / "model.safetensors"
        header, data = read_safetensors(path)
        metadata = header.get("__metadata__")
        tensors = tensors_in(header, data)
        i = rng.randrange(len(tensors))
        name, dtype, shape, payload = tensors[i]
        if edit == "missing":
            del tensors[i]
        elif edit == "extra":
            tensors.append(("transformer.h.9.attn.bias", "F32", [2], float_bits([0.0, 1.0], "F32")))
        elif edit == "resize":
            tensors[i] = (name, dtype, [len(payload) // 4], payload)
            if len(shape) == 1:
                tensors[i] = (name, dtype, [len(payload) // 8], payload[:len(payload) // 2])
        elif edit == "nan":
            values = floats_of(payload, dtype)
            values[rng.randrange(len(values))] = math.nan
            tensors[i] = (name, dtype, shape, float_bits(values, dtype))
        header, data = layout(tensors, metadata)
        write_safetensors(path, header, data)
        if edit == "truncate":
            blob = path.read_bytes()
            path.write_bytes(blob[:-rng.choice([1, 64, len(data) // 2])])
        return f"model.safetensors: {edit} ({name})", True
    if edit == "config":
        path = checkpoint / "config.json"
        config = load_json(path)
        field, value = rng.choice([("n_layer", 2), ("n_positions", 8), ("n_positions", 32), ("n_embd", 32), ("vocab_size", 200),
                                   ("vocab_size", 400), ("n_head", 4), ("model_type", "llama")])
        config[field] = value
        write_text(path, dumps(config, indent=2))
        # n_head 4 keeps every shape (C 16 = 4 × 4): the model still loads and trains.
        return f"config.json: {field} = {value}", not (field == "n_head" and value == 4)
    if edit == "tokenizer-gone":
        (checkpoint / "tokenizer.json").unlink()
        return "tokenizer.json removed", True
    path = checkpoint / "tokenizer.json"
    tokenizer = load_json(path)
    vocab = tokenizer["model"]["vocab"]
    for n in range(rng.choice([1, 50])):
        vocab[f"zz{n}"] = len(vocab)
    write_text(path, dumps(tokenizer))
    return f"tokenizer.json: {len(vocab)} tokens for a model of 300", True


# MARK: - file kinds

def files_edit(rng, checkpoint):
    name = rng.choice(FILES + ["loss.csv"])
    kind = rng.choice(["fifo", "directory", "dangling", "empty", "garbage"])
    path = checkpoint / name
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "dangling":
        os.symlink("no-such-file", path)
    elif kind == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(bytes(range(256)) * 4)
    # loss.csv is the history of the curve, which a resume may start afresh.
    return f"{name} is {kind}", name != "loss.csv"
