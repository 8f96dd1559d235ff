"""CPU benchmark: every example at its benchmark shape, Tegula vs eager PyTorch vs torch.compile.

    python -m benchmarks.cpu [--out benchmarks/results] [--only softmax matmul] [--no-compile]

All three run side by side in one process on the same inputs (float32, the
default number of torch threads); the table gives median times, the ratios
eager/Tegula and torch.compile/Tegula (above 1: Tegula is faster), and the
achieved bandwidth (memory-bound kernels) or FLOP rate (matmuls).
"""

from __future__ import annotations

import argparse
import math
import sys

import torch

from benchmarks.common import environment, geomean, markdown_table, median_time, write_results
from tegula.compiler.kernel import Kernel
from tegula.examples import Example, all_examples


#: the GPU-sized attention shapes would take hours on 2 cores
CPU_SHAPES = {"attention": (1, 8, 1024, 64), "attention_causal": (1, 8, 1024, 64)}


def traffic(ex: Example, args: tuple, out: torch.Tensor) -> tuple[float, float]:
    """(bytes moved, flops) of one call, for bandwidth and FLOP-rate columns."""
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


def run(opts: argparse.Namespace) -> int:
    dtype = getattr(torch, opts.dtype)
    rows = []
    print(f"CPU benchmark, {opts.dtype}, {torch.get_num_threads()} threads")
    for ex in all_examples():
        if opts.only and ex.name not in opts.only:
            continue
        base = CPU_SHAPES.get(ex.name, ex.bench_shape)
        shape = tuple(opts.shape_scale and max(1, int(s * opts.shape_scale)) or s for s in base)
        args = ex.inputs(shape, dtype)
        kernel = Kernel(ex.kernel.fn, effort="none")  # the default config (benchmarks.autotune: tuned)
        out = kernel(*args)
        ok, msg = ex.check(out, args, dtype)
        t_teg = median_time(lambda: kernel(*args))
        t_eager = median_time(lambda: ex.reference(*args))
        t_comp = None
        if not opts.no_compile:
            try:
                compiled = torch.compile(ex.reference)
                compiled(*args)
                t_comp = median_time(lambda: compiled(*args))
            except Exception as e:  # noqa: BLE001 - report and go on
                print(f"  torch.compile failed on {ex.name}: {type(e).__name__}: {e}".splitlines()[0])
        nbytes, flops = traffic(ex, args, out)
        row = {
            "example": ex.name, "shape": "x".join(map(str, shape)), "check": "ok" if ok else msg,
            "tegula_ms": t_teg * 1e3, "eager_ms": t_eager * 1e3, "compile_ms": t_comp * 1e3 if t_comp else None,
            "vs_eager": t_eager / t_teg, "vs_compile": t_comp / t_teg if t_comp else None,
            "GB/s": nbytes / t_teg / 1e9 if ex.bound == "memory" else None,
            "GFLOP/s": flops / t_teg / 1e9 if flops else None,
            "bound": ex.bound,
        }
        rows.append(row)
        print(f"  {ex.name:18s} {row['shape']:>16s} tegula {row['tegula_ms']:8.3f} ms  eager {row['eager_ms']:8.3f} ms"
              f"  x{row['vs_eager']:.2f}" + (f"  compile {row['compile_ms']:8.3f} ms x{row['vs_compile']:.2f}"
                                            if t_comp else "") + ("" if ok else f"  {msg}"))
    summary = {
        "geomean_vs_eager": geomean([r["vs_eager"] for r in rows]),
        "geomean_vs_eager_memory_bound": geomean([r["vs_eager"] for r in rows if r["bound"] == "memory"]),
        "geomean_vs_eager_matmul": geomean([r["vs_eager"] for r in rows if r["bound"] == "compute"]),
        "geomean_vs_compile": geomean([r["vs_compile"] for r in rows if r["vs_compile"]]),
    }
    print("  " + ", ".join(f"{k} {v:.2f}" for k, v in summary.items() if not math.isnan(v)))
    if opts.out:
        env = environment()
        cols = [("example", "example"), ("shape", "shape"), ("tegula_ms", "Tegula ms"), ("eager_ms", "eager ms"),
                ("compile_ms", "torch.compile ms"), ("vs_eager", "vs eager"), ("vs_compile", "vs compile"),
                ("GB/s", "GB/s"), ("GFLOP/s", "GFLOP/s"), ("check", "check")]
        md = (f"# CPU benchmark ({opts.dtype})\n\n{env['processor']}, {env['threads']} threads, torch {env['torch']}, "
              f"{env['date']}. Ratios above 1 mean Tegula is faster.\n\n" + markdown_table(rows, cols) + "\n\n"
              + "\n".join(f"- {k}: {v:.2f}" for k, v in summary.items() if not math.isnan(v)))
        write_results(opts.out, f"cpu-{opts.dtype}", {"environment": env, "rows": rows, "summary": summary}, md)
    return 0 if all(r["check"] == "ok" for r in rows) else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.cpu", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=None, help="folder for cpu-<dtype>.json/.md")
    p.add_argument("--only", nargs="*", default=None)
    p.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
    p.add_argument("--no-compile", action="store_true", help="skip torch.compile")
    p.add_argument("--shape-scale", type=float, default=None, help="scale the benchmark shapes (quick runs)")
    return run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
