"""Family quantized: a folder `lab quantize` wrote (from the tiny GPT-2, Llama or Qwen2 fixture)
with quantization.json or model.q8.safetensors mutated.

Edits: one descriptor field deleted or given an odd value (format, version, block_size, layout,
dtypes, weights file, architecture, the list of quantized tensors: one dropped, one added,
flooded), the descriptor's JSON text mutated; a scale plane's bytes set to NaN, infinity or a
negative float16, a plane resized, retyped (F32 scales, I16 values) or deleted, a float tensor
given NaN; the weights file truncated or removed. Every edit except the harmless ones must be
refused with an error naming the file; logits and generate run on the folder.
"""

import shutil
import struct
import subprocess

from case import Case, Command, weighted_choice
from formats import dumps, layout, load_json, read_safetensors, tensors_in, write_safetensors, write_text
from mutations import describe, mutate_document, mutate_tree, odd_value

DESCRIPTOR, WEIGHTS = "quantization.json", "model.q8.safetensors"
SOURCES = ["gpt2", "llama", "qwen2"]
BASES = {}  # fixture name -> the quantized folder made by prepare()


def prepare(lab, work):
    """Quantizes each source fixture once, into `work`/q8-NAME."""
    from case import MODEL_FIXTURES
    for name in SOURCES:
        argv = [lab, "quantize", str(MODEL_FIXTURES / name), "--output", f"q8-{name}"]
        result = subprocess.run(argv, cwd=work, capture_output=True, timeout=120)
        if result.returncode != 0:
            raise SystemExit(f"quantized family: lab quantize {name} failed:\n" + result.stderr.decode(errors="replace"))
        BASES[name] = work / f"q8-{name}"


def commands(rng, must_fail):
    logits = ["logits", "model", "--ids", rng.choice(["1,2,3", "0"])] + rng.choice([[], ["--json"]])
    generate = ["generate", "--model", "model", "--prompt-ids", "1,2", "--max-tokens", "3", "--temperature", "0", "--quiet"]
    return [Command(logits, must_fail=must_fail), Command(generate, must_fail=must_fail)]


def quantized_case(rng, folder):
    source = rng.choice(SOURCES)
    model = folder / "model"
    shutil.copytree(BASES[source], model)
    kind = weighted_choice(rng, {"field": 4, "tree": 2, "text": 1, "scales": 4, "plane": 3, "float": 1, "file": 1})
    must_fail = True
    if kind == "field":
        descriptor = load_json(model / DESCRIPTOR)
        key = rng.choice(sorted(descriptor))
        edit = rng.choice(["delete", "odd", "odd", "list"]) if key == "quantized" else rng.choice(["delete", "odd"])
        if edit == "delete":
            del descriptor[key]
            description = f"delete {key}"
        elif edit == "list":
            names = descriptor[key]
            change = rng.choice(["drop", "add", "flood", "duplicate"])
            if change == "drop":
                names.pop(rng.randrange(len(names)))
            elif change == "add":
                names.append("model.layers.9.mlp.up_proj.weight")
            elif change == "flood":
                descriptor[key] = names * 10_000
            else:
                names.append(names[0])
            description = f"quantized list {change}"
        else:
            described, value = odd_value(rng)
            descriptor[key] = value
            description = f"{key} = {described}"
        write_text(model / DESCRIPTOR, dumps(descriptor, indent=2))
    elif kind == "tree":
        description, descriptor, _ = mutate_tree(rng, load_json(model / DESCRIPTOR))
        write_text(model / DESCRIPTOR, dumps(descriptor, indent=2))
        must_fail = False  # some edits (e.g. a flooded string) keep the folder valid
    elif kind == "text":
        description, text = mutate_document(rng, (model / DESCRIPTOR).read_bytes())
        write_text(model / DESCRIPTOR, text)
        must_fail = False
    else:
        header, data = read_safetensors(model / WEIGHTS)
        tensors = tensors_in(header, data)
        if kind == "scales":
            index = rng.choice([i for i, t in enumerate(tensors) if t[0].endswith(".q8_scales")])
            name, dtype, shape, payload = tensors[index]
            bits = rng.choice([0x7E00, 0x7C00, 0xFC00, 0xBC00, 0x8001])  # NaN, +inf, -inf, -1.0, tiny negative
            position = 2 * rng.randrange(len(payload) // 2)
            payload = payload[:position] + struct.pack("<H", bits) + payload[position + 2:]
            tensors[index] = (name, dtype, shape, payload)
            description = f"{name}[{position // 2}] = float16 bits {bits:#06x}"
        elif kind == "plane":
            index = rng.choice([i for i, t in enumerate(tensors) if ".q8_" in t[0]])
            name, dtype, shape, payload = tensors[index]
            edit = rng.choice(["fewer-rows", "more-columns", "retype", "delete"])
            if edit == "fewer-rows":
                shape = [shape[0] - 1] + shape[1:]
                payload = payload[:len(payload) * shape[0] // (shape[0] + 1)]
            elif edit == "more-columns":
                shape = shape[:-1] + [shape[-1] + 1]
                payload = payload + bytes(shape[0] * (2 if dtype == "F16" else 1))
                payload = payload[:shape[0] * shape[1] * (2 if dtype == "F16" else 1)]
            elif edit == "retype":
                dtype = "F32" if dtype == "F16" else "I16"
                payload = payload * 2  # F32 scales or I16 values: twice the bytes, the same shape
            if edit == "delete":
                del tensors[index]
            else:
                tensors[index] = (name, dtype, shape, payload)
            description = f"{name}: {edit}"
        elif kind == "float":
            index = rng.choice([i for i, t in enumerate(tensors) if t[1] == "F32"])
            name, dtype, shape, payload = tensors[index]
            tensors[index] = (name, dtype, shape, struct.pack("<I", 0x7FC00000) + payload[4:])
            description = f"{name}[0] = NaN"
        else:
            edit = rng.choice(["truncate", "delete"])
            description = f"{WEIGHTS}: {edit}"
            if edit == "delete":
                (model / WEIGHTS).unlink()
                return Case(f"quantized {kind}: {description}", commands(rng, must_fail))
            blob = (model / WEIGHTS).read_bytes()
            (model / WEIGHTS).write_bytes(blob[:rng.randrange(len(blob))])
            return Case(f"quantized {kind}: {description}", commands(rng, must_fail))
        new_header, new_data = layout(tensors, header.get("__metadata__"))
        write_safetensors(model / WEIGHTS, new_header, new_data)
    return Case(f"quantized {kind} ({source}): {describe(description, 80)}", commands(rng, must_fail))
