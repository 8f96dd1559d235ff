"""The ``tegula`` command: ``tegula examples`` (the main job), ``tegula tune`` and ``tegula backends``.

``tegula tune FILE --shapes 1024x1024 8192x4096`` tunes the kernels of FILE
ahead of time, one tuning per shape bucket, and writes ``<FILE stem>.tegula.json``
beside it (or ``--out``): shipped with the code, that file gives each call the
config of its bucket without tuning. Inputs come from FILE's ``EXAMPLES``
(``tegula.examples.Example``) or its ``tune_inputs(shape, dtype, device)``.

``tegula examples`` compiles every example kernel on the best backend this
machine has (the CPU backend unless a GPU backend is available), runs it on a
ragged shape and on a medium shape, checks each result against PyTorch and
prints, per example, whether it matches, its time and its speed ratio against
eager PyTorch measured side by side. It exits non-zero if any example does
not match.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any


def bench(fn: Callable[[], Any], reps: int = 10, warmup: int = 2, sync: Callable[[], None] | None = None) -> float:
    """Median wall time of ``fn`` in seconds."""
    for _ in range(warmup):
        fn()
    if sync:
        sync()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        if sync:
            sync()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _device(name: str | None) -> str:
    import torch

    if name:
        return name
    return "cuda" if torch.cuda.is_available() else "cpu"


def run_examples(opts: argparse.Namespace) -> int:
    import torch
    from tegula.compiler.backend import backend_for_device, get_backend
    from tegula.examples import all_examples

    device = _device(opts.device)
    backend = get_backend(opts.backend) if opts.backend else backend_for_device(torch.device(device))
    dtype = getattr(torch, opts.dtype)
    tuning = ("default configs (--effort quick autotunes each)" if opts.effort == "none"
              else f"autotuned ({opts.effort})")
    print(f"Tegula examples on {device} with the '{backend.name}' backend, {opts.dtype} "
          f"({torch.get_num_threads()} threads), {tuning}; times are medians, ratio = eager time / Tegula time\n")
    header = f"{'example':18s} {'check (ragged, medium)':28s} {'shape':>18s} {'tegula':>10s} {'eager':>10s} {'ratio':>7s}"
    print(header)
    print("-" * len(header))
    failures = 0
    sync = torch.cuda.synchronize if device == "cuda" else None
    for ex in all_examples():
        if opts.only and ex.name not in opts.only:
            continue
        from tegula.compiler.kernel import Kernel

        kernel = Kernel(ex.kernel.fn, backend=opts.backend, effort=opts.effort)
        results = []
        try:
            for shape in (ex.shapes[-1], ex.demo_shape):
                args = ex.inputs(shape, dtype, device)
                ok, msg = ex.check(kernel(*args), args, dtype)
                results.append((ok, msg))
            ok = all(r[0] for r in results)
            msg = "matches torch" if ok else next(m for o, m in results if not o)
            args = ex.inputs(ex.demo_shape, dtype, device)
            t_teg = bench(lambda: kernel(*args), opts.reps, sync=sync)
            t_eager = bench(lambda: ex.reference(*args), opts.reps, sync=sync)
            ratio = f"{t_eager / t_teg:6.2f}x"
            times = f"{t_teg * 1e3:8.2f}ms {t_eager * 1e3:8.2f}ms"
        except Exception as e:  # noqa: BLE001 - the main job reports every example's outcome
            ok, msg, times, ratio = False, f"ERROR {type(e).__name__}: {e}".splitlines()[0][:60], " " * 21, ""
        failures += not ok
        shape_text = "x".join(map(str, ex.demo_shape))
        print(f"{ex.name:18s} {msg[:28]:28s} {shape_text:>18s} {times} {ratio:>7s}")
        if not ok and len(msg) > 28:
            print(f"    {msg}")
    print(f"\n{'all examples match torch' if not failures else f'{failures} example(s) FAILED'}")
    return 1 if failures else 0


def _load_file(path: str) -> Any:
    import importlib.util
    import os

    folder, name = os.path.split(os.path.abspath(path))
    stem = name.removesuffix(".py")
    if folder not in sys.path:
        sys.path.insert(0, folder)  # compile workers import the module by this name too
    spec = importlib.util.spec_from_file_location(stem, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"tegula tune: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[stem] = module
    spec.loader.exec_module(module)
    return module


def tune_file(opts: argparse.Namespace) -> int:
    import datetime
    from pathlib import Path

    import torch
    from tegula.compiler.autotune import cache, tuner
    from tegula.compiler.kernel import Kernel

    module = _load_file(opts.file)
    kernels: dict[str, tuple[Any, Callable[..., tuple]]] = {}
    for ex in getattr(module, "EXAMPLES", []):
        kernels[ex.kernel.fn.__name__] = (ex.kernel, ex.inputs)
    maker = getattr(module, "tune_inputs", None)
    if maker is not None:
        for value in vars(module).values():
            if isinstance(value, Kernel) and value.fn.__module__ == module.__name__:
                kernels.setdefault(value.fn.__name__, (value, maker))
    if opts.kernel:
        if opts.kernel not in kernels:
            raise SystemExit(f"tegula tune: no kernel `{opts.kernel}` with inputs in {opts.file} "
                             f"(kernels: {', '.join(sorted(kernels)) or 'none'})")
        kernels = {opts.kernel: kernels[opts.kernel]}
    if not kernels:
        raise SystemExit(f"tegula tune: {opts.file} has no EXAMPLES and no tune_inputs(shape, dtype, device) "
                         "to make inputs with")
    shapes = [tuple(int(n) for n in s.lower().split("x")) for s in opts.shapes]
    device = _device(opts.device)
    dtype = getattr(torch, opts.dtype)
    out = Path(opts.out) if opts.out else cache.default_config_file(opts.file)
    for name, (kernel, inputs) in kernels.items():
        k = Kernel(kernel.fn, backend=opts.backend or kernel.backend_name)
        entries = []
        for shape in shapes:
            args = inputs(shape, dtype, device)
            _, spec = k.trace(*args)
            result = tuner.tune(k, tuple(args), {}, spec, opts.effort)
            print(result.summary(), flush=True)
            entries.append({"spec": repr(spec.key), "shape": list(shape), "dtype": opts.dtype,
                            "bucket": [list(b) if isinstance(b, tuple) else b for b in tuner.bucket_of(spec)],
                            "device": tuner.device_name(torch.device(device)), "device_type": torch.device(device).type,
                            "backend": result.backend, "config": result.config, "time_ms": result.time_s * 1e3,
                            "tuned_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")})
        cache.write_config_file(out, name, entries)
    print(f"wrote {out}")
    return 0


def list_backends(opts: argparse.Namespace) -> int:
    from tegula.compiler.backend import available_backends

    for name, why in available_backends().items():
        print(f"{name:10s} {'available' if not why else 'unavailable: ' + why}")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="tegula", description="Tegula: a multi-backend compiler for tile kernels")
    sub = p.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("examples", help="compile, check and time the example kernels on the best backend here")
    ex.add_argument("--backend", default=None, help="backend to use (default: the best for the device)")
    ex.add_argument("--device", default=None, help="cpu or cuda (default: cuda if available)")
    ex.add_argument("--dtype", default="float32", choices=["float32", "bfloat16", "float16"])
    ex.add_argument("--reps", type=int, default=10)
    ex.add_argument("--only", nargs="*", default=None, help="example names to run")
    ex.add_argument("--effort", default=os.environ.get("TEGULA_AUTOTUNE_EFFORT", "none"),
                    choices=["none", "quick", "full"], help="autotuning effort per example (default: none)")
    ex.set_defaults(fn=run_examples)
    tn = sub.add_parser("tune", help="tune a file's kernels ahead of time for shape buckets; write a config file")
    tn.add_argument("file", help="a Python file with kernels and EXAMPLES or tune_inputs(shape, dtype, device)")
    tn.add_argument("--shapes", nargs="+", required=True, help="shapes as NxM (one tuning per shape)")
    tn.add_argument("--kernel", default=None, help="only this kernel")
    tn.add_argument("--backend", default=None, help="only this backend (default: every one that runs here)")
    tn.add_argument("--device", default=None, help="cpu or cuda (default: cuda if available)")
    tn.add_argument("--dtype", default="float32", choices=["float32", "bfloat16", "float16"])
    tn.add_argument("--effort", default="quick", choices=["quick", "full"])
    tn.add_argument("--out", default=None, help="config file to write (default: <file stem>.tegula.json beside it)")
    tn.set_defaults(fn=tune_file)
    bk = sub.add_parser("backends", help="list backends and whether they run here")
    bk.set_defaults(fn=list_backends)
    opts = p.parse_args(argv)
    return opts.fn(opts)


if __name__ == "__main__":
    sys.exit(main())
