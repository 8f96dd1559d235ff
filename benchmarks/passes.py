"""What each pass is worth: every example with each pass on and off, side by side in one run.

For every example (at its benchmark shape, plus rows of 256k elements for the
row reductions) and every pass variant below, the kernel is compiled with the
default config ("on") and with the variant's override ("off"); when the two
compile to the same code (the IR after the tile pipeline; on Triton the
generated source) the variant has no effect on that kernel and is not timed. Otherwise both are checked against torch and timed alternately
(``--rounds`` times, median of the rounds), and the ratio off/on is reported
(> 1: the pass makes the kernel faster).

Reduction rolling is also reported against copy bandwidth: effective bytes
(inputs read once, output written once) per second over what ``torch``'s
device copy of the input reaches in the same run.

    python -m benchmarks.passes                 # CPU (the backend present), float32
    python -m benchmarks.passes --device cuda   # Triton on the GPU, bfloat16
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import torch

from benchmarks.common import environment, geomean, markdown_table, median_time, write_results
from tegula.compiler.kernel import Kernel
from tegula.examples import Example, all_examples, get


@dataclass(frozen=True)
class Variant:
    """A pass (or one of its options) switched off (or to another setting) against the default config."""

    name: str
    pass_name: str
    off: Callable[[dict[str, Any]], dict[str, Any] | None]  # default config -> override, None: not applicable
    what: str


def _roll_off(cfg: dict[str, Any]) -> dict[str, Any] | None:
    rolled = cfg.get("reduction_loops") or []
    return {"reduction_loops": [None] * len(rolled)} if any(rolled) else None


VARIANTS = [
    Variant("fuse", "tegula-fuse", lambda c: {"fuse_loops": False}, "loop fusion off"),
    Variant("roll", "tegula-roll", _roll_off, "long rows kept whole (no reduction loop)"),
    Variant("online", "tegula-roll", lambda c: {"online_softmax": False}, "softmax sum in its own pass over the row"),
    Variant("welford", "tegula-roll", lambda c: {"welford_variance": False},
            "variance in its own pass over the row (no Welford)"),
    Variant("promote", "tegula-promote", lambda c: {"promote_operands": False}, "dot operands not promoted"),
    Variant("promote-reused", "tegula-promote", lambda c: {"promote_reused": True}, "rows read twice promoted (on)"),
    Variant("stages", "tegula-promote", lambda c: {"stages": 1},
            "loops of promoted tiles not multi-buffered (stages=1)"),
    Variant("persistent", "tegula-tile", lambda c: {"persistent": "interleaved"}, "persistent launch (on)"),
    Variant("l2", "tegula-tile", lambda c: {"l2_groupings": [8]}, "L2 grouping of 8 (on)"),
]


@dataclass
class Case:
    label: str
    example: Example
    shape: tuple[int, ...]
    notes: list[str] = field(default_factory=list)


LONG_ROWS = ["sum", "softmax", "softmax_two_loops", "layer_norm", "layer_norm_two_loops", "rms_norm", "cross_entropy"]


def _shape(ex: Example, device: str) -> tuple[int, ...]:
    """CPU: the medium shape (matmuls: the benchmark's, 1024^3). GPU: big enough that the kernel, not
    the host's launch overhead (about 50 us), is what is timed: 4x the benchmark's rows for the memory-bound
    2-D kernels (256 MB of bf16 per tensor), 4096^3 for the matmuls."""
    if device == "cpu":
        return tuple(ex.bench_shape if ex.name.startswith("matmul") else ex.demo_shape)
    if ex.name.startswith("matmul"):
        return (4096, 4096, 4096)
    if ex.bound == "memory" and len(ex.bench_shape) == 2:
        return (ex.bench_shape[0] * 4, ex.bench_shape[1])
    return tuple(ex.bench_shape)


def cases(device: str, only: list[str] | None) -> list[Case]:
    out = []
    for ex in all_examples():
        if only and ex.name not in only:
            continue
        out.append(Case(ex.name, ex, _shape(ex, device)))
    rows = 32 if device == "cpu" else 1024
    for name in LONG_ROWS:
        if only and name not in only:
            continue
        try:
            ex = get(name)
        except KeyError:
            continue
        out.append(Case(f"{name}-256k", ex, (rows, 262144)))
    return out


def _time(device: str) -> Callable[[Callable[[], Any]], float]:
    if device == "cuda":
        import triton.testing

        return lambda fn: float(triton.testing.do_bench(fn, warmup=10, rep=50, return_mode="median")) * 1e-3
    return lambda fn: median_time(fn, reps=5, warmup=1, min_time=0.1)


def _copy_bandwidth(x: torch.Tensor, timer) -> float:
    y = torch.empty_like(x)
    return 2 * x.numel() * x.element_size() / timer(lambda: y.copy_(x))


def _bytes(args: tuple, out: torch.Tensor) -> int:
    return sum(a.numel() * a.element_size() for a in args if isinstance(a, torch.Tensor)) + \
        out.numel() * out.element_size()


def run_case(case: Case, device: str, dtype: torch.dtype, backend: str, rounds: int, timer,
             variants: list[Variant]) -> list[dict[str, Any]]:
    ex = case.example
    args = ex.inputs(case.shape, dtype, device=device)
    base = Kernel(ex.kernel.fn, backend=backend, effort="none")  # the default config, never tuned
    default_cfg = _default_config(base, args)
    stage = "triton" if backend == "triton" else "tiled"  # Triton: what the GPU runs (tile.local is an alias)
    on_ir = base.emit(*args, stage=stage)
    rows = []
    copy_bw = None
    for v in variants:
        override = v.off(default_cfg)
        row: dict[str, Any] = {"case": case.label, "shape": "x".join(map(str, case.shape)), "variant": v.name,
                               "pass": v.pass_name, "off": v.what}
        if override is None:
            continue
        try:
            off_ir = base.emit(*args, stage=stage, config=override)
        except Exception as e:  # noqa: BLE001 - a variant that does not apply (e.g. l2 of a 1-D loop)
            row.update(status="n/a", message=f"{type(e).__name__}: {e}".splitlines()[0][:160])
            rows.append(row)
            continue
        if off_ir == on_ir:
            continue  # the pass does nothing to this kernel
        on, off = Kernel(ex.kernel.fn, backend=backend, effort="none"), Kernel(ex.kernel.fn, backend=backend,
                                                                                config=override)
        times: dict[str, list[float]] = {"on": [], "off": []}
        try:
            for name, k in (("on", on), ("off", off)):
                got = k(*args)
                ok, msg = ex.check(got, args, dtype)
                if not ok:
                    raise AssertionError(f"{name}: {msg}")
            for _ in range(rounds):
                for name, k in (("on", on), ("off", off)):
                    times[name].append(timer(lambda k=k: k(*args)))
        except Exception as e:  # noqa: BLE001 - reported, not fatal: e.g. a whole 256k row does not compile
            row.update(status="failed", message=f"{type(e).__name__}: {e}".splitlines()[0][:160])
            rows.append(row)
            continue
        t_on, t_off = statistics.median(times["on"]), statistics.median(times["off"])
        row.update(status="ok", on_ms=t_on * 1e3, off_ms=t_off * 1e3, ratio=t_off / t_on)
        if v.name in ("roll", "welford"):
            copy_bw = copy_bw or _copy_bandwidth(args[0], timer)
            nbytes = _bytes(args, got)
            row.update(on_gbs=nbytes / t_on / 1e9, off_gbs=nbytes / t_off / 1e9, copy_gbs=copy_bw / 1e9,
                       on_of_copy=nbytes / t_on / copy_bw)
        rows.append(row)
        print(json.dumps({k: row[k] for k in ("case", "variant", "ratio", "on_ms", "off_ms") if k in row}),
              flush=True)
    return rows


def _default_config(k: Kernel, args: tuple) -> dict[str, Any]:
    from tegula.compiler.frontend.device import compile_kernel
    from tegula.dialects.tile import new_context

    recorded, spec = k.trace(*args)
    backend = k.choose_backend(spec)
    with new_context():
        front = compile_kernel(k.host, recorded, spec)
        info = k.kernel_info(front, spec)
    return backend.default_config(info)


def summary(rows: list[dict[str, Any]], env: dict[str, Any], opts: argparse.Namespace) -> str:
    ok = [r for r in rows if r.get("status") == "ok"]
    lines = [f"# Passes on/off — {opts.device} ({env.get('gpu') or env['processor']}), {opts.dtype}",
             "", f"{env['date']}; torch {env['torch']}; {opts.rounds} alternating rounds, median.",
             "ratio = time with the variant / time with the default config (> 1: the default is faster).", "",
             markdown_table(rows, [("case", "kernel"), ("shape", "shape"), ("variant", "variant"), ("off", "variant does"),
                                   ("on_ms", "default ms"), ("off_ms", "variant ms"), ("ratio", "ratio"),
                                   ("on_of_copy", "of copy BW"), ("status", "status"), ("message", "note")]), ""]
    for v in VARIANTS:
        rs = [r["ratio"] for r in ok if r["variant"] == v.name]
        if rs:
            lines.append(f"- {v.name} ({v.what}): geomean ratio {geomean(rs):.2f} over {len(rs)} kernels")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--dtype", default=None, help="float32 (CPU default) or bfloat16 (GPU default)")
    p.add_argument("--only", nargs="*", help="example names")
    p.add_argument("--variants", nargs="*", help="variant names (default: all)")
    p.add_argument("--long-rows", choices=["with", "only", "without"], default="with",
                   help="the 256k-element row cases")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--out", default="benchmarks/results")
    p.add_argument("--name", default=None)
    opts = p.parse_args(argv)
    opts.dtype = opts.dtype or ("bfloat16" if opts.device == "cuda" else "float32")
    dtype = getattr(torch, opts.dtype)
    backend = "triton" if opts.device == "cuda" else "cpu"
    timer = _time(opts.device)
    env = environment()
    if opts.device == "cuda":
        env["gpu"] = torch.cuda.get_device_name()
    rows: list[dict[str, Any]] = []
    name = opts.name or f"passes-{opts.device}-{opts.dtype}"
    text = ""
    start = time.perf_counter()
    variants = [v for v in VARIANTS if not opts.variants or v.name in opts.variants]
    for case in cases(opts.device, opts.only):
        if (opts.long_rows == "only") != case.label.endswith("-256k") and opts.long_rows != "with":
            continue
        rows.extend(run_case(case, opts.device, dtype, backend, opts.rounds, timer, variants))
        env["wall_s"] = time.perf_counter() - start
        # written after every case: a run cut short by a time limit keeps what it measured
        text = summary(rows, env, opts)
        write_results(opts.out, name, {"environment": env, "rows": rows}, text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
