"""Autotuner benchmark: Tegula tuned vs its default config, eager PyTorch, torch.compile and Helion, side by side.

    python -m benchmarks.autotune                        # GPU (Triton backend) if there is one, bfloat16
    python -m benchmarks.autotune --device cpu           # CPU backend, float32, memory-bound examples
    python -m benchmarks.autotune --backend auto         # GPU: the tuner also chooses the backend (Triton, tileir)
    python -m benchmarks.autotune --only softmax matmul --effort full --helion-effort quick --out DIR

For every benchmark kernel (on the GPU the cases and shapes of ``benchmarks.gpu``;
on the CPU the memory-bound examples, elementwise and reductions, at their
``bench_shape`` as ``benchmarks.cpu`` (``--cpu-shapes demo``: the smaller
``demo_shape``)), in this one process and on the same inputs:

* **default**: the kernel with its untuned default config (``effort="none"``);
* **tuned**: the kernel tuned at ``--effort`` on its first call; that call's
  wall time is recorded, and from ``Kernel.last_tuning`` the tuning seconds,
  the seconds until a config within 2% of the final best was first measured
  ("s to 98%"), the configs tried and how many were excluded (wrong, error,
  crash, timeout, run_error), and the chosen config;
* **eager** PyTorch (the example's reference) and, on the GPU, torch.compile
  (``max-autotune-no-cudagraphs``) and **Helion 1.2.0** tuning the same kernel
  source at ``--helion-effort``; Helion's tuning wall time is recorded, and its
  seconds to 98% of its best are read from its autotune log
  (``HELION_AUTOTUNE_LOG``: per config a timestamp and time).

Every output is checked against the float64 reference. Times: on the GPU
``triton.testing.do_bench`` (median, L2 flushed), on the CPU the median of
repeated calls; default, tuned and eager (and on the GPU Helion's tuned
kernel) are whole calls timed in ``--rounds`` alternating rounds (median of the
rounds), so a slow spell of the machine hits them all; on the CPU the turns
are single calls (``--rounds`` times 10 calls of each, one of each in turn, the
order rotating from turn to turn, and the median of each): there a call's cost swings
by 2-4x within seconds with what the hypervisor does with freed memory (the
page faults of a fresh 64 MB output cost 0.2-1.7 us each), and eager and Tegula
must see the same spells. The kernels alone are also compared as each tuner timed its winner
(device time with L2 flushed, no host launch overhead): "kernel vs Helion"; and both kernels timed here
alike, by CUDA-graph replay after an L2 flush, taken in turn in ``--graph-rounds`` rounds
(median): "graph vs Helion". On the CPU the tuned kernel alone (its launcher on
arguments bound once, writing one reused output) is timed in turn with eager's
``out=`` form, for the examples that have one (``kernel_alone.EAGER_OUT``):
"alone vs eager", the kernel without the host code and the fresh output's page
faults. Both CPU ratios come with a 95% bootstrap interval (``common.ratio_interval``:
the calls redrawn in the pairs they were timed in), so that a ratio the noise
could have put on either side of 1.0 reads as such. ``--helion-configs`` runs Helion at the configs its
tuner chose in an earlier run's JSON instead of tuning it again (device time
is scarce; the tuning columns then stay empty).
Ratios above 1 mean the tuned Tegula kernel is faster:
tuned/default = default ms / tuned ms, vs Helion = Helion ms / tuned ms, and
so on. Tuned configs are cached on disk; this benchmark points
``$TEGULA_CACHE_DIR`` (and Helion's cache) at a fresh temporary folder, so
every run really tunes. ``TEGULA_AUTOTUNE_MAX_SECONDS`` caps a tuning's
seconds (default 60 at quick effort, 600 at full);
``TEGULA_AUTOTUNE_PROGRESS=0`` hides the progress bar. Results
(``<out>/<name>.json`` and ``.md``, by default ``autotune-<device>-<dtype>``,
e.g. ``autotune-h100-bfloat16``) are rewritten after every kernel, so a run cut
short keeps what it measured.

Targets (the autotuning issue): on the GPU, s to 98% at most 60 s per kernel,
tuned at least 1.0x Helion's tuned kernel on every kernel and 1.10x in geomean;
on the CPU (2 cores), tuned at least 1.0x eager PyTorch on the memory-bound
kernels.
"""

