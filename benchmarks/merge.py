"""Merges several GPU benchmark runs (later runs win per case) into one table, JSON and markdown.

    python -m benchmarks.merge benchmarks/results/raw/h100-run*.json --out benchmarks/results --name gpu-h100
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from benchmarks.gpu import CASES, summary, tables


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
                r = {k: v for k, v in r.items() if not k.endswith("configs_tried")}
                r["run"] = os.path.basename(path)
                rows[r["case"]] = r
    order = [c.name for c in CASES]
    merged = [rows[n] for n in order if n in rows]
    with open(os.path.join(opts.out, f"{opts.name}.json"), "w") as f:
        json.dump({"environment": env, "rows": merged, "summary": summary(merged)}, f, indent=1, default=str)
    md = tables(merged)
    with open(os.path.join(opts.out, f"{opts.name}-table.md"), "w") as f:
        f.write(md)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
