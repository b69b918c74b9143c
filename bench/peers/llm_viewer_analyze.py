#!/usr/bin/env python3
"""Times LLM-Viewer's ModelAnalyzer.analyze over a grid, for bench/analysis-vs-peer.ts.

LLM-Viewer (github.com/hahnyuan/LLM-Viewer) is not part of this project: pass a checkout with
--llm-viewer. The driver builds one ModelAnalyzer, then answers commands on stdin, one per line,
so that its rounds interleave with the other side's:

    run N   analyse every (length, batch) of the grid N times; print the seconds it took
    quit    exit

LLM-Viewer reads the model's shape with transformers' AutoConfig.from_pretrained, which needs
the network or a cached download. The driver replaces that call with the fields of the model's
config.json (Llama-2-7B's below), given to transformers' LlamaConfig where transformers is
installed and to a plain namespace where it is not; it says which on stderr.
"""
import argparse
import contextlib
import os
import sys
import time
import types

# meta-llama/Llama-2-7b-hf config.json: the fields LLM-Viewer's configs/Llama.py reads.
LLAMA_2_7B = {
    "hidden_size": 4096,
    "num_attention_heads": 32,
    "num_key_value_heads": 32,
    "num_hidden_layers": 32,
    "intermediate_size": 11008,
    "vocab_size": 32000,
}


def config_class():
    """LlamaConfig where transformers is installed; else a namespace with the same fields."""
    try:
        from transformers import LlamaConfig  # noqa: PLC0415
    except ImportError:
        # model_analyzer.py imports these names at the top; nothing of them is used but AutoConfig.
        stub = types.ModuleType("transformers")
        stub.AutoConfig = stub.AutoTokenizer = stub.AutoModelForCausalLM = None
        sys.modules["transformers"] = stub
        print("transformers is not installed: Llama-2-7B's config is built from its config.json fields", file=sys.stderr)
        return lambda **fields: types.SimpleNamespace(**fields)
    print("transformers is installed: Llama-2-7B's config is a LlamaConfig of its config.json fields (no download)", file=sys.stderr)
    return LlamaConfig


class LocalConfig:
    """Stands in for AutoConfig: from_pretrained returns the fields above instead of downloading."""

    make = None

    @classmethod
    def from_pretrained(cls, model_id, trust_remote_code=False):
        return cls.make(**LLAMA_2_7B)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--llm-viewer", required=True, help="a checkout of github.com/hahnyuan/LLM-Viewer")
    parser.add_argument("--hardware", default="nvidia_A100_80G")
    parser.add_argument("--lengths", required=True, help="comma-separated sequence lengths")
    parser.add_argument("--batches", required=True, help="comma-separated batch sizes")
    parser.add_argument("--flash", action="store_true", help="use_flashattention=True")
    args = parser.parse_args()
    lengths = [int(x) for x in args.lengths.split(",")]
    batches = [int(x) for x in args.batches.split(",")]

    LocalConfig.make = config_class()
    sys.path.insert(0, args.llm_viewer)
    os.chdir(args.llm_viewer)  # ModelAnalyzer finds configs/Llama.py relative to the working directory
    import model_analyzer  # noqa: PLC0415

    model_analyzer.AutoConfig = LocalConfig
    with contextlib.redirect_stdout(sys.stderr):  # it prints which config file it uses
        analyzer = model_analyzer.ModelAnalyzer("meta-llama/Llama-2-7b-hf", args.hardware)

    def grid():
        for length in lengths:
            for batch in batches:
                analyzer.analyze(length, batch, use_flashattention=args.flash)

    grid()  # the first pass warms the interpreter's caches
    first = analyzer.analyze(lengths[0], batches[0], use_flashattention=args.flash)["total_results"]
    print(f"ready {len(lengths) * len(batches)} prefill {first['prefill']['inference_time']!r} decode {first['decode']['inference_time']!r}", flush=True)
    for line in sys.stdin:
        command = line.split()
        if command[:1] == ["run"]:
            start = time.perf_counter()
            for _ in range(int(command[1])):
                grid()
            print(time.perf_counter() - start, flush=True)
        elif command[:1] == ["quit"]:
            return
        else:
            print(f"unknown command {line.strip()!r}", file=sys.stderr)
            sys.exit(2)


if __name__ == "__main__":
    main()
