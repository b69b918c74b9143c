"""Empirical ceilings: a large device copy and a STREAM triad for bandwidth, a large matmul per
dtype, and an elementwise multiply-add for the vector unit; written into a hardware profile as
`measured` entries beside the vendor peaks (GPU, from --base) or as a CPU profile of its own."""
import datetime
import json
import os
import re
import sys

import torch

import environment
import timing

SOURCE_ID = "S-HARNESS"


def _best(fn, device, runs=10):
    """The fastest of the runs: a ceiling is what the device can reach, as empirical roofline
    tools report it, not its typical speed."""
    samples = timing.measure(fn, device, timing.CacheFlusher(device, 0), runs, runs * 3, 0.2, 5.0, 2)
    return timing.summarize(samples)["min_seconds"]


def copy_bandwidth(device, elements):
    src = torch.ones(elements, dtype=torch.float32, device=device)
    dst = torch.empty_like(src)
    seconds = _best(lambda: dst.copy_(src), device)
    return 2 * 4 * elements / seconds  # read + written


def triad_bandwidth(device, elements):
    b = torch.ones(elements, dtype=torch.float32, device=device)
    c = torch.ones_like(b)
    a = torch.empty_like(b)
    seconds = _best(lambda: torch.add(b, c, alpha=3.0, out=a), device)
    return 3 * 4 * elements / seconds  # two reads, one write


def matmul_flops(device, dtype, n):
    x = torch.randn(n, n, device=device).to(dtype)
    y = torch.randn(n, n, device=device).to(dtype)
    seconds = _best(lambda: torch.matmul(x, y), device, runs=5)
    return 2 * n ** 3 / seconds


def vector_flops(device, elements, repeats):
    """Multiply-adds on a cache-resident vector: 2 FLOPs per element per call. On a GPU each call
    is a kernel launch, so this is a lower bound there unless the vector is large."""
    x = torch.rand(elements, device=device)
    y = torch.rand(elements, device=device)
    z = torch.empty_like(x)

    def body():
        for _ in range(repeats):
            torch.addcmul(x, x, y, value=0.5, out=z)

    seconds = _best(body, device, runs=5)
    return 2 * elements * repeats / seconds


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "device"


def _cpu_caches():
    levels = []
    base = "/sys/devices/system/cpu/cpu0/cache"
    try:
        for index in sorted(os.listdir(base)):
            if not index.startswith("index"):
                continue
            read = lambda name: open(os.path.join(base, index, name)).read().strip()  # noqa: E731
            if read("type") == "Instruction":
                continue
            size = read("size")
            number = int(size.rstrip("KMG")) * {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}.get(size[-1], 1)
            shared = read("shared_cpu_list")
            sharing = sum((int(b) - int(a) + 1) if "-" in part else 1
                          for part in shared.split(",") for a, _, b in [part.partition("-")] if part)
            levels.append({"level": int(read("level")), "bytes": number, "sharing": max(sharing, 1)})
    except OSError:
        pass
    return levels


def _memory_bytes():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


# Instruction sets os.uname() reports: a profile with one of these as its architecture is a CPU's
# (the same list as CPU_ARCHITECTURES in src/validation/device.ts).
CPU_ARCHITECTURES = {"x86_64", "amd64", "i386", "i686", "aarch64", "arm64", "armv7l", "ppc64le", "s390x", "riscv64"}


def _normal(name):
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def base_mismatch(base, path, name, device_type):
    """Why this device is not the one the --base profile describes, or None: its names when it
    lists any (as roofline compares them), else whether both are CPUs."""
    names = base.get("deviceNames") or []
    architecture = str(base.get("architecture", ""))
    profile_id = base.get("id", path)
    here = f'"{name}" ({"a CPU" if device_type == "cpu" else "a GPU"})'
    if names:
        if _normal(name) in {_normal(n) for n in names}:
            return None
        return f"this machine's device is {here}, but {path} (profile {profile_id}) describes " + " or ".join(f'"{n}"' for n in names)
    base_is_cpu = architecture.lower() in CPU_ARCHITECTURES
    if base_is_cpu == (device_type == "cpu"):
        return None
    return f"this machine's device is {here}, but {path} (profile {profile_id}, architecture {architecture}) describes {'a CPU' if base_is_cpu else 'a GPU or TPU'}"


def measured_number(value):
    return {"value": value, "source": [SOURCE_ID], "confidence": "measured"}


