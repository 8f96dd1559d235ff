"""Per-call host overhead: a tuned kernel against the same config given as ``config=``, side by side.

A tuned kernel is valid for its size bucket only, so every call checks the bucket; this measures what that
costs on a tiny input (where a call is all host work) and on a 4096x4096 softmax.

    python -m benchmarks.overhead [--device cuda|cpu] [--breakdown] [--profile]

``--breakdown`` splits one call of a tiny softmax on each backend present into its steps (the host function's
trace and the spec, the cache lookup, the launcher with its arguments ready) next to eager PyTorch's call; on
the Triton backend also with ``TEGULA_TRITON_FAST_LAUNCH=0`` (Triton's own dispatch on every launch).
``--profile`` adds, per backend, cProfile's top functions (own time) over the whole calls.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from typing import Any, Callable

import torch

from tegula.compiler.kernel import Kernel
from tegula.examples import get


def per_call_us(fn: Callable[[], Any], device: str, n: int = 2000) -> float:
    for _ in range(20):
        fn()
    rounds = []
    for _ in range(5):
        if device == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        if device == "cuda":
            torch.cuda.synchronize()
        rounds.append((time.perf_counter() - t0) / n * 1e6)
    return statistics.median(rounds)


def profile(fn: Callable[[], Any], n: int = 3000, top: int = 18) -> None:
    import cProfile
    import io
    import pstats

    for _ in range(20):
        fn()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        fn()
    prof.disable()
    text = io.StringIO()
    pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(top)
    lines = text.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    print("\n".join("    " + line for line in lines[start:] if line.strip()))


def breakdown(ex: Any, device: str, with_profile: bool = False) -> None:
    from tegula.compiler.backend import backend_names, get_backend
    from tegula.compiler.frontend.host import run_host
    from tegula.compiler.frontend.spec import make_spec

    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    (x,) = ex.inputs((4, 16), dtype, device=device)
    print(f"per-call host steps, {device}, softmax 4x16 {dtype} (us):")
    print(f"  eager torch.softmax: {per_call_us(lambda: torch.softmax(x, -1), device):8.1f}")
    runs = []
    for name in backend_names():
        b = get_backend(name, check=False)
        if not b.available()[0] or not b.supports_device(x.device):
            continue
        runs.append((name, name, "1"))
        if name == "triton":
            runs.append((name, "triton, TEGULA_TRITON_FAST_LAUNCH=0", "0"))
    for name, label, fast in runs:
        os.environ["TEGULA_TRITON_FAST_LAUNCH"] = fast  # read when a launcher is made
        k = Kernel(ex.kernel.fn, backend=name, effort="none")
        k(x)
        c = k.compiled()[-1]
        os.environ.pop("TEGULA_TRITON_FAST_LAUNCH")

        def trace() -> Any:
            _, recorded = run_host(k.host, (x,), {})
            return make_spec(k.host, recorded)

        spec = trace()
        largs = c.args(spec)
        steps = {"whole call": lambda: k(x), "host trace + spec": trace, "lookup": lambda: k._lookup(spec),
                 "arguments": lambda: c.args(spec), "launcher": lambda: c.launcher(largs)}
        print(f"  {label}: " + ", ".join(f"{what} {per_call_us(fn, device):.1f}" for what, fn in steps.items()))
        if with_profile:
            profile(lambda: k(x))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--breakdown", action="store_true", help="split a tiny call into its steps, per backend")
    p.add_argument("--profile", action="store_true", help="with --breakdown: cProfile's top functions per backend")
    opts = p.parse_args(argv)
    os.environ["TEGULA_CACHE_DIR"] = tempfile.mkdtemp(prefix="tegula-overhead-")
    os.environ.setdefault("TEGULA_AUTOTUNE_PROGRESS", "0")
    ex = get("softmax")
    if opts.breakdown:
        breakdown(ex, opts.device, opts.profile)
        return 0
    dtype = torch.bfloat16 if opts.device == "cuda" else torch.float32
    print(f"per-call time, {opts.device}, {dtype}; tuned = chosen by the autotuner between two copies of the "
          "config given to the untuned kernel")
    for shape, n in (((4, 16), 3000), ((4096, 4096), 300 if opts.device == "cuda" else 10)):
        (x,) = ex.inputs(shape, dtype, device=opts.device)
        given = Kernel(ex.kernel.fn, effort="none")
        given(x)
        cfg = dict(given.compiled()[0].config)
        untuned = Kernel(ex.kernel.fn, config=cfg)
        tuned = Kernel(ex.kernel.fn, configs=[cfg, dict(cfg)])
        tuned(x)
        assert tuned.compiled()[0].bucket is not None
        a = per_call_us(lambda: untuned(x), opts.device, n)
        b = per_call_us(lambda: tuned(x), opts.device, n)
        print(f"  {'x'.join(map(str, shape)):>10}: untuned {a:8.1f} us, tuned {b:8.1f} us, tuned/untuned {b / a:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
