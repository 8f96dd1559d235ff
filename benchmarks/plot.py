"""Bar chart of a benchmark JSON (run here, after the GPU run): speedups of Tegula against each competitor.

    python -m benchmarks.plot benchmarks/results/gpu-h100.json -o benchmarks/results/gpu-h100.png
    python -m benchmarks.plot benchmarks/results/autotune-h100-bfloat16-h{1,2,3,4}.json -o autotune-h100.png

``benchmarks.autotune`` results (several files: a later file's row for a kernel replaces an earlier one's):
the tuned kernel against Helion's tuned kernel, by graph replay and by whole call.
"""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    p = argparse.ArgumentParser()
    p.add_argument("json", nargs="+")
    p.add_argument("-o", "--output", required=True)
    opts = p.parse_args(argv)
    data = json.load(open(opts.json[-1]))
    if any("graph_vs_helion" in r for r in data["rows"]):
        return _autotune(plt, opts)
    rows = [r for r in data["rows"] if r.get("tegula_ms")]
    names = [r["case"] for r in rows]
    # kernel times (CUDA-graph replay) where the run has them, else whole calls
    kernels = all(r.get("tegula_graph_ms") for r in rows)
    ours = "tegula_graph_ms" if kernels else "tegula_ms"
    suffix = "_graph_ms" if kernels else "_ms"
    series = [("eager", "eager" + suffix), ("torch.compile", "compile" + suffix), ("Helion", "helion" + suffix)]
    if any(r.get("tileir" + suffix) for r in rows):
        series.append(("TileIR", "tileir" + suffix))
    series.append(("roofline", "roofline_ms"))
    fig, ax = plt.subplots(figsize=(max(8, len(rows) * 0.9), 4.5))
    width = 0.8 / len(series)
    for i, (label, key) in enumerate(series):
        vals = [(r[key] / r[ours]) if r.get(key) else 0 for r in rows]
        ax.bar([x + i * width for x in range(len(rows))], vals, width, label=f"{label} time / Tegula time")
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(rows))], names, rotation=45, ha="right")
    ax.set_ylabel("ratio (above 1: Tegula faster; roofline: fraction reached)")
    what = "kernel times, CUDA-graph replay" if kernels else "whole calls"
    ax.set_title(f"Tegula (Triton backend) on {data['environment'].get('gpu', 'GPU')} ({what})")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(opts.output, dpi=120)
    return 0


def _autotune(plt, opts: argparse.Namespace) -> int:
    rows: dict[str, dict] = {}
    env: dict = {}
    for path in opts.json:
        data = json.load(open(path))
        env = data["environment"]
        rows.update({r["case"]: r for r in data["rows"] if r.get("graph_vs_helion")})
    names = list(rows)
    fig, ax = plt.subplots(figsize=(max(8, len(names) * 0.9), 4.5))
    for i, (label, key) in enumerate((("kernel (graph replay)", "graph_vs_helion"), ("whole call", "vs_helion"))):
        ax.bar([x + i * 0.4 for x in range(len(names))], [rows[n].get(key) or 0 for n in names], 0.4,
               label=f"Helion tuned time / Tegula tuned time, {label}")
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks([x + 0.2 for x in range(len(names))], names, rotation=45, ha="right")
    ax.set_ylabel("ratio (above 1: Tegula faster)")
    ax.set_title(f"Autotuned Tegula (Triton) against autotuned Helion on {env.get('gpu', 'GPU')}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(opts.output, dpi=120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