from __future__ import annotations

import argparse
import atexit
import csv
import json
import math
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from typing import Any

import torch
from tegula.compiler.kernel import Kernel
from tegula.examples import Example, all_examples, get

from benchmarks.common import environment, geomean, interleaved_samples, markdown_table, ratio_interval, write_results
from benchmarks.gpu import CASES, bench_compile, bench_helion, do_bench
from benchmarks.kernel_alone import EAGER_OUT, launch_alone

# ------------------------------------------------------------ what runs

def _dist_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def device_tag(device: str) -> str:
    """``cpu``, or the GPU's model in short (``NVIDIA H100 80GB HBM3`` -> ``h100``)."""
    if device == "cpu":
        return "cpu"
    words = [w for w in re.split(r"[\s_-]+", torch.cuda.get_device_name().lower())
             if w and w not in ("nvidia", "geforce", "tesla", "quadro")]
    word = next((w for w in words if any(ch.isdigit() for ch in w)), words[0] if words else "gpu")
    return re.sub(r"[^a-z0-9]", "", word) or "gpu"


def cases(opts: argparse.Namespace) -> list[tuple[str, Example, tuple]]:
    """(name, example, shape) of each kernel to run."""
    only = set(opts.only or ())
    out: list[tuple[str, Example, tuple]] = []
    if opts.device == "cuda":
        for case in CASES:
            if not only or case.name in only or case.example in only:
                out.append((case.name, get(case.example), case.shape))
        covered = {c.name for c in CASES} | {c.example for c in CASES}
        for name in sorted(only - covered):  # an example benchmarks.gpu does not list: its bench_shape
            ex = get(name)
            out.append((ex.name, ex, ex.bench_shape))
    else:
        examples = {ex.name: ex for ex in all_examples()}
        unknown = only - set(examples)
        if unknown:
            raise SystemExit(f"unknown examples: {', '.join(sorted(unknown))}; examples: {', '.join(examples)}")
        for ex in examples.values():
            if (ex.name in only) if only else ex.bound == "memory":
                out.append((ex.name, ex, ex.bench_shape if opts.cpu_shapes == "bench" else ex.demo_shape))
    return out


#: on the CPU, calls of each of default, tuned and eager per round, taken one of each in turn
CPU_CALLS_PER_ROUND = 10


def sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def short_config(cfg: dict[str, Any] | None, default: dict[str, Any] | None, backend: str,
                 limit: int = 90) -> str | None:
    """The config's settings that differ from the default config, as ``key=value`` (``default``: none do)."""
    if not cfg:
        return None
    items = [f"{k}={v if isinstance(v, str) else json.dumps(v, separators=(',', ':'))}" for k, v in cfg.items()
             if not (k == "backend" and v == backend) and (default is None or default.get(k) != v)]
    text = " ".join(items).replace("|", "/") or "default"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _error(e: BaseException) -> str:
    lines = f"{type(e).__name__}: {e}".strip().splitlines()
    return (lines[0] if lines else type(e).__name__)[:300]


def helion_log(base: str) -> dict[str, Any]:
    """Configs tried, failures and seconds to 98% of the best, from Helion's autotune CSV (``<base>.csv``)."""
    path = base + ".csv"
    if not os.path.exists(path):
        return {}
    done, found = [], []  # (timestamp, perf_ms) of each benchmarked config, in order
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r.get("status") == "started":
                continue
            done.append(r)
            if r.get("status") == "ok" and r.get("perf_ms") and r.get("timestamp_s"):
                found.append((float(r["timestamp_s"]), float(r["perf_ms"])))
    out: dict[str, Any] = {"helion_configs": len(done), "helion_excluded": sum(r.get("status") != "ok" for r in done)}
    if found:
        best = min(p for _, p in found)
        out["helion_best_log_ms"] = best
        out["helion_to98_s"] = next(t for t, p in found if p <= best / 0.98)
    return out


