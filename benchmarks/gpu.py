"""GPU benchmark: Tegula (Triton backend) vs eager PyTorch, torch.compile and Helion, side by side.

    python -m benchmarks.gpu --out $OUT [--only softmax matmul] [--no-compile] [--no-helion] [--tileir]
    python -m benchmarks.gpu --warm I/N [same options]      # compile only, to fill the disk caches

Every competitor runs in this one process on the same inputs. Two timings per competitor:

- **whole calls**: ``triton.testing.do_bench`` (L2 flushed between repetitions, median), host code included;
- **kernels**: the call captured in a CUDA graph and replayed after an L2 flush (``graph_ms``), device time alone.

torch.compile uses ``mode="max-autotune-no-cudagraphs"``. Helion 1.2.0 runs the *same kernel source* (the
example, with ``tegula.language`` swapped for ``helion.language``), autotuned at ``--helion-effort`` (its
tuning time is recorded). Tegula runs a fixed small set of configs per kernel (its default and a few
neighbours) and reports the best by kernel time, with its config, so that the table measures the backend's
code rather than a search (``benchmarks/autotune.py`` measures the autotuner against Helion's). ``--tileir`` adds the tileir
backend, the best of its own default and neighbours (``--tileir default``: its default config alone): its
columns and its ratios to the Triton backend's.

Rooflines: bytes moved / the copy bandwidth measured in the same run (a 2 GiB device-to-device copy) for
memory-bound kernels; FLOPs / the cuBLAS bf16 peak measured in the same run for the others.

``--warm I/N`` compiles (one untimed call each) shard I of N of what a run would compile: Tegula's configs,
tileir's default and torch.compile's kernels (GEMMs excepted, so that max-autotune times its GEMM choices with
the GPU to itself). Run N of them in parallel before the timed run; it then finds Triton's, cuTile's and
Inductor's disk caches filled. Helion tunes in the timed run only.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import json
import math
import os
import sys
import textwrap
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable

import torch

from benchmarks.common import environment, geomean, markdown_table
from tegula.compiler.kernel import Kernel
from tegula.examples import Example, get



@dataclass
class Case:
    name: str
    example: str
    shape: tuple
    dtype: torch.dtype = torch.bfloat16


CASES = [
    Case("add", "add", (4096, 4096)),
    Case("gelu", "gelu", (4096, 4096)),
    Case("swiglu", "swiglu", (4096, 8192)),
    Case("geglu", "geglu", (4096, 8192)),
    Case("sum", "sum", (4096, 8192)),
    Case("softmax-1k", "softmax", (4096, 1024)),
    Case("softmax-4k", "softmax", (4096, 4096)),
    Case("softmax-16k", "softmax", (4096, 16384)),
    Case("softmax-32k", "softmax", (4096, 32768)),
    Case("layer_norm", "layer_norm", (4096, 8192)),
    Case("rms_norm", "rms_norm", (4096, 8192)),
    Case("cross_entropy-32k", "cross_entropy", (4096, 32768)),
    Case("cross_entropy-128k", "cross_entropy", (4096, 131072)),
    Case("matmul", "matmul", (4096, 4096, 4096)),
    Case("matmul_bias_relu", "matmul_bias_relu", (4096, 4096, 4096)),
    Case("attention-d64", "attention", (4, 32, 4096, 64)),
    Case("attention-d128", "attention", (4, 32, 4096, 128)),
    Case("attention_causal-d64", "attention_causal", (4, 32, 4096, 64)),
    Case("attention_causal-d128", "attention_causal", (4, 32, 4096, 128)),
]


def do_bench(fn: Callable[[], Any]) -> float:
    """Median milliseconds, L2 flushed between runs."""
    import triton.testing

    return float(triton.testing.do_bench(fn, warmup=25, rep=100, return_mode="median"))


def graph_ms(fn: Callable[[], Any], reps: int = 50) -> float | None:
    """Median milliseconds of ``fn``'s device work alone: ``fn`` captured once in a CUDA graph, each replay
    timed by CUDA events after an L2 flush. The graph replays the launches without the host code between
    them, so launcher overhead (which whole-call timing sees when it exceeds the flush) is left out. None
    where ``fn`` cannot be captured."""
    from tegula.compiler.autotune.timing import capture_graph, l2_flush_buffer

    flush = l2_flush_buffer()
    graph = capture_graph(fn)
    if graph is None:  # not capturable: no figure rather than a wrong one
        return None
    starts = [torch.cuda.Event(enable_timing=True) for _ in range(reps)]
    ends = [torch.cuda.Event(enable_timing=True) for _ in range(reps)]
    for a, b in zip(starts, ends):
        flush.zero_()
        a.record()
        graph.replay()
        b.record()
    torch.cuda.synchronize()
    times = sorted(a.elapsed_time(b) for a, b in zip(starts, ends))
    del graph
    return times[len(times) // 2]


def work(ex: Example, args: tuple, out: torch.Tensor) -> tuple[float, float]:
    """(bytes, flops) of one call."""
    nbytes = sum(a.numel() * a.element_size() for a in args if isinstance(a, torch.Tensor))
    nbytes += out.numel() * out.element_size()
    flops = 0.0
    if ex.name.startswith("matmul"):
        m, k = args[0].shape
        flops = 2.0 * m * args[1].shape[1] * k
    elif ex.name.startswith("attention"):
        b, h, s, d = args[0].shape
        flops = 4.0 * b * h * s * s * d * (0.5 if ex.name.endswith("causal") else 1.0)
    return nbytes, flops


def cublas_peak() -> float:
    a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    ms = do_bench(lambda: a @ b)
    return 2 * 8192 ** 3 / (ms * 1e-3)


# ------------------------------------------------------------ Tegula configs

def candidate_configs(kernel: Kernel, args: tuple, backend_name: str | None = None) -> list[dict[str, Any]]:
    """The backend's default config and a few neighbours, at most six: each block size doubled and halved, then
    the backend's warp knob (Triton: ``num_warps`` 4 or 8; tileir: 0 or 8 worker warps, occupancy doubled or
    halved). The same small fixed set for both GPU backends, so that neither column is searched harder."""
    recorded, spec = kernel.trace(*args)
    from tegula.compiler.frontend.device import compile_kernel
    from tegula.dialects.tile import new_context

    backend = kernel._named_backend(backend_name, spec) if backend_name else kernel.choose_backend(spec)
    with new_context():
        front = compile_kernel(kernel.host, recorded, spec)
        info = kernel.kernel_info(front, spec)
    base = backend.default_config(info)
    out = [base]
    sizes = base.get("block_sizes", [])
    for i, s in enumerate(sizes):
        if s is None:
            continue
        for factor in (2, 0.5):
            v = int(s * factor)
            if 1 <= v <= 4096:
                cfg = dict(base, block_sizes=[v if j == i else x for j, x in enumerate(sizes)])
                out.append(cfg)
    if "num_warps" in base:
        out += [dict(base, num_warps=w) for w in (4, 8) if w != base["num_warps"]]
    if "num_worker_warps" in base:
        out.append(dict(base, num_worker_warps=0 if base["num_worker_warps"] else 8))
    if base.get("occupancy"):
        occupancy = next(t for t in backend.tunables() if t.name == "occupancy")
        out += [dict(base, occupancy=o) for o in (base["occupancy"] * 2, base["occupancy"] // 2)
                if o >= 1 and occupancy.check(o) is None]
    seen, unique = set(), []
    for c in out:
        key = json.dumps(c, sort_keys=True)
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return unique[:6]


def bench_tegula(ex: Example, args: tuple, dtype: torch.dtype, backend: str | None = None,
                 limit: int = 6) -> dict[str, Any]:
    """The first ``limit`` of ``candidate_configs`` on ``backend`` (None: the device's), each timed both ways; the
    best is the fastest by kernel time (whole-call times of small kernels are mostly host code, the same for
    every config, and their noise would pick the config)."""
    results = []
    for cfg in candidate_configs(ex.kernel, args, backend)[:limit]:
        k = Kernel(ex.kernel.fn, config=cfg, backend=backend)
        gms = None
        try:
            t0 = time.perf_counter()
            out = k(*args)
            torch.cuda.synchronize()
            compile_s = time.perf_counter() - t0
            ok, msg = ex.check(out, args, dtype)
            ms = do_bench(lambda: k(*args)) if ok else None
            gms = graph_ms(lambda: k(*args)) if ok else None
        except Exception as e:  # noqa: BLE001 - a failing config is reported and skipped
            ok, msg, ms, compile_s = False, _first_line(e, 200), None, None
        results.append({"config": cfg, "ms": ms, "graph_ms": gms, "ok": ok, "message": msg, "compile_s": compile_s})
    timed = [r for r in results if r["ok"] and r["ms"] is not None]
    best = min(timed, key=lambda r: r["graph_ms"] or r["ms"]) if timed else None
    return {"best": best, "tried": results}


# ------------------------------------------------------------ Helion

def graph_rounds(fns: dict[str, Callable[[], Any]], rounds: int, reps: int = 100) -> dict[str, list[float]]:
    """``graph_ms`` of each callable, taken in turn in each of ``rounds`` rounds (so all see the same clocks and
    neighbours); per name the figures of the rounds where it could be captured."""
    samples: dict[str, list[float]] = {key: [] for key in fns}
    for _ in range(rounds):
        for key, fn in fns.items():
            t = graph_ms(fn, reps=reps)
            if t is not None:
                samples[key].append(t)
    return samples


class _StripBlockSizes(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        node.keywords = [k for k in node.keywords if k.arg != "block_size"]
        return node


HELION_HEADER = """\
import math

import torch
import torch.nn.functional as F

import helion.language as hl
"""


class _RenameTl(ast.NodeTransformer):
    """Helion reserves the name ``tl``: the kernel's ``tl.`` becomes ``hl.``."""

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.copy_location(ast.Name("hl", node.ctx), node) if node.id == "tl" else node


def helion_kernel(ex: Example, effort: str) -> Any:
    """The example's kernel source compiled by Helion (tl -> hl); block sizes left to Helion's tuner.

    Helion reads a kernel's source with ``inspect``, so the rewritten function goes to a real file."""
    import importlib.util
    import tempfile

    import helion

    fn = ex.kernel.fn
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    tree.body[0].decorator_list = []
    tree = ast.fix_missing_locations(_RenameTl().visit(_StripBlockSizes().visit(tree)))
    folder = os.path.join(tempfile.gettempdir(), "tegula-helion")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"helion_{ex.name}.py")
    with open(path, "w") as f:
        f.write(HELION_HEADER + "\n\n" + ast.unparse(tree) + "\n")
    spec = importlib.util.spec_from_file_location(f"tegula_helion_{ex.name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # Helion looks the kernel's module up by name
    spec.loader.exec_module(module)
    return helion.kernel(getattr(module, fn.__name__), autotune_effort=effort)


def parse_helion_config(text: str) -> dict[str, Any]:
    """``Config(a=1, b=[2])`` as Helion prints it (``helion_config`` in the results) -> ``{"a": 1, "b": [2]}``."""
    call = ast.parse(text.strip(), mode="eval").body
    if not isinstance(call, ast.Call):
        raise ValueError(f"not a Helion config: {text[:80]}")
    return {k.arg: ast.literal_eval(k.value) for k in call.keywords}


def helion_fixed(ex: Example, config: dict[str, Any]) -> Any:
    """The example's kernel compiled by Helion at ``config`` (no tuning)."""
    import helion

    return helion.kernel(helion_kernel(ex, "none").fn, config=helion.Config(**config))


def helion_config(k: Any, args: tuple) -> str | None:
    """The config Helion's tuner settled on, as Helion prints it (None where this Helion does not say)."""
    try:
        config = getattr(k.bind(args), "_config", None)
        return str(config) if config is not None else None
    except Exception:  # noqa: BLE001 - a report, never a failure of the benchmark
        return None


def bench_helion(ex: Example, args: tuple, dtype: torch.dtype, effort: str,
                 config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Helion tuning the example at ``effort`` (or at a fixed ``config``: no tuning), its time and output check;
    ``fn`` is the call, for timing beside others."""
    try:
        k = helion_kernel(ex, effort) if config is None else helion_fixed(ex, config)
        t0 = time.perf_counter()
        out = k(*args)
        torch.cuda.synchronize()
        tune_s = time.perf_counter() - t0
        ok, msg = ex.check(out, args, dtype)
        return {"ms": do_bench(lambda: k(*args)), "graph_ms": graph_ms(lambda: k(*args)) if ok else None,
                "tune_s": tune_s if config is None else None, "ok": ok, "message": msg,
                "config": helion_config(k, args), "fn": lambda: k(*args)}
    except Exception as e:  # noqa: BLE001 - Helion may not support a construct; report it
        return {"ms": None, "ok": False, "message": f"{type(e).__name__}: {e}".splitlines()[0][:300]}


def bench_compile(ex: Example, args: tuple) -> dict[str, Any]:
    try:
        fn = compiled_reference(ex)
        t0 = time.perf_counter()
        fn(*args)
        torch.cuda.synchronize()
        compile_s = time.perf_counter() - t0
        return {"ms": do_bench(lambda: fn(*args)), "graph_ms": graph_ms(lambda: fn(*args)), "compile_s": compile_s}
    except Exception as e:  # noqa: BLE001
        return {"ms": None, "message": f"{type(e).__name__}: {e}".splitlines()[0][:300]}


def launch_overhead() -> dict[str, float]:
    """Host microseconds per call of a cached tiny kernel (16 elements), vs eager's torch.add."""
    from tegula.examples.add import add

    x = torch.randn(16, device="cuda")
    out = {}
    for name, fn in (("tegula_us", lambda: add(x, x)), ("eager_us", lambda: torch.add(x, x))):
        for _ in range(20):
            fn()
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(2000):
            fn()
        out[name] = (time.perf_counter() - t0) / 2000 * 1e6
        torch.cuda.synchronize()
    return out


# ------------------------------------------------------------ main

def copy_bandwidth() -> float:
    """Bytes per second of a 2 GiB device-to-device copy (read plus write): the memory roofline's bandwidth."""
    x = torch.empty(2 ** 30, dtype=torch.bfloat16, device="cuda")
    y = torch.empty_like(x)
    ms = do_bench(lambda: y.copy_(x))
    nbytes = 2 * x.numel() * x.element_size()
    del x, y
    return nbytes / (ms * 1e-3)


def selected(opts: argparse.Namespace) -> list[Case]:
    return [c for c in CASES if not opts.only or c.name in opts.only or c.example in opts.only]


def _first_line(e: BaseException, n: int = 300) -> str:
    return f"{type(e).__name__}: {e}".splitlines()[0][:n]


def warm(opts: argparse.Namespace) -> int:
    """Compiles shard ``i/n`` of what a timed run compiles (untimed, one call each): see the module docstring."""
    i, n = (int(x) for x in opts.warm.split("/"))
    job = 0
    for case in selected(opts):
        ex = get(case.example)
        args = ex.inputs(case.shape, case.dtype, "cuda")
        jobs: list[tuple[str, Callable[[], Any]]] = [
            (f"triton {cfg}", lambda cfg=cfg: Kernel(ex.kernel.fn, config=cfg)(*args))
            for cfg in candidate_configs(ex.kernel, args)]
        if opts.tileir:
            try:
                tileir = candidate_configs(ex.kernel, args, "tileir")[:1 if opts.tileir == "default" else 6]
            except Exception as e:  # noqa: BLE001 - the timed run reports it
                print(f"warm {case.name} tileir: {_first_line(e, 200)}", flush=True)
                tileir = []
            jobs += [(f"tileir {cfg}", lambda cfg=cfg: Kernel(ex.kernel.fn, config=cfg, backend="tileir")(*args))
                     for cfg in tileir]
        if not opts.no_compile and not ex.name.startswith("matmul"):
            jobs.append(("torch.compile", lambda: compiled_reference(ex)(*args)))
        for what, fn in jobs:
            job += 1
            if job % n != i:
                continue
            t0 = time.perf_counter()
            try:
                fn()
                torch.cuda.synchronize()
                print(f"warm {case.name} {what}: {time.perf_counter() - t0:.1f} s", flush=True)
            except Exception as e:  # noqa: BLE001 - the timed run reports it
                print(f"warm {case.name} {what}: {_first_line(e, 200)}", flush=True)
    return 0


def compiled_reference(ex: Example) -> Callable[..., Any]:
    torch._dynamo.reset()
    return torch.compile(ex.reference, mode="max-autotune-no-cudagraphs")


def _best_columns(prefix: str, result: dict[str, Any]) -> dict[str, Any]:
    """A ``bench_tegula`` result as row columns: ``<prefix>_ms``, ``_graph_ms``, ``_config``, ``_note`` (why
    nothing ran) and ``_configs_tried`` (the Triton column's keeps its old name, ``configs_tried``)."""
    best = result["best"]
    return {f"{prefix}_ms": best["ms"] if best else None, f"{prefix}_graph_ms": best.get("graph_ms") if best else None,
            f"{prefix}_config": best["config"] if best else None,
            f"{prefix}_note": None if best else result["tried"][0]["message"],
            "configs_tried" if prefix == "tegula" else f"{prefix}_configs_tried": result["tried"]}


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def run(opts: argparse.Namespace) -> int:
    if opts.warm:
        return warm(opts)
    torch.manual_seed(0)
    env = environment()
    env["gpu"] = torch.cuda.get_device_name()
    peak = cublas_peak()
    env["cublas_bf16_peak_tflops"] = peak / 1e12
    bandwidth = copy_bandwidth()
    env["copy_bandwidth_tbps"] = bandwidth / 1e12
    print(f"{env['gpu']}: cuBLAS bf16 peak {peak / 1e12:.0f} TFLOP/s, copy {bandwidth / 1e12:.2f} TB/s", flush=True)
    env["launch_overhead"] = launch_overhead()
    print(f"launch overhead (cached tiny kernel): {env['launch_overhead']}", flush=True)
    rows = []
    for case in selected(opts):
        ex = get(case.example)
        args = ex.inputs(case.shape, case.dtype, "cuda")
        t0 = time.perf_counter()
        row: dict[str, Any] = {"case": case.name, "shape": "x".join(map(str, case.shape)),
                               "dtype": str(case.dtype).removeprefix("torch.")}
        try:
            teg = bench_tegula(ex, args, case.dtype)
            out = ex.reference(*args)
            nbytes, flops = work(ex, args, out)
            roof_ms = (flops / peak if flops else nbytes / bandwidth) * 1e3
            row["eager_ms"] = do_bench(lambda: ex.reference(*args))
            row["eager_graph_ms"] = graph_ms(lambda: ex.reference(*args))
            if not opts.no_compile:
                comp = bench_compile(ex, args)
                row["compile_ms"], row["compile_graph_ms"] = comp["ms"], comp.get("graph_ms")
                row["compile_note"] = comp.get("message")
            if opts.tileir:
                try:
                    til = bench_tegula(ex, args, case.dtype, "tileir", limit=1 if opts.tileir == "default" else 6)
                except Exception as e:  # noqa: BLE001 - e.g. the backend unavailable: reported in the row
                    til = {"best": None, "tried": [{"message": _first_line(e)}]}
                row.update(_best_columns("tileir", til))
            if not opts.no_helion:
                hel = bench_helion(ex, args, case.dtype, opts.helion_effort)
                row["helion_ms"] = hel["ms"] if hel["ok"] else None
                row["helion_graph_ms"] = hel.get("graph_ms") if hel["ok"] else None
                row["helion_tune_s"] = hel.get("tune_s")
                row["helion_note"] = None if hel["ok"] else hel["message"]
                row["helion_config"] = hel.get("config")
            best = teg["best"]
            row.update(_best_columns("tegula", teg))
            row["roofline_ms"] = roof_ms
            if best:
                ms, gms = best["ms"], row["tegula_graph_ms"]
                row["vs_eager"] = _ratio(row["eager_ms"], ms)
                row["vs_compile"] = _ratio(row.get("compile_ms"), ms)
                row["vs_helion"] = _ratio(row.get("helion_ms"), ms)
                row["kernel_vs_eager"] = _ratio(row["eager_graph_ms"], gms)
                row["kernel_vs_compile"] = _ratio(row.get("compile_graph_ms"), gms)
                row["kernel_vs_helion"] = _ratio(row.get("helion_graph_ms"), gms)
                row["pct_roofline"] = 100 * roof_ms / (gms or ms)
                row["tileir_vs_triton"] = _ratio(ms, row.get("tileir_ms"))
                row["tileir_vs_triton_kernel"] = _ratio(gms, row.get("tileir_graph_ms"))
                row["tflops" if flops else "tbps"] = (flops if flops else nbytes) / ((gms or ms) * 1e-3) / 1e12
        except Exception as e:  # noqa: BLE001 - one broken case must not lose the others
            row["error"] = _first_line(e, 1000)
            traceback.print_exc()
        row["wall_s"] = time.perf_counter() - t0
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if not k.endswith("configs_tried")}, default=str), flush=True)
        if opts.out:
            os.makedirs(opts.out, exist_ok=True)
            with open(os.path.join(opts.out, f"gpu-{opts.tag}.json"), "w") as f:
                json.dump({"environment": env, "rows": rows}, f, indent=1, default=str)
    summarize(rows, env, opts)
    return 0


