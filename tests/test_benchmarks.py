"""The CPU benchmarks run end to end on tiny shapes (their figures are not checked: benchmarks measure, tests
do not time), so that a benchmark cannot rot between the runs that produce `benchmarks/results/`."""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env=None if env is None else {**os.environ, **env})
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


def test_kernel_alone_runs():
    out = _run("benchmarks.kernel_alone", "gelu", "--shape", "33", "65", "--calls", "3",
               "--config", "{}", "--config", '{"vector_bits": 0}')
    assert out.count(": ok; config") == 2, out
    lines = [ln for ln in out.splitlines() if ln.strip().startswith(("c0: alone", "c1: alone"))]
    assert len(lines) == 2 and all("eager" in ln and "whole call" in ln for ln in lines), out


def test_cpu_autotune_benchmark_runs(tmp_path: Path):
    """Tunes two kernels briefly on demo shapes; every row is checked, and sum and add (which have an out= form
    in eager) also get the kernel-alone comparison."""
    out = _run("benchmarks.autotune", "--device", "cpu", "--only", "add", "sum", "--cpu-shapes", "demo",
               "--rounds", "1", "--out", str(tmp_path), "--name", "smoke", env={"TEGULA_AUTOTUNE_MAX_SECONDS": "3"})
    assert "kernels alone (launcher on bound arguments" in out, out
    rows = json.loads((tmp_path / "smoke.json").read_text())["rows"]
    assert [r["case"] for r in rows] == ["add", "sum"], rows
    for r in rows:
        assert r["tuned_check"] == "ok" and r["default_check"] == "ok", r
        assert r["tuned_alone_ms"] > 0 and r["eager_alone_ms"] > 0 and r["alone_vs_eager"] > 0, r
        for ratio in ("vs_eager", "alone_vs_eager"):  # each ratio with its bootstrap interval around it
            lo, hi = r[f"{ratio}_interval"]
            assert 0 < lo <= hi, r
    assert "95% interval" in (tmp_path / "smoke.md").read_text()


def test_helion_configs_of_a_results_file_parse():
    """``--helion-configs`` and ``benchmarks.versus_helion`` read Helion's config back from the text it printed
    into a results file; every recorded one must parse, and the variants switch one choice off at a time."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.gpu import parse_helion_config
    from benchmarks.versus_helion import _value, helion_variants

    texts = [r["helion_config"] for f in sorted((ROOT / "benchmarks/results").glob("autotune-h*-bfloat16-*.json"))
             for r in json.loads(f.read_text())["rows"] if r.get("helion_config")]
    assert len(texts) >= 10
    configs = [parse_helion_config(t) for t in texts]
    assert all(isinstance(c["block_sizes"], list) and c["num_warps"] in (1, 2, 4, 8, 16, 32) for c in configs)
    cfg = parse_helion_config("Config(block_sizes=[1], indexing=['tensor_descriptor', 'pointer'], "
                              "load_eviction_policies=['last', ''], num_warps=8)")
    variants = helion_variants(cfg)
    assert variants["helion, pointers only"]["indexing"] == ["pointer", "pointer"]
    assert variants["helion, no eviction policy"]["load_eviction_policies"] == ["", ""]
    assert variants["helion"] is cfg
    assert (_value("8"), _value("[16384]"), _value("first"), _value("null")) == (8, [16384], "first", None)


def test_gpu_state_probe(tmp_path: Path):
    """``benchmarks.gpu_state`` (a GPU diagnostic): on a GPU it times each config in every phase and writes
    them out; elsewhere it says that it needs one, and does not pretend to measure."""
    import torch

    args = ("benchmarks.gpu_state", "--out", str(tmp_path), "--shape", "64", "256")
    if not torch.cuda.is_available():
        done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert done.returncode != 0 and "needs a CUDA GPU" in done.stderr, done.stderr[-2000:]
        return
    _run(*args, env={"TEGULA_AUTOTUNE_MAX_SECONDS": "5"})
    got = json.loads((tmp_path / "gpu_state.json").read_text())
    assert len(got["phases"]) == 5 and all(len(v) >= 2 for v in got["phases"].values()), got["phases"]
    assert all(t["retime"] and min(t["retime"]) > 0 for t in got["tuner_timers"].values()), got["tuner_timers"]


def test_ratio_interval_brackets_the_ratio_and_narrows_with_a_steady_machine():
    from benchmarks.common import ratio_interval

    # a machine whose speed drifts by 2x, the same for both: paired redraws keep the drift in both medians
    drift = [1.0 + (i % 7) / 7 for i in range(60)]
    slow, fast = [10.0 * d for d in drift], [9.0 * d for d in drift]
    lo, hi = ratio_interval(slow, fast)
    assert lo <= 10 / 9 <= hi and hi - lo < 0.01, (lo, hi)
    # independent noise of +-20% on each call: the interval widens and still holds the ratio of the medians
    rng = random.Random(1)
    a = [10.0 * (1 + rng.uniform(-0.2, 0.2)) for _ in range(60)]
    b = [10.0 * (1 + rng.uniform(-0.2, 0.2)) for _ in range(60)]
    lo2, hi2 = ratio_interval(a, b)
    assert lo2 <= statistics.median(a) / statistics.median(b) <= hi2 and hi2 - lo2 > 0.03, (lo2, hi2)
    with pytest.raises(ValueError, match="paired"):
        ratio_interval([1.0, 2.0], [1.0])


def test_interleaved_samples_rotate_the_order_of_each_turn():
    """No function always runs right after the same other one: over three turns each of three functions takes
    each place once, and each gets one sample a turn."""
    from benchmarks.common import interleaved_samples

    order: list[str] = []
    samples = interleaved_samples({k: (lambda k=k: order.append(k)) for k in "abc"}, 3)
    turns = [order[6 + 3 * i:9 + 3 * i] for i in range(3)]  # after two warm-up calls each
    assert turns == [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"]], order
    assert {k: len(v) for k, v in samples.items()} == {"a": 3, "b": 3, "c": 3}
