"""Families tokenizer-json and vocab-merges: the tokenizer files, standalone or in a model folder.

tokenizer-json mutates a Hugging Face tokenizer.json (the GPT-2 fixture's, inside its model
folder, or one of the standalone fixtures): vocabulary ids out of range, repeated or with gaps,
tokens removed, long (10k characters) or full of control characters; merges removed, unknown,
of one or three parts, of the wrong type, repeated or flooded; added tokens out of range, empty,
repeated or long; normalizers, pre-tokenizers, post-processors, decoders and models the kit does
not implement; and the generic JSON edits. vocab-merges does the same to GPT-2's older pair of
files made from that fixture: vocab.json by JSON edits, merges.txt by line edits (missing or
changed #version header, lines of one or three tokens, tabs, CRLF, unknown tokens, a 1 MB line,
100,000 lines, NUL bytes, invalid UTF-8).

Commands: lab tokenize in each mode (ids, --json, --count, --show, --decode) on a small mixed
text; in a model folder also inspect and generate from text. `must_fail` (tokenize and
generate from text only: logits and inspect may leave a broken tokenizer out, with a note) is
set when the file is certainly not JSON or has a repeated key, or merges.txt has a line that is
not two known tokens.
"""

from case import MODEL_FIXTURES, STANDALONE_TOKENIZERS, TOKENIZER_FIXTURES, Case, Command, copy_model, weighted_choice
from formats import Pairs, dumps, load_json, write_text
from mutations import INVALID_UTF8, describe, json_text_invalid, mutate_document, mutate_tree, odd_integer

TEXTS = ["Hello world! It's 2024: 3.14 apples.\n<|endoftext|>Once upon a time",
         "naïve café — 東京 😀 \t tabs\r\nand <|im_start|>user\nhi<|im_end|>",
         "   leading spaces, trailing   ", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ""]

PIPELINE_EDITS = [
    ("normalizer", {"type": "NFKC"}), ("normalizer", {"type": "Lowercase"}), ("normalizer", {"type": "Sequence", "normalizers": []}),
    ("normalizer", {"type": "NFC"}), ("normalizer", {"type": 5}), ("normalizer", "NFC"),
    ("pre_tokenizer", {"type": "Whitespace"}), ("pre_tokenizer", {"type": "Metaspace", "replacement": "▁"}),
    ("pre_tokenizer", {"type": "ByteLevel", "add_prefix_space": True, "use_regex": True}),
    ("pre_tokenizer", {"type": "ByteLevel", "use_regex": False}), ("pre_tokenizer", {"type": "Sequence", "pretokenizers": []}),
    ("pre_tokenizer", {"type": "Split", "pattern": {"Regex": "(a+)+$"}, "behavior": "Isolated", "invert": False}),
    ("pre_tokenizer", {"type": "Split", "pattern": {"String": " "}, "behavior": "Removed"}),
    ("pre_tokenizer", {"type": "Digits", "individual_digits": False}), ("pre_tokenizer", None),
    ("post_processor", {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<nope>", "type_id": 0}},
                                                                 {"Sequence": {"id": "A", "type_id": 0}}], "special_tokens": {}}),
    ("post_processor", {"type": "TemplateProcessing", "single": [], "special_tokens": {}}),
    ("post_processor", {"type": "BertProcessing", "sep": ["[SEP]", 1], "cls": ["[CLS]", 0]}),
    ("decoder", {"type": "WordPiece"}), ("decoder", {"type": "Metaspace"}), ("decoder", 7),
]
MODEL_EDITS = [("type", "WordPiece"), ("type", "Unigram"), ("type", None), ("byte_fallback", True),
               ("continuing_subword_prefix", "##"), ("end_of_word_suffix", "</w>"), ("ignore_merges", "yes"),
               ("ignore_merges", True), ("dropout", 0.5), ("unk_token", "<unk>"), ("vocab", []), ("vocab", {}),
               ("merges", {}), ("merges", None)]


