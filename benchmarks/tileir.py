"""GPU benchmark: the tileir backend (CUDA Tile IR via cuTile) vs the Triton backend, eager PyTorch and cuBLAS.

    python -m benchmarks.tileir --out $OUT [--only softmax-4k matmul] [--sweep]

The cases are ``benchmarks.gpu.CASES`` (bf16). Per case, in this one process on the same inputs: eager
PyTorch, Tegula on the Triton backend and Tegula on the tileir backend, each with its backend's default config
(no tuning on either side), every output checked against torch. Each run is timed twice: as whole calls with
``triton.testing.do_bench`` (L2 flushed, median), and as kernels, the call captured in a CUDA graph and
replayed after an L2 flush (``benchmarks.gpu.graph_ms``: device time without the host code). ``--sweep``
also tries, on both backends, a few neighbours of the default (block sizes x2 and /2, and the tileir hints);
each backend keeps its fastest kernel. The two winners, eager PyTorch and (for GEMMs) cuBLAS are then
re-timed in alternation as whole calls, three rounds, fastest median each, and once more as kernels.
Matmul cases report the tileir kernel's share of cuBLAS (``torch.matmul``). TileIR vs Triton is
``triton_ms / tileir_ms`` (above 1: TileIR faster), for whole calls and for kernels; the summary gives their
geomeans over the memory-bound and the compute-bound cases.
``--variants`` adds TileIR config overrides to try on every case (or, with a ``"cases"`` list of name
prefixes, on those); ``--warm I/N`` only compiles shard I of N of what a run would time, so that processes
in parallel fill the compile caches first; ``--tune S`` adds each backend's autotuner
(quick effort, at most S seconds per case) to the candidates.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from typing import Any

import torch

from benchmarks.common import environment, geomean, markdown_table, write_results
from benchmarks.gpu import CASES, do_bench, graph_ms
from tegula.compiler.kernel import Kernel
from tegula.examples import get

#: tile shapes worth trying on a bf16 GEMM (M x N x K tiles), with tileiras's own choices of occupancy and clusters
GEMM_SWEEP = [
    {"block_sizes": [128, 128, 64]}, {"block_sizes": [128, 256, 64]}, {"block_sizes": [256, 128, 64]},
    {"block_sizes": [128, 128, 64], "l2_groupings": [8]}, {"block_sizes": [128, 256, 64], "l2_groupings": [8]},
    {"block_sizes": [256, 128, 64], "l2_groupings": [8], "occupancy": 1},
    {"block_sizes": [128, 256, 64], "l2_groupings": [8], "num_ctas": 2},
]


def _neighbours(kernel: Kernel, args: tuple, backend: str) -> list[dict[str, Any]]:
    from tegula.compiler.backend import get_backend
    from tegula.compiler.frontend.device import compile_kernel
    from tegula.dialects.tile import new_context

    recorded, spec = kernel.trace(*args)
    b = get_backend(backend)
    with new_context():
        info = kernel.kernel_info(compile_kernel(kernel.host, recorded, spec), spec)
    base = b.default_config(info)
    sizes = base.get("block_sizes") or []
    out = []
    for i, s in enumerate(sizes):
        for v in ((s * 2, s // 2) if s else ()):
            if 1 <= v <= 4096:
                out.append({"block_sizes": [v if j == i else x for j, x in enumerate(sizes)]})
    if backend == "tileir":
        out += [{"occupancy": 2}, {"load_latency": 8}]
    else:
        out += [{"num_warps": w} for w in (4, 8) if w != base.get("num_warps")]
    return out


def _run(ex: Any, args: tuple, backend: str, config: dict[str, Any] | None) -> dict[str, Any]:
    k = Kernel(ex.kernel.fn, backend=backend, effort="none", config=config or None)
    t0 = time.perf_counter()
    try:
        out = k(*args)
        torch.cuda.synchronize()
        compile_s = time.perf_counter() - t0
        ok, msg = ex.check(out, args, torch.bfloat16)
        ms = do_bench(lambda: k(*args)) if ok else None
        kernel_ms = graph_ms(lambda: k(*args)) if ok else None
    except Exception as e:  # noqa: BLE001 - a failing backend or config is reported, not fatal
        return {"config": config, "ok": False, "ms": None, "kernel_ms": None,
                "message": f"{type(e).__name__}: {e}"[:400]}
    used = k.compiled()[-1].config if k.compiled() else config
    return {"config": {kk: v for kk, v in (used or {}).items() if kk in ("block_sizes", "reduction_loops",
                       "num_warps", "occupancy", "num_ctas", "num_worker_warps", "load_latency", "tma", "l2_groupings",
                       "persistent", "access", "unit_dims")},
            "ok": ok, "ms": ms, "kernel_ms": kernel_ms, "message": msg, "compile_s": round(compile_s, 2),
            "_call": lambda: k(*args)}


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest correct run by device time (graph replay; whole-call time where that is missing)."""
    good = [r for r in runs if r["ok"] and r["ms"] is not None]
    return min(good, key=lambda r: r.get("kernel_ms") or r["ms"]) if good else runs[0]


