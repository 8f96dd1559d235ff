"""The autotuner: its search space, tuning on a first call, faults, the cache, AOT config files, logs.

Tuning runs on the CPU backend with a few seconds of budget (``TEGULA_AUTOTUNE_MAX_SECONDS``); faults come
from ``tests_support/faulty_backend.py`` (a CPU backend whose ``fault`` tunable segfaults, hangs, errors or
returns wrong numbers). Each test gets its own cache directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch
from tegula.compiler import backend as backend_mod
from tegula.compiler.autotune import cache, tuner
from tegula.compiler.autotune.space import SearchSpace
from tegula.compiler.errors import TegulaValueError
from tegula.compiler.frontend.device import compile_kernel
from tegula.compiler.kernel import Kernel, search_space
from tegula.dialects.tile import new_context
from tegula.examples.add import add
from tegula.examples.matmul import matmul
from tegula.examples.softmax import softmax

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _tuning_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TEGULA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TEGULA_AUTOTUNE_MAX_SECONDS", "6")
    monkeypatch.setenv("TEGULA_AUTOTUNE_WORKERS", "2")
    monkeypatch.setenv("TEGULA_AUTOTUNE_PROGRESS", "0")
    monkeypatch.delenv("TEGULA_AUTOTUNE_EFFORT", raising=False)
    monkeypatch.setitem(backend_mod.IN_TREE, "faulty", "tests_support.faulty_backend:FaultyBackend")
    return tmp_path


def _space(kernel: Kernel, args: tuple, backend_name: str) -> SearchSpace:
    recorded, spec = kernel.trace(*args)
    backend = backend_mod.get_backend(backend_name, check=False)
    with new_context():
        front = compile_kernel(kernel.host, recorded, spec)
        info = kernel.kernel_info(front, spec)
    default = backend.default_config(info)
    return SearchSpace.build(backend, search_space(backend, backend.pipeline(default)), info, default)


# ---------------------------------------------------------------- the space

def test_space_comes_from_declared_tunables_and_respects_hints():
    space = _space(Kernel(softmax.fn), (torch.randn(1000, 333),), "cpu")
    labels = {d.label: d for d in space.dims}
    assert "block_sizes[0]" in labels and "reduction_loops[0]" in labels, sorted(labels)
    assert max(labels["block_sizes[0]"].choices) <= 1024  # capped at the pow2 above the 1000-row hint
    assert None in labels["reduction_loops[0]"].choices and max(
        c for c in labels["reduction_loops[0]"].choices if c) < 512
    # tune=False tunables are not searched; loops of one dimension get no loop order or L2 grouping
    assert not any(d.key in ("num_threads", "programs", "loop_orders", "l2_groupings") for d in space.dims)
    assert space.config(space.default)["block_sizes"] == space.default_config["block_sizes"]


def test_triton_space_declares_its_hardware_limits():
    a, b = torch.randn(512, 512), torch.randn(512, 512)
    space = _space(Kernel(matmul.fn), (a, b), "triton")
    assert {c.name for c in space.constraints} == {"registers", "dot_tiles"}
    assert "f32_dot_precision" not in {d.key for d in space.dims}  # changes numerics: never searched
    labels = [d.label for d in space.dims]
    big = list(space.default)
    for i, d in enumerate(space.dims):
        if d.key == "block_sizes":
            big[i] = max(d.choices)
        if d.key == "num_stages":
            big[i] = max(d.choices)
    assert space.violation(tuple(big)) is not None, labels
    import random

    rng = random.Random(0)
    points = [space.random(rng) for _ in range(20)]
    assert all(p is not None and space.valid(p) for p in points)
    for p in points[:5]:
        assert all(space.valid(n) for n in space.neighbours(p))


def test_a_reductions_whole_extent_ranks_above_its_chunks():
    x = torch.randn(64, 5000)
    space = _space(Kernel(softmax.fn), (x,), "triton")
    [i] = [i for i, d in enumerate(space.dims) if d.key == "reduction_loops"]
    assert space.dims[i].ordered[-2:] == [4096, None]  # 8192 is the extent: None = all of it
    at_4096 = space.default[:i] + (4096,) + space.default[i + 1:]
    assert space.valid(at_4096), space.violation(at_4096)
    assert {n[i] for n in space.neighbours(at_4096)} == {2048, 4096, None}  # 4096: the moves of other dims
    assert space.further(space.moved(at_4096, i, -1), at_4096) == space.default  # 2048 -> 4096 -> whole


def test_pattern_search_repeats_a_gaining_move_to_a_far_value():
    """One dimension whose best value is five steps from its default, seven flat ones: the pattern move walks
    there in a few points per step instead of a whole neighbourhood per step."""
    import random

    from tegula.compiler.autotune.search import PatternSearch
    from tegula.compiler.autotune.space import Dim

    chunks = (None, 256, 512, 1024, 2048, 4096, 8192, 16384)
    dims = [Dim("reduction_loops", 0, chunks, 256, none_rank=15.0)]
    dims += [Dim(f"flat{j}", None, (1, 2, 4, 8), 2) for j in range(7)]
    space = SearchSpace(backend=None, default_config={}, dims=dims)

    def cost(p: tuple) -> float:  # falls with the chunk up to the whole row; the flat dims cost a little
        rank = dims[0].ordinal(p[0])
        return 100.0 - 5 * rank + sum(abs(v - 2) for v in p[1:]) * 0.01

    measured: list[tuple] = []

    def measure(points: list[tuple]) -> list[float | None]:
        measured.extend(points)
        return [cost(p) for p in points]

    PatternSearch(initial=0).run(space, measure, random.Random(0))
    best = min(measured, key=cost)
    assert best[0] is None and best[1:] == space.default[1:], best
    # the default and its 15 neighbours, one point per step from 512 up to the whole row, then the three best
    # points' 14 untried neighbours each, which gain nothing (a neighbourhood per step would be 7 x 45 points)
    assert len(measured) <= 16 + 6 + 3 * 14, len(measured)


# ---------------------------------------------------------------- tuning on the first call

def test_first_call_tunes_checks_and_caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # 6 s were too few once in CI: the two compile workers' cold start (torch and MLIR imported on a 2-core
    # machine) left time for 4 configs
    monkeypatch.setenv("TEGULA_AUTOTUNE_MAX_SECONDS", "12")
    x = torch.randn(300, 257)
    k = Kernel(softmax.fn, backend="cpu", effort="quick")
    torch.testing.assert_close(k(x), torch.softmax(x, -1))
    result = k.last_tuning
    assert result is not None and len(result.candidates) >= 5, result
    assert result.config["backend"] == "cpu" and result.time_s > 0
    assert result.default_time_s is not None and result.time_s <= result.default_time_s * 1.5
    [compiled] = k.compiled()
    for key, value in result.config.items():
        if key != "backend":
            assert compiled.config[key] == value, key
    entries = list((tmp_path / "cache" / "autotune").glob("softmax-*.json"))
    assert len(entries) == 1
    assert json.loads(entries[0].read_text())["config"] == result.config
    # a new kernel object (a new process, say) finds it in the cache: no tuning
    again = Kernel(softmax.fn, backend="cpu", effort="quick")
    torch.testing.assert_close(again(x), torch.softmax(x, -1))
    assert again.last_tuning is None
    assert again.compiled()[0].config == compiled.config
    # another size bucket is tuned on its own
    y = torch.randn(5000, 257)
    torch.testing.assert_close(again(y), torch.softmax(y, -1))
    assert again.last_tuning is not None and len(again.compiled()) == 2


def test_the_users_tensors_are_not_modified_by_tuning():
    x, y = torch.randn(1000), torch.randn(1000)
    x0, y0 = x.clone(), y.clone()
    k = Kernel(add.fn, backend="cpu", effort="quick")
    out = k(x, y)
    assert torch.equal(x, x0) and torch.equal(y, y0)
    torch.testing.assert_close(out, x0 + y0)


def test_cpu_timings_are_scaled_by_the_defaults_drift(monkeypatch: pytest.MonkeyPatch):
    """The machine turns three times slower after the default config's first timing: a candidate timed beside
    the default comes out at the default's scale, not three times slower."""
    calls, original = [], tuner.timer_for

    def drifting(device):
        real = original(device)

        def time_it(fn, budget_s):
            calls.append(1)
            return real(fn, budget_s) * (1 if len(calls) == 1 else 3)
        return time_it

    monkeypatch.setattr(tuner, "timer_for", drifting)
    monkeypatch.setattr(tuner.Tuner, "_retime", lambda self: None)  # the final comparison would hide it
    x = torch.randn(512, 1024)
    k = Kernel(softmax.fn, backend="cpu", configs=[{"interleave": 2}, {"interleave": 4}])
    torch.testing.assert_close(k(x), torch.softmax(x, -1))
    ref, *given = k.last_tuning.candidates
    assert ref.config.get("interleave") not in (2, 4) and [c.config["interleave"] for c in given] == [2, 4]
    assert len(calls) == 1 + 3 * 2  # the default; then each candidate, the default again, the candidate
    for c in given:
        assert c.time_s < 2 * ref.time_s, (c.time_s, ref.time_s)  # unscaled it would be about 3x


