"""Families adapter and jsonl: the inputs of fine-tuning.

adapter: a PEFT adapter folder made by PEFT for the tiny fixtures (Tests/Fixtures/peft/{gpt2,llama,
qwen2}) with one thing mutated: an adapter_config.json field (each field set to an odd value or
deleted; r, lora_alpha, target_modules, peft_type, the features the kit refuses), the JSON text,
adapter_model.safetensors' header or tensor bytes (NaN, infinity, truncation), a tensor removed or
renamed, a file replaced by a directory or removed, or the adapter given to another base model.
Each case runs `lab logits --adapter` and `lab generate --adapter` on the fixture model.

jsonl: a JSONL file of Alpaca or chat records with one line mutated (not JSON, a field missing or of
another type, roles that do not exist, huge strings, NUL bytes, invalid UTF-8, no assistant turn,
an empty file, a directory or FIFO in its place), run through a 2-step `lab finetune` of the tiny
GPT-2 fixture (which has a tokenizer).
"""

import json
import os
import shutil
from pathlib import Path

from case import MODEL_FIXTURES, REPOSITORY, Case, Command, copy_model, weighted_choice
from formats import dumps, layout, read_safetensors, tensors_in, write_safetensors, write_text
from mutations import describe, mutate_document, odd_value

PEFT_FIXTURES = REPOSITORY / "Tests" / "Fixtures" / "peft"
ADAPTERS = ["gpt2", "llama", "qwen2"]


def _adapter_commands(model, adapter, must_fail):
    return [Command(["logits", model, "--ids", "1,2,3", "--adapter", adapter, "--json"], must_fail=must_fail),
            Command(["generate", "--model", model, "--adapter", adapter, "--prompt-ids", "1,2", "--max-tokens", "3",
                     "--temperature", "0", "--quiet"], must_fail=must_fail)]


