#!/usr/bin/env python3
"""Times the kernels of a `roofline plan` with PyTorch, and measures a device's ceilings.

  harness.py run --plan plan.json --out measurements.csv [--env environment.json]
  harness.py run --plan plan.json --out a.csv --interleave b.csv   # an A/B session, paired by round
  harness.py ceilings --out profile.json [--base hardware-profiles/h200.json]

Every kernel is first checked against a plain reference; then warmed up and repeated until its
median is stable. The CSV schema is documented in README.md ("Measured kernel timings").
Works with PyTorch 1.13 (Debian's python3-torch) and 2.x; CUDA if present, else CPU.
"""
import argparse
import csv
import json
import os
import signal
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import ceilings as ceilings_module  # noqa: E402
import environment  # noqa: E402
import kernels  # noqa: E402
import timing  # noqa: E402

CSV_COLUMNS = [
    "kernel_id", "model", "phase", "pass", "batch", "tokens", "op", "block", "kind", "kernel", "implementation",
    "harness_implementation", "shape", "dtype", "device", "device_name", "backend", "backend_version",
    "runs", "median_seconds", "min_seconds", "p90_seconds", "mean_seconds", "samples_seconds",
    "check", "max_error", "cache_flushed",
]


def pick_device(name):
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        sys.exit("harness: --device cuda but no CUDA device is available")
    return torch.device(name)


def write_atomic(path, write):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temporary = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", newline="") as f:
            write(f)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def output_problem(path, inputs):
    """Why `path` cannot be written as an output, or None: checked before hours of timing."""
    if os.path.isdir(path):
        return "is a folder; give a file name"
    real = os.path.realpath(path)
    for flag, name in inputs:
        if name and os.path.isfile(name) and os.path.realpath(name) == real:
            return f"would overwrite {flag} {name}, which this command reads"
    if os.path.exists(path):
        return None if os.access(path, os.W_OK) else "cannot overwrite it (permission denied)"
    folder = os.path.dirname(path) or "."
    while not os.path.exists(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    if not os.path.isdir(folder):
        return f"{folder} is a file, not a folder"
    return None if os.access(folder, os.W_OK | os.X_OK) else f"cannot write in {folder} (permission denied)"


def shape_text(shape):
    return " ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in shape.items())


def time_entry(entry, device, args, flusher):
    """Checks one kernel against its reference, then times it: alone, or (with --interleave)
    against a second copy of itself in alternation, which --plant-repeat can slow down."""
    grad = entry["pass"] == "backward"
    built = kernels.build(entry, device, grad)
    error, ok = built.check()
    if grad:
        outputs = kernels._ensure_tuple(built.forward())
        grads = [torch.randn_like(o) for o in outputs]
        leaves = [leaf for leaf in built.leaves if leaf.requires_grad]
        fn = lambda: torch.autograd.grad(outputs, leaves, grads, retain_graph=True)  # noqa: E731
    else:
        fn = built.forward
    settings = (device, flusher, args.min_runs, args.max_runs, args.min_seconds, args.max_seconds, args.warmups)
    with torch.enable_grad() if grad else torch.no_grad():
        if args.interleave:
            def planted():
                for _ in range(args.plant_repeat):
                    fn()
            sides = timing.measure_interleaved([fn, planted], *settings)
        else:
            sides = [timing.measure(fn, *settings)]
    return built.implementation, error, ok, sides


def measurement_row(entry, device, env, implementation, error, ok, samples, args):
    summary = timing.summarize(samples)
    return {
        "kernel_id": entry["id"], "model": entry["model"], "phase": entry["phase"], "pass": entry["pass"],
        "batch": entry["batch"], "tokens": entry["tokens"], "op": entry["op"], "block": entry["block"],
        "kind": entry["kind"], "kernel": entry["kernel"], "implementation": entry.get("implementation") or "",
        "harness_implementation": implementation, "shape": shape_text(entry["shape"]),
        "dtype": entry["dtypes"]["activations"], "device": device.type, "device_name": env["device_name"],
        "backend": "torch", "backend_version": torch.__version__,
        **{k: (f"{v:.6e}" if isinstance(v, float) else v) for k, v in summary.items()},
        "samples_seconds": " ".join(f"{s:.6e}" for s in samples),
        "check": "pass" if ok else "fail", "max_error": f"{error:.3e}", "cache_flushed": args.flush_bytes,
    }


def write_measurements(path, rows, env, env_path):
    def write_csv(f):
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)

    write_atomic(path, write_csv)
    env_path = env_path or os.path.splitext(path)[0] + ".environment.json"
    write_atomic(env_path, lambda f: json.dump(env, f, indent=2))
    return env_path