def _tuned(ex: Any, args: tuple, backend: str, seconds: float) -> dict[str, Any]:
    """The autotuner's quick search on one backend, capped at ``seconds``: the tuned call's time and config."""
    os.environ["TEGULA_AUTOTUNE_MAX_SECONDS"] = str(seconds)
    k = Kernel(ex.kernel.fn, backend=backend, effort="quick")
    t0 = time.perf_counter()
    try:
        out = k(*args)
        torch.cuda.synchronize()
        ok, msg = ex.check(out, args, torch.bfloat16)
        ms = do_bench(lambda: k(*args)) if ok else None
        kernel_ms = graph_ms(lambda: k(*args)) if ok else None
    except Exception as e:  # noqa: BLE001 - reported, not fatal
        return {"config": None, "ok": False, "ms": None, "kernel_ms": None,
                "message": f"{type(e).__name__}: {e}"[:400]}
    t = k.last_tuning
    return {"config": t.config if t else None, "ok": ok, "ms": ms, "kernel_ms": kernel_ms, "message": msg,
            "tune_s": round(time.perf_counter() - t0, 1), "tried": len(t.candidates) if t else 0,
            "_call": lambda: k(*args)}


def _alternate(calls: dict[str, Any], rounds: int = 3) -> dict[str, float]:
    """Each backend's best re-timed in alternation (A B A B ...), the fastest median of each: a slow spell of
    the machine then hits both rather than one."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            times[name].append(do_bench(call))
    return {name: min(ts) for name, ts in times.items()}


def _configs(case: Any, ex: Any, args: tuple, backend: str, sweep: bool, variants: list[dict[str, Any]],
             gemm_sweep: bool) -> list[dict[str, Any] | None]:
    """The configs a case tries on a backend: its default (None) first."""
    configs: list[dict[str, Any] | None] = [None]
    if sweep:
        configs += _neighbours(ex.kernel, args, backend)
    if backend == "tileir" and case.example.startswith("matmul") and gemm_sweep:
        configs += GEMM_SWEEP
    if backend == "tileir":  # a variant with "cases" (name prefixes) applies to those cases only
        configs += [{k: v for k, v in var.items() if k != "cases"} for var in variants
                    if not var.get("cases") or any(case.name.startswith(c) for c in var["cases"])]
    return configs


def warm(cases: list[Any], shard: str, sweep: bool, variants: list[dict[str, Any]], gemm_sweep: bool) -> None:
    """Compiles (one call, untimed) shard ``i/n`` of every (case, backend, config) a run would time, so that
    parallel processes fill cuTile's and Triton's disk caches before the timed run, which compiles in turn."""
    i, n = (int(x) for x in shard.split("/"))
    job = 0
    for case in cases:
        ex = get(case.example)
        args = ex.inputs(case.shape, case.dtype, "cuda")
        for backend in ("triton", "tileir"):
            for config in _configs(case, ex, args, backend, sweep, variants, gemm_sweep):
                job += 1
                if job % n != i:
                    continue
                t0 = time.perf_counter()
                try:
                    Kernel(ex.kernel.fn, backend=backend, effort="none", config=config or None)(*args)
                    torch.cuda.synchronize()
                    print(f"warm {case.name} {backend} {config}: {time.perf_counter() - t0:.1f} s", flush=True)
                except Exception as e:  # noqa: BLE001 - the timed run reports it
                    print(f"warm {case.name} {backend} {config}: {type(e).__name__}: {str(e)[:200]}", flush=True)


def bench_case(case: Any, sweep: bool, variants: list[dict[str, Any]], tune: float,
               gemm_sweep: bool = True) -> dict[str, Any]:
    ex = get(case.example)
    args = ex.inputs(case.shape, case.dtype, "cuda")
    row: dict[str, Any] = {"case": case.name, "shape": "x".join(map(str, case.shape)), "bound": ex.bound}
    row["eager_ms"] = do_bench(lambda: ex.reference(*args))
    finalists: dict[str, Any] = {}
    for backend in ("triton", "tileir"):
        configs = _configs(case, ex, args, backend, sweep, variants, gemm_sweep)
        runs = [_run(ex, args, backend, c) for c in configs]
        for c, r in zip(configs[1:], runs[1:]):
            print(f"  {case.name} {backend} {c}: {r['ms']} ms, kernel {r.get('kernel_ms')} ms "
                  f"{'' if r['ok'] else r['message'][:150]}", flush=True)
        if tune:
            runs.append(dict(_tuned(ex, args, backend, tune), tuned=True))
            print(f"  {case.name} {backend} tuned: {runs[-1]['ms']} ms {runs[-1]['config']}", flush=True)
        best = _best(runs)
        finalists[backend] = best.get("_call") if best["ok"] else None
        for r in runs:
            r.pop("_call", None)
        row[f"{backend}_ms"] = best["ms"]
        row[f"{backend}_default_ms"] = runs[0]["ms"]
        row[f"{backend}_default_kernel_ms"] = runs[0].get("kernel_ms")
        row[f"{backend}_config"] = best["config"]
        row[f"{backend}_ok"] = best["ok"]
        row[f"{backend}_message"] = best["message"] if not best["ok"] else ""
        row[f"{backend}_tried"] = runs
    if all(finalists.values()):
        finalists["eager"] = lambda: ex.reference(*args)
        if case.example.startswith("matmul"):
            a, b = args[0], args[1]
            finalists["cublas"] = lambda: a @ b
        row.update({f"{b}_ms": ms for b, ms in _alternate(finalists).items()})
        row.update({f"{b}_kernel_ms": graph_ms(call) for b, call in finalists.items()})
    if row["tileir_ms"] and row["triton_ms"]:
        row["tileir_vs_triton"] = row["triton_ms"] / row["tileir_ms"]
    if row.get("tileir_kernel_ms") and row.get("triton_kernel_ms"):
        row["tileir_vs_triton_kernel"] = row["triton_kernel_ms"] / row["tileir_kernel_ms"]
    if case.example.startswith("matmul"):
        if "cublas_ms" not in row:
            a, b = args[0], args[1]
            row["cublas_ms"] = do_bench(lambda: a @ b)
        if row["tileir_ms"]:
            row["tileir_of_cublas"] = row["cublas_ms"] / row["tileir_ms"]
        if row.get("tileir_kernel_ms") and row.get("cublas_kernel_ms"):
            row["tileir_of_cublas_kernel"] = row["cublas_kernel_ms"] / row["tileir_kernel_ms"]
        if row["triton_ms"]:
            row["triton_of_cublas"] = row["cublas_ms"] / row["triton_ms"]
    return row


def summarize(rows: list[dict[str, Any]], env: dict[str, Any]) -> str:
    def ratios(key: str, memory: bool) -> list[float]:
        return [r[key] for r in rows if r.get(key) and (r["bound"] == "memory") == memory]

    table = markdown_table(rows, [("case", "case"), ("shape", "shape"), ("eager_ms", "eager ms"),
                                  ("triton_ms", "Triton ms"), ("tileir_ms", "TileIR ms"),
                                  ("tileir_vs_triton", "TileIR vs Triton"),
                                  ("triton_kernel_ms", "Triton kernel ms"), ("tileir_kernel_ms", "TileIR kernel ms"),
                                  ("tileir_vs_triton_kernel", "TileIR vs Triton, kernels"),
                                  ("tileir_of_cublas", "TileIR / cuBLAS"),
                                  ("tileir_of_cublas_kernel", "TileIR / cuBLAS, kernels"),
                                  ("tileir_config", "TileIR config"), ("tileir_message", "TileIR failure")])
    geo = []
    for key, what in (("tileir_vs_triton", "whole calls"), ("tileir_vs_triton_kernel", "kernels (graph replay)")):
        for memory, bound in ((True, "memory-bound"), (False, "compute-bound")):
            vals = ratios(key, memory)
            if vals:
                geo.append(f"- geomean TileIR vs Triton, {bound}, {what}: {geomean(vals):.3f} over {len(vals)} cases")
    lines = [f"# TileIR vs Triton ({env.get('device', '?')}, bf16)", "",
             f"{env.get('date', '')}; torch {env.get('torch')}, triton {env.get('triton')}, cuda-tile "
             f"{env.get('cuda_tile')}; each backend's best of: its default config"
             f"{', a small sweep' if env.get('sweep') else ''}"
             f"{', TileIR variants ' + str(env.get('variants')) if env.get('variants', '[]') != '[]' else ''}"
             f"{', its autotuner (quick, at most %g s)' % env['tune_s'] if env.get('tune_s') else ''}.",
             "", ("Whole calls: `do_bench` medians, re-timed in alternation. Kernels: the same call captured in a CUDA "
                  "graph and replayed after an L2 flush (device time without the host code)."), "", table, "",
             *(geo or ["- no case ran on both backends"])]
    return "\n".join(x for x in lines if x is not None) + "\n"


def plot(json_path: str, png: str) -> None:
    """Bars of TileIR vs Triton per case from a results JSON (log scale; above 1: TileIR faster): kernels
    (graph replay) and whole calls side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in json.load(open(json_path))["rows"] if r.get("tileir_vs_triton")]
    fig, ax = plt.subplots(figsize=(max(8, len(rows) * 0.7), 4.5))
    xs = range(len(rows))
    ax.bar([x - 0.2 for x in xs], [r.get("tileir_vs_triton_kernel") or 0 for r in rows], width=0.4,
           color=["tab:blue" if r["bound"] == "memory" else "tab:orange" for r in rows], label="kernels (graph replay)")
    ax.bar([x + 0.2 for x in xs], [r["tileir_vs_triton"] for r in rows], width=0.4, color="lightgray",
           edgecolor="gray", label="whole calls")
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_yscale("log")
    ax.set_xticks(list(xs), [r["case"] for r in rows], rotation=60, ha="right")
    ax.set_ylabel("TileIR vs Triton (Triton ms / TileIR ms)")
    ax.set_title("Tegula tileir vs Triton backend, default configs (kernels: blue memory-bound, orange compute-bound)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(png, dpi=120)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default="benchmarks/results")
    p.add_argument("--name", default="tileir", help="results file stem")
    p.add_argument("--only", nargs="*", default=None, help="case names (benchmarks.gpu.CASES)")
    p.add_argument("--sweep", action="store_true", help="also try a few neighbours of each default config")
    p.add_argument("--variants", default="[]", help="JSON list of tileir config overrides to try on every case")
    p.add_argument("--tune", type=float, default=0.0,
                   help="also tune each backend (effort quick) for at most this many seconds per case")
    p.add_argument("--no-gemm-sweep", action="store_true", help="GEMM cases: the default tile only")
    p.add_argument("--warm", metavar="I/N", help="only compile shard I of N of the configs (fills the caches)")
    p.add_argument("--plot", metavar="JSON", help="only plot a results JSON to --png (no GPU needed)")
    p.add_argument("--png", help="where --plot writes")
    opts = p.parse_args(argv)
    if opts.plot:
        plot(opts.plot, opts.png or opts.plot.removesuffix(".json") + ".png")
        return 0
    if not torch.cuda.is_available():
        print("benchmarks.tileir needs a CUDA GPU", file=sys.stderr)
        return 2
    from tegula.backends.tileir import TileIRBackend

    ok, why = TileIRBackend.available()
    if not ok:
        print(f"the tileir backend is unavailable here: {why}", file=sys.stderr)
        return 2
    import cuda.tile
    import triton

    env = dict(environment(), device=torch.cuda.get_device_name(), triton=triton.__version__,
               cuda_tile=getattr(cuda.tile, "__version__", "?"), sweep=opts.sweep, tune_s=opts.tune,
               variants=opts.variants)
    cases = [c for c in CASES if not opts.only or c.name in opts.only]
    if opts.warm:
        warm(cases, opts.warm, opts.sweep, json.loads(opts.variants), not opts.no_gemm_sweep)
        return 0
    rows = []
    for case in cases:
        t0 = time.perf_counter()
        try:
            row = bench_case(case, opts.sweep, json.loads(opts.variants), opts.tune, not opts.no_gemm_sweep)
        except Exception as e:  # noqa: BLE001 - one broken case must not lose the others
            traceback.print_exc()
            row = {"case": case.name, "bound": "?", "tileir_message": f"{type(e).__name__}: {e}"[:300]}
        row["seconds"] = round(time.perf_counter() - t0, 1)
        rows.append(row)
        print(f"{case.name}: triton {row.get('triton_ms')} ms, tileir {row.get('tileir_ms')} ms "
              f"({row.get('tileir_vs_triton')}) {row.get('tileir_message', '')[:200]} [{row['seconds']} s]",
              flush=True)
        md = summarize(rows, env)
        write_results(opts.out, opts.name, {"env": env, "rows": rows}, md)
    print(summarize(rows, env))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TEGULA_AUTOTUNE_EFFORT", "none")
    raise SystemExit(main())
