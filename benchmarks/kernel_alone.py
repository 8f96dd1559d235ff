"""One kernel alone against eager PyTorch, interleaved call by call (CPU diagnostics).

    python -m benchmarks.kernel_alone sum                       # the default config
    python -m benchmarks.kernel_alone sum --config '{"block_sizes": [8]}' --config '{"interleave": 2}'
    python -m benchmarks.kernel_alone add --shape 4096 4096 --calls 200

For each config the compiled launcher runs on arguments bound once (no host
tracing, no output allocation: the output buffer is reused) and eager PyTorch
writes the same reused buffer (``out=``), one call of each in turn, so the
machine's slow spells hit both alike; whole calls (fresh output, host
overhead) are timed the same way. Prints medians and eager/Tegula ratios
(above 1: Tegula is faster). Used to find where the CPU backend's time goes
without the tuner's noise; the autotuning benchmark remains the measure.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

import torch

from tegula.compiler.kernel import Kernel
from tegula.examples import get

from benchmarks.common import interleaved_ms

#: eager PyTorch writing into a given output, per example (the examples' references allocate)
EAGER_OUT: dict[str, Callable[..., Any]] = {
    "add": lambda out, x, y: torch.add(x, y, out=out),
    "sum": lambda out, x: torch.sum(x, -1, out=out),
    "gelu": lambda out, x: torch._C._nn.gelu(x, out=out),  # the example's reference: exact (erf) GELU
    "softmax": lambda out, x: torch.softmax(x, -1, out=out),
}


def launch_alone(k: Kernel, args: tuple) -> tuple[Any, Callable[[], None]]:
    """The compiled entry of ``k`` that serves ``args`` (after a call with them), and a function that runs its
    launcher on arguments bound once: no host code, the outputs of this one trace written again each time."""
    _, spec = k.trace(*args)
    comp = k._lookup(spec)
    if comp is None:
        raise ValueError(f"{k!r} has compiled nothing for these arguments: call it with them first")
    bound = comp.args(spec)
    return comp, lambda: comp.launcher(bound)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.kernel_alone", description=__doc__.split("\n\n")[0])
    p.add_argument("example")
    p.add_argument("--shape", type=int, nargs="*", default=None, help="default: the example's bench_shape")
    p.add_argument("--config", action="append", default=[], help="JSON config to compare (repeatable)")
    p.add_argument("--calls", type=int, default=100)
    opts = p.parse_args(argv)
    ex = get(opts.example)
    shape = tuple(opts.shape) if opts.shape else ex.bench_shape
    torch.manual_seed(0)
    args = ex.inputs(shape, torch.float32)
    ref = ex.reference(*args)
    fns: dict[str, Callable[[], Any]] = {}
    whole: dict[str, Callable[[], Any]] = {"eager": lambda: ex.reference(*args)}
    wrong = 0
    for i, text in enumerate(opts.config or ["null"]):
        cfg = json.loads(text)
        k = Kernel(ex.kernel.fn, config=cfg, effort="none") if cfg else Kernel(ex.kernel.fn, effort="none")
        out = k(*args)
        ok, msg = ex.check(out, args, torch.float32)
        wrong += not ok
        comp, fns[f"c{i}"] = launch_alone(k, args)
        print(f"c{i}: {'ok' if ok else msg}; config {json.dumps(comp.config, sort_keys=True)}")
        whole[f"c{i}"] = lambda k=k: k(*args)
    if opts.example in EAGER_OUT:
        buf = torch.empty_like(ref)
        fns["eager"] = lambda: EAGER_OUT[opts.example](buf, *args)
    alone = interleaved_ms(fns, opts.calls)
    calls = interleaved_ms(whole, max(10, opts.calls // 4))
    print(f"{opts.example} {'x'.join(map(str, shape))}, {torch.get_num_threads()} threads; median ms")
    for name in fns:
        if name == "eager":
            continue
        line = f"  {name}: alone {alone[name]:.3f}"
        if "eager" in alone:
            line += f" (eager {alone['eager']:.3f}: {alone['eager'] / alone[name]:.3f}x)"
        line += f"; whole call {calls[name]:.3f} (eager {calls['eager']:.3f}: {calls['eager'] / calls[name]:.3f}x)"
        print(line)
    return 1 if wrong else 0  # a wrong output is timed all the same, and reported


if __name__ == "__main__":
    raise SystemExit(main())