PLAN_ENTRY_FIELDS = ["id", "model", "phase", "pass", "batch", "tokens", "op", "block", "kind", "kernel", "shape", "dtypes"]


def read_json(path, what):
    """A JSON file, or exit with a message naming it (a byte-order mark is skipped)."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            return json.load(f)
    except OSError as error:
        sys.exit(f"harness: {path}: cannot read the {what} ({error.strerror})")
    except ValueError as error:
        sys.exit(f"harness: {path}: the {what} is not valid JSON ({error})")


def read_plan(path):
    """A `roofline plan` file, every entry with the fields the kernels are built from."""
    plan = read_json(path, "plan")
    if not isinstance(plan, dict) or plan.get("schema") != "roofline.plan":
        found = plan.get("schema") if isinstance(plan, dict) else type(plan).__name__
        sys.exit(f"harness: {path} is not a roofline plan (schema {found!r}); write one with `roofline plan`")
    kernels = plan.get("kernels")
    if not isinstance(kernels, list) or not kernels:
        sys.exit(f"harness: {path}: kernels: a plan lists at least one kernel")
    for index, entry in enumerate(kernels):
        missing = [field for field in PLAN_ENTRY_FIELDS if not isinstance(entry, dict) or field not in entry]
        if missing:
            sys.exit(f"harness: {path}: kernels[{index}]: missing {', '.join(missing)}")
        if not isinstance(entry["shape"], dict) or not isinstance(entry["dtypes"], dict) or "activations" not in entry["dtypes"]:
            sys.exit(f"harness: {path}: kernels[{index}]: shape and dtypes must be objects, dtypes with an activations dtype")
    return plan


def run(args):
    plan = read_plan(args.plan)
    device = pick_device(args.device)
    if args.threads:
        torch.set_num_threads(args.threads)
    elif device.type == "cpu":
        torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(0)
    only = set(args.only.split(",")) if args.only else None
    flusher = timing.CacheFlusher(device, args.flush_bytes)
    env = environment.describe(device, sys.argv)
    env["plan"] = os.path.abspath(args.plan)
    env["skipped"] = []
    if args.interleave:
        # Both files carry the session id: `roofline check` pairs their samples round by round
        # only when the ids agree, i.e. when they were timed in alternation in this process.
        env["pairing"] = {"session": uuid.uuid4().hex, "order": "ABBA", "plant_repeat": args.plant_repeat}
    sides = [[], []] if args.interleave else [[]]
    entries = [e for e in plan["kernels"] if only is None or e["kernel"] in only]
    for index, entry in enumerate(entries, 1):
        label = f"[{index}/{len(entries)}] {entry['id']}"
        if kernels.estimated_bytes(entry) > args.max_bytes:
            env["skipped"].append({"id": entry["id"], "reason": f"needs more than --max-bytes {args.max_bytes:.3g}"})
            print(f"{label}: skipped (too large)", file=sys.stderr)
            continue
        try:
            implementation, error, ok, samples = time_entry(entry, device, args, flusher)
        except kernels.Unsupported as reason:
            env["skipped"].append({"id": entry["id"], "reason": str(reason)})
            print(f"{label}: skipped ({reason})", file=sys.stderr)
            continue
        for rows, side in zip(sides, samples):
            rows.append(measurement_row(entry, device, env, implementation, error, ok, side, args))
        medians = " / ".join(f"{timing.summarize(side)['median_seconds'] * 1e6:.1f}" for side in samples)
        print(f"{label}: {medians} us median of {len(samples[0])}"
              f"{'' if ok else f' CHECK FAILED (error {error:.3g})'}", file=sys.stderr)
        if device.type == "cuda":
            torch.cuda.empty_cache()

    outputs = [args.out, args.interleave] if args.interleave else [args.out]
    for role, (path, rows) in enumerate(zip(outputs, sides)):
        if args.interleave:
            env["pairing"]["role"] = "AB"[role]
        env_path = write_measurements(path, rows, env, args.env if role == 0 else None)
        failed = sum(r["check"] == "fail" for r in rows)
        print(f"wrote {len(rows)} measurements to {path} ({len(env['skipped'])} skipped, {failed} failed checks); "
              f"environment in {env_path}", file=sys.stderr)
    return 1 if any(r["check"] == "fail" for r in sides[0]) else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="time every kernel of a plan")
    r.add_argument("--plan", required=True)
    r.add_argument("--out", required=True, help="measurements CSV")
    r.add_argument("--env", help="environment JSON (default: beside the CSV)")
    r.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    r.add_argument("--threads", type=int)
    r.add_argument("--only", help="comma list of kernel names to run")
    r.add_argument("--warmups", type=int, default=3)
    r.add_argument("--min-runs", type=int, default=10)
    r.add_argument("--max-runs", type=int, default=200)
    r.add_argument("--min-seconds", type=float, default=0.2, help="stop once the samples add up to this")
    r.add_argument("--max-seconds", type=float, default=2.0, help="per kernel, once --min-runs are done")
    r.add_argument("--max-bytes", type=float, default=4e9, help="skip kernels that need more memory")
    r.add_argument("--flush-bytes", type=int, default=128 << 20, help="cache-flush buffer written before each run (0: none)")
    r.add_argument("--interleave", metavar="B_CSV",
                   help="time every kernel twice in alternation (ABBA), writing side A to --out and side B here")
    r.add_argument("--plant-repeat", type=int, default=1,
                   help="with --interleave: side B runs each kernel this many times per sample (a planted slowdown)")
    c = sub.add_parser("ceilings", help="measure bandwidth, matmul and vector ceilings into a profile")
    c.add_argument("--out", required=True, help="hardware profile JSON to write")
    c.add_argument("--base", help="profile whose vendor figures to keep (GPUs); default: a new CPU profile")
    c.add_argument("--id", help="profile id (default: from the device name)")
    c.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    c.add_argument("--threads", type=int)
    c.add_argument("--quick", action="store_true", help="small sizes, for smoke tests")
    c.add_argument("--allow-device-mismatch", action="store_true",
                   help="write this device's results into a --base profile of another device anyway")
    args = parser.parse_args(argv)
    # SIGTERM ends the process through SystemExit, as SIGINT does through KeyboardInterrupt, so
    # that write_atomic removes its temporary file.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    inputs = [("--plan", getattr(args, "plan", None)), ("--base", getattr(args, "base", None))]
    outputs = [("--out", args.out), ("--interleave", getattr(args, "interleave", None)), ("--env", getattr(args, "env", None))]
    for flag, path in outputs:
        problem = path is not None and output_problem(path, inputs)
        if problem:
            parser.error(f"{flag} {path}: {problem}")
    if args.command == "run":
        if args.plant_repeat < 1 or (args.plant_repeat > 1 and not args.interleave):
            parser.error("--plant-repeat must be a whole number ≥ 1, and needs --interleave")
        if args.interleave and os.path.abspath(args.interleave) == os.path.abspath(args.out):
            parser.error("--interleave must name another file than --out (side B would overwrite side A)")
        return run(args)
    device = pick_device(args.device)
    if args.base:
        base = read_json(args.base, "base profile")
        if not isinstance(base, dict) or base.get("schemaVersion") != 1:
            sys.exit(f"harness: {args.base} is not a hardware profile (schemaVersion 1)")
        mismatch = ceilings_module.base_mismatch(base, args.base, environment.device_name(device), device.type)
        if mismatch and not args.allow_device_mismatch:
            sys.exit(f"harness: {mismatch}: its measured ceilings would describe another device. Run on that device, "
                     "leave out --base (a profile of this device), or pass --allow-device-mismatch")
    if device.type == "cpu":
        torch.set_num_threads(args.threads or os.cpu_count() or 1)
    return ceilings_module.main(args, device, write_atomic)


if __name__ == "__main__":
    sys.exit(main())
