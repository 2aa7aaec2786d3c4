"""Families st-header and st-data: a model folder whose model.safetensors is mutated.

st-header edits the JSON header or its 8-byte length: one field of one tensor (dtype, shape,
data_offsets, an extra field), a rearrangement that keeps the file well formed (transposed,
dropped, renamed, added, retyped, resized or duplicated tensors; odd __metadata__), the length
prefix, byte-level edits of the header text, or a random edit anywhere in the header tree.
st-data edits the tensor bytes: NaN, infinities or huge values written into a float tensor,
flipped bits, a truncated or extended file. Each case runs inspect, logits and generate.

`must_fail` is set when an independent check of the format's rules (`header_is_valid`, written
from the format's description, not from the kit's reader) says the file is not a safetensors
file, so that a run accepting it is flagged. Left out: big-endian files.
"""

import math

from case import SINGLE_FILE_MODELS, Case, copy_model, weighted_choice
from families.common import model_commands
from formats import (DTYPE_SIZES, FLOAT_DTYPES, Pairs, Raw, dumps, float_bits, floats_of, layout, pack_header,
                     read_safetensors, tensors_in, write_safetensors)
from mutations import describe, mutate_document, mutate_tree, odd_integer, odd_string, odd_value

ODD_DTYPES = ["f32", "", "F32 ", "FLOAT", "Q4_0", "F8_E8M0", "F4", "C64", "\u0046\u0033\u0032\u200b"]


def header_is_valid(header, data_length):
    """Whether a header (plain Python values) follows the safetensors rules for a data section
    of `data_length` bytes: known dtypes, sizes that match the shapes, ranges that tile the data."""
    if not isinstance(header, dict):
        return False
    ranges = []
    for name, entry in header.items():
        if name == "__metadata__":
            if not isinstance(entry, dict) or not all(isinstance(v, str) for v in entry.values()):
                return False
            continue
        if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
            return False
        dtype, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
        if not isinstance(dtype, str) or dtype not in DTYPE_SIZES or not isinstance(shape, list) or not isinstance(offsets, list) or len(offsets) != 2:
            return False
        if not all(type(x) is int and x >= 0 for x in shape + offsets):
            return False
        begin, end = offsets
        if not begin <= end <= data_length or end - begin != math.prod(shape) * DTYPE_SIZES[dtype]:
            return False
        ranges.append((begin, end))
    position = 0
    for begin, end in sorted(ranges):
        if begin != position:
            return False
        position = end
    return position == data_length


def is_plain(value):
    """True when `value` holds only Python JSON values (no Raw text or duplicate-key Pairs)."""
    if isinstance(value, (Raw, Pairs)):
        return False
    if isinstance(value, dict):
        return all(is_plain(v) for v in value.values())
    if isinstance(value, list):
        return all(is_plain(v) for v in value)
    return True


# MARK: - st-header

def header_case(rng, folder):
    base = rng.choice(SINGLE_FILE_MODELS)
    model = copy_model(base, folder / "model")
    path = model / "model.safetensors"
    header, data = read_safetensors(path)
    kind = weighted_choice(rng, {"field": 4, "rearranged": 4, "length": 1, "text": 2, "tree": 2})
    must_fail = False
    if kind == "field":
        description, header = edit_field(rng, header)
        must_fail = is_plain(header) and not header_is_valid(header, len(data))
        write_safetensors(path, header, data)
    elif kind == "rearranged":
        description, header, data, must_fail = rearrange(rng, header, data)
        write_safetensors(path, header, data)
    elif kind == "length":
        description, blob, must_fail = edit_length(rng, dumps(header), data)
        path.write_bytes(blob)
    elif kind == "text":
        description, text = mutate_document(rng, dumps(header).encode())
        keep_length = rng.random() < 0.3  # the old length prefix over the new text
        prefix = pack_header(dumps(header))[:8] if keep_length else None
        blob = pack_header(text, pad=False)
        path.write_bytes((prefix + blob[8:] if prefix else blob) + data)
        description += ", old length prefix" if keep_length else ""
    else:
        description, header, duplicated = mutate_tree(rng, header)
        must_fail = duplicated or (is_plain(header) and not header_is_valid(header, len(data)))
        write_safetensors(path, header, data)
    return Case(f"{base} model.safetensors header: {description}",
                model_commands(rng, has_tokenizer=base == "gpt2", must_fail=must_fail))


def tensor_names(header):
    return [name for name in header if name != "__metadata__"]