# ------------------------------------------------------------ one kernel

def bench_case(name: str, ex: Example, shape: tuple, opts: argparse.Namespace, tmp: str) -> dict[str, Any]:
    device, dtype = opts.device, getattr(torch, opts.dtype)
    backend = (None if opts.backend == "auto" else opts.backend) if device == "cuda" else "cpu"
    no_file = os.path.join(tmp, "no-shipped-configs.tegula.json")  # never exists: a shipped file must not answer
    row: dict[str, Any] = {"case": name, "example": ex.name, "shape": "x".join(map(str, shape)),
                           "dtype": opts.dtype, "bound": ex.bound, "errors": {}}

    def stage(what: str, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - a failing stage is recorded, the others still run
            row["errors"][what] = _error(e)
            traceback.print_exc()

    torch.manual_seed(0)
    args = ex.inputs(shape, dtype, device=device)
    timed: dict[str, Callable[[], Any]] = {}  # default, tuned, eager, Helion: timed in alternating rounds
    alone: dict[str, Callable[[], Any]] = {}  # CPU: the tuned kernel's launcher and eager's out= form, in turn
    graphed: dict[str, Callable[[], Any]] = {}  # GPU: tuned and Helion, replayed from CUDA graphs in turn

    def default() -> None:
        k = Kernel(ex.kernel.fn, backend=backend, effort="none", config_file=no_file)
        out = k(*args)
        sync(device)
        ok, msg = ex.check(out, args, dtype)
        row["default_check"] = "ok" if ok else msg
        timed["default"] = lambda: k(*args)

    def tuned() -> None:
        k = Kernel(ex.kernel.fn, backend=backend, effort=opts.effort, config_file=no_file)
        t0 = time.perf_counter()
        out = k(*args)
        sync(device)
        row["first_call_s"] = time.perf_counter() - t0
        tr = k.last_tuning
        if tr is None:
            row["errors"]["tuning"] = "the first call did not tune (a cached or shipped config answered)"
        else:
            # the tuner measures the backend's default config first
            default_cfg = next((c.config for c in tr.candidates if c.backend == tr.backend), None)
            excluded: dict[str, int] = {}
            for c in tr.candidates:
                if c.status != "ok":
                    excluded[c.status] = excluded.get(c.status, 0) + 1
            row.update({
                "tune_s": tr.seconds, "to98_s": tr.seconds_to_98, "configs": len(tr.candidates),
                "excluded": sum(excluded.values()), "excluded_by_status": excluded,
                "tried": f"{len(tr.candidates)} / {sum(excluded.values())}",
                "tuner_best_ms": tr.time_s * 1e3 if tr.time_s else None,
                "tuner_default_ms": tr.default_time_s * 1e3 if tr.default_time_s else None,
                "tuned_backend": tr.backend, "config_full": tr.config,
                "config": short_config(tr.config, default_cfg, backend),
            })
        ok, msg = ex.check(out, args, dtype)
        row["tuned_check"] = "ok" if ok else msg
        timed["tuned"] = lambda: k(*args)
        if device == "cuda" and ok:
            graphed["tuned"] = lambda: k(*args)
        if device == "cpu" and ok and ex.name in EAGER_OUT:  # the kernel alone: no host code, a reused output
            _, alone["tuned"] = launch_alone(k, args)
            buf = torch.empty_like(out)
            alone["eager"] = lambda: EAGER_OUT[ex.name](buf, *args)

    def eager() -> None:
        ex.reference(*args)
        sync(device)
        timed["eager"] = lambda: ex.reference(*args)

    def timing() -> None:
        if device == "cpu":  # one call of each in turn: the machine's slow spells hit all three alike
            for fns, suffix, interval in ((timed, "", "vs_eager_interval"),
                                          (alone, "_alone", "alone_vs_eager_interval")):
                if not fns:
                    continue
                samples = interleaved_samples(fns, opts.rounds * CPU_CALLS_PER_ROUND)
                for key, ms in samples.items():
                    row[f"{key}{suffix}_ms"] = statistics.median(ms)
                if "eager" in samples and "tuned" in samples and row.get("tuned_check") == "ok":
                    row[interval] = list(ratio_interval(samples["eager"], samples["tuned"]))
            return
        samples: dict[str, list[float]] = {key: [] for key in timed}
        for _ in range(opts.rounds):
            for key, fn in timed.items():
                samples[key].append(do_bench(fn))
        for key, ms in samples.items():
            row[f"{key}_ms"] = statistics.median(ms)

    def compiled() -> None:
        comp = bench_compile(ex, args)
        row["compile_ms"] = comp["ms"]
        if comp.get("message"):
            row["errors"]["torch.compile"] = comp["message"]

    def helion() -> None:
        log = os.path.join(tmp, "helion-logs", re.sub(r"[^A-Za-z0-9_.-]", "_", name))
        os.makedirs(os.path.dirname(log), exist_ok=True)
        os.environ["HELION_AUTOTUNE_LOG"] = log  # read when bench_helion makes the kernel
        fixed = opts.helion_fixed.get(name)
        try:
            hel = bench_helion(ex, args, dtype, opts.helion_effort, config=fixed)
        finally:
            os.environ.pop("HELION_AUTOTUNE_LOG", None)
        row["helion_tune_s"] = hel.get("tune_s")
        row["helion_ms"] = hel["ms"] if hel["ok"] else None  # replaced by the interleaved rounds of ``timing``
        row["helion_config"] = hel.get("config")
        row["helion_fixed"] = fixed is not None
        if not hel["ok"]:
            row["errors"]["helion"] = hel["message"]
        else:
            graphed["helion"] = hel["fn"]
            timed["helion"] = hel["fn"]  # whole calls timed in the same rounds as Tegula's
        row.update(helion_log(log))

    def graphs() -> None:
        """Tuned and Helion kernels by CUDA-graph replay, one after the other in each of ``--graph-rounds``
        rounds (median of rounds): both see the same clocks and neighbours."""
        from benchmarks.gpu import graph_rounds

        for key, ms in graph_rounds(graphed, opts.graph_rounds).items():
            if ms:
                row[f"{key}_graph_ms"] = statistics.median(ms)
                row[f"{key}_graph_spread"] = (max(ms) - min(ms)) / statistics.median(ms)

    t0 = time.perf_counter()
    stage("default", default)
    stage("tuned", tuned)
    stage("eager", eager)
    if device == "cuda" and not opts.no_helion:
        stage("helion", helion)
    stage("timing", timing)
    if device == "cuda" and not opts.no_compile:
        stage("torch.compile", compiled)
    if device == "cuda":
        stage("graphs", graphs)
    row["wall_s"] = time.perf_counter() - t0

    tuned_ms = row.get("tuned_ms") if row.get("tuned_check") == "ok" else None
    default_ms = row.get("default_ms") if row.get("default_check") == "ok" else None
    for key, ms in (("vs_default", default_ms), ("vs_eager", row.get("eager_ms")),
                    ("vs_compile", row.get("compile_ms")), ("vs_helion", row.get("helion_ms"))):
        row[key] = ms / tuned_ms if ms and tuned_ms else None
    # CPU: the tuned kernel alone against eager writing the same reused output (no host code, no page faults)
    ours, theirs = row.get("tuned_alone_ms"), row.get("eager_alone_ms")
    row["alone_vs_eager"] = theirs / ours if ours and theirs else None
    # the kernels alone, as each tuner timed its winner (device time, L2 flushed; no host launch overhead)
    ours, theirs = row.get("tuner_best_ms"), row.get("helion_best_log_ms")
    row["kernel_vs_helion"] = theirs / ours if ours and theirs and row.get("tuned_check") == "ok" else None
    # the same, both timed here alike: each call captured in a CUDA graph, replayed after an L2 flush
    ours, theirs = row.get("tuned_graph_ms"), row.get("helion_graph_ms")
    row["graph_vs_helion"] = theirs / ours if ours and theirs else None
    if not row["errors"]:
        del row["errors"]
    if device == "cuda":
        torch.cuda.empty_cache()
    return row


# ------------------------------------------------------------ results

def _argbest(rows: list[dict[str, Any]], key: str, pick: Callable) -> tuple[float | None, str | None]:
    have = [r for r in rows if r.get(key) is not None]
    if not have:
        return None, None
    r = pick(have, key=lambda r: r[key])
    return r[key], r["case"]


def summarize(rows: list[dict[str, Any]], device: str) -> dict[str, Any]:
    memory = [r for r in rows if r["bound"] == "memory"]
    eager_rows = memory if device == "cpu" else rows
    s: dict[str, Any] = {
        "kernels": len(rows),
        "failed": [r["case"] for r in rows if r.get("tuned_check") != "ok"],
        "geomean_vs_helion": geomean([r["vs_helion"] for r in rows if r.get("vs_helion")]),
        "geomean_kernel_vs_helion": geomean([r["kernel_vs_helion"] for r in rows if r.get("kernel_vs_helion")]),
        "geomean_graph_vs_helion": geomean([r["graph_vs_helion"] for r in rows if r.get("graph_vs_helion")]),
        "geomean_vs_default": geomean([r["vs_default"] for r in rows if r.get("vs_default")]),
        "geomean_vs_eager": geomean([r["vs_eager"] for r in eager_rows if r.get("vs_eager")]),
        "geomean_vs_compile": geomean([r["vs_compile"] for r in rows if r.get("vs_compile")]),
        "geomean_tune_s": geomean([r["tune_s"] for r in rows if r.get("tune_s")]),
        "geomean_helion_tune_s": geomean([r["helion_tune_s"] for r in rows if r.get("helion_tune_s")]),
    }
    s["min_vs_helion"], s["min_vs_helion_kernel"] = _argbest(rows, "vs_helion", min)
    s["min_kernel_vs_helion"], s["min_kernel_vs_helion_kernel"] = _argbest(rows, "kernel_vs_helion", min)
    s["min_graph_vs_helion"], s["min_graph_vs_helion_kernel"] = _argbest(rows, "graph_vs_helion", min)
    s["min_vs_eager"], s["min_vs_eager_kernel"] = _argbest(eager_rows, "vs_eager", min)
    s["min_vs_eager_interval"] = next((r.get("vs_eager_interval") for r in eager_rows
                                       if r["case"] == s["min_vs_eager_kernel"]), None)
    s["geomean_alone_vs_eager"] = geomean([r["alone_vs_eager"] for r in rows if r.get("alone_vs_eager")])
    s["min_alone_vs_eager"], s["min_alone_vs_eager_kernel"] = _argbest(rows, "alone_vs_eager", min)
    s["max_to98_s"], s["max_to98_kernel"] = _argbest(rows, "to98_s", max)
    s["max_helion_to98_s"], s["max_helion_to98_kernel"] = _argbest(rows, "helion_to98_s", max)
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in s.items()}


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def summary_lines(s: dict[str, Any], device: str) -> list[str]:
    def num(v: Any, fmt: str = ".2f") -> str:
        return "-" if v is None else format(v, fmt)

    lines = []
    if device == "cuda" and s["geomean_vs_helion"] is not None:
        lines.append(f"geomean tuned vs Helion: {num(s['geomean_vs_helion'])}x (target >= 1.10x: "
                     f"{_met(s['geomean_vs_helion'] >= 1.10)})")
        lines.append(f"min tuned vs Helion: {num(s['min_vs_helion'])}x ({s['min_vs_helion_kernel']}; "
                     f"target >= 1.0x on every kernel: {_met(s['min_vs_helion'] >= 1.0)})")
    if device == "cuda" and s["geomean_kernel_vs_helion"] is not None:
        lines.append(f"kernels alone (each tuner's own timing of its winner, no host overhead): geomean "
                     f"{num(s['geomean_kernel_vs_helion'])}x Helion, min {num(s['min_kernel_vs_helion'])}x "
                     f"({s['min_kernel_vs_helion_kernel']})")
    if device == "cuda" and s.get("geomean_graph_vs_helion") is not None:
        lines.append(f"kernels alone, both timed here alike (CUDA-graph replay after an L2 flush): geomean "
                     f"{num(s['geomean_graph_vs_helion'])}x Helion (target >= 1.10x: "
                     f"{_met(s['geomean_graph_vs_helion'] >= 1.10)}), min {num(s['min_graph_vs_helion'])}x "
                     f"({s['min_graph_vs_helion_kernel']}; target >= 1.0x: {_met(s['min_graph_vs_helion'] >= 1.0)})")
    if s["max_to98_s"] is not None:
        line = f"max Tegula s to 98% of best: {num(s['max_to98_s'], '.1f')} s ({s['max_to98_kernel']}"
        lines.append(line + (f"; target <= 60 s: {_met(s['max_to98_s'] <= 60)})" if device == "cuda" else ")"))
    if s["max_helion_to98_s"] is not None:
        lines.append(f"max Helion s to 98% of its best: {num(s['max_helion_to98_s'], '.1f')} s "
                     f"({s['max_helion_to98_kernel']})")
    lines.append(f"geomean tuning s: Tegula {num(s['geomean_tune_s'], '.1f')}"
                 + (f", Helion {num(s['geomean_helion_tune_s'], '.1f')}" if s["geomean_helion_tune_s"] else ""))
    lines.append(f"geomean tuned/default: {num(s['geomean_vs_default'])}x")
    over = " (memory-bound kernels)" if device == "cpu" else ""
    line = f"geomean tuned vs eager{over}: {num(s['geomean_vs_eager'])}x"
    if s["min_vs_eager"] is not None:
        line += f"; min {num(s['min_vs_eager'])}x ({s['min_vs_eager_kernel']}"
        if device == "cpu":
            line += f"; target >= 1.0x: {_met(s['min_vs_eager'] >= 1.0)}"
            if s.get("min_vs_eager_interval"):
                lo, hi = s["min_vs_eager_interval"]
                line += f"; its 95% interval {lo:.3f}-{hi:.3f}" + (", which holds 1.0" if lo <= 1.0 <= hi else "")
        line += ")"
    lines.append(line)
    if s.get("geomean_alone_vs_eager") is not None:
        lines.append(f"kernels alone (launcher on bound arguments against eager's out= form, one reused output, "
                     f"{', '.join(sorted(EAGER_OUT))} only): geomean {num(s['geomean_alone_vs_eager'])}x eager, "
                     f"min {num(s['min_alone_vs_eager'])}x ({s['min_alone_vs_eager_kernel']})")
    if s["geomean_vs_compile"] is not None:
        lines.append(f"geomean tuned vs torch.compile: {num(s['geomean_vs_compile'])}x")
    if s["failed"]:
        lines.append(f"kernels without a checked tuned result: {', '.join(s['failed'])}")
    return lines


