"""The file formats the fuzzer writes: safetensors, and JSON with the things `json` cannot say.

Safetensors is 8 bytes of little-endian header length N, N bytes of JSON, then the tensors back
to back. `read_safetensors` returns the header (key order kept) and the data section;
`tensors_in` turns them into (name, dtype, shape, bytes) in file order; `layout` writes such a
list back with offsets that tile the data, so a mutation can drop, add, rename or retype tensors
and still produce a file the format accepts. `pack_header` gives the length prefix and the
padded JSON. Float helpers convert Python floats to F32, F16 (struct's "e") and BF16 bits.

JSON: `dumps` writes Python values like `json.dumps`, plus `Raw(text)` inserted as is (numbers
Python cannot hold, such as 1e400, or broken text) and `Pairs([...])`, an object whose keys may
repeat. Left out: reading JSON (the standard `json` module does it).
"""

import json
import struct

# Bytes per element of every dtype the kit's reader knows.
DTYPE_SIZES = {"F64": 8, "I64": 8, "U64": 8, "F32": 4, "I32": 4, "U32": 4, "F16": 2, "BF16": 2,
               "I16": 2, "U16": 2, "I8": 1, "U8": 1, "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1}
FLOAT_DTYPES = ("F32", "F16", "BF16")


# MARK: - JSON

class Raw:
    """Text put into the JSON output unchanged."""
    def __init__(self, text):
        self.text = text


class Pairs:
    """A JSON object as a list of (key, value), so a key can appear twice."""
    def __init__(self, pairs):
        self.pairs = list(pairs)


def dumps(value, indent=None, level=0):
    """JSON text of `value`; dicts keep their order, `Raw` and `Pairs` as described above."""
    if isinstance(value, Raw):
        return value.text
    newline = "" if indent is None else "\n" + " " * (indent * (level + 1))
    closing = "" if indent is None else "\n" + " " * (indent * level)
    if isinstance(value, (dict, Pairs)):
        pairs = value.pairs if isinstance(value, Pairs) else list(value.items())
        if not pairs:
            return "{}"
        items = [json.dumps(k, ensure_ascii=False) + ": " + dumps(v, indent, level + 1) for k, v in pairs]
        return "{" + newline + ("," + newline).join(items) + closing + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [dumps(v, indent, level + 1) for v in value]
        return "[" + newline + ("," + newline).join(items) + closing + "]"
    return json.dumps(value, ensure_ascii=False)


def load_json(path):
    """A JSON file with its objects' key order kept."""
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def write_text(path, text):
    """Writes `text` (str, UTF-8 with lone surrogates as their bytes, or bytes) to `path`."""
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
    with open(path, "wb") as file:
        file.write(data)


# MARK: - Safetensors

def read_safetensors(path):
    """(header as an ordered dict, data section bytes) of a well-formed file."""
    with open(path, "rb") as file:
        blob = file.read()
    length = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + length].decode("utf-8"))
    return header, blob[8 + length:]


def tensors_in(header, data):
    """[(name, dtype, shape, bytes)] in the order of their data, `__metadata__` left out."""
    entries = [(name, entry) for name, entry in header.items() if name != "__metadata__"]
    entries.sort(key=lambda item: tuple(item[1]["data_offsets"]))
    return [(name, entry["dtype"], list(entry["shape"]),
             data[entry["data_offsets"][0]:entry["data_offsets"][1]]) for name, entry in entries]


def layout(tensors, metadata=None):
    """(header dict, data bytes) placing `tensors` back to back, in the order given."""
    header, chunks, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype, shape, payload in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(payload)]}
        chunks.append(payload)
        offset += len(payload)
    return header, b"".join(chunks)


def pack_header(header_text, pad=True):
    """The 8-byte length and the header bytes, padded with spaces to a multiple of 8 (as writers do)."""
    body = header_text if isinstance(header_text, bytes) else header_text.encode("utf-8", "surrogateescape")
    if pad:
        body += b" " * (-len(body) % 8)
    return struct.pack("<Q", len(body)) + body


def write_safetensors(path, header, data, pad=True):
    """Writes a file from a header (dict, `Pairs`, or ready text) and the data section."""
    text = header if isinstance(header, (str, bytes)) else dumps(header)
    with open(path, "wb") as file:
        file.write(pack_header(text, pad) + data)


# MARK: - Floats

def float_bits(values, dtype):
    """Python floats as little-endian bytes of `dtype` (F32, F16 or BF16; F16 saturates to inf)."""
    if dtype == "F32":
        return struct.pack(f"<{len(values)}f", *values)
    if dtype == "F16":
        out = bytearray()
        for v in values:
            try:
                out += struct.pack("<e", v)
            except OverflowError:  # beyond F16's range: the infinity of that sign
                out += struct.pack("<H", 0x7C00 if v > 0 else 0xFC00)
        return bytes(out)
    # BF16 is the top half of F32 (truncated: exact for NaN, infinities and round values).
    words = struct.unpack(f"<{len(values)}I", struct.pack(f"<{len(values)}f", *values))
    return struct.pack(f"<{len(values)}H", *[w >> 16 for w in words])


def floats_of(payload, dtype):
    """The floats stored in `payload` (F32, F16 or BF16)."""
    if dtype == "F32":
        return list(struct.unpack(f"<{len(payload) // 4}f", payload))
    if dtype == "F16":
        return list(struct.unpack(f"<{len(payload) // 2}e", payload))
    halves = struct.unpack(f"<{len(payload) // 2}H", payload)
    return list(struct.unpack(f"<{len(halves)}f", struct.pack(f"<{len(halves)}I", *[h << 16 for h in halves])))
