"""The autotuner: choose a config (and backend) for one kernel call.

``choose(kernel, args, kwargs, recorded, spec)`` is what a kernel's first
call of a new specialization and size bucket runs when no ``config=`` was
given: a shipped config file's entry if there is one, else the on-disk
cache's, else ``tune``. ``tune`` searches, for every backend that can run the
call (or the one named), the space of the tunables declared by the backend
and the passes of its pipeline (``space.SearchSpace``) with a strategy of
``search``; every candidate compiles and runs once in a worker process
(``workers``: a crash or hang loses that candidate, not the tuner), then
compiles here, runs on fresh copies of the arguments with its outputs
poisoned, must match the default config's outputs, and is timed (``timing``:
device timers, L2 flushed). The leaders are timed again before the best is
kept. A progress bar shows configs tried, the best time and elapsed time; the
winner is printed as a dict to paste back as ``config=``.

Effort: ``kernel(effort=...)``, else ``$TEGULA_AUTOTUNE_EFFORT``, else
``quick``; ``none`` uses the default config. Other knobs (environment):
``TEGULA_AUTOTUNE_LOG`` (a JSONL file, one line per candidate, and per config
the budget ran out on: status ``skipped``),
``TEGULA_AUTOTUNE_WORKERS`` (0: compile in this process),
``TEGULA_AUTOTUNE_COMPILE_TIMEOUT`` (seconds a compile may take; after the first
config that works, 10x the median compile so far, at least 5 s and at most
half the tuning's seconds), ``TEGULA_AUTOTUNE_MAX_SECONDS``,
``TEGULA_AUTOTUNE_PROGRESS=0``.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch

from tegula.compiler.autotune import cache as cache_mod
from tegula.compiler.autotune import workers
from tegula.compiler.autotune.search import EFFORTS, Stop
from tegula.compiler.autotune.space import SearchSpace
from tegula.compiler.autotune.timing import retimer_for, timer_for
from tegula.compiler.backend import Backend, available_backends, get_backend, pow2_ceil
from tegula.compiler.errors import TegulaError, TegulaValueError
from tegula.compiler.frontend.device import compile_kernel
from tegula.compiler.frontend.host import run_host
from tegula.compiler.kernel import tensors_in
from tegula.dialects.tile import new_context

EFFORT_NAMES = ("none", "quick", "full")
_WARNED: set[str] = set()


#: leaders timed again at the end, and the rounds of that (``Tuner._retime``): on a 9 us softmax the quick
#: search's timings of configs within 5% of each other did not rank them as CUDA-graph replay did
RETIME_LEADERS = 5
RETIME_ROUNDS = 5


#: once a config works, a compile may take this many times the median compile so far, and at least
#: ``MIN_COMPILE_CAP_S`` (``Tuner._compile_timeout``)
COMPILE_CAP_X = 10
MIN_COMPILE_CAP_S = 5.0


def effort_of(kernel: Any) -> str:
    effort = getattr(kernel, "effort", None) or os.environ.get("TEGULA_AUTOTUNE_EFFORT") or "quick"
    if effort not in EFFORT_NAMES:
        raise TegulaValueError(f"autotuning effort must be one of {EFFORT_NAMES}, got {effort!r} "
                               "(from effort= or $TEGULA_AUTOTUNE_EFFORT)")
    return effort


# ---------------------------------------------------------------- keys

def bucket_of(spec: Any) -> tuple:
    """The size bucket of a call: every tensor size and int rounded up to a power of two."""
    out = []
    for _, v in spec.items:
        if isinstance(v, torch.Tensor):
            out.append(tuple(pow2_ceil(s) for s in v.shape))
        elif isinstance(v, int) and not isinstance(v, bool):
            out.append(pow2_ceil(v))
    return tuple(out)


def bucket_checker(spec: Any) -> Any:
    """A generated ``items -> bool``: whether a call's spec items fall in ``spec``'s bucket. A tuned kernel
    runs it on every call, so it is one expression of comparisons, not a loop (host overhead)."""
    conds = []

    def bound(expr: str, n: int) -> str:
        p = pow2_ceil(n)
        return f"{expr} <= 1" if p <= 1 else f"{p // 2} < {expr} <= {p}"

    for i, (_, v) in enumerate(spec.items):
        if isinstance(v, torch.Tensor):
            conds += [bound(f"it[{i}][1].shape[{d}]", s) for d, s in enumerate(v.shape)]
        elif isinstance(v, int) and not isinstance(v, bool):
            conds.append(bound(f"it[{i}][1]", v))
    return eval("lambda it: " + (" and ".join(conds) or "True"))  # noqa: S307 - our own text


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    import platform

    return f"{platform.machine()} {platform.processor() or 'cpu'} x{os.cpu_count()}"


def _versions() -> dict[str, str]:
    import tegula

    out = {"tegula": tegula.__version__, "torch": torch.__version__}
    try:
        import triton

        out["triton"] = triton.__version__
    except ImportError:
        out["triton"] = "none"
    return out


def _source(kernel: Any) -> str:
    import inspect

    try:
        return inspect.getsource(kernel.fn)
    except (OSError, TypeError):
        return kernel.fn.__qualname__


_COMPILER_HASH: list[str] = []


def compiler_hash() -> str:
    """A hash of Tegula's own source (passes, backends, frontend): a changed pass invalidates tuned configs
    even where the version number did not move (a development checkout)."""
    if not _COMPILER_HASH:
        import hashlib

        import tegula.compiler

        root = Path(tegula.compiler.__file__).resolve().parent.parent
        h = hashlib.sha256()
        for sub in ("compiler", "passes", "backends", "dialects", "tegula"):
            for f in sorted((root / sub).rglob("*.py")) if (root / sub).is_dir() else []:
                h.update(f.read_bytes())
        _COMPILER_HASH.append(h.hexdigest()[:16])
    return _COMPILER_HASH[0]


def cache_key(kernel: Any, spec: Any, backends: list[Backend], device: torch.device,
              pipelines: list[str] | None = None) -> dict[str, Any]:
    import hashlib

    return {"kernel": kernel.fn.__name__, "source": hashlib.sha256(_source(kernel).encode()).hexdigest()[:24],
            "spec": repr(spec.key), "bucket": [list(b) if isinstance(b, tuple) else b for b in bucket_of(spec)],
            "backends": [b.cache_key() for b in backends], "pipelines": pipelines or [],
            "device": device_name(device), "compiler": compiler_hash(), **_versions()}


def default_pipelines(kernel: Any, recorded: list, spec: Any, backends: list[Backend]) -> list[str]:
    """Each backend's pipeline under its default config for this call (part of the cache key)."""
    with new_context():
        front = compile_kernel(kernel.host, recorded, spec)
        info = kernel.kernel_info(front, spec)
    return [b.pipeline(b.default_config(info)) for b in backends]