def test_on_a_tie_the_config_nearest_the_default_wins(monkeypatch: pytest.MonkeyPatch):
    """The search's timings put later configs ahead (each timing a little shorter than the last); the final
    comparison times every leader the same: the tuner keeps the default, not the tied config ranked first."""
    calls = []

    def shrinking(fn, budget_s):
        fn()
        calls.append(1)
        return 1e-3 * (1 - 1e-3 * len(calls))

    monkeypatch.setattr(tuner, "timer_for", lambda device: shrinking)
    monkeypatch.setattr(tuner, "retimer_for", lambda device: lambda fn, budget_s: (fn(), 1e-3)[1])
    x = torch.randn(300, 257)
    k = Kernel(softmax.fn, backend="cpu", effort="quick")
    torch.testing.assert_close(k(x), torch.softmax(x, -1))
    result = k.last_tuning
    assert sum(c.status == "ok" for c in result.candidates) >= 3, result.summary()
    default = result.candidates[0].config
    assert {key: v for key, v in result.config.items() if key != "backend"} == default, result.summary()


def test_effort_none_and_a_bad_effort(monkeypatch: pytest.MonkeyPatch):
    x = torch.randn(100, 33)
    k = Kernel(softmax.fn, backend="cpu", effort="none")
    torch.testing.assert_close(k(x), torch.softmax(x, -1))
    assert k.last_tuning is None and k.compiled()[0].bucket is None
    monkeypatch.setenv("TEGULA_AUTOTUNE_EFFORT", "extreme")
    with pytest.raises(TegulaValueError, match="effort must be one of"):
        Kernel(softmax.fn, backend="cpu")(x)


