"""Command lines shared by the families that mutate a model folder."""

from case import Command


def model_commands(rng, folder="model", has_tokenizer=False, must_fail=False, generate=True):
    """inspect, logits and (usually) generate on the model folder `folder` (relative path).

    `must_fail`: the folder is invalid for all three, so an exit status 0 is flagged.
    Options vary with the seed: --json and --all for inspect, --json for logits, greedy or
    sampled generation from ids (or from text when the folder has a tokenizer)."""
    inspect = ["inspect", folder] + rng.choice([[], [], ["--json"], ["--all"]])
    logits = ["logits", folder, "--ids", rng.choice(["1,2,3", "0", "5,4,3,2,1,0,1,2"])] + rng.choice([[], ["--json"]])
    commands = [Command(inspect, must_fail=must_fail), Command(logits, must_fail=must_fail)]
    if generate:
        prompt = ["--prompt", "Hello world"] if has_tokenizer and rng.random() < 0.5 else ["--prompt-ids", "1,2"]
        sampling = rng.choice([["--temperature", "0"], ["--temperature", "0.8", "--top-k", "5", "--seed", "3"],
                               ["--top-p", "0.9", "--min-p", "0.05", "--repetition-penalty", "1.3"]])
        output = rng.choice([["--quiet"], ["--json"]])
        commands.append(Command(["generate", "--model", folder] + prompt + ["--max-tokens", "4"] + sampling + output,
                                must_fail=must_fail))
    return commands