# ---------------------------------------------------------------- results

@dataclass
class Candidate:
    backend: str
    config: dict[str, Any]
    status: str  # ok | wrong | error | crash | timeout | run_error
    compile_s: float = 0.0
    time_s: float | None = None
    message: str = ""
    #: False for the default config measured only as the reference of ``configs=[...]``
    eligible: bool = True


@dataclass
class TuneResult:
    kernel: str
    backend: str
    config: dict[str, Any]
    time_s: float
    default_time_s: float | None
    seconds: float
    effort: str
    candidates: list[Candidate] = field(default_factory=list)
    #: seconds from the start until a config within 2% of the final best was first measured
    seconds_to_98: float | None = None
    backends_excluded: dict[str, str] = field(default_factory=dict)

    @property
    def excluded(self) -> list[Candidate]:
        return [c for c in self.candidates if c.status != "ok"]

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for c in self.excluded:
            counts[c.status] = counts.get(c.status, 0) + 1
        ex = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        speed = (f"; {self.default_time_s / self.time_s:.2f}x the default config"
                 if self.default_time_s and self.time_s else "")
        text = (f"tegula: tuned `{self.kernel}` ({self.effort}) in {self.seconds:.1f} s: {len(self.candidates)} "
                f"configs, {len(self.excluded)} excluded{f' ({ex})' if ex else ''}; best {self.time_s * 1e3:.4g} ms "
                f"on {self.backend}{speed}")
        for name, why in self.backends_excluded.items():
            text += f"\n  backend {name} excluded: {why}"
        return text + f"\n  config={self.config!r}"


# ---------------------------------------------------------------- arguments

