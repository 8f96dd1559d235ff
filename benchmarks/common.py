"""Shared benchmark helpers: timing, result tables, output files."""

from __future__ import annotations

import json
import platform
import random
import statistics
import time
from pathlib import Path
from typing import Any, Callable

import torch


def median_time(fn: Callable[[], Any], reps: int = 20, warmup: int = 3, min_time: float = 0.2) -> float:
    """Median seconds per call; repeats until ``min_time`` has passed as well as ``reps`` calls."""
    for _ in range(warmup):
        fn()
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < reps or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        if len(times) > 10 * reps:
            break
    return statistics.median(times)


def interleaved_ms(fns: dict[str, Callable[[], Any]], calls: int) -> dict[str, float]:
    """Median ms of each function's calls, called one of each in turn ``calls`` times after two warm-up calls
    each: the machine's slow spells hit them all alike (the CPU comparisons)."""
    return {k: statistics.median(v) for k, v in interleaved_samples(fns, calls).items()}


def ratio_interval(num: list[float], den: list[float], level: float = 0.95, draws: int = 2000,
                   seed: int = 0) -> tuple[float, float]:
    """A bootstrap interval of ``median(num) / median(den)`` for samples taken in turn (``interleaved_samples``):
    the calls are redrawn in pairs (call i of each together, so a slow spell stays in both), and the ratio's
    ``level`` central interval over ``draws`` redraws is returned. Where it holds 1.0, the two differ by less
    than the machine's noise showed."""
    if len(num) != len(den) or len(num) < 2:
        raise ValueError(f"ratio_interval needs paired samples, got {len(num)} and {len(den)}")
    rng = random.Random(seed)
    n = len(num)
    ratios = []
    for _ in range(draws):
        idx = [rng.randrange(n) for _ in range(n)]
        ratios.append(statistics.median(num[i] for i in idx) / statistics.median(den[i] for i in idx))
    ratios.sort()
    tail = (1 - level) / 2
    return ratios[int(tail * (draws - 1))], ratios[int(round((1 - tail) * (draws - 1)))]


def interleaved_samples(fns: dict[str, Callable[[], Any]], calls: int) -> dict[str, list[float]]:
    """Each function's ms per call, called one of each in turn ``calls`` times after two warm-up calls each
    (``interleaved_ms`` takes their medians; ``ratio_interval`` pairs them call by call). The order of a turn
    rotates from one turn to the next, so that no function always runs right after the same other one: a
    whole call's page faults depend on what the call before it freed (2 cores of an AMD EPYC VM, layer norm
    over 4096x8192 float32, 40 turns: eager always after two Tegula calls took 49.3-49.7 ms, eager in
    rotated turns 46.3-47.2 ms, the Tegula calls 44-47 ms either way)."""
    for fn in fns.values():
        fn()
        fn()
    keys = list(fns)
    samples: dict[str, list[float]] = {k: [] for k in keys}
    for turn in range(calls):
        for key in keys[turn % len(keys):] + keys[:turn % len(keys)]:
            t0 = time.perf_counter()
            fns[key]()
            samples[key].append((time.perf_counter() - t0) * 1e3)
    return samples


def environment() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "machine": platform.machine(),
        "processor": platform.processor() or _cpu_model(),
        "threads": torch.get_num_threads(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def markdown_table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    head = "| " + " | ".join(title for _, title in columns) + " |"
    sep = "|" + "|".join("---" for _ in columns) + "|"
    lines = [head, sep]
    for r in rows:
        lines.append("| " + " | ".join(_fmt(r.get(key)) for key, _ in columns) + " |")
    return "\n".join(lines)


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 1000 else f"{v:.0f}"
    return str(v)


def geomean(xs: list[float]) -> float:
    xs = [x for x in xs if x and x > 0]
    return float(torch.tensor(xs, dtype=torch.float64).log().mean().exp()) if xs else float("nan")


def write_results(out_dir: str | Path, name: str, payload: dict[str, Any], markdown: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(payload, indent=2, default=str) + "\n")
    (out / f"{name}.md").write_text(markdown + "\n")