def test_a_tuned_config_pastes_back(tmp_path: Path):
    x = torch.randn(64, 100)
    k = Kernel(softmax.fn, backend="cpu", effort="quick")
    k(x)
    pasted = Kernel(softmax.fn, config=eval(repr(k.last_tuning.config)))
    torch.testing.assert_close(pasted(x), torch.softmax(x, -1))
    assert pasted.compiled()[0].backend.name == "cpu" and pasted.last_tuning is None


# ---------------------------------------------------------------- faults

def test_crashing_hanging_failing_and_wrong_configs_are_excluded(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TEGULA_AUTOTUNE_COMPILE_TIMEOUT", "15")
    monkeypatch.setenv("TEGULA_AUTOTUNE_MAX_SECONDS", "120")
    faults = ["segfault", "hang", "error", "wrong", "none"]
    k = Kernel(softmax.fn, backend="faulty", configs=[{"fault": f} for f in faults])
    x = torch.randn(50, 70)
    torch.testing.assert_close(k(x), torch.softmax(x, -1))
    result = k.last_tuning
    status = {c.config["fault"]: c.status for c in result.candidates if c.eligible}
    assert status == {"segfault": "crash", "hang": "timeout", "error": "error", "wrong": "wrong", "none": "ok"}
    assert result.config["fault"] == "none"
    crash = next(c for c in result.candidates if c.config["fault"] == "segfault")
    assert "SIGSEGV" in crash.message, crash.message
    wrong = next(c for c in result.candidates if c.config["fault"] == "wrong")
    assert "differ" in wrong.message
    assert "4 excluded" in result.summary()


def _faulty_softmax_job(fault: str) -> dict:
    """A worker job: softmax over 50x70 on the faulty test backend with ``fault`` (see ``tests_support``)."""
    from tegula.compiler.autotune import workers

    k = Kernel(softmax.fn, backend="cpu", effort="none")
    return {"kernel": workers.kernel_ref(k), "backend": "tests_support.faulty_backend:FaultyBackend",
            "args": workers.describe_args((torch.randn(50, 70),)), "kwargs": {}, "config": {"fault": fault}}


def test_the_pool_starts_no_job_past_the_tuning_deadline():
    """Jobs still waiting for a worker at the tuning deadline are skipped: the deadline is checked while
    compiles run, not only between them (it used to be lost after the first wait, so that a tuning ran every
    job it had planned however long that took)."""
    import time

    from tegula.compiler.autotune import workers

    job = _faulty_softmax_job("slow")
    pool = workers.WorkerPool(2, timeout=60)
    try:
        pool.run([dict(job, config={"fault": "none"})] * 2)  # the workers are up before the clock starts
        t0 = time.monotonic()
        results = pool.run([job] * 8, deadline=t0 + 3.0)
        took = time.monotonic() - t0
    finally:
        pool.close()
    statuses = [r.status for r in results]
    assert statuses[:2] == ["ok", "ok"], [r.message for r in results]
    assert statuses.count("skipped") >= 4, statuses  # 2 workers x 2 s compiles: at most 4 start by 3 s
    assert took < 7.0, took


def test_a_hard_deadline_stops_the_compiles_still_running():
    """With ``hard_deadline`` (the tuner's, once a config works) a compile still running at the deadline is
    stopped and reported skipped, and the pool runs the next jobs on fresh workers."""
    import time

    from tegula.compiler.autotune import workers

    job = _faulty_softmax_job("hang")
    pool = workers.WorkerPool(2, timeout=600)
    try:
        pool.run([dict(job, config={"fault": "none"})] * 2)
        t0 = time.monotonic()
        results = pool.run([job, dict(job, config={"fault": "none"}), job], deadline=t0 + 3.0, hard_deadline=True)
        took = time.monotonic() - t0
        after = pool.run([dict(job, config={"fault": "none"})])
    finally:
        pool.close()
    assert [r.status for r in results] == ["skipped", "ok", "skipped"], [r.message for r in results]
    assert "time ran out" in results[0].message
    assert took < 8.0, took
    assert after[0].status == "ok", after[0].message


def test_on_cuda_a_workers_first_job_may_outrun_the_compile_cap(monkeypatch: pytest.MonkeyPatch):
    """A CUDA pool's fresh worker pays one-time costs in its first job (Triton's first compile, a launcher
    built with the C compiler): that job may take ``FIRST_JOB_MIN_S`` whatever the cap; the worker's next jobs
    keep to the cap, and a CPU pool's first jobs keep to it too. The 2 s compile of ``slow`` stands for them."""
    from tegula.compiler.autotune import workers

    monkeypatch.setattr(workers.WorkerPool, "FIRST_JOB_MIN_S", 10.0)
    job = _faulty_softmax_job("slow")
    for warm, want in (("cuda", ["ok", "timeout"]), (None, ["timeout", "timeout"])):
        pool = workers.WorkerPool(1, timeout=1.9, warm=warm)  # no CUDA here: the warm-up finds none, quietly
        try:
            results = [pool.run([job])[0], pool.run([dict(job, config={"fault": "none"})])[0], pool.run([job])[0]]
        finally:
            pool.close()
        assert [results[0].status, results[2].status] == want, (warm, [r.message for r in results])
        assert results[1].status == "ok", results[1].message
        if want[0] == "timeout":
            assert "no answer in 2 s" in results[0].message, results[0].message


def test_the_shared_pools_cuda_allowance_follows_each_tuning(monkeypatch: pytest.MonkeyPatch):
    """The process's pool is shared by its tunings; the first-job allowance is the current tuning's: a worker
    that served a CPU tuning gets it on its first CUDA job, and a CPU tuning after a CUDA one keeps to the cap."""
    from tegula.compiler.autotune import workers

    monkeypatch.setattr(workers, "_POOL", None)
    monkeypatch.setattr(workers.WorkerPool, "FIRST_JOB_MIN_S", 10.0)
    slow, fast = _faulty_softmax_job("slow"), dict(_faulty_softmax_job("slow"), config={"fault": "none"})
    pool = workers.pool(1, 1.9)  # a CPU tuning
    try:
        statuses = [pool.run([fast])[0]]
        assert workers.pool(1, 1.9, "cuda") is pool  # a CUDA tuning: the same worker, its first CUDA job
        statuses.append(pool.run([slow])[0])
        assert workers.pool(1, 1.9) is pool and pool.warm is None  # a CPU tuning again
        statuses.append(pool.run([slow])[0])
    finally:
        pool.close()
    assert [r.status for r in statuses] == ["ok", "ok", "timeout"], [r.message for r in statuses]
    assert "no answer in 2 s" in statuses[2].message, statuses[2].message


def test_a_slow_compile_cannot_spend_a_quick_tunings_budget(monkeypatch: pytest.MonkeyPatch):
    """After the default config, a compile may take at most 10x the median compile so far (at least 5 s, at
    most half the tuning's seconds), however long the configured timeout: a batch waits for its slowest
    compile."""
    monkeypatch.delenv("TEGULA_AUTOTUNE_COMPILE_TIMEOUT", raising=False)  # 120 s
    monkeypatch.setenv("TEGULA_AUTOTUNE_MAX_SECONDS", "20")
    k = Kernel(softmax.fn, backend="faulty", configs=[{"fault": "hang"}, {"fault": "none"}])
    x = torch.randn(50, 70)
    torch.testing.assert_close(k(x), torch.softmax(x, -1))
    result = k.last_tuning
    status = {c.config["fault"]: c.status for c in result.candidates if c.eligible}
    assert status == {"hang": "timeout", "none": "ok"}, status
    hang = next(c for c in result.candidates if c.config["fault"] == "hang")
    assert "no answer in 5 s" in hang.message, hang.message
    assert 5 <= hang.compile_s < 10, hang.compile_s
    assert result.seconds < 15, result.seconds


def test_search_over_a_faulty_dimension_finds_a_correct_config(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TEGULA_AUTOTUNE_COMPILE_TIMEOUT", "10")
    monkeypatch.setenv("TEGULA_AUTOTUNE_MAX_SECONDS", "60")
    k = Kernel(add.fn, backend="faulty", effort="quick")
    x, y = torch.randn(2000), torch.randn(2000)
    torch.testing.assert_close(k(x, y), x + y)
    result = k.last_tuning
    assert result.config["fault"] in ("none", "slow")  # the two that compile to a correct kernel
    tried = {c.config["fault"] for c in result.candidates}
    assert len(tried) >= 3, tried  # faults were tried and excluded, not avoided by luck alone
    assert all(c.status != "ok" for c in result.candidates if c.config["fault"] not in ("none", "slow", "wrong"))
    assert all(c.status == "wrong" for c in result.candidates if c.config["fault"] == "wrong")


# ---------------------------------------------------------------- the cache

def test_a_corrupt_cache_entry_is_discarded_and_retuned(tmp_path: Path):
    x = torch.randn(80, 90)
    Kernel(softmax.fn, backend="cpu", effort="quick")(x)
    [entry] = (tmp_path / "cache" / "autotune").glob("softmax-*.json")
    entry.write_text("{not json")
    k = Kernel(softmax.fn, backend="cpu", effort="quick")
    with pytest.warns(RuntimeWarning, match="corrupt autotuning cache entry"):
        torch.testing.assert_close(k(x), torch.softmax(x, -1))
    assert k.last_tuning is not None
    assert json.loads(entry.read_text())["config"] == k.last_tuning.config
    entry.write_text(json.dumps({"format": 1, "config": {}, "backend": "cpu", "key": {"other": 1}}))
    k2 = Kernel(softmax.fn, backend="cpu", effort="quick")
    with pytest.warns(RuntimeWarning):
        k2(x)
    assert k2.last_tuning is not None


def test_two_processes_tuning_at_once_both_finish_and_the_cache_stays_valid(tmp_path: Path):
    script = tmp_path / "tune_one.py"
    script.write_text(textwrap.dedent("""
        import torch
        from tegula.compiler.kernel import Kernel
        from tegula.examples.softmax import softmax
        x = torch.randn(200, 300)
        k = Kernel(softmax.fn, backend="cpu", effort="quick")
        torch.testing.assert_close(k(x), torch.softmax(x, -1))
        print("done", k.last_tuning is not None)
    """))
    env = dict(os.environ, TEGULA_AUTOTUNE_WORKERS="1")
    procs = [subprocess.Popen([sys.executable, str(script)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "done" in out
    entries = list((tmp_path / "cache" / "autotune").glob("softmax-*.json"))
    assert len(entries) == 1 and not list((tmp_path / "cache" / "autotune").glob("*.tmp"))
    assert json.loads(entries[0].read_text())["backend"] == "cpu"


def test_cache_key_names_what_changes_the_result():
    x = torch.randn(10, 20)
    k = Kernel(softmax.fn, backend="cpu")
    _, spec = k.trace(x)
    key = tuner.cache_key(k, spec, [backend_mod.get_backend("cpu")], torch.device("cpu"))
    assert {"kernel", "source", "spec", "bucket", "backends", "pipelines", "device", "compiler", "tegula", "torch",
            "triton"} <= set(key)
    _, spec16 = k.trace(x.bfloat16())
    assert tuner.cache_key(k, spec16, [backend_mod.get_backend("cpu")], torch.device("cpu")) != key


# ---------------------------------------------------------------- ahead of time, logs, scripts

def test_tegula_tune_writes_a_config_file_that_calls_use_without_tuning(tmp_path: Path):
    src = tmp_path / "mysoftmax.py"
    src.write_text((ROOT / "examples" / "softmax.py").read_text())
    env = dict(os.environ, TEGULA_AUTOTUNE_MAX_SECONDS="5")
    run = subprocess.run([sys.executable, "-m", "tegula.compiler.cli", "tune", str(src), "--shapes", "100x200",
                          "3000x64", "--backend", "cpu", "--device", "cpu"], env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    shipped = tmp_path / "mysoftmax.tegula.json"
    data = cache.read_config_file(shipped)
    assert len(data["kernels"]["softmax"]) == 2
    sys.path.insert(0, str(tmp_path))
    try:
        import mysoftmax
    finally:
        sys.path.remove(str(tmp_path))
    k = mysoftmax.softmax
    k.effort = "full"  # would tune for minutes: the shipped file must be used instead
    for shape, entry in zip([(100, 200), (3000, 64)], data["kernels"]["softmax"]):
        x = torch.randn(*shape)
        torch.testing.assert_close(k(x), torch.softmax(x, -1))
        assert k.last_tuning is None
        compiled = next(c for c in k.compiled() if c.bucket == tuner.bucket_of(k.trace(x)[1]))
        assert compiled.config["block_sizes"] == entry["config"]["block_sizes"]
    assert not (tmp_path / "cache" / "autotune").exists() or not list((tmp_path / "cache" / "autotune").iterdir())


def test_candidates_are_logged_as_jsonl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    log = tmp_path / "tune.jsonl"
    monkeypatch.setenv("TEGULA_AUTOTUNE_LOG", str(log))
    k = Kernel(add.fn, backend="faulty", configs=[{"fault": "error"}, {"fault": "none"}])
    x = torch.randn(100)
    k(x, x)
    lines = [json.loads(ln) for ln in log.read_text().splitlines()]
    assert len(lines) == 3  # the reference (default) config and the two given
    assert {ln["status"] for ln in lines} == {"ok", "error"}
    for ln in lines:
        assert {"config", "compile_s", "time_s", "status", "message", "kernel"} <= set(ln)


def test_configs_the_budget_ran_out_on_are_logged_as_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """They are not candidates (the summary does not count them), but the log says where the time went."""
    log = tmp_path / "tune.jsonl"
    monkeypatch.setenv("TEGULA_AUTOTUNE_LOG", str(log))
    monkeypatch.setenv("TEGULA_AUTOTUNE_MAX_SECONDS", "6")
    monkeypatch.setenv("TEGULA_AUTOTUNE_WORKERS", "2")
    k = Kernel(add.fn, backend="faulty", configs=[{"fault": "slow", "block_sizes": [2 ** i]} for i in range(3, 11)])
    x = torch.randn(100)
    torch.testing.assert_close(k(x, x), x + x)  # 8 compiles of 2 s on 2 workers cannot fit in 6 s
    lines = [json.loads(ln) for ln in log.read_text().splitlines()]
    skipped = [ln for ln in lines if ln["status"] == "skipped"]
    assert skipped and all(ln["config"]["fault"] == "slow" for ln in skipped), lines
    assert len(lines) == 1 + 8  # the reference and every given config, measured or not
    assert len(k.last_tuning.candidates) == len(lines) - len(skipped)


def test_a_kernel_in_a_script_tunes_in_workers_that_stop_at_its_first_call(tmp_path: Path):
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent("""
        import torch, tegula
        import tegula.language as tl

        print("top of script")

        @tegula.kernel(backend="cpu", effort="quick")
        def scale(x):
            out = torch.empty_like(x)
            for t in tl.tile(x.size(0)):
                out[t] = x[t] * 2
            return out

        x = torch.randn(3000)
        torch.testing.assert_close(scale(x), x * 2)
        assert scale.last_tuning is not None and scale.last_tuning.candidates
        assert all(c.status == "ok" for c in scale.last_tuning.candidates), scale.last_tuning.summary()
        print("after the call")
    """))
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, TEGULA_AUTOTUNE_WORKERS="1"))
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("after the call") == 1 and run.stdout.count("top of script") == 1
    assert "tegula: tuned `scale`" in run.stderr


# ---------------------------------------------------------------- the backend is searched too; full effort

def test_every_backend_serving_the_device_is_searched_and_the_config_names_the_winner(
        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TEGULA_AUTOTUNE_MAX_SECONDS", "20")
    monkeypatch.setenv("TEGULA_AUTOTUNE_COMPILE_TIMEOUT", "10")
    x = torch.randn(3000)
    k = Kernel(add.fn, effort="quick")  # no backend named: cpu and the (registered) faulty backend serve CPUs
    torch.testing.assert_close(k(x, x), x + x)
    result = k.last_tuning
    assert {c.backend for c in result.candidates} == {"cpu", "faulty"}
    assert result.config["backend"] in ("cpu", "faulty")
    assert k.compiled()[0].backend.name == result.config["backend"]
    if result.config["backend"] == "faulty":  # "slow" compiles in 2 s, then runs the CPU backend's code
        assert result.config["fault"] in ("none", "slow"), result.config


def test_full_effort_fits_a_surrogate_model(monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("sklearn")
    from tegula.compiler.autotune import search

    fitted = []
    real = search.SurrogateSearch.run

    def spy(self, space, measure, rng):
        import sklearn.ensemble

        original = sklearn.ensemble.RandomForestRegressor.fit

        def fit(model, xs, ys):
            fitted.append(len(xs))
            return original(model, xs, ys)

        monkeypatch.setattr(sklearn.ensemble.RandomForestRegressor, "fit", fit)
        return real(self, space, measure, rng)

    monkeypatch.setattr(search.SurrogateSearch, "run", spy)
    monkeypatch.setenv("TEGULA_AUTOTUNE_MAX_SECONDS", "25")
    x = torch.randn(2000, 300)
    k = Kernel(softmax.fn, backend="cpu", effort="full")
    torch.testing.assert_close(k(x), torch.softmax(x, -1))
    assert fitted and fitted[0] >= 4, fitted  # the model saw the initial sample, then proposed points
    assert k.last_tuning.effort == "full"


def test_the_generated_bucket_check_agrees_with_the_buckets():
    import random

    k = Kernel(softmax.fn, backend="cpu")
    rng = random.Random(0)
    sizes = [1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 1000, 1024, 1025]
    for _ in range(60):
        a = torch.empty(rng.choice(sizes), rng.choice(sizes))
        b = torch.empty(rng.choice(sizes), rng.choice(sizes))
        _, sa = k.trace(a)
        _, sb = k.trace(b)
        if sa.key != sb.key:
            continue
        assert tuner.bucket_checker(sa)(sb.items) == (tuner.bucket_of(sa) == tuner.bucket_of(sb)), (a.shape, b.shape)
        assert tuner.bucket_checker(sa)(sa.items)


def test_a_kernel_made_in_a_function_tunes_in_process_with_a_warning():
    import tegula
    import tegula.language as tl

    def make():
        @tegula.kernel(backend="cpu", effort="quick")
        def double(x):
            out = torch.empty_like(x)
            for t in tl.tile(x.size(0)):
                out[t] = x[t] * 2
            return out
        return double

    k = make()
    x = torch.randn(500)
    with pytest.warns(RuntimeWarning, match="not reachable by module and name"):
        torch.testing.assert_close(k(x), x * 2)
    assert k.last_tuning is not None and all(c.status == "ok" for c in k.last_tuning.candidates)


def test_bad_kernel_code_is_a_located_error_before_any_tuning():
    import tegula
    import tegula.language as tl
    from tegula.compiler.errors import TegulaCompileError

    @tegula.kernel(backend="cpu", effort="quick")
    def bad(x):
        out = torch.empty_like(x)
        for t in tl.tile(x.size(0)):
            out[t] = x[t].no_such_method()
        return out

    with pytest.raises(TegulaCompileError, match=r"test_autotune\.py:\d+"):
        bad(torch.randn(10))
    assert bad.last_tuning is None