def edit_field(rng, header):
    """One field of one tensor entry set to something else."""
    name = rng.choice(tensor_names(header))
    entry = header[name]
    field = weighted_choice(rng, {"dtype": 2, "shape": 3, "data_offsets": 3, "extra": 1, "entry": 1})
    if field == "dtype":
        value = rng.choice(sorted(DTYPE_SIZES) + ODD_DTYPES) if rng.random() < 0.7 else odd_value(rng)[1]
        entry["dtype"] = value
        return f"{name}.dtype = {describe(str(value) if not isinstance(value, Raw) else value.text)}", header
    if field == "shape":
        shape = list(entry["shape"])
        edit = rng.choice(["plus", "minus", "odd", "append", "drop", "empty", "reverse", "value"])
        if edit == "plus":
            shape[rng.randrange(len(shape))] += 1
        elif edit == "minus":
            shape[rng.randrange(len(shape))] -= 1
        elif edit == "odd":
            shape[rng.randrange(len(shape))] = odd_integer(rng)[1]
        elif edit == "append":
            shape.append(rng.choice([0, 1, 2, 2**40]))
        elif edit == "drop":
            shape.pop()
        elif edit == "empty":
            shape = []
        elif edit == "reverse":
            shape.reverse()
        else:
            shape = odd_value(rng)[1]
        entry["shape"] = shape
        return f"{name}.shape {edit} -> {describe(dumps(shape))}", header
    if field == "data_offsets":
        begin, end = entry["data_offsets"]
        names = tensor_names(header)
        edit = rng.choice(["begin", "end", "swap", "one", "three", "odd", "empty", "overlap", "shift"])
        if edit == "begin":
            offsets = [begin + rng.choice([-1, 1, -4, 4]), end]
        elif edit == "end":
            offsets = [begin, end + rng.choice([-1, 1, -4, 4, 2**40])]
        elif edit == "swap":
            offsets = [end, begin]
        elif edit == "one":
            offsets = [begin]
        elif edit == "three":
            offsets = [begin, end, end]
        elif edit == "odd":
            offsets = [begin, end]
            offsets[rng.randrange(2)] = odd_integer(rng)[1]
        elif edit == "empty":
            offsets = [begin, begin]
        elif edit == "overlap":  # start where another tensor starts
            other = header[rng.choice(names)]["data_offsets"][0]
            offsets = [other, other + end - begin]
        else:
            delta = rng.choice([1, 8, 2**32])
            offsets = [begin + delta, end + delta]
        entry["data_offsets"] = offsets
        return f"{name}.data_offsets {edit} -> {describe(dumps(offsets))}", header
    if field == "extra":
        entry[rng.choice(["offsets", "dtype2", "", "shape "])] = 1
        return f"{name} gains an extra field", header
    described, value = odd_value(rng)
    header[name] = value
    return f"{name} entry -> {described}", header


def rearrange(rng, header, data):
    """A change that keeps the file well formed (or duplicates a name). Returns
    (description, header, data, must_fail)."""
    metadata = header.get("__metadata__")
    tensors = tensors_in(header, data)
    i = rng.randrange(len(tensors))
    name, dtype, shape, payload = tensors[i]
    edit = rng.choice(["transpose", "flatten", "drop", "rename", "add", "retype", "resize", "zero-size",
                       "duplicate", "metadata", "reorder"])
    if edit == "transpose" and len(shape) == 2:
        tensors[i] = (name, dtype, shape[::-1], payload)
    elif edit == "flatten":
        tensors[i] = (name, dtype, [math.prod(shape)] if rng.random() < 0.5 else [1] + shape, payload)
    elif edit == "drop":
        del tensors[i]
    elif edit == "rename":
        described, new_name = odd_string(rng)
        if isinstance(new_name, Raw):
            new_name = "\udcff"  # written with surrogateescape: the byte 0xFF, not UTF-8
        new_name = rng.choice([new_name, name + new_name, "x" * rng.choice([300, 100_000]), name.upper()])
        tensors[i] = (new_name, dtype, shape, payload)
        edit += f" to {describe(new_name)}"
    elif edit == "add":
        new_name = rng.choice(["model.layers.2.mlp.up_proj.weight", "transformer.h.9.attn.c_attn.weight", "extra",
                               "\x1b[31mred\x1b[0m", "lm_head.bias", "x" * 10_000])
        tensors.append((new_name, "F32", [2, 2], float_bits([1.0] * 4, "F32")))
        edit += f" {describe(new_name)}"
    elif edit == "retype" and dtype in FLOAT_DTYPES:
        target = rng.choice(["F32", "F16", "BF16", "F64", "I32", "U8", "BOOL", "F8_E4M3", "I64"])
        values = floats_of(payload, dtype)
        if target in FLOAT_DTYPES:
            new_payload = float_bits(values, target)
        else:  # other dtypes: the right number of bytes, content irrelevant
            new_payload = (payload * 4)[:len(values) * DTYPE_SIZES[target]]
        tensors[i] = (name, target, shape, new_payload)
        edit += f" {dtype} -> {target}"
    elif edit == "resize":
        grown = list(shape)
        grown[0] += rng.choice([1, -1]) if grown[0] > 1 else 1
        count, size = math.prod(grown), DTYPE_SIZES[dtype]
        tensors[i] = (name, dtype, grown, (payload * 2)[:count * size])
        edit += f" {shape} -> {grown}"
    elif edit == "zero-size":
        tensors[i] = (name, dtype, [0] + shape[1:], b"")
    elif edit == "duplicate":  # the same name twice: the second entry wins or the ranges clash
        new_header, new_data = layout(tensors, metadata)
        pairs = list(new_header.items())
        other = rng.choice(tensors)
        pairs.append((name, {"dtype": other[1], "shape": other[2], "data_offsets": new_header[other[0]]["data_offsets"]}))
        return f"{name} rearranged: duplicate key", Pairs(pairs), new_data, True
    elif edit == "metadata":
        described, value = rng.choice([("non-string value", {"format": 1}), ("array", ["pt"]), ("nested", {"a": {"b": "c"}}),
                                       ("null", None), ("long value", {"format": "x" * 1_000_000}),
                                       ("escape key", {"\x1b[2J": "pt"}), ("odd", odd_value(rng)[1])])
        metadata = value
        edit += f" {described}"
    elif edit == "reorder":
        rng.shuffle(tensors)
    new_header, new_data = layout(tensors, metadata)
    must_fail = is_plain(new_header) and not header_is_valid(new_header, len(new_data))
    return f"{name} rearranged: {edit}", new_header, new_data, must_fail