def tokenize_commands(rng, tokenizer_path, must_fail, extra=()):
    """Two or three tokenize runs in different modes over `input.txt` / `ids.txt`."""
    modes = [[], ["--json"], ["--count"], ["--show"], ["--show", "--no-color"], ["--count", "--json"]]
    commands = [Command(["tokenize", "--tokenizer", tokenizer_path, *extra, *rng.choice(modes), "input.txt"], must_fail=must_fail),
                Command(["tokenize", "--tokenizer", tokenizer_path, *extra, "--decode", "ids.txt"], must_fail=must_fail)]
    if rng.random() < 0.3:  # the text on standard input instead of a file
        commands.append(Command(["tokenize", "--tokenizer", tokenizer_path, *extra], stdin=rng.choice(TEXTS).encode(),
                                must_fail=must_fail))
    return commands


def folder_commands(rng, must_fail):
    """A model folder's tokenizer through generate (text prompt), inspect and logits."""
    return [Command(["generate", "--model", "model", "--prompt", "Hello world", "--max-tokens", "4", "--temperature", "0",
                     "--quiet"], must_fail=must_fail),
            Command(["inspect", "model"]), Command(["logits", "model", "--ids", "1,2,3"])]


def write_inputs(rng, folder):
    write_text(folder / "input.txt", rng.choice(TEXTS))
    write_text(folder / "ids.txt", rng.choice(["0 1 2 3 4 5 6 7 8 9 10 50 98 99", "299 0 1", "{\"ids\": [5, 6, 7]}"]))


# MARK: - tokenizer.json

def tokenizer_json_case(rng, folder):
    write_inputs(rng, folder)
    in_model = rng.random() < 0.4
    if in_model:
        copy_model("gpt2", folder / "model")
        path, source = folder / "model" / "tokenizer.json", "gpt2 model folder"
    else:
        name = rng.choice(STANDALONE_TOKENIZERS + ["gpt2"])
        origin = MODEL_FIXTURES / "gpt2" / "tokenizer.json" if name == "gpt2" else TOKENIZER_FIXTURES / name
        path, source = folder / "tokenizer.json", name
        write_text(path, origin.read_bytes())
    tokenizer = load_json(path)
    kind = weighted_choice(rng, {"vocab": 3, "merges": 3, "added": 2, "pipeline": 2, "model": 1, "tree": 2, "text": 2})
    if kind == "text":
        description, data = mutate_document(rng, dumps(tokenizer, indent=2).encode())
    else:
        description, tokenizer = edit_tokenizer(rng, tokenizer, kind)
        data = dumps(tokenizer, indent=2).encode("utf-8", "surrogateescape")
    write_text(path, data)
    must_fail = json_text_invalid(data)
    commands = tokenize_commands(rng, "model" if in_model else "tokenizer.json", must_fail)
    if in_model:
        commands += folder_commands(rng, must_fail)
    return Case(f"{source} tokenizer.json {kind}: {description}", commands)


