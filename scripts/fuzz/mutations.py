"""Seeded mutations shared by the families: odd values, JSON tree edits, JSON text edits.

Three layers, each returning (a one-line description, the result):
  * value pools: integers at the edges of Int, Int32, Double's exact range and beyond; every
    JSON type where another is expected; long strings, escape-heavy strings, deep nesting;
    command-line number texts (inf, nan, 2^64, fullwidth digits, empty, ...);
  * `mutate_tree`: walks a parsed JSON value at random and deletes, replaces or duplicates one
    member (a duplicate key becomes a `formats.Pairs` object), or floods a list;
  * `mutate_document`: edits JSON text as bytes (truncation, flipped bytes, invalid UTF-8, BOM,
    trailing garbage, a different top-level value).
Every choice comes from the `random.Random` passed in, so a seed fixes the result. Sizes are
capped so one case writes at most ~12 MB. Left out: format-specific mutations (families/).
"""

from formats import Pairs, Raw

# MARK: - Value pools

EDGE_INTEGERS = [0, -1, 1, 2, 3, 7, 2**31 - 1, 2**31, 2**32, 2**40, 2**53, 2**53 + 1, 2**62,
                 2**63 - 1, 2**63, 2**64, -2**63, 10**20]
# Numbers as raw JSON text: beyond Double, float-where-int, exact-int boundaries, and non-JSON.
RAW_NUMBERS = ["1e400", "-1e400", "1" + "0" * 400, "9.0e15", "8999999999999999", "-0", "32.0", "3.2e1",
               "1e-400", "0.5", "NaN", "Infinity", "-Infinity", "0x10", "01", "+1", ".5", "1.", "--1", "1e", "1E+2"]


def long_text(rng):
    """A long plain string (1 kB to 10 MB)."""
    size = rng.choice([1_000, 100_000, 1_000_000, 10_000_000])
    return f"long string of {size} chars", rng.choice("ax9Ġ") * size


def escaped_string(rng):
    """A JSON string literal made of escapes (the parser decodes each; a slow one is superlinear)."""
    unit = rng.choice(["\\u00e9", "\\\\", "\\n", "\\\"", "\\ud83d\\ude00", "\\u0000", "\\u001b"])
    count = rng.choice([1_000, 100_000, 1_000_000])
    return f"string of {count} escapes {unit}", Raw('"' + unit * count + '"')


def nested(rng):
    """Arrays or objects nested to a depth around and far past the parser's limit of 512."""
    depth = rng.choice([100, 511, 512, 513, 10_000, 1_000_000])
    if rng.random() < 0.5:
        return f"arrays nested {depth} deep", Raw("[" * depth + "]" * depth)
    return f"objects nested {depth} deep", Raw('{"a":' * depth + "1" + "}" * depth)


def odd_string(rng):
    """Strings that are valid JSON but hostile to print or to use as names."""
    choices = [("empty string", ""), ("ESC sequence", "\x1b[31mred\x1b[0m\x1b[2J"),
               ("control characters", "a\x00b\x07c\x08d"), ("newlines", "a\nb\r\nc"),
               ("right-to-left override", "abc\u202edef"), ("emoji", "😀" * 10),
               ("lone surrogate escape", Raw('"\\ud800"')), ("slash path", "../../etc/passwd")]
    return rng.choice(choices)


def odd_integer(rng):
    """(description, value) of an integer-ish value: an edge integer or raw number text."""
    if rng.random() < 0.6:
        value = rng.choice(EDGE_INTEGERS)
        return f"{value}", value
    text = rng.choice(RAW_NUMBERS)
    return f"raw number {text[:20]}", Raw(text)


def odd_value(rng):
    """(description, value) of any JSON value that a loader might not expect."""
    kind = rng.choice(["integer", "integer", "type", "type", "string", "long", "escapes", "nesting"])
    if kind == "integer":
        return odd_integer(rng)
    if kind == "type":
        value = rng.choice([None, True, False, "", "32", "abc", [], [1], [[]], {}, {"a": 1}, 1.5, -2.5, 1e-300])
        return f"{type(value).__name__} {str(value)[:20]}", value
    if kind == "string":
        return odd_string(rng)
    if kind == "long":
        return long_text(rng)
    if kind == "escapes":
        return escaped_string(rng)
    return nested(rng)


# Texts for numeric command-line options (argv cannot hold NUL; "\udcff" becomes the byte 0xFF).
NUMBER_TEXTS = ["inf", "-inf", "+inf", "infinity", "Infinity", "nan", "NaN", "-nan", "nan(0x1)", "1e39", "-1e39",
                "3.4028235e38", "3.5e38", "1e-46", "1e-320", "-0", "0", "-1", "1", "2", "0.5", "1e308", "1e309",
                "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
                "18446744073709551615", "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
                "1099511627776", "0x10", "0b1", "1_000", "\uff11", "\u0663", "", " ", " 1", "1 ", "1.", ".5", "1e",
                "e1", "--", "-", "1,2", "abc", "9" * 1000, "0." + "0" * 1000 + "1", "1" + "0" * 400,
                "\udcff", "1\n2", "\x1b[31m1"]


def number_text(rng):
    """A text for a numeric option."""
    if rng.random() < 0.03:
        return "7" * 100_000
    return rng.choice(NUMBER_TEXTS)


