"""The CPU benchmarks run end to end on tiny shapes (their figures are not checked: benchmarks measure, tests
do not time), so that a benchmark cannot rot between the runs that produce `benchmarks/results/`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout


def test_cpu_benchmark_runs(tmp_path: Path):
    out = _run("benchmarks.cpu", "--only", "add", "softmax", "--no-compile", "--shape-scale", "0.02",
               "--out", str(tmp_path))
    assert "add" in out and "softmax" in out
    [result] = tmp_path.glob("*.json")
    rows = json.loads(result.read_text())["rows"]
    assert [r["example"] for r in rows] == ["add", "softmax"] and all(r["check"] == "ok" for r in rows), rows
    assert all(r["tegula_ms"] > 0 and r["eager_ms"] > 0 for r in rows)
