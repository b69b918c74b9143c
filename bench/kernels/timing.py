"""Timing one callable: warm-ups, then repetitions until the median is stable.

CUDA runs are timed with CUDA events around each call; CPU runs with perf_counter. Between
timed calls a buffer larger than the last-level cache is overwritten, so that memory-bound
kernels read from DRAM/HBM as the cost model assumes, not from a warm cache.
"""
import statistics
import time

import torch


class CacheFlusher:
    def __init__(self, device, nbytes):
        self.buffer = torch.empty(max(1, nbytes // 4), dtype=torch.float32, device=device) if nbytes > 0 else None

    def __call__(self):
        if self.buffer is not None:
            self.buffer.fill_(1.0)


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def measure(fn, device, flusher, min_runs, max_runs, min_seconds, max_seconds, warmups):
    """Returns the per-call samples in seconds."""
    for _ in range(warmups):
        fn()
    synchronize(device)
    samples = []
    started = time.perf_counter()
    while len(samples) < max_runs:
        enough_runs = len(samples) >= min_runs
        if enough_runs and (sum(samples) >= min_seconds or time.perf_counter() - started >= max_seconds):
            break
        flusher()
        if device.type == "cuda":
            begin = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            begin.record()
            fn()
            end.record()
            end.synchronize()
            samples.append(begin.elapsed_time(end) / 1e3)
        else:
            synchronize(device)
            t0 = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t0)
    return samples


def measure_interleaved(fns, device, flusher, min_runs, max_runs, min_seconds, max_seconds, warmups):
    """Times two callables in alternation and returns their samples, paired by round.

    Round i times both, A then B on even rounds and B then A on odd ones (ABBA), so that drift in
    the machine's speed (another job starting, a clock change) lands on both sides of a pair, and
    neither side is always the one that runs second. The stopping rule counts both sides."""
    for _ in range(warmups):
        for fn in fns:
            fn()
    synchronize(device)
    samples = [[], []]
    started = time.perf_counter()
    while len(samples[0]) < max_runs:
        enough_runs = len(samples[0]) >= min_runs
        if enough_runs and (sum(samples[0]) + sum(samples[1]) >= 2 * min_seconds
                            or time.perf_counter() - started >= 2 * max_seconds):
            break
        order = (0, 1) if len(samples[0]) % 2 == 0 else (1, 0)
        for side in order:
            samples[side].extend(measure(fns[side], device, flusher, 1, 1, 0.0, 0.0, 0))
    return samples


def summarize(samples):
    ordered = sorted(samples)
    p90_index = min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))
    return {
        "runs": len(ordered),
        "median_seconds": statistics.median(ordered),
        "min_seconds": ordered[0],
        "p90_seconds": ordered[p90_index],
        "mean_seconds": statistics.fmean(ordered),
    }