def describe(text, limit=24):
    """A short printable form of an option value or string for a mutation description."""
    shown = text if len(text) <= limit else text[:limit] + f"…({len(text)} chars)"
    return ascii(shown)


# MARK: - Tree edits

def pick_member(rng, root, stop=0.35):
    """A random (container, key) inside `root`: descends into random children, stopping early
    with probability `stop` at each container. None when `root` has no members."""
    node, picked, path = root, None, []
    while isinstance(node, (dict, list)) and node:
        key = rng.choice(list(node.keys())) if isinstance(node, dict) else rng.randrange(len(node))
        picked = (node, key, list(path))
        path.append(key)
        child = node[key]
        if not isinstance(child, (dict, list)) or not child or rng.random() < stop:
            break
        node = child
    return picked


def path_text(path, key):
    return ".".join(str(p) for p in path + [key])[:80]


def mutate_tree(rng, root):
    """Edits one member of `root` in place (or returns a replacement root). Returns
    (description, new root, whether it added a conflicting duplicate key)."""
    picked = pick_member(rng, root)
    if picked is None:
        described, value = odd_value(rng)
        return f"top level -> {described}", value, False
    parent, key, path = picked
    where = path_text(path, key)
    operation = rng.choice(["delete", "replace", "replace", "replace", "duplicate", "flood"])
    if operation == "delete":
        del parent[key]
        return f"delete {where}", root, False
    if operation == "duplicate" and isinstance(parent, dict):
        described, value = odd_value(rng)
        pairs = list(parent.items())
        index = [k for k, _ in pairs].index(key)
        pairs.insert(index + rng.choice([0, 1]), (key, value))  # the duplicate before or after
        replacement = Pairs(pairs)
        if not path:
            return f"duplicate key {where} = {described}", replacement, True
        _set_at(root, path, replacement)
        return f"duplicate key {where} = {described}", root, True
    if operation == "flood" and isinstance(parent[key], list) and parent[key]:
        count = rng.choice([1_000, 100_000])
        parent[key] = parent[key] * max(1, count // len(parent[key]))
        return f"flood {where} to {len(parent[key])} items", root, False
    described, value = odd_value(rng)
    parent[key] = value
    return f"{where} = {described}", root, False


def _set_at(root, path, value):
    node = root
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


# MARK: - Text edits

def json_text_invalid(data):
    """True when `data` is certainly not a JSON document a strict reader may accept: not UTF-8,
    a syntax error, NaN/Infinity, or a key repeated in one object. Deep nesting and a BOM, which
    RFC 8259 leaves to the reader, count as valid here."""
    import json

    def refuse_constant(name):
        raise ValueError(name)

    def refuse_duplicates(pairs):
        keys = [key for key, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError("duplicate key")
        return dict(pairs)

    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        json.loads(text, parse_constant=refuse_constant, object_pairs_hook=refuse_duplicates)
    except RecursionError:
        return False
    except ValueError:  # includes UnicodeDecodeError and json.JSONDecodeError
        return True
    return False



INVALID_UTF8 = [b"\xff", b"\xc0\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80"]


def mutate_document(rng, data):
    """(description, new bytes) of JSON text `data` with one byte-level edit."""
    n = len(data)
    kind = rng.choice(["truncate", "flip", "insert", "delete", "repeat", "prefix", "suffix", "replace", "utf8"])
    at = rng.randrange(max(n, 1))
    if kind == "truncate":
        return f"truncated to {at} of {n} bytes", data[:at]
    if kind == "flip" and n:
        bit = 1 << rng.randrange(8)
        return f"byte {at} xor {bit}", data[:at] + bytes([data[at] ^ bit]) + data[at + 1:]
    if kind == "insert":
        piece = rng.choice([b"\x00", b"\x1b", b'"', b"{", b"[", b"\\", b",", b"}", b"\n", b"\xef\xbb\xbf"])
        return f"insert {piece!r} at {at}", data[:at] + piece + data[at:]
    if kind == "delete":
        length = rng.choice([1, 1, 2, 10, 100])
        return f"delete {length} bytes at {at}", data[:at] + data[at + length:]
    if kind == "repeat":
        length = rng.choice([1, 10, 100])
        times = rng.choice([2, 1000])
        return f"repeat {length} bytes at {at} x{times}", data[:at] + data[at:at + length] * times + data[at + length:]
    if kind == "prefix":
        piece = rng.choice([b"\xef\xbb\xbf", b" " * 1000, b"\x00", b"//comment\n", b"\n"])
        return f"prefix {piece[:12]!r}", piece + data
    if kind == "suffix":
        piece = rng.choice([b"x", b"}", b"\x00", b" {}", b",", b"\n\n", b" " * 1_000_000])
        return f"suffix {piece[:12]!r}", data + piece
    if kind == "utf8":
        piece = rng.choice(INVALID_UTF8)
        return f"invalid UTF-8 {piece!r} at {at}", data[:at] + piece + data[at:]
    whole = rng.choice([b"", b" ", b"null", b"[]", b"{}", b"0", b'"text"', b"{" * 100_000, b" " * 10_000_000,
                        b"[" * 600 + b"]" * 600, b'{"a":1,"a":2}'])
    return f"whole file -> {whole[:16]!r} ({len(whole)} bytes)", whole