def _interval(v: list[float] | None) -> str | None:
    return None if not v else f"{v[0]:.3f}-{v[1]:.3f}"


def render(rows: list[dict[str, Any]], env: dict[str, Any], opts: argparse.Namespace,
           s: dict[str, Any]) -> str:
    cols = [("case", "kernel"), ("shape", "shape"), ("default_ms", "default ms"), ("tuned_ms", "tuned ms"),
            ("vs_default", "tuned/default"), ("tune_s", "tune s"), ("to98_s", "s to 98%"),
            ("tried", "configs tried / excluded")]
    if opts.device == "cuda" and not opts.no_helion:
        cols += [("helion_ms", "Helion ms"), ("helion_tune_s", "Helion tune s"),
                 ("helion_to98_s", "Helion s to 98%"), ("vs_helion", "vs Helion"),
                 ("tuner_best_ms", "kernel ms (tuner)"), ("helion_best_log_ms", "Helion kernel ms (its tuner)"),
                 ("kernel_vs_helion", "kernel vs Helion"), ("tuned_graph_ms", "kernel ms (graph)"),
                 ("helion_graph_ms", "Helion kernel ms (graph)"), ("graph_vs_helion", "graph vs Helion"),
                 ("tuned_backend", "backend")]
    cols += [("eager_ms", "eager ms"), ("vs_eager", "vs eager")]
    if opts.device == "cpu":
        cols += [("vs_eager_interval", "vs eager, 95% interval"), ("tuned_alone_ms", "kernel alone ms"),
                 ("eager_alone_ms", "eager out= ms"), ("alone_vs_eager", "alone vs eager"),
                 ("alone_vs_eager_interval", "alone vs eager, 95% interval")]
        rows = [{**r, **{k: _interval(r.get(k)) for k in ("vs_eager_interval", "alone_vs_eager_interval")}}
                for r in rows]
    if opts.device == "cuda" and not opts.no_compile:
        cols += [("compile_ms", "torch.compile ms"), ("vs_compile", "vs compile")]
    cols += [("config", "chosen config (what differs from the default)")]
    where = env.get("gpu") or f"{env['processor']}, {env['threads']} threads"
    helion = f", Helion {env['helion']} at {opts.helion_effort}" if env.get("helion") else ""
    if env.get("helion") and opts.helion_fixed:
        helion += (f" (at the configs its tuner chose in {', '.join(map(os.path.basename, opts.helion_configs))} "
                   f"for {', '.join(sorted(opts.helion_fixed))}: no tuning there)")
    about = (f"{where}; torch {env['torch']}{helion}; Tegula effort {opts.effort}"
             f" (max {env['max_seconds']} s a tuning); {env['date']}. Ratios above 1 mean the tuned Tegula kernel "
             "is faster; s to 98%: seconds from the start of tuning until a config within 2% of the best was "
             "first measured; configs excluded: wrong output, compile error, crash, timeout or run error.")
    text = [f"# Autotuning benchmark ({opts.device}, {opts.dtype})", "", about, "", markdown_table(rows, cols), ""]
    text += [f"- {line}" for line in summary_lines(s, opts.device)]
    notes = [f"- {r['case']}: " + "; ".join(f"{k}: {v}" for k, v in r["errors"].items())
             for r in rows if r.get("errors")]
    notes += [f"- {r['case']}: {which} output {r[key]}" for r in rows
              for which, key in (("default", "default_check"), ("tuned", "tuned_check"))
              if r.get(key) not in (None, "ok")]
    if notes:
        text += ["", "Failures:", ""] + notes
    return "\n".join(text)


