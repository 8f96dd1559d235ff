"""Does the GPU's state change how configs rank? A diagnostic for the tuner's choice on a GPU.

    python -m benchmarks.gpu_state --out $OUT [--example layer_norm --shape 4096 8192]
        [--config '{"num_warps": 8, "num_stages": 1}' --config '{"num_warps": 4, "early_loads": true}']

Why: in run m (``results/autotune.md``) every layer_norm config the tuner timed took 50.7-51 us, and the
benchmark's graph rounds saw 51.2-51.7 us, where the same kernels timed alone in a fresh process took
47.6-49.2 us, ranked otherwise (the tuner's choice 3% behind the best). Here the given Tegula configs and
Helion (at its config from ``--helion-config``, when Helion imports) are replayed from CUDA graphs after an
L2 flush, in turn, in five rounds, in these phases: after 3 s idle; again at once; after 1.5 s of matmuls;
while the tuner's compile workers are alive (after a quick tuning of softmax); after 3 s idle with them alive.
The tuner's own timers are then run on each. ``nvidia-smi`` samples the SM and memory clocks every 50 ms
meanwhile (``smi.csv``, with the phases' wall-clock marks in ``gpu_state.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from typing import Any

import torch

from benchmarks.gpu import graph_rounds, helion_fixed
from tegula.compiler.kernel import Kernel
from tegula.examples import get

DEFAULT_CONFIGS = ['{"block_sizes": [1], "num_warps": 8, "num_stages": 1}',
                   '{"block_sizes": [1], "num_warps": 4, "early_loads": true}']


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True)
    p.add_argument("--example", default="layer_norm")
    p.add_argument("--shape", type=int, nargs="+", default=[4096, 8192])
    p.add_argument("--config", action="append", help="a Tegula config as JSON (repeatable)")
    p.add_argument("--helion-config", default="benchmarks/results/autotune-h100-bfloat16-m.json",
                   help="a benchmarks.autotune result whose helion_fixed holds the example's Helion config")
    opts = p.parse_args(argv)
    if not torch.cuda.is_available():
        raise SystemExit("gpu_state needs a CUDA GPU")
    os.makedirs(opts.out, exist_ok=True)
    smi = subprocess.Popen(["nvidia-smi", "--query-gpu=timestamp,clocks.sm,clocks.mem,power.draw,pstate",
                            "--format=csv,noheader", "-lms", "50"], stdout=open(os.path.join(opts.out, "smi.csv"), "w"))
    marks: list[tuple[float, str]] = []
    ex = get(opts.example)
    args = ex.inputs(tuple(opts.shape), torch.bfloat16, "cuda")
    fns: dict[str, Any] = {}
    try:
        fixed = json.load(open(opts.helion_config))["options"]["helion_fixed"][opts.example]
        hk = helion_fixed(ex, fixed)
        hk(*args)
        fns["helion"] = lambda: hk(*args)
    except Exception as e:  # noqa: BLE001 - Helion is optional here
        print(f"no Helion: {type(e).__name__}: {e}"[:200])
    for text in opts.config or DEFAULT_CONFIGS:
        k = Kernel(ex.kernel.fn, config=json.loads(text))
        ok, message = ex.check(k(*args), args, torch.bfloat16)
        if not ok:
            raise SystemExit(f"config {text}: wrong output: {message}")
        fns[text] = lambda k=k: k(*args)
    phases: dict[str, dict[str, list[float]]] = {}

    def phase(name: str) -> None:
        marks.append((time.time(), name))
        got = graph_rounds(fns, 5)
        phases[name] = {k: [round(x * 1e3, 2) for x in v] for k, v in got.items()}
        print(name)
        for k, v in phases[name].items():
            print(f"  {k[:60]:60s} " + " ".join(f"{x:7.2f}" for x in v) + " us")

    time.sleep(3)
    phase("after 3 s idle")
    phase("again at once")
    a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    t0 = time.time()
    while time.time() - t0 < 1.5:
        a @ a
    torch.cuda.synchronize()
    phase("after 1.5 s of matmuls")
    sm = get("softmax")
    sargs = sm.inputs((4096, 1024), torch.bfloat16, "cuda")
    os.environ.setdefault("TEGULA_AUTOTUNE_MAX_SECONDS", "15")
    os.environ["TEGULA_CACHE_DIR"] = tempfile.mkdtemp(prefix="gpu-state-")  # a cached config would not tune
    marks.append((time.time(), "tuning softmax"))
    Kernel(sm.kernel.fn, effort="quick")(*sargs)
    phase("compile workers alive")
    time.sleep(3)
    phase("workers alive, after 3 s idle")
    from tegula.compiler.autotune.timing import retimer_for, timer_for

    timer, retimer = timer_for(torch.device("cuda")), retimer_for(torch.device("cuda"))
    tuner_timers = {k: {"search": [round(timer(f, 0.02) * 1e6, 2) for _ in range(3)],
                        "retime": [round(retimer(f, 0.06) * 1e6, 2) for _ in range(3)]} for k, f in fns.items()}
    for k, v in tuner_timers.items():
        print(f"  tuner's timers {k[:50]}: {v}")
    smi.terminate()
    with open(os.path.join(opts.out, "gpu_state.json"), "w") as f:
        json.dump({"phases": phases, "tuner_timers": tuner_timers, "marks": marks}, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