def edit_length(rng, header_text, data):
    """The 8-byte length prefix made wrong, or the header padded. (description, bytes, must_fail)."""
    body = header_text.encode()
    actual = len(body)
    edit = rng.choice(["value", "value", "spaces", "nul-padding", "short-file"])
    if edit == "spaces":  # allowed by the format: trailing spaces
        return "header padded with 1 MB of spaces", pack_header(body + b" " * 1_000_000, pad=False) + data, False
    if edit == "nul-padding":
        return "header padded with NUL bytes", pack_header(body + b"\x00" * 8, pad=False) + data, True
    if edit == "short-file":
        cut = rng.choice([0, 1, 7, 8, 9])
        return f"file cut to {cut} bytes", (pack_header(body) + data)[:cut], True
    length = rng.choice([0, 1, 7, actual - 1, actual + 1, actual + 8, actual + len(data), actual + len(data) + 1,
                         2**64 - 1, 2**63, 100_000_001, 2**32 + actual])
    return f"length prefix {length} (header is {actual} bytes)", length.to_bytes(8, "little") + body + data, True


# MARK: - st-data

# Values that break arithmetic when they reach a matmul, a norm or the sampler.
POISON = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "3e38": 3e38, "-3e38": -3e38,
          "65504": 65504.0, "1e-45": 1e-45}


def data_case(rng, folder):
    base = rng.choice(SINGLE_FILE_MODELS)
    model = copy_model(base, folder / "model")
    path = model / "model.safetensors"
    header, data = read_safetensors(path)
    kind = weighted_choice(rng, {"poison": 5, "bits": 3, "truncate": 1, "extend": 1, "zero": 1})
    must_fail = False
    if kind == "poison":
        tensors = tensors_in(header, data)
        i = rng.randrange(len(tensors))
        name, dtype, shape, payload = tensors[i]
        values = floats_of(payload, dtype)
        poison = rng.choice(sorted(POISON))
        share = rng.choice(["one", "tenth", "all"])
        count = {"one": 1, "tenth": max(1, len(values) // 10), "all": len(values)}[share]
        for j in rng.sample(range(len(values)), count):
            values[j] = POISON[poison]
        tensors[i] = (name, dtype, shape, float_bits(values, dtype))
        header, data = layout(tensors, header.get("__metadata__"))
        write_safetensors(path, header, data)
        description = f"{poison} in {count} of {len(values)} values of {name}"
    elif kind == "bits":
        blob = bytearray(path.read_bytes())
        start = len(blob) - len(data)
        flips = rng.choice([1, 10, 1000])
        for _ in range(flips):
            blob[rng.randrange(start, len(blob))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(blob))
        description = f"{flips} bit flips in the data"
    elif kind == "truncate":
        blob = path.read_bytes()
        cut = rng.choice([1, 4, 100, len(data) // 2, len(data)])
        path.write_bytes(blob[:-cut])
        description, must_fail = f"last {cut} bytes cut", True
    elif kind == "extend":
        extra = rng.choice([1, 8, 4096])
        with open(path, "ab") as file:
            file.write(b"\x00" * extra)
        description, must_fail = f"{extra} bytes appended", True
    else:
        with open(path, "r+b") as file:
            file.seek(-len(data), 2)
            file.write(b"\x00" * len(data))
        description = "every weight 0"
    return Case(f"{base} model.safetensors data: {description}",
                model_commands(rng, has_tokenizer=base == "gpt2", must_fail=must_fail))
