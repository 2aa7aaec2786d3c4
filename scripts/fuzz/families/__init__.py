"""The fuzz families: one function per kind of input, each `make(rng, folder) -> Case`.

A family copies a committed fixture into `folder`, makes one seeded mutation, and names the
`lab` commands that read the result. The order here is the order of the summary table.
`PREPARE` names the families that need something made once per run (with the lab binary) before
their first case: checkpoint trains its base checkpoint, quantized runs lab quantize on three
fixtures. Left out until the kit reads them: export paths.
"""

from families import checkpoint, cli, config, files, finetune, index, quantized, safetensors, tokenizer, train

FAMILIES = {
    "st-header": safetensors.header_case,       # the JSON header of model.safetensors, and its length
    "st-data": safetensors.data_case,           # the tensor bytes: NaN/inf, bit flips, truncation
    "config": config.config_case,               # config.json: each field, size relations, rope_scaling
    "index": index.index_case,                  # model.safetensors.index.json and its shards
    "tokenizer-json": tokenizer.tokenizer_json_case,   # tokenizer.json, standalone and in a model folder
    "vocab-merges": tokenizer.vocab_merges_case,       # GPT-2's vocab.json + merges.txt
    "files": files.files_case,                  # FIFOs, folders, symlink loops, devices, empty and sparse files
    "cli": cli.cli_case,                        # the options of generate, logits, tokenize, eval, inspect
    "train": train.train_case,                  # lab train: mutated corpora, odd option values
    "checkpoint": checkpoint.checkpoint_case,   # a lab train folder mutated, then eval and --resume
    "adapter": finetune.adapter_case,           # a PEFT adapter folder mutated, then logits and generate --adapter
    "jsonl": finetune.jsonl_case,               # instruction data mutated, then a 2-step lab finetune
    "quantized": quantized.quantized_case,      # a lab quantize folder: quantization.json, the planes, the scales
}

PREPARE = {"checkpoint": checkpoint.prepare, "quantized": quantized.prepare}