def edit_tokenizer(rng, tokenizer, kind):
    """One targeted edit of a parsed tokenizer.json. (description, new root)."""
    model = tokenizer["model"]
    vocab = model["vocab"]
    tokens = list(vocab)
    if kind == "vocab":
        description, model["vocab"] = edit_vocabulary(rng, vocab)
        return description, tokenizer
    if kind == "merges":
        merges = model["merges"]
        string_form = isinstance(merges[0], str)
        edit = rng.choice(["delete", "unknown", "one", "three", "empty", "number", "repeat", "reverse", "flood", "form"])
        i = rng.randrange(len(merges))
        if edit == "delete":
            del merges[i]
        elif edit in ("unknown", "one", "three", "empty", "number"):
            value = {"unknown": ["zq", "qz"], "one": ["a"], "three": ["a", "b", "c"], "empty": ["", ""], "number": 5}[edit]
            if string_form and isinstance(value, list):
                value = " ".join(value)
            merges.insert(i, value)
        elif edit == "repeat":
            merges.insert(i, merges[i])
        elif edit == "reverse":
            merges.reverse()
        elif edit == "flood":
            model["merges"] = merges * (100_000 // len(merges))
        else:
            model["merges"] = [m.split(" ") if string_form else " ".join(m) for m in merges]
        return f"merges {edit} at {i}", tokenizer
    if kind == "added":
        added = tokenizer.setdefault("added_tokens", [])
        edit = rng.choice(["id", "id", "content", "repeat", "long", "many", "special"])
        if not added:
            added.append({"id": len(vocab), "content": "<|x|>", "special": True})
        item = rng.choice(added)
        if edit == "id":
            item["id"] = rng.choice([-1, len(vocab) + 1000, 2**31, 2**40, vocab[rng.choice(tokens)], odd_integer(rng)[1]])
            return f"added token {describe(item['content'])} id = {describe(dumps(item['id']))}", tokenizer
        if edit == "content":
            item["content"] = rng.choice(["", "\x1b[31m", "<|", "e", "Ġthe", " "])
        elif edit == "repeat":
            added.append(dict(item, id=len(vocab) + len(added)))
        elif edit == "long":
            item["content"] = "<|" + "x" * rng.choice([10_000, 1_000_000]) + "|>"
        elif edit == "many":
            base = len(vocab) + len(added)
            added.extend({"id": base + i, "content": f"<|extra_{i}|>", "special": True} for i in range(10_000))
        else:
            item["special"] = rng.choice([False, None, "yes"])
        return f"added tokens {edit}", tokenizer
    if kind == "pipeline":
        field, value = rng.choice(PIPELINE_EDITS)
        tokenizer[field] = value
        return f"{field} = {describe(dumps(value), 80)}", tokenizer
    if kind == "model":
        field, value = rng.choice(MODEL_EDITS)
        model[field] = value
        return f"model.{field} = {describe(dumps(value))}", tokenizer
    description, root, _ = mutate_tree(rng, tokenizer)
    return description, root


def edit_vocabulary(rng, vocab):
    """One edit of a token -> id map. (description, the map: the same dict, or `Pairs` when a
    token is repeated)."""
    tokens = list(vocab)
    token = rng.choice(tokens)
    edit = rng.choice(["id", "id", "delete", "long", "control", "empty", "shift", "repeat"])
    if edit == "id":
        vocab[token] = rng.choice([-1, len(vocab), len(vocab) + 1000, 2**31, 2**63, vocab[rng.choice(tokens)], 1.5, "1", None])
        return f"vocab[{describe(token)}] = {describe(dumps(vocab[token]))}", vocab
    if edit == "delete":
        del vocab[token]
        return f"vocab entry {describe(token)} deleted", vocab
    if edit in ("long", "control", "empty"):
        new = {"long": "a" * 10_000, "control": "\x1b[2J\x07", "empty": ""}[edit]
        vocab[new] = len(vocab)
        return f"vocab gains a {edit} token", vocab
    if edit == "shift":
        for key in tokens:
            vocab[key] += 1000
        return "every vocab id + 1000", vocab
    return f"vocab token {describe(token)} repeated with another id", Pairs(list(vocab.items()) + [(token, len(vocab) + 5)])


# MARK: - vocab.json + merges.txt

def gpt2_pair():
    """vocab.json (dict) and merges.txt lines made from the GPT-2 fixture's tokenizer.json."""
    tokenizer = load_json(MODEL_FIXTURES / "gpt2" / "tokenizer.json")
    vocab = dict(tokenizer["model"]["vocab"])
    for item in tokenizer["added_tokens"]:
        vocab[item["content"]] = item["id"]
    merges = [m if isinstance(m, str) else " ".join(m) for m in tokenizer["model"]["merges"]]
    return vocab, merges


def vocab_merges_case(rng, folder):
    write_inputs(rng, folder)
    vocab, merges = gpt2_pair()
    in_model = rng.random() < 0.5
    home = folder / "model" if in_model else folder / "tokenizer"
    if in_model:
        copy_model("gpt2", home, with_tokenizer=False)
    else:
        home.mkdir()
    header = "#version: 0.2\n"
    lines = list(merges)
    must_fail = False
    target = rng.choice(["vocab", "merges", "merges"])
    if target == "vocab":
        kind = rng.choice(["edit", "tree", "text", "endoftext"])
        if kind == "text":
            description, data = mutate_document(rng, dumps(vocab, indent=2).encode())
        else:
            if kind == "edit":
                description, root = edit_vocabulary(rng, vocab)
            elif kind == "tree":
                description, root, _ = mutate_tree(rng, vocab)
            else:
                del vocab["<|endoftext|>"]
                description, root = "<|endoftext|> removed", vocab
            data = dumps(root, indent=2).encode("utf-8", "surrogateescape")
        must_fail = json_text_invalid(data)
        description = f"vocab.json {kind}: {description}"
        merges_data = (header + "\n".join(lines) + "\n").encode()
    else:
        description, merges_data, must_fail = edit_merges(rng, header, lines)
        description = f"merges.txt: {description}"
        data = dumps(vocab, indent=2).encode()
    write_text(home / "vocab.json", data)
    write_text(home / "merges.txt", merges_data)
    where = "model" if in_model else "tokenizer"
    commands = tokenize_commands(rng, where, must_fail)
    if rng.random() < 0.3:  # the same files by name
        commands.append(Command(["tokenize", "--vocab", f"{where}/vocab.json", "--merges", f"{where}/merges.txt",
                                 "input.txt"], must_fail=must_fail))
    if in_model:
        commands += folder_commands(rng, must_fail)
    return Case(f"{'model folder' if in_model else 'tokenizer folder'} {description}", commands)


def edit_merges(rng, header, lines):
    """(description, merges.txt bytes, must_fail) after one line-level edit."""
    i = rng.randrange(len(lines))
    edit = rng.choice(["no-header", "header", "delete", "repeat", "one", "three", "tab", "crlf", "trailing-space",
                       "unknown", "blank", "bom", "utf8", "long", "many", "nul", "no-newline", "reverse"])
    bad = edit in ("one", "three", "unknown", "utf8", "nul", "long")
    eol = "\n"
    if edit == "no-header":
        header = ""
    elif edit == "header":
        header = rng.choice(["#version: 9\n", "#version:0.2\n", "version: 0.2\n", "#\n"])
        bad = header == "version: 0.2\n"
    elif edit == "delete":
        del lines[i]
    elif edit == "repeat":
        lines.insert(i, lines[i])
    elif edit == "one":
        lines[i] = lines[i].split(" ")[0]
    elif edit == "three":
        lines[i] += " x"
    elif edit == "tab":
        lines[i] = lines[i].replace(" ", "\t")
        bad = True
    elif edit == "crlf":
        eol = "\r\n"
    elif edit == "trailing-space":
        lines[i] += " "
    elif edit == "unknown":
        lines.insert(i, "zq qz")
    elif edit == "blank":
        lines.insert(i, "")
    elif edit == "long":
        lines.insert(i, "a" * 1_000_000 + " b")
    elif edit == "many":
        lines = lines * (100_000 // len(lines))
    elif edit == "reverse":
        lines.reverse()
    text = (header + eol.join(lines) + ("" if edit == "no-newline" else eol)).encode()
    if edit == "bom":
        text = b"\xef\xbb\xbf" + text
    elif edit == "utf8":
        text = text.replace(b"\n", b"\n" + rng.choice(INVALID_UTF8) + b" x\n", 1)
    elif edit == "nul":
        text = text.replace(b"\n", b"\n\x00 a\n", 1)
    return f"{edit} (line {i})", text, bad
