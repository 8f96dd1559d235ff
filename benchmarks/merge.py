"""Merges several GPU benchmark runs (later runs win per case) into one table, JSON and markdown.

    python -m benchmarks.merge benchmarks/results/raw/h100-run*.json --out benchmarks/results --name gpu-h100
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from benchmarks.common import geomean, markdown_table
from benchmarks.gpu import CASES


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("runs", nargs="+")
    p.add_argument("--out", required=True)
    p.add_argument("--name", required=True)
    opts = p.parse_args(argv)
    rows: dict[str, dict] = {}
    env = {}
    for path in opts.runs:
        data = json.load(open(path))
        env = data["environment"]
        for r in data["rows"]:
            if r.get("tegula_ms"):
                r = {k: v for k, v in r.items() if k != "configs_tried"}
                r["run"] = os.path.basename(path)
                rows[r["case"]] = r
    order = [c.name for c in CASES]
    merged = [rows[n] for n in order if n in rows]
    better = [min(r["eager_ms"], r.get("compile_ms") or float("inf")) / r["tegula_ms"] for r in merged]
    summary = {
        "geomean_vs_best_of_eager_and_compile": geomean(better),
        "geomean_vs_helion_quick": geomean([r["vs_helion"] for r in merged if r.get("vs_helion")]),
        "memory_bound_median_pct_roofline": sorted(r["pct_roofline"] for r in merged if "tbps" in r)[
            len([r for r in merged if "tbps" in r]) // 2] if any("tbps" in r for r in merged) else None,
    }
    with open(os.path.join(opts.out, f"{opts.name}.json"), "w") as f:
        json.dump({"environment": env, "rows": merged, "summary": summary}, f, indent=1, default=str)
    cols = [("case", "kernel"), ("shape", "shape"), ("tegula_ms", "Tegula ms"), ("eager_ms", "eager ms"),
            ("compile_ms", "torch.compile ms"), ("helion_ms", "Helion ms"), ("vs_eager", "vs eager"),
            ("vs_compile", "vs compile"), ("vs_helion", "vs Helion"), ("pct_roofline", "% roofline"),
            ("tflops", "TFLOP/s"), ("tbps", "TB/s")]
    md = markdown_table(merged, cols)
    with open(os.path.join(opts.out, f"{opts.name}-table.md"), "w") as f:
        f.write(md + "\n\n" + "\n".join(f"- {k}: {v:.3g}" if isinstance(v, float) else f"- {k}: {v}"
                                         for k, v in summary.items()) + "\n")
    print(md)
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
