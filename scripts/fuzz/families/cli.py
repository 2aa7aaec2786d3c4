"""Family cli: odd values for the options of generate, logits, tokenize and inspect.

On the tiny GPT-2 fixture (which has a tokenizer), one option of one command gets a value from
a list of troublemakers: nan, inf, 1e300 (finite as a Double, infinite as a Float), -1, 0, huge
integers, non-numbers, empty and very long strings, and control characters. Which values a
command must refuse depends on the option, so runs are judged by status and flags alone.
"""

from case import Case, Command, copy_model

VALUES = ["nan", "inf", "-inf", "1e300", "-1", "0", "1", "0.5", "2", "9223372036854775807", "9223372036854775808",
          "1e-300", "abc", "", "1,2,,3", "-0", "0x10", "\x1b[2J", "x" * 100_000]

OPTIONS = {
    "generate": ["--temperature", "--top-k", "--top-p", "--min-p", "--repetition-penalty", "--seed", "--max-tokens",
                 "--prompt-ids", "--stop", "--prompt"],
    "logits": ["--ids", "--top"],
    "tokenize": ["--tokenizer", "--decode"],
    "inspect": [],
}


def cli_case(rng, folder):
    copy_model("gpt2", folder / "model")
    command = rng.choice(sorted(OPTIONS))
    value = rng.choice(VALUES)
    if command == "generate":
        option = rng.choice(OPTIONS["generate"])
        argv = ["generate", "--model", "model", "--max-tokens", "3", "--quiet"]
        if option not in ("--prompt", "--prompt-ids"):
            argv += ["--prompt-ids", "1,2"]
        argv += [option, value]
    elif command == "logits":
        option = rng.choice(OPTIONS["logits"])
        argv = ["logits", "model"] + ([] if option == "--ids" else ["--ids", "1,2"]) + [option, value]
    elif command == "tokenize":
        option = rng.choice(OPTIONS["tokenize"])
        argv = (["tokenize", "--tokenizer", value] if option == "--tokenizer"
                else ["tokenize", "--tokenizer", "model", "--decode", value])
    else:
        option = "path"
        argv = ["inspect", value]
    stdin = b"Hello world" if command == "tokenize" and option == "--tokenizer" else None
    shown = value if len(value) <= 24 else value[:24] + f"... ({len(value)} characters)"
    return Case(mutation=f"{command} {option} {shown!r}", commands=[Command(argv, stdin=stdin)])