# ------------------------------------------------------------ main

def run(opts: argparse.Namespace) -> int:
    tmp = tempfile.mkdtemp(prefix="tegula-autotune-bench-")
    atexit.register(shutil.rmtree, tmp, True)
    os.environ["TEGULA_CACHE_DIR"] = os.path.join(tmp, "tegula")  # nothing tuned before: every kernel tunes
    os.environ["HELION_CACHE_DIR"] = os.path.join(tmp, "helion")  # likewise Helion's best-config cache
    env = environment()
    env["device"] = opts.device
    env["tegula_cache_dir"] = os.environ["TEGULA_CACHE_DIR"]
    env["max_seconds"] = os.environ.get("TEGULA_AUTOTUNE_MAX_SECONDS", "60" if opts.effort == "quick" else "600")
    if opts.device == "cuda":
        import triton

        env["gpu"] = torch.cuda.get_device_name()
        env["triton"] = triton.__version__
        if not opts.no_helion:
            try:
                import helion

                env["helion"] = getattr(helion, "__version__", None) or _dist_version("helion")
            except ImportError as e:
                print(f"Helion is not installed ({e}); running without it", file=sys.stderr)
                opts.no_helion = True
    name = opts.name or f"autotune-{device_tag(opts.device)}-{opts.dtype}"
    todo = cases(opts)
    print(f"autotuning benchmark: {len(todo)} kernels on {env.get('gpu') or opts.device} ({opts.dtype}), "
          f"effort {opts.effort}; results to {opts.out}/{name}.json/.md", flush=True)
    rows: list[dict[str, Any]] = []
    for case, ex, shape in todo:
        print(f"== {case} {'x'.join(map(str, shape))}", flush=True)
        try:
            row = bench_case(case, ex, shape, opts, tmp)
        except Exception as e:  # noqa: BLE001 - e.g. the inputs do not fit: record it, go on
            traceback.print_exc()
            row = {"case": case, "example": ex.name, "shape": "x".join(map(str, shape)), "dtype": opts.dtype,
                   "bound": ex.bound, "errors": {"case": _error(e)}}
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "config_full"}, default=str), flush=True)
        s = summarize(rows, opts.device)
        markdown = render(rows, env, opts, s)
        write_results(opts.out, name, {"environment": env, "options": vars(opts), "rows": rows, "summary": s},
                      markdown)
    if not rows:
        print("no kernels selected", file=sys.stderr)
        return 1
    print(markdown, flush=True)
    return 0 if all(r.get("tuned_check") == "ok" and r.get("default_check") == "ok" for r in rows) else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.autotune", description=__doc__.split("\n\n")[0])
    cuda = torch.cuda.is_available()
    p.add_argument("--device", choices=["cuda", "cpu"], default="cuda" if cuda else "cpu")
    p.add_argument("--only", nargs="*", default=None,
                   help="kernels: benchmarks.gpu case names (softmax-4k) or example names (softmax)")
    p.add_argument("--dtype", default=None, choices=["float32", "bfloat16", "float16"],
                   help="default: bfloat16 on cuda, float32 on cpu")
    p.add_argument("--backend", default="triton", choices=["triton", "tileir", "auto"],
                   help="GPU: the backend Tegula runs on (auto: the autotuner chooses among those available)")
    p.add_argument("--effort", default="quick", choices=["quick", "full"], help="Tegula's autotuning effort")
    p.add_argument("--helion-effort", default="quick", choices=["none", "quick", "full"])
    p.add_argument("--no-helion", action="store_true")
    p.add_argument("--helion-configs", nargs="*", default=[], metavar="JSON",
                   help="results of an earlier run: Helion runs at the config it chose there for the same case "
                        "(no Helion tuning; its tuning columns stay empty)")
    p.add_argument("--graph-rounds", type=int, default=5,
                   help="GPU: tuned and Helion kernels are replayed from CUDA graphs in this many alternating "
                        "rounds (median)")
    p.add_argument("--cpu-shapes", choices=["bench", "demo"], default="bench",
                   help="CPU: the examples' benchmark shapes (as benchmarks.cpu) or their smaller demo shapes")
    p.add_argument("--no-compile", action="store_true", help="skip torch.compile (GPU)")
    p.add_argument("--rounds", type=int, default=3,
                   help="default, tuned and eager are timed in this many alternating rounds (median)")
    p.add_argument("--out", default="benchmarks/results")
    p.add_argument("--name", default=None, help="output file stem (default autotune-<device>-<dtype>)")
    opts = p.parse_args(argv)
    if opts.device == "cuda" and not cuda:
        p.error("--device cuda: no GPU here")
    opts.dtype = opts.dtype or ("bfloat16" if opts.device == "cuda" else "float32")
    opts.helion_fixed = {}
    for path in opts.helion_configs:
        from benchmarks.gpu import parse_helion_config

        for r in json.load(open(path))["rows"]:
            if r.get("helion_config"):
                opts.helion_fixed[r["case"]] = parse_helion_config(r["helion_config"])
    return run(opts)


if __name__ == "__main__":
    sys.exit(main())
