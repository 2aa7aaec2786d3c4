"""Family config: a model folder whose config.json is mutated.

Four kinds of edit, on the config of one of the six tiny fixtures:
  * field: one field the kit reads (or one it reads only when present, such as head_dim or
    sliding_window) deleted, set to 0, negative, huge (2^40, 2^63, 1e400), a float where an
    integer belongs, a string, another JSON type;
  * sizes: numbers that each look fine but do not fit together: heads not dividing the width,
    key/value heads not dividing the heads, an odd head_dim (RoPE rotates pairs), a vocabulary,
    layer count or feed-forward width that differs from the weights, a context of 2^40 positions;
  * rope: rope_scaling / rope_parameters with each rope_type (llama3, linear, dynamic, yarn,
    longrope, unknown) and odd factors, including low_freq_factor == high_freq_factor;
  * model_type unknown, in another case, or 10 MB long; and the generic JSON edits (tree, text).
Each case runs inspect, logits and generate. `must_fail` is set for a duplicated key only: which
other edits a correct kit must refuse depends on the field, so they are judged by status alone.
"""

from case import SINGLE_FILE_MODELS, Case, copy_model, weighted_choice
from families.common import model_commands
from formats import Raw, dumps, load_json, write_text
from mutations import describe, mutate_document, mutate_tree, odd_integer, odd_value

GPT2_FIELDS = ["n_embd", "n_head", "n_layer", "n_positions", "n_ctx", "n_inner", "vocab_size", "layer_norm_epsilon",
               "activation_function", "tie_word_embeddings", "bos_token_id", "eos_token_id", "model_type"]
LLAMA_FIELDS = ["hidden_size", "num_attention_heads", "num_key_value_heads", "head_dim", "num_hidden_layers",
                "max_position_embeddings", "intermediate_size", "vocab_size", "rms_norm_eps", "hidden_act",
                "rope_theta", "rope_parameters", "rope_scaling", "tie_word_embeddings", "attention_bias", "mlp_bias",
                "bos_token_id", "eos_token_id", "sliding_window", "use_sliding_window", "model_type"]

# (field, values) pairs that each make the sizes disagree with one another or with the weights.
GPT2_SIZES = [("n_head", [3, 5, 6, 7, 32, 33, 64]), ("n_embd", [16, 30, 31, 33, 64]), ("n_inner", [1, 127, 129, 256]),
              ("vocab_size", [1, 299, 301, 2**31]), ("n_layer", [1, 3, 100, 2**31, 2**40]),
              ("n_positions", [1, 2, 31, 33, 2**31, 2**40, 2**53])]
LLAMA_SIZES = [("head_dim", [1, 3, 5, 6, 7, 9, 12, 16, 33]), ("num_attention_heads", [1, 3, 5, 6, 8, 64]),
               ("num_key_value_heads", [1, 3, 5, 8, 64]), ("hidden_size", [16, 30, 31, 33, 64]),
               ("intermediate_size", [1, 63, 65, 128]), ("vocab_size", [1, 95, 97, 2**31]),
               ("num_hidden_layers", [1, 3, 100, 2**31, 2**40]),
               ("max_position_embeddings", [1, 2, 63, 65, 2**31, 2**40, 2**53]),
               ("sliding_window", [1, 2, 64, 2**40]), ("rope_theta", [1e-300, 1, 1e300])]

ROPE_TYPES = ["llama3", "linear", "dynamic", "yarn", "longrope", "su", "default", "", "LLAMA3", "ntk", 3, None]


def config_case(rng, folder):
    base = rng.choice(SINGLE_FILE_MODELS)
    model = copy_model(base, folder / "model")
    path = model / "config.json"
    config = load_json(path)
    is_gpt2 = config["model_type"] == "gpt2"
    kind = weighted_choice(rng, {"field": 5, "sizes": 4, "rope": 2 if not is_gpt2 else 0, "model_type": 1,
                                 "tree": 2, "text": 2})
    must_fail = False
    if kind == "field":
        name = rng.choice(GPT2_FIELDS if is_gpt2 else LLAMA_FIELDS)
        edit = rng.choice(["delete", "zero", "negative", "huge", "float", "string", "other"])
        if edit == "delete":
            config.pop(name, None)
            value_text = "deleted"
        else:
            value = {"zero": 0, "negative": -rng.choice([1, 32, 2**40]), "huge": rng.choice([2**40, 2**63, Raw("1e400")]),
                     "float": rng.choice([32.5, Raw("32.0"), 1e-300]), "string": rng.choice(["32", "", "silu"]),
                     "other": None}[edit]
            if edit == "other":
                value_text, value = odd_value(rng)
            else:
                value_text = value.text if isinstance(value, Raw) else describe(str(value))
            config[name] = value
        description = f"{name} {edit}: {value_text}"
    elif kind == "sizes":
        name, values = rng.choice(GPT2_SIZES if is_gpt2 else LLAMA_SIZES)
        value = rng.choice(values)
        config[name] = value
        description = f"{name} = {value}"
        if name != "head_dim" and "head_dim" in config and rng.random() < 0.3:  # D from C / H instead
            del config["head_dim"]
            description += ", head_dim deleted"
    elif kind == "rope":
        description = rope(rng, config)
    elif kind == "model_type":
        value = rng.choice(["gpt3", "Llama", "LLAMA", "qwen2_moe", "mixtral", "", " llama", "x" * 10_000_000,
                            "gpt2" if not is_gpt2 else "llama"])
        config["model_type"] = value
        description = f"model_type = {describe(value)}"
    elif kind == "tree":
        description, config, must_fail = mutate_tree(rng, config)
    else:
        description, text = mutate_document(rng, dumps(config, indent=2).encode())
        write_text(path, text)
        return Case(f"{base} config.json text: {description}", model_commands(rng, has_tokenizer=base == "gpt2"))
    write_text(path, dumps(config, indent=2))
    return Case(f"{base} config.json {kind}: {description}",
                model_commands(rng, has_tokenizer=base == "gpt2", must_fail=must_fail))


def rope(rng, config):
    """rope_scaling or rope_parameters with a scaling type and odd parameters."""
    field = rng.choice(["rope_scaling", "rope_parameters"])
    rope_type = rng.choice(ROPE_TYPES)
    scaling = {rng.choice(["rope_type", "type"]): rope_type, "rope_theta": rng.choice([10000.0, 500000.0])}
    factor = rng.choice(["absent", 0, -1, 1, 8, 1e308, "8", None, Raw("1e400")])
    if factor != "absent":
        scaling["factor"] = factor
    if rng.random() < 0.6:  # Llama 3's band parameters; equal factors divide by zero in the formula
        low, high = rng.choice([(1, 4), (4, 4), (0, 4), (4, 1), (-1, 4), (1e-300, 1e300)])
        scaling["low_freq_factor"], scaling["high_freq_factor"] = low, high
    if rng.random() < 0.6:
        scaling["original_max_position_embeddings"] = rng.choice([0, -1, 1, 64, 8192, 2**40, 1.5, odd_integer(rng)[1]])
    config[field] = scaling
    return f"{field} = {describe(dumps(scaling), 120)}"
