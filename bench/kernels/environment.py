"""What the measurements were taken on: library versions, device, clocks where readable."""
import datetime
import os
import platform
import shutil
import subprocess

import torch


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _nvidia_smi():
    if not shutil.which("nvidia-smi"):
        return None
    fields = "name,driver_version,clocks.sm,clocks.mem,clocks.max.sm,clocks.max.mem,power.limit,temperature.gpu"
    try:
        out = subprocess.run(["nvidia-smi", f"--query-gpu={fields}", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=20).stdout.strip().splitlines()
    except (OSError, subprocess.SubprocessError):
        return None
    return [dict(zip(fields.split(","), (v.strip() for v in line.split(",")))) for line in out]


def device_name(device):
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return _cpu_model()


def describe(device, argv):
    env = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(argv),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "device": device.type,
        "device_name": device_name(device),
        "threads": torch.get_num_threads(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
    }
    try:
        import triton  # noqa: F401
        env["triton"] = triton.__version__
    except Exception:  # triton is optional
        env["triton"] = None
    if device.type == "cuda":
        props = torch.cuda.get_device_properties(device)
        env.update({
            "cuda": torch.version.cuda,
            "compute_capability": f"{props.major}.{props.minor}",
            "multiprocessors": props.multi_processor_count,
            "device_memory_bytes": props.total_memory,
            "nvidia_smi": _nvidia_smi(),
        })
    return env
