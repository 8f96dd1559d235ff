"""Tegula's kernel beside Helion's at fixed configs: both sources, and kernel times of variants.

Where the tuned Tegula kernel trails Helion's tuned kernel, is it the search or
the code? This takes the config each tuner chose in a run of
``benchmarks.autotune`` (``--from`` its JSON, or the configs given here), has
Helion compile its own (no tuning) and write its Triton source, and times by
CUDA-graph replay after an L2 flush, in ``--rounds`` interleaved rounds (median
of rounds), Helion's kernel, Helion's kernel with each of its code choices
switched off one at a time (tensor descriptors -> pointers, eviction policies
-> none), Tegula's kernel at its chosen config, and Tegula's with variants of
the config (``--vary``: ``key=v1,v2`` pairs, each tried alone; ``--variants``:
JSON objects, each a set of keys changed together). Every output
is checked against the example's reference.

    python -m benchmarks.versus_helion --from benchmarks/results/autotune-h200-bfloat16-g2-layer_norm.json \\
        --vary num_warps=4,8,16 load_eviction=default,last --out $OUT
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from typing import Any

import torch

from benchmarks.common import environment, markdown_table, write_results
from benchmarks.gpu import CASES, graph_rounds, helion_fixed, parse_helion_config
from tegula.compiler.kernel import Kernel
from tegula.examples import get


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text  # a bare word: an enum value


def helion_variants(cfg: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {"helion": cfg}
    if any(i != "pointer" for i in cfg.get("indexing", [])):
        out["helion, pointers only"] = {**cfg, "indexing": ["pointer"] * len(cfg["indexing"])}
    if any(cfg.get("load_eviction_policies", [])):
        out["helion, no eviction policy"] = {**cfg, "load_eviction_policies": [""] * len(cfg["load_eviction_policies"])}
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--from", dest="source", nargs="+", required=True, help="benchmarks.autotune JSON files")
    p.add_argument("--vary", nargs="*", default=[], help="key=v1,v2 variants of Tegula's config (JSON values)")
    p.add_argument("--variants", nargs="*", default=[], metavar="JSON",
                   help='whole variants of Tegula\'s config, each a JSON object of keys set together '
                        '(\'{"persistent": "blocked", "num_stages": 2}\')')
    p.add_argument("--only", nargs="*", default=None, help="case names (softmax-1k, layer_norm, ...)")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--out", default="benchmarks/results")
    opts = p.parse_args(argv)
    os.makedirs(opts.out, exist_ok=True)
    varies = []
    for item in opts.vary:
        key, _, values = item.partition("=")
        varies.append((key, [_value(v) for v in values.split(",")]))
    rows: list[dict[str, Any]] = []
    for path in opts.source:
        data = json.load(open(path))
        for r in data["rows"]:
            name = r["case"]
            case = next((c for c in CASES if c.name == name), None)
            if opts.only and name not in opts.only:
                continue
            if case is None or not r.get("helion_config") or not r.get("config_full"):
                print(f"skip {name}: no case or no configs")
                continue
            ex = get(case.example)
            args = ex.inputs(case.shape, torch.bfloat16, device="cuda")
            fns: dict[str, Any] = {}
            for label, hcfg in helion_variants(parse_helion_config(r["helion_config"])).items():
                try:
                    hk = helion_fixed(ex, hcfg)
                    out = hk(*args)
                    ok, msg = ex.check(out, args, torch.bfloat16)
                    if label == "helion":
                        code = hk.bind(args).to_triton_code(hk.configs[0])
                        with open(os.path.join(opts.out, f"helion-{name}.py"), "w") as f:
                            f.write(code)
                    if ok:
                        fns[label] = (lambda hk=hk: hk(*args))
                    else:
                        print(f"{name} {label}: wrong output: {msg}")
                except Exception as e:  # noqa: BLE001 - a probe: report and go on
                    print(f"{name} {label}: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
            base = dict(r["config_full"])
            tegula_cfgs = {"tegula": base}
            for key, values in varies:
                for v in values:
                    if base.get(key) != v:
                        tegula_cfgs[f"tegula {key}={v}"] = {**base, key: v}
            for text in opts.variants:
                change = json.loads(text)
                label = "tegula " + " ".join(f"{k}={json.dumps(v, separators=(',', ':'))}" for k, v in change.items())
                tegula_cfgs[label] = {**base, **change}
            for label, cfg in tegula_cfgs.items():
                try:
                    k = Kernel(ex.kernel.fn, config=cfg)
                    out = k(*args)
                    ok, msg = ex.check(out, args, torch.bfloat16)
                    if label == "tegula":
                        with open(os.path.join(opts.out, f"tegula-{name}.py"), "w") as f:
                            f.write(k.emit(*args, stage="triton", config=cfg))
                    if ok:
                        fns[label] = (lambda k=k: k(*args))
                    else:
                        print(f"{name} {label}: wrong output: {msg}")
                except Exception as e:  # noqa: BLE001
                    print(f"{name} {label}: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
            times = graph_rounds(fns, opts.rounds)
            ref = statistics.median(times["helion"]) if times.get("helion") else None
            for label, ts in times.items():
                if not ts:
                    continue
                ms = statistics.median(ts)
                row = {"case": name, "variant": label, "graph_ms": ms, "spread": (max(ts) - min(ts)) / ms,
                       "helion_over_this": ref / ms if ref else None}
                rows.append(row)
                print(f"{name:12s} {label:60s} {ms * 1e3:8.2f} us  spread {row['spread']:.3f}  "
                      f"vs helion {row['helion_over_this'] or 0:.3f}", flush=True)
    env = environment()
    env["gpu"] = torch.cuda.get_device_name()
    table = markdown_table(rows, [("case", "case"), ("variant", "variant"), ("graph_ms", "graph ms"),
                                  ("spread", "spread of rounds"), ("helion_over_this", "Helion ms / this ms")])
    write_results(opts.out, "versus-helion", {"environment": env, "rows": rows}, table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
