"""Family index: the sharded GPT-2 fixture with its model.safetensors.index.json or shards mutated.

Edits: one "weight_map" entry pointed outside the folder ("../x", an absolute path, "..", "."),
at a missing shard, at the wrong shard, at config.json or the index itself, at a 300-character
or NUL-holding name; an entry deleted (a shard's tensor left unmapped), added for a tensor no
shard holds, or flooded to 100,000 entries; a key given twice with different shards; a tensor
stored in two shards; a shard deleted or made a symlink to a copy outside the folder; a
model.safetensors beside the index; one shard's header broken; and the generic JSON edits.
Each case runs inspect, logits and generate (the fixture has no tokenizer).
"""

import os
import shutil

from case import MODEL_FIXTURES, SHARDED_MODEL, Case, copy_model, weighted_choice
from families.common import model_commands
from families.safetensors import edit_field
from formats import Pairs, dumps, layout, load_json, read_safetensors, tensors_in, write_safetensors, write_text
from mutations import describe, mutate_document, mutate_tree, odd_value

INDEX = "model.safetensors.index.json"


def index_case(rng, folder):
    model = copy_model(SHARDED_MODEL, folder / "model")
    index = load_json(model / INDEX)
    weight_map = index["weight_map"]
    shards = sorted(set(weight_map.values()))
    tensor = rng.choice(sorted(weight_map))
    kind = weighted_choice(rng, {"target": 4, "entries": 2, "duplicate-key": 1, "two-copies": 1, "shard-file": 2,
                                 "shard-header": 2, "tree": 2, "text": 1})
    must_fail = True
    if kind == "target":
        outside = folder / "outside.safetensors"  # a well-formed shard outside the model folder
        shutil.copyfile(model / weight_map[tensor], outside)
        target = rng.choice(["../outside.safetensors", str(outside), "..", ".", "", "model-00005-of-00004.safetensors",
                             rng.choice([s for s in shards if s != weight_map[tensor]]), "config.json", INDEX,
                             "x" * 300 + ".safetensors", "shard\u0000.safetensors", "sub/" + weight_map[tensor],
                             odd_value(rng)[1]])
        weight_map[tensor] = target
        description = f"weight_map[{tensor}] = {describe(str(target), 60)}"
    elif kind == "entries":
        edit = rng.choice(["delete", "add", "flood", "empty"])
        if edit == "delete":
            del weight_map[tensor]
        elif edit == "add":
            weight_map["transformer.h.7.attn.c_attn.weight"] = shards[0]
        elif edit == "flood":
            for i in range(100_000):
                weight_map[f"transformer.extra.{i}.weight"] = shards[i % len(shards)]
        else:
            weight_map.clear()
        description = f"weight_map {edit} ({tensor})" if edit == "delete" else f"weight_map {edit}"
    elif kind == "duplicate-key":
        other = rng.choice([s for s in shards if s != weight_map[tensor]])
        pairs = list(weight_map.items()) + [(tensor, other)]
        index["weight_map"] = Pairs(pairs if rng.random() < 0.5 else pairs[::-1])
        description = f"weight_map key {tensor} twice ({other} too)"
    elif kind == "two-copies":  # the tensor stored in a second shard as well; the index names one
        source = model / weight_map[tensor]
        header, data = read_safetensors(source)
        copy = next(t for t in tensors_in(header, data) if t[0] == tensor)
        target = model / rng.choice([s for s in shards if s != weight_map[tensor]])
        header, data = read_safetensors(target)
        new_header, new_data = layout(tensors_in(header, data) + [copy], header.get("__metadata__"))
        write_safetensors(target, new_header, new_data)
        description, must_fail = f"{tensor} stored in {target.name} too", False
    elif kind == "shard-file":
        shard = rng.choice(shards)
        edit = rng.choice(["delete", "symlink-outside", "single-file-too"])
        if edit == "delete":
            os.remove(model / shard)
        elif edit == "symlink-outside":
            os.rename(model / shard, folder / shard)
            os.symlink(os.path.join("..", shard), model / shard)
            must_fail = False
        else:
            shutil.copyfile(MODEL_FIXTURES / "gpt2" / "model.safetensors", model / "model.safetensors")
            must_fail = False
        description = f"{shard}: {edit}"
    elif kind == "shard-header":
        shard = rng.choice(shards)
        header, data = read_safetensors(model / shard)
        edit, header = edit_field(rng, header)
        write_safetensors(model / shard, header, data)
        description, must_fail = f"{shard} header: {edit}", False
    elif kind == "tree":
        description, index, must_fail = mutate_tree(rng, index)
    else:
        description, text = mutate_document(rng, dumps(index, indent=2).encode())
        write_text(model / INDEX, text)
        return Case(f"index text: {description}", model_commands(rng))
    write_text(model / INDEX, dumps(index, indent=2))
    return Case(f"index {kind}: {description}", model_commands(rng, must_fail=must_fail))