def main(args, device, write_atomic):
    quick = args.quick
    gpu = device.type == "cuda"
    elements = (1 << 18 if quick else 1 << 25) if not gpu else (1 << 22 if quick else 1 << 28)
    date = datetime.date.today().isoformat()
    env = environment.describe(device, sys.argv)
    tool = f"roofline bench/kernels harness, torch {torch.__version__}"
    results = {}
    print("measuring copy and triad bandwidth", file=sys.stderr)
    # Shared machines fluctuate: the best of three rounds.
    results["copy"] = max(copy_bandwidth(device, elements) for _ in range(3))
    results["triad"] = max(triad_bandwidth(device, elements) for _ in range(3))
    # The best of several sizes, as a maximum-achievable-matmul search does: a single size can sit
    # below what larger shapes reach, and a ceiling below a kernel makes that kernel look impossible.
    matmul_sizes = {torch.float32: [256] if quick else ([4096, 8192] if gpu else [1024]),
                    torch.bfloat16: [256] if quick else ([4096, 8192] if gpu else [512, 1024, 2048]),
                    torch.float16: [256] if quick else ([4096, 8192] if gpu else [512, 1024])}
    names = {torch.float32: "fp32", torch.bfloat16: "bf16", torch.float16: "fp16"}
    best_size = {}
    for dtype, sizes in matmul_sizes.items():
        for n in sizes:
            print(f"measuring {names[dtype]} matmul {n}^3", file=sys.stderr)
            try:
                flops = matmul_flops(device, dtype, n)
            except RuntimeError as error:  # a dtype the device or build lacks
                print(f"  skipped: {error}", file=sys.stderr)
                break
            if flops > results.get(names[dtype], 0):
                results[names[dtype]] = flops
                best_size[names[dtype]] = n
    print("measuring vector multiply-add", file=sys.stderr)
    results["vector"] = vector_flops(device, (1 << 16) if not gpu else (1 << 24), 4 if quick else 20)

    measured = [
        {"metric": "memory-copy", "value": results["copy"], "unit": "bytes/s", "bytesCounted": "read + written",
         "tool": f"{tool}: copy of {elements} fp32", "date": date},
        {"metric": "memory-triad", "value": results["triad"], "unit": "bytes/s", "bytesCounted": "two reads + one write",
         "tool": f"{tool}: triad a = b + 3c over {elements} fp32", "date": date},
        *({"metric": "matrix", "dtype": names[d], "value": results[names[d]], "unit": "FLOP/s",
           "tool": f"{tool}: best {names[d]} matmul of {', '.join(f'{n}^3' for n in sizes)} ({best_size[names[d]]}^3)", "date": date}
          for d, sizes in matmul_sizes.items() if names[d] in results),
        {"metric": "vector", "dtype": "fp32", "value": results["vector"], "unit": "FLOP/s",
         "tool": f"{tool}: cache-resident addcmul, 2 FLOPs per element", "date": date},
    ]
    if args.base:
        with open(args.base, encoding="utf-8-sig") as f:
            profile = json.load(f)
        profile["measured"] = measured
        profile["sources"][SOURCE_ID] = {"title": "roofline kernel harness (bench/kernels)", "note": env["command"]}
        if args.id:
            profile["id"] = args.id
    else:
        name = env["device_name"]
        cores = os.cpu_count() or 1
        matrix = [{"dtype": names[d], "accumulator": "fp32", "flopsPerSecond": measured_number(results[names[d]])}
                  for d in matmul_sizes if names[d] in results]
        caches = _cpu_caches()
        on_chip = [{
            "name": f"L{c['level']} cache", "scope": "chip" if c["sharing"] >= cores else "per-core",
            "count": 1 if c["sharing"] >= cores else max(1, cores // c["sharing"]),
            "capacityBytes": {"value": c["bytes"], "source": ["S-SYSFS"], "confidence": "measured"},
        } for c in caches if c["level"] >= 2]
        vendor = "amd" if "AMD" in name else "intel" if "Intel" in name else "other"
        profile = {
            "schemaVersion": 1,
            "id": args.id or f"cpu-{_slug(name)}-{cores}c",
            "name": f"{name} ({cores} logical CPUs, as measured)",
            "vendor": vendor,
            "architecture": os.uname().machine,
            "deviceNames": [name],
            "granularity": {"unit": "chip", "coresPerChip": cores, "frameworkDevice": "chip",
                            "note": "the CPUs this process could use, not necessarily a whole socket"},
            "compute": {
                "matrixUnit": "CPU SIMD through PyTorch matmul (measured; no vendor figure)",
                "matrix": matrix,
                "vector": {"unit": "CPU SIMD", "dtype": "fp32", "flopsPerSecond": measured_number(results["vector"])},
            },
            "memory": {
                "main": {
                    "technology": "DRAM",
                    "capacityBytes": {"value": _memory_bytes() or 1, "source": ["S-PROC"], "confidence": "measured"},
                    "bytesPerSecond": {**measured_number(max(results["copy"], results["triad"])),
                                       "note": "the larger of the copy and triad bandwidths"},
                },
                "onChip": on_chip,
            },
            "interconnect": None,
            "measured": measured,
            "sources": {
                SOURCE_ID: {"title": "roofline kernel harness (bench/kernels)", "note": env["command"]},
                "S-PROC": {"title": "/proc/meminfo"},
                "S-SYSFS": {"title": "/sys/devices/system/cpu/cpu0/cache"},
            },
        }
    write_atomic(args.out, lambda f: (json.dump(profile, f, indent=2), f.write("\n")))
    for key, value in results.items():
        unit = "B/s" if key in ("copy", "triad") else "FLOP/s"
        print(f"  {key}: {value:.4g} {unit}", file=sys.stderr)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0