def _clone(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        out = torch.empty_strided(value.shape, value.stride(), dtype=value.dtype, device=value.device)
        out.copy_(value)
        return out
    if isinstance(value, (list, tuple)):
        return type(value)(_clone(v) for v in value)
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    return value


def _poison(t: torch.Tensor) -> None:
    if t.dtype.is_floating_point or t.dtype.is_complex:
        t.fill_(float("nan"))
    elif t.dtype == torch.bool:
        t.fill_(True)
    else:
        t.fill_(-7)


_TOLERANCE = {torch.float32: 1e-3, torch.float64: 1e-6, torch.float16: 1e-2, torch.bfloat16: 4e-2}


def _mismatch(got: list[torch.Tensor], want: list[torch.Tensor]) -> str | None:
    if len(got) != len(want):
        return f"{len(got)} outputs, expected {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        if g.shape != w.shape or g.dtype != w.dtype:
            return f"output {i}: {tuple(g.shape)} {g.dtype}, expected {tuple(w.shape)} {w.dtype}"
        if not (g.dtype.is_floating_point or g.dtype.is_complex):
            if not torch.equal(g, w):
                return f"output {i}: {int((g != w).sum())} elements differ"
            continue
        tol = _TOLERANCE.get(g.dtype, 1e-3)
        wide = g.dtype in (torch.float16, torch.bfloat16)  # compared in float32 (float32/64 as they are)
        gf, wf = (g.float(), w.float()) if wide else (g, w)
        finite = torch.isfinite(wf)
        scale = float(wf[finite].abs().max()) if bool(finite.any()) else 1.0
        bad = ~torch.isclose(gf, wf, rtol=tol, atol=tol * max(scale, 1e-6), equal_nan=True)
        if bool(bad.any()):
            n = int(bad.sum())
            at = tuple(int(j) for j in torch.nonzero(bad)[0])
            return f"output {i}: {n} of {g.numel()} elements differ (at {at}: {float(gf[at])} vs {float(wf[at])})"
    return None


def _distance(cfg: dict[str, Any], default: dict[str, Any]) -> int:
    return sum(1 for k, v in cfg.items() if default.get(k) != v)


class _Call:
    """The call being tuned: copies of its arguments to check and time candidates on."""

    def __init__(self, kernel: Any, args: tuple, kwargs: dict) -> None:
        self.kernel = kernel
        self.args, self.kwargs = _clone(args), _clone(kwargs)  # pristine copies: the user's tensors stay untouched
        self.timed_args, self.timed_kwargs = _clone(args), _clone(kwargs)
        self.timed_recorded, self.timed_spec = kernel.trace(*self.timed_args, **self.timed_kwargs)

    def outputs(self, compiled: Any) -> list[torch.Tensor]:
        """Runs ``compiled`` on fresh copies, its host-allocated outputs poisoned; returns every tensor after."""
        args, kwargs = _clone(self.args), _clone(self.kwargs)
        result, recorded = run_host(self.kernel.host, args, kwargs)
        from tegula.compiler.frontend.spec import make_spec

        spec = make_spec(self.kernel.host, recorded)
        inputs = {t.untyped_storage().data_ptr() for t in tensors_in((args, kwargs))}
        for t in tensors_in(result):
            if t.untyped_storage().data_ptr() not in inputs:
                _poison(t)
        compiled.launcher(compiled.args(spec))
        return [t.clone() for t in tensors_in(result)] + [t.clone() for t in tensors_in((args, kwargs))]


# ---------------------------------------------------------------- the tuner

def candidate_backends(kernel: Any, spec: Any, device: torch.device) -> list[Backend]:
    """The named backend, else every available one that serves ``device`` and is worth tuning there."""
    if kernel.backend_name is not None:
        return [kernel.choose_backend(spec)]
    out = []
    for name, why in available_backends().items():
        if not why:
            b = get_backend(name)
            if b.supports_device(device) and b.autotune_candidate(device):
                out.append(b)
    return out or [kernel.choose_backend(spec)]


class _Budget:
    def __init__(self, configs: int, seconds: float) -> None:
        self.configs, self.seconds = configs, seconds
        self.start = time.perf_counter()
        self.used = 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def take(self, n: int) -> int:
        if self.elapsed() > self.seconds:
            return 0
        n = min(n, self.configs - self.used)
        self.used += max(n, 0)
        return max(n, 0)


class _Progress:
    def __init__(self, name: str, total: int) -> None:
        enabled = os.environ.get("TEGULA_AUTOTUNE_PROGRESS", "1") != "0"
        self.bar = None
        if enabled:
            try:
                from tqdm import tqdm

                # disable=None: no bar when stderr is not a terminal (logs get the summary line only)
                self.bar = tqdm(total=total, desc=f"tuning {name}", unit="cfg", file=sys.stderr, leave=True,
                                dynamic_ncols=True, disable=None, mininterval=0.25)
            except ImportError:
                self.bar = None
        self.best: float | None = None
        self.excluded = 0

    def update(self, c: Candidate) -> None:
        if c.status == "ok" and c.time_s is not None and (self.best is None or c.time_s < self.best):
            self.best = c.time_s
        self.excluded += c.status != "ok"
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(f"best {self.best * 1e3:.4g} ms, {self.excluded} excluded"
                                     if self.best else f"{self.excluded} excluded")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Tuner:
    def __init__(self, kernel: Any, args: tuple, kwargs: dict, spec: Any, effort: str,
                 configs: list[dict[str, Any]] | None = None, log: str | None = None, seed: int = 0) -> None:
        self.kernel, self.spec, self.effort = kernel, spec, effort
        self.given = configs
        self.device = kernel.call_device(spec)
        self.call = _Call(kernel, args, kwargs)
        self.job_args, self.job_kwargs = workers.describe_args(args), workers.describe_args(kwargs)
        self.ref = workers.kernel_ref(kernel)
        self.rng = random.Random(seed)
        self.log_path = log or os.environ.get("TEGULA_AUTOTUNE_LOG")
        self.timer = timer_for(self.device)
        self.retimer = retimer_for(self.device)
        self.quick_budget_s = 0.02 if self.device.type == "cuda" else 0.05
        n_workers = os.environ.get("TEGULA_AUTOTUNE_WORKERS")
        self.workers = int(n_workers) if n_workers not in (None, "") else min(8, os.cpu_count() or 1)
        self.timeout = float(os.environ.get("TEGULA_AUTOTUNE_COMPILE_TIMEOUT", "120"))
        if self.ref is None and self.workers > 0 and kernel.fn.__qualname__ not in _WARNED:
            _WARNED.add(kernel.fn.__qualname__)
            warnings.warn(f"tegula: kernel `{kernel.fn.__qualname__}` is not reachable by module and name (made "
                          "inside a function?): its autotuning candidates compile in this process, so a candidate "
                          "that crashes the compiler would end it; define kernels at module level",
                          RuntimeWarning, stacklevel=4)
        self.candidates: list[Candidate] = []
        self.by_fingerprint: dict[tuple[str, str], Candidate] = {}
        self.defaults: dict[str, dict[str, Any]] = {}
        #: the default config's candidate on the first backend that runs it (what "x the default" compares with)
        self.reference: Candidate | None = None
        self.best: Candidate | None = None
        self.baseline: list[torch.Tensor] | None = None
        self.found_at: list[tuple[float, float]] = []  # (elapsed, time) of each improvement
        self.start = time.perf_counter()

    def space(self, backend: Backend) -> SearchSpace:
        from tegula.compiler.kernel import search_space

        with new_context():
            front = compile_kernel(self.kernel.host, self.call.timed_recorded, self.call.timed_spec)
            info = self.kernel.kernel_info(front, self.call.timed_spec)
        default = backend.default_config(info)
        return SearchSpace.build(backend, search_space(backend, backend.pipeline(default)), info, default)

    # -- measuring
    def _log(self, c: Candidate) -> None:
        if self.log_path:
            with open(self.log_path, "a") as f:
                f.write(json.dumps({"kernel": self.kernel.fn.__name__, **asdict(c),
                                    "elapsed_s": time.perf_counter() - self.start}, default=str) + "\n")

    def measure(self, backend: Backend, configs: list[dict[str, Any]], budget: _Budget,
                progress: _Progress, eligible: bool = True) -> list[float | None]:
        n = budget.take(len(configs))
        if n == 0:
            raise Stop
        truncated = n < len(configs)
        configs = configs[:n]
        jobs = [{"kernel": self.ref, "backend": workers.backend_ref(backend), "args": self.job_args,
                 "kwargs": self.job_kwargs, "config": cfg} for cfg in configs]
        if self.ref is None or self.workers <= 0:
            results = []
            for job in jobs:  # no isolation possible: compile here
                job["kernel_obj"] = self.kernel
                results.append(workers.run_job(job))
        else:
            deadline = time.monotonic() + budget.seconds - budget.elapsed()
            # once a config works, compiles still running at the deadline are stopped (the first must finish)
            warm = "cuda" if self.device.type == "cuda" else None
            results = workers.pool(self.workers, self._compile_timeout(budget), warm).run(
                jobs, deadline, hard_deadline=self._one_works())
        times: list[float | None] = []
        for cfg, res in zip(configs, results):
            if res.status == "skipped" or (eligible and budget.elapsed() > budget.seconds and self.best is not None):
                truncated = True  # the budget ran out before it compiled or was measured: not a candidate
                times.append(None)
                # logged all the same: where a tuning's time went (a compile stopped at the deadline)
                self._log(Candidate(backend.name, cfg, "skipped", res.seconds, None,
                                    res.message or "the budget ran out before it was measured", eligible))
                continue
            c = Candidate(backend.name, cfg, res.status, res.seconds, None, res.message, eligible)
            twin = self.by_fingerprint.get((backend.name, res.fingerprint)) if res.fingerprint else None
            if res.status == "ok" and twin is not None:  # the same code as a config measured already: not rerun
                budget.used -= 1
                c.status, c.time_s, c.message = twin.status, twin.time_s, "the same code as an earlier config"
                if hasattr(twin, "_compiled"):
                    c._compiled = twin._compiled  # type: ignore[attr-defined]
                default = self.defaults.get(backend.name, {})
                if twin.eligible and _distance(cfg, default) < _distance(twin.config, default):
                    twin.config = cfg  # the config printed at the end says no more than it must
            elif res.status == "ok":
                self._evaluate(backend, c)
                if res.fingerprint:
                    self.by_fingerprint[(backend.name, res.fingerprint)] = c
            self.candidates.append(c)
            self._log(c)
            progress.update(c)
            if c.status == "ok" and eligible and (self.best is None or c.time_s < self.best.time_s):
                self.best = c
                self.found_at.append((time.perf_counter() - self.start, c.time_s))
            times.append(c.time_s if c.status == "ok" else None)
        if truncated or budget.elapsed() > budget.seconds:
            raise Stop
        return times

    def _one_works(self) -> bool:
        return any(c.status == "ok" for c in self.candidates)

    def _compile_timeout(self, budget: _Budget) -> float:
        """Seconds a candidate may compile. The configured timeout for the first config that works (the
        default); after it, ``COMPILE_CAP_X`` times the median compile so far, at least ``MIN_COMPILE_CAP_S``
        and at most half the tuning's budget. A batch waits for its slowest compile, so one pathological config
        (a huge tile that ptxas takes a minute over) must not spend a quick tuning's budget. On the H100 (run k,
        30 s tunings), compiles took a median 0.1-0.6 s; under the old cap (half the budget, at least 10 s)
        matmul's first batch waited 15 s for one config (16x64x128 tiles on one warp, 6 stages), and matmul
        measured 14 configs where add and sum measured 81-104."""
        if not self._one_works():
            return self.timeout
        done = sorted(c.compile_s for c in self.candidates if c.status in ("ok", "wrong", "run_error", "error"))
        typical = COMPILE_CAP_X * done[len(done) // 2] if done else 0.0
        return min(self.timeout, max(MIN_COMPILE_CAP_S, min(typical, budget.seconds / 2)))

    def _evaluate(self, backend: Backend, c: Candidate) -> None:
        try:
            compiled = self.kernel.compile_spec(self.call.timed_recorded, self.call.timed_spec, c.config, backend)
            outs = self.call.outputs(compiled)
        except Exception as e:  # noqa: BLE001 - it compiled in the worker; here it failed: exclude it
            c.status, c.message = "run_error", f"{type(e).__name__}: {e}".splitlines()[0][:300]
            return
        if self.baseline is None:
            self.baseline = outs
        else:
            why = _mismatch(outs, self.baseline)
            if why:
                c.status, c.message = "wrong", why
                return
        launch_args = compiled.args(self.call.timed_spec)
        try:
            c.time_s = self.timer(lambda: compiled.launcher(launch_args), self.quick_budget_s)
            ref = self.reference
            if self.device.type != "cuda" and ref is not None and ref.time_s and hasattr(ref, "_compiled"):
                # a shared CPU's speed drifts by tens of percent within a minute (2 cores of a VM: torch's sum
                # over 4096x8192 float32 took 2.9 ms and 4.4 ms minutes apart), more than configs differ: time the
                # default config beside the candidate and scale the candidate's time by how far the default
                # moved from its own first time, so every candidate is ranked at one machine speed
                k, a = ref._compiled, ref._compiled.args(self.call.timed_spec)  # type: ignore[attr-defined]
                now = self.timer(lambda: k.launcher(a), self.quick_budget_s)
                c.time_s = min(c.time_s, self.timer(lambda: compiled.launcher(launch_args), self.quick_budget_s))
                c.time_s *= ref.time_s / now
        except Exception as e:  # noqa: BLE001
            c.status, c.message = "run_error", f"{type(e).__name__}: {e}".splitlines()[0][:300]
        c._compiled = compiled  # type: ignore[attr-defined] - kept for the final re-timing

    # -- the search
    def run(self) -> TuneResult:
        backends, excluded_backends = candidate_backends(self.kernel, self.spec, self.device), {}
        strategy_of, max_configs, max_seconds = EFFORTS[self.effort if self.effort in EFFORTS else "quick"]
        max_seconds = float(os.environ.get("TEGULA_AUTOTUNE_MAX_SECONDS", max_seconds))
        total = len(self.given) * len(backends) if self.given else max_configs
        progress = _Progress(self.kernel.fn.__name__, total)
        try:
            for i, backend in enumerate(backends):
                share = (max_seconds - (time.perf_counter() - self.start)) / (len(backends) - i)
                budget = _Budget(max_configs // len(backends) if not self.given else len(self.given), share)
                space = self.space(backend)
                self.defaults[backend.name] = space.default_config
                try:
                    if self.given:
                        if self.baseline is None:  # the reference outputs: the default config's
                            self.measure(backend, [space.config(space.default)], _Budget(1, 1e9), progress, False)
                            if self.candidates and self.candidates[-1].status == "ok":
                                self.reference = self.candidates[-1]
                        mine = [c for c in self.given if c.get("backend", backend.name) == backend.name]
                        if mine:  # a given config that names another backend is measured on that one only
                            self.measure(backend, [{**space.default_config, **c} for c in mine], budget, progress)
                        continue
                    first = self.measure(backend, [space.config(space.default)], budget, progress)[0]
                    if first is None:  # the default config does not work: the backend cannot run this kernel
                        last = self.candidates[-1]
                        excluded_backends[backend.name] = f"its default config failed ({last.status}: " \
                                                          f"{(last.message.splitlines() or [''])[0][:200]})"
                        continue
                    if self.reference is None:
                        self.reference = self.candidates[-1]
                    strategy = strategy_of()
                    strategy.run(space, lambda pts, b=backend, s=space, bu=budget: self.measure(
                        b, [s.config(p) for p in pts], bu, progress), self.rng)
                except Stop:
                    pass
        finally:
            progress.close()
        if self.best is None:
            reasons = "; ".join(f"{c.status}: {(c.message.splitlines() or [''])[0][:200]}"
                                for c in self.candidates[:3])
            raise TegulaError(f"autotuning `{self.kernel.fn.__name__}` found no config that compiles and runs "
                              f"({len(self.candidates)} tried: {reasons})")
        self._retime()
        best = self.best
        default_time = self.reference.time_s if self.reference is not None else None
        for c in self.candidates:  # the compiled candidates (modules, contexts, binaries) are not kept alive
            c.__dict__.pop("_compiled", None)
        import gc

        gc.collect()
        final = {"backend": best.backend, **{k: v for k, v in best.config.items()}}
        to98 = next((t for t, v in self.found_at if v <= best.time_s / 0.98), None)
        return TuneResult(self.kernel.fn.__name__, best.backend, final, best.time_s, default_time,
                          time.perf_counter() - self.start, self.effort, self.candidates, to98, excluded_backends)

    def _retime(self) -> None:
        """Times the ``RETIME_LEADERS`` leaders and the default again, longer, in ``RETIME_ROUNDS`` alternating
        rounds (median), by the retimer (CUDA-graph replay on a GPU), and keeps the fastest leader: noise does
        not pick the winner, nor the speedup over the default."""
        ok, seen = [], set()
        ranked = sorted((c for c in self.candidates if c.status == "ok" and c.eligible and hasattr(c, "_compiled")),
                        key=lambda c: c.time_s)
        for c in ranked[:RETIME_LEADERS] + ([self.reference] if self.reference is not None else []):
            if hasattr(c, "_compiled") and id(c._compiled) not in seen:  # type: ignore[attr-defined]
                seen.add(id(c._compiled))  # type: ignore[attr-defined]
                ok.append(c)
        if len(ok) < 2:
            return
        again: dict[int, list[float]] = {id(c): [] for c in ok}
        for _ in range(RETIME_ROUNDS):
            for c in ok:
                compiled = c._compiled  # type: ignore[attr-defined]
                a = compiled.args(self.call.timed_spec)
                again[id(c)].append(self.retimer(lambda k=compiled, a=a: k.launcher(a), self.quick_budget_s * 3))
        new = {id(c._compiled): sorted(again[id(c)])[RETIME_ROUNDS // 2] for c in ok}  # type: ignore[attr-defined]
        for c in self.candidates:  # twins share the compiled code, hence the new time
            if id(getattr(c, "_compiled", None)) in new:
                c.time_s = new[id(c._compiled)]  # type: ignore[attr-defined]
        # on an exact tie the config nearer the default wins (an H100 gave a 9 us softmax's default and a config
        # that differed from it in many settings the same 9.088 us, and the tuner printed the other config)
        self.best = min((c for c in ok if c.eligible),
                        key=lambda c: (c.time_s, _distance(c.config, self.defaults.get(c.backend, {}))))


def tune(kernel: Any, args: tuple, kwargs: dict, spec: Any, effort: str | None = None,
         configs: list[dict[str, Any]] | None = None, log: str | None = None) -> TuneResult:
    """Tunes ``kernel`` for this call (its arguments are not modified); see the module docstring."""
    return Tuner(kernel, args, kwargs, spec, effort or effort_of(kernel), configs, log).run()


# ---------------------------------------------------------------- what a call uses

def _config_file(kernel: Any) -> Path | None:
    given = getattr(kernel, "config_file", None)
    if given:
        return Path(given)
    src = getattr(sys.modules.get(kernel.fn.__module__), "__file__", None)
    return cache_mod.default_config_file(src) if src else None


def choose(kernel: Any, args: tuple, kwargs: dict, recorded: list, spec: Any) -> dict[str, Any] | None:
    """The config for this call: shipped file, cache, or tuning (None: the default config, untuned)."""
    effort = effort_of(kernel)
    device = kernel.call_device(spec)
    path = _config_file(kernel)
    if path is not None:
        entry = cache_mod.find_shipped(path, kernel.fn.__name__, repr(spec.key), device.type,
                                       [list(b) if isinstance(b, tuple) else b for b in bucket_of(spec)])
        if entry is not None:
            return dict(entry["config"])
    if effort == "none" and not kernel.configs:
        return None
    tuner_effort = effort if effort != "none" else "quick"
    store = cache_mod.Cache()
    backends = candidate_backends(kernel, spec, device)
    key = cache_key(kernel, spec, backends, device, default_pipelines(kernel, recorded, spec, backends))
    if kernel.configs:
        key["configs"] = kernel.configs
    hit = store.get(key, tuner_effort)
    if hit is not None:
        return dict(hit["config"])
    result = tune(kernel, args, kwargs, spec, tuner_effort, configs=kernel.configs)
    print(result.summary(), file=sys.stderr, flush=True)
    store.put(key, {"config": result.config, "backend": result.backend, "effort": tuner_effort,
                    "time_s": result.time_s, "default_time_s": result.default_time_s,
                    "tuned_in_s": result.seconds, "candidates": len(result.candidates)})
    kernel.last_tuning = result
    return dict(result.config)