WHOLE_CALL_COLUMNS = [("case", "kernel"), ("shape", "shape"), ("tegula_ms", "Tegula ms"), ("tileir_ms", "TileIR ms"),
                      ("eager_ms", "eager ms"), ("compile_ms", "torch.compile ms"), ("helion_ms", "Helion ms"),
                      ("vs_eager", "vs eager"), ("vs_compile", "vs compile"), ("vs_helion", "vs Helion"),
                      ("tileir_vs_triton", "TileIR vs Triton")]
KERNEL_COLUMNS = [("case", "kernel"), ("tegula_graph_ms", "Tegula ms"), ("tileir_graph_ms", "TileIR ms"),
                  ("eager_graph_ms", "eager ms"), ("compile_graph_ms", "torch.compile ms"),
                  ("helion_graph_ms", "Helion ms"), ("kernel_vs_eager", "vs eager"),
                  ("kernel_vs_compile", "vs compile"), ("kernel_vs_helion", "vs Helion"),
                  ("tileir_vs_triton_kernel", "TileIR vs Triton"), ("pct_roofline", "% roofline"),
                  ("tflops", "TFLOP/s"), ("tbps", "TB/s")]


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Geomeans of the table's ratios (Tegula is the Triton backend; above 1: Tegula faster)."""
    ok = [r for r in rows if r.get("tegula_ms")]

    def g(key: str, subset: list[dict[str, Any]] = ok) -> float | None:
        vals = [r[key] for r in subset if r.get(key)]
        return geomean(vals) if vals else None

    def better(ms: str, eager: str, comp: str) -> list[float]:
        return [min(r[eager], r.get(comp) or math.inf) / r[ms] for r in ok if r.get(ms) and r.get(eager)]

    memory = [r for r in ok if "tbps" in r]
    out: dict[str, Any] = {
        "cases": len(rows), "cases_run": len(ok),
        "whole_calls_geomean_vs_better_of_eager_and_compile": geomean(better("tegula_ms", "eager_ms", "compile_ms")),
        "whole_calls_geomean_vs_helion": g("vs_helion"),
        "kernels_geomean_vs_better_of_eager_and_compile":
            geomean(better("tegula_graph_ms", "eager_graph_ms", "compile_graph_ms")),
        "kernels_geomean_vs_helion": g("kernel_vs_helion"),
        "memory_bound_median_pct_roofline":
            sorted(r["pct_roofline"] for r in memory)[len(memory) // 2] if memory else None,
    }
    if any("tileir_ms" in r for r in rows):
        compute = [r for r in ok if "tflops" in r]
        out["tileir_vs_triton_whole_calls_geomean_memory_bound"] = g("tileir_vs_triton", memory)
        out["tileir_vs_triton_whole_calls_geomean_compute_bound"] = g("tileir_vs_triton", compute)
        out["tileir_vs_triton_kernels_geomean_memory_bound"] = g("tileir_vs_triton_kernel", memory)
        out["tileir_vs_triton_kernels_geomean_compute_bound"] = g("tileir_vs_triton_kernel", compute)
        out["tileir_failures"] = {r["case"]: r["tileir_note"] for r in rows if r.get("tileir_note")}
    return out


def tables(rows: list[dict[str, Any]]) -> str:
    """The markdown of a run: whole calls, kernels, the summary and what failed."""
    tileir = any("tileir_ms" in r for r in rows)
    drop = set() if tileir else {"tileir_ms", "tileir_vs_triton", "tileir_graph_ms", "tileir_vs_triton_kernel"}
    md = "Whole calls (`do_bench`, host code included):\n\n"
    md += markdown_table(rows, [c for c in WHOLE_CALL_COLUMNS if c[0] not in drop])
    md += "\n\nKernels (CUDA-graph replay after an L2 flush; % roofline and TB/s or TFLOP/s from these):\n\n"
    md += markdown_table(rows, [c for c in KERNEL_COLUMNS if c[0] not in drop]) + "\n\n"
    for k, v in summary(rows).items():
        if k != "tileir_failures":
            md += f"- {k}: {v:.3g}\n" if isinstance(v, float) else f"- {k}: {v}\n"
    notes = [(r["case"], who, r.get(key)) for r in rows
             for who, key in (("Tegula", "tegula_note"), ("TileIR", "tileir_note"), ("torch.compile", "compile_note"),
                              ("Helion", "helion_note"), ("run", "error")) if r.get(key)]
    if notes:
        md += "\nFailures:\n\n" + "".join(f"- {case}: {who}: {msg}\n" for case, who, msg in notes)
    return md


def summarize(rows: list[dict[str, Any]], env: dict[str, Any], opts: argparse.Namespace) -> str:
    md = tables(rows)
    print(md)
    if opts.out:
        with open(os.path.join(opts.out, f"gpu-{opts.tag}.md"), "w") as f:
            f.write(f"# GPU benchmark ({env.get('gpu')})\n\n{md}")
    return md


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.gpu", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=None)
    p.add_argument("--tag", default="run", help="suffix of the output files")
    p.add_argument("--only", nargs="*", default=None, help="case or example names")
    p.add_argument("--no-compile", action="store_true")
    p.add_argument("--no-helion", action="store_true")
    p.add_argument("--helion-effort", default="quick", choices=["none", "quick", "full"])
    p.add_argument("--tileir", nargs="?", const="neighbours", choices=["default", "neighbours"],
                   help="add a TileIR column: the tileir backend at its default config, or (the default) the best of "
                        "its default and neighbours, like the Triton column")
    p.add_argument("--warm", metavar="I/N", help="only compile shard I of N (fills the disk caches; no timing)")
    return run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