def adapter_case(rng, folder):
    name = rng.choice(ADAPTERS)
    base = name
    copy_model(name, folder / "model", with_tokenizer=False)
    adapter = folder / "adapter"
    shutil.copytree(PEFT_FIXTURES / name, adapter)
    config_path, weights_path = adapter / "adapter_config.json", adapter / "adapter_model.safetensors"
    kind = weighted_choice(rng, {"field": 5, "text": 2, "header": 2, "data": 2, "tensors": 2, "files": 1, "other-base": 1})
    must_fail = True
    if kind == "field":
        config = json.loads(config_path.read_text())
        field = rng.choice(["r", "lora_alpha", "target_modules", "peft_type", "lora_dropout", "use_rslora", "bias",
                            "use_dora", "rank_pattern", "layers_to_transform", "modules_to_save", "task_type", "lora_bias"])
        if rng.random() < 0.3:
            config.pop(field, None)
            description = f"{field} deleted"
            must_fail = field in ("r", "lora_alpha", "target_modules", "peft_type")
        else:
            described, value = odd_value(rng)
            config[field] = value
            description = f"{field} = {described}"
            must_fail = False  # some odd values are valid (e.g. a larger r fails only on shapes)
        write_text(config_path, dumps(config))
    elif kind == "text":
        description, text = mutate_document(rng, config_path.read_bytes())
        write_text(config_path, text)
        description, must_fail = f"adapter_config.json text: {description}", False
    elif kind == "header":
        header, data = read_safetensors(weights_path)
        tensor = rng.choice(sorted(k for k in header if k != "__metadata__"))
        field = rng.choice(["shape", "dtype", "data_offsets"])
        described, value = odd_value(rng)
        header[tensor][field] = value
        write_safetensors(weights_path, header, data)
        description = f"{tensor}.{field} = {described}"
    elif kind == "data":
        raw = bytearray(weights_path.read_bytes())
        header_length = int.from_bytes(raw[:8], "little")
        edit = rng.choice(["nan", "inf", "truncate", "flip"])
        at = 8 + header_length + 4 * rng.randrange(max(1, (len(raw) - 8 - header_length) // 4))
        if edit == "truncate":
            raw = raw[:rng.randrange(len(raw))]
        elif edit == "flip":
            raw[min(at, len(raw) - 1)] ^= 1 << rng.randrange(8)
            must_fail = False
        else:
            raw[at:at + 4] = (bytes.fromhex("0000c07f") if edit == "nan" else bytes.fromhex("0000807f"))
        weights_path.write_bytes(bytes(raw))
        description = f"tensor bytes: {edit}"
    elif kind == "tensors":
        header, data = read_safetensors(weights_path)
        tensors = tensors_in(header, data)
        edit = rng.choice(["remove", "rename", "extra", "empty"])
        index = rng.randrange(len(tensors))
        if edit == "remove":
            del tensors[index]
        elif edit == "rename":
            n, dtype, shape, payload = tensors[index]
            renamed = n.replace("lora_A", "lora_C").replace("lora_B", "lora_D") if rng.random() < 0.5 else "base_model.model.x\u001b[31m"
            tensors[index] = (renamed, dtype, shape, payload)
        elif edit == "extra":
            n, dtype, shape, payload = tensors[index]
            tensors.append((n.replace(".0.", ".9."), dtype, shape, payload))
        else:
            tensors = []
        new_header, new_data = layout(tensors, header.get("__metadata__"))
        write_safetensors(weights_path, new_header, new_data)
        description = f"tensors: {edit}"
    elif kind == "files":
        victim = rng.choice([config_path, weights_path])
        edit = rng.choice(["directory", "missing", "fifo", "empty"])
        os.remove(victim)
        if edit == "directory":
            victim.mkdir()
        elif edit == "fifo":
            os.mkfifo(victim)
        elif edit == "empty":
            victim.write_bytes(b"")
        description = f"{victim.name}: {edit}"
    else:
        base = rng.choice([m for m in ADAPTERS if m != name])
        shutil.rmtree(folder / "model")
        copy_model(base, folder / "model", with_tokenizer=False)
        # Refused when the shapes differ; a same-shaped base is accepted with a note (PEFT does the same).
        description, must_fail = f"the {name} adapter on the {base} model", False
    return Case(f"adapter {name} {kind}: {description}", _adapter_commands("model", "adapter", must_fail))


def _records(rng, chat):
    words = ["cat", "dog", "sun", "red", "big", "hat", "tree", "boat"]
    records = []
    for i in range(12):
        word = words[i % len(words)]
        if chat:
            records.append({"messages": [{"role": "user", "content": f"Say {word}."}, {"role": "assistant", "content": word}]})
        else:
            records.append({"instruction": f"Say {word}.", "input": "", "output": word})
    return records


def jsonl_case(rng, folder):
    copy_model("gpt2", folder / "model")
    chat = rng.random() < 0.5
    records = _records(rng, chat)
    lines = [json.dumps(r).encode() for r in records]
    kind = weighted_choice(rng, {"field": 4, "line": 3, "values": 2, "file": 1})
    must_fail = False
    target = rng.randrange(len(lines))
    if kind == "field":
        record = records[target]
        if chat:
            message = record["messages"][rng.randrange(len(record["messages"]))]
            key = rng.choice(["role", "content"])
            if rng.random() < 0.3:
                del message[key]
                description, must_fail = f"line {target + 1}: messages[].{key} deleted", True
            else:
                described, message[key] = odd_value(rng)
                description = f"line {target + 1}: messages[].{key} = {described}"
        else:
            key = rng.choice(["instruction", "input", "output"])
            if rng.random() < 0.3:
                del record[key]
                description, must_fail = f"line {target + 1}: {key} deleted", key != "input"
            else:
                described, record[key] = odd_value(rng)
                description = f"line {target + 1}: {key} = {described}"
        lines[target] = dumps(record).encode("utf-8", "surrogateescape")
    elif kind == "line":
        description, lines[target] = mutate_document(rng, lines[target])
        description = f"line {target + 1}: {description}"
    elif kind == "values":
        edit = rng.choice(["huge", "nul", "utf8", "no-assistant", "roles", "empty-output"])
        record = records[target]
        if edit == "huge":
            text = "x" * rng.choice([10_000, 1_000_000])
            if chat:
                record["messages"][1]["content"] = text
            else:
                record["output"] = text
        elif edit == "nul":
            if chat:
                record["messages"][0]["content"] = "a\u0000b"
            else:
                record["instruction"] = "a\u0000b"
        elif edit == "no-assistant" and chat:
            record["messages"] = record["messages"][:1]
            must_fail = True
        elif edit == "roles" and chat:
            record["messages"][0]["role"] = rng.choice(["robot", "", "USER", "\u001b[31m"])
            must_fail = True
        elif edit == "empty-output" and not chat:
            record["output"] = ""
            must_fail = True
        lines[target] = dumps(record).encode("utf-8", "surrogateescape")
        if edit == "utf8":
            lines[target] = lines[target][:5] + b"\xff\xfe" + lines[target][5:]
            must_fail = True
        description = f"line {target + 1}: {edit}"
    data = folder / "data.jsonl"
    data.write_bytes(b"\n".join(lines) + b"\n")
    if kind == "file":
        edit = rng.choice(["empty", "blank-lines", "directory", "fifo", "missing"])
        os.remove(data)
        if edit == "empty":
            data.write_bytes(b"")
        elif edit == "blank-lines":
            data.write_bytes(b"\n\n  \n")
        elif edit == "directory":
            data.mkdir()
        elif edit == "fifo":
            os.mkfifo(data)
        description, must_fail = f"data.jsonl: {edit}", True
    options = rng.choice([[], ["--packing"], ["--full"], ["--lora-rank", "2", "--target", "all-linear"]])
    command = ["finetune", "--model", "model", "--data", "data.jsonl", "--steps", "2", "--batch", "2", "--context", "16",
               "--eval-examples", "2", "--answer-tokens", "2", "--threads", "1", "--output", "out"] + options
    return Case(f"jsonl {'chat' if chat else 'alpaca'} {kind}: {description}", [Command(command, must_fail=must_fail)])
