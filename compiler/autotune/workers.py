"""Compile workers: candidates compile (and run once) in separate processes.

A worker is a Python process running ``serve(fd)``, talking to the
tuner over a socket (pickled messages, so a kernel's prints cannot garble
them). For each job it rebuilds the call's arguments (zero-filled tensors of
the same shapes, strides, dtypes and devices), compiles the kernel under the
job's config with the job's backend and launches it once: Triton's on-disk
cache then holds the binary, so the tuner's own compile of a good candidate
is quick, and a candidate that crashes the compiler or the device, or hangs,
takes down a worker, never the tuner. The pool restarts dead workers, kills
those past the timeout, and stops idle ones after a minute (each may hold a
CUDA context).

Kernels are found by module and qualified name; a kernel defined in the
script being run (``__main__``) is found by running that script in the
worker up to its first kernel call. Kernels that cannot be found that way (a
kernel made inside a function) compile in the tuner's process instead.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any


@dataclass
class JobResult:
    status: str  # "ok" | "error" (a compile or launch error) | "crash" | "timeout" | "skipped"
    seconds: float = 0.0
    message: str = ""
    #: a hash of what runs (the tiled IR and the backend's own settings): equal configs compile alike
    fingerprint: str = ""


# ---------------------------------------------------------------- what a job carries

def describe_args(value: Any) -> Any:
    """A picklable description of a call's arguments (tensors by shape, strides, dtype and device)."""
    import torch

    if isinstance(value, torch.Tensor):
        return ("__tensor__", tuple(value.shape), tuple(value.stride()), str(value.dtype).removeprefix("torch."),
                str(value.device), value.storage_offset())
    if isinstance(value, (list, tuple)):
        return type(value)(describe_args(v) for v in value)
    if isinstance(value, dict):
        return {k: describe_args(v) for k, v in value.items()}
    return value


def rebuild_args(value: Any) -> Any:
    import torch

    if isinstance(value, tuple) and value and value[0] == "__tensor__":
        _, shape, stride, dtype, device, offset = value
        span = offset + sum((s - 1) * st for s, st in zip(shape, stride)) + 1 if all(shape) else offset
        base = torch.zeros(max(span, 1), dtype=getattr(torch, dtype), device=device)
        return base.as_strided(shape, stride, offset)
    if isinstance(value, (list, tuple)):
        return type(value)(rebuild_args(v) for v in value)
    if isinstance(value, dict):
        return {k: rebuild_args(v) for k, v in value.items()}
    return value


def kernel_ref(kernel: Any) -> tuple[str, str, str] | None:
    """(module, qualified name, file) by which a worker finds ``kernel``; None if it cannot."""
    fn = kernel.fn
    if "<locals>" in fn.__qualname__ or "<lambda>" in fn.__qualname__:
        return None
    module = sys.modules.get(fn.__module__)
    obj: Any = module
    for part in fn.__qualname__.split("."):
        obj = getattr(obj, part, None)
    if obj is not kernel and getattr(obj, "fn", None) is not fn and obj is not fn:
        return None
    path = getattr(module, "__file__", None) or ""
    if fn.__module__ == "__main__" and not os.path.isfile(path):  # python -c, a notebook: no script to rerun
        return None
    return fn.__module__, fn.__qualname__, path


def backend_ref(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}:{cls.__qualname__}"


# ---------------------------------------------------------------- the worker side

class FirstCall(BaseException):
    """Raised at the first kernel call while a worker runs the user's script to find its kernels."""


#: set while a worker runs the user's script: the first kernel call stops it (``FirstCall``)
STOP_AT_FIRST_CALL = False


_FOUND: dict[tuple, Any] = {}


def _find_kernel(ref: tuple[str, str, str]) -> Any:
    if tuple(ref) not in _FOUND:
        _FOUND[tuple(ref)] = _locate(ref)
    return _FOUND[tuple(ref)]


def _locate(ref: tuple[str, str, str]) -> Any:
    from tegula.compiler.kernel import Kernel

    module_name, qualname, path = ref
    if module_name == "__main__":
        global STOP_AT_FIRST_CALL
        namespace: dict[str, Any] = {"__name__": "__tegula_worker__", "__file__": path}
        STOP_AT_FIRST_CALL = True
        try:
            with open(path) as f:
                code = compile(f.read(), path, "exec")
            exec(code, namespace)  # noqa: S102 - the user's own script, stopped at its first kernel call
        except FirstCall:
            pass
        finally:
            STOP_AT_FIRST_CALL = False
        obj: Any = namespace.get(qualname.split(".")[0])
        for part in qualname.split(".")[1:]:
            obj = getattr(obj, part)
    else:
        obj = importlib.import_module(module_name)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    if isinstance(obj, Kernel):
        return Kernel(obj.fn)
    return Kernel(obj)


def _load_backend(ref: str) -> Any:
    module, _, attr = ref.partition(":")
    obj: Any = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj()


def run_job(job: dict[str, Any]) -> JobResult:
    """Compiles and launches once; what a worker does for each job (also used in-process)."""
    result = _compile_and_launch(job)
    if "kernel_obj" not in job:  # in a worker: the job's tensors are gone now (the tuner's process keeps its own)
        _release_device_memory()
    return result


def _compile_and_launch(job: dict[str, Any]) -> JobResult:
    import torch
    from tegula.compiler.errors import TegulaError
    from tegula.compiler.kernel import tensors_in

    t0 = time.perf_counter()
    try:
        kernel = job["kernel_obj"] if "kernel_obj" in job else _find_kernel(job["kernel"])
        backend = _load_backend(job["backend"])
        args, kwargs = rebuild_args(job["args"]), rebuild_args(job["kwargs"])
        recorded, spec = kernel.trace(*args, **kwargs)
        compiled = kernel.compile_spec(recorded, spec, job["config"], backend)
        compiled.launcher(compiled.args(spec))
        if any(t.device.type == "cuda" for t in tensors_in(args)):
            torch.cuda.synchronize()
        own = {t.name: compiled.config.get(t.name) for t in backend.tunables()}
        text = compiled.frontend.module.operation.get_asm(enable_debug_info=False) + repr(sorted(own.items()))
        fingerprint = hashlib.sha256(text.encode()).hexdigest()[:20]
    except TegulaError as e:
        return JobResult("error", time.perf_counter() - t0, f"{type(e).__name__}: {e}")
    except Exception as e:  # noqa: BLE001 - any failure of a candidate is that candidate's
        tb = traceback.format_exc(limit=-3)
        return JobResult("error", time.perf_counter() - t0, f"{type(e).__name__}: {e}\n{tb}")
    return JobResult("ok", time.perf_counter() - t0, fingerprint=fingerprint)


def _release_device_memory() -> None:
    """A worker's job is done with its tensors: hand the device memory they took back to the driver. Torch's
    caching allocator would otherwise keep each worker's peak (a job on 1 GB inputs leaves a worker holding
    it), and eight workers beside the tuner's own process fill a GPU between tunings."""
    import gc

    import torch

    if torch.cuda.is_initialized() and torch.cuda.memory_reserved() > 0:
        if torch.cuda.memory_allocated() > 0:  # a reference cycle still holds some of the job's tensors
            gc.collect()
        torch.cuda.empty_cache()


def _warm_cuda() -> None:
    """A worker's one-time CUDA costs, paid before it says it is ready (under the startup timeout) rather than in
    its first job (under the compile cap): the CUDA context, and Triton's driver, whose C helpers are built with
    the host's C compiler on a machine whose Triton cache is empty. A failure here is left to the jobs to report."""
    try:
        import torch

        torch.zeros(1, device="cuda")
        from triton.runtime import driver

        driver.active.get_current_device()
    except Exception:  # noqa: BLE001, S110 - no CUDA or no Triton: the jobs say what is wrong
        pass


def serve(fd: int) -> None:
    """A worker's loop: jobs in, ``JobResult`` out, until the tuner closes the socket."""
    conn = Connection(fd)
    init = conn.recv()
    for p in reversed(init["sys_path"]):
        if p not in sys.path:
            sys.path.insert(0, p)
    import tegula.compiler.kernel  # noqa: F401 - imported once, before the first job is timed

    if init.get("warm") == "cuda":
        _warm_cuda()
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        conn.send(run_job(job))


# ---------------------------------------------------------------- the tuner side

class _Worker:
    def __init__(self, warm: str | None = None) -> None:
        parent, child = socket.socketpair()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker; the worker's stderr, for the reason of a crash
        # not ``-m``: the worker's classes must pickle under this module's name, not ``__main__``
        code = f"from tegula.compiler.autotune.workers import serve; serve({child.fileno()})"
        self.proc = subprocess.Popen([sys.executable, "-c", code],
                                     pass_fds=[child.fileno()], env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        child.close()
        self.conn = Connection(parent.detach())
        self.conn.send({"sys_path": list(sys.path), "warm": warm})
        self.ready = False
        self.cuda_jobs_done = 0  # jobs done while the pool served a CUDA tuning
        self.job: int | None = None
        self.started = 0.0

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - already gone
            pass
        try:
            self.conn.close()
        except OSError:
            pass

    def stderr_tail(self) -> str:
        try:
            self.log.seek(0)
            lines = [ln for ln in self.log.read().decode(errors="replace").splitlines() if ln.strip()]
        except OSError:
            return ""
        return lines[-1].strip()[:300] if lines else ""


def _death(code: int | None) -> str:
    if code is not None and code < 0:
        import signal

        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with status {code}"


class WorkerPool:
    """Runs jobs on ``size`` worker processes; ``timeout`` seconds per job (startup excluded)."""

    #: idle workers (each may hold a CUDA context) are stopped after this many seconds without a job
    IDLE_S = 60.0

    #: on CUDA, a worker's first job may take at least this many seconds, whatever the compile cap: it pays the
    #: process's one-time costs that the warm-up cannot (Triton's first compile, a launcher built with the C
    #: compiler for the kernel's signature); still stopped at a tuning's hard deadline
    FIRST_JOB_MIN_S = 30.0

    def __init__(self, size: int, timeout: float, warm: str | None = None) -> None:
        self.size = max(1, size)
        self.timeout = timeout
        self.warm = warm
        self.workers: list[_Worker] = []
        self.startup_timeout = max(120.0, timeout)
        self.lock = threading.Lock()
        self.last_used = time.monotonic()
        self.reaper: threading.Timer | None = None

    def run(self, jobs: list[dict[str, Any]], deadline: float | None = None,
            hard_deadline: bool = False) -> list[JobResult]:
        """Results in the order of ``jobs``; jobs not started by ``deadline`` (monotonic) are "skipped", and so,
        with ``hard_deadline``, are jobs still compiling then (their workers are replaced): a tuning whose time
        is up has no use for them."""
        with self.lock:
            try:
                return self._run(jobs, deadline, hard_deadline)
            finally:
                self.last_used = time.monotonic()
                self._schedule_reap()

    def _schedule_reap(self) -> None:
        if self.reaper is not None:
            self.reaper.cancel()
        self.reaper = threading.Timer(self.IDLE_S, self._reap)
        self.reaper.daemon = True
        self.reaper.start()

    def _reap(self) -> None:
        with self.lock:
            if time.monotonic() - self.last_used >= self.IDLE_S * 0.99:
                self._close()

    def _run(self, jobs: list[dict[str, Any]], deadline: float | None, hard_deadline: bool) -> list[JobResult]:
        results: list[JobResult | None] = [None] * len(jobs)
        pending = list(range(len(jobs)))
        while len(self.workers) < self.size:  # all at once: workers start in parallel, once
            self.workers.append(_Worker(self.warm))
            self.workers[-1].started = time.monotonic()
        while pending or any(w.job is not None for w in self.workers):
            now = time.monotonic()
            if deadline is not None and now > deadline:
                pending = []
                if hard_deadline:
                    for i, w in enumerate(self.workers):
                        if w.job is not None:
                            results[w.job] = JobResult("skipped", now - w.started,
                                                       "still compiling when the tuning's time ran out")
                            self._replace(i)
                    break
            for w in self.workers:
                if w.ready and w.job is None and pending:
                    w.job = pending.pop(0)
                    w.started = now
                    try:
                        w.conn.send(jobs[w.job])
                    except OSError:
                        pass  # a dead worker: seen below
            conns = [w.conn for w in self.workers]
            # wake at the next worker's timeout, or at the tuning deadline while jobs wait for a worker
            wake = min((w.started + self._limit(w) for w in self.workers if w.job is not None or not w.ready),
                       default=now + 1.0)
            if deadline is not None and (pending or hard_deadline):
                wake = min(wake, deadline)
            ready = wait(conns, timeout=max(0.01, wake - time.monotonic()))
            for i, w in enumerate(list(self.workers)):
                message: Any = None
                if w.conn in ready:
                    try:
                        message = w.conn.recv()
                    except (EOFError, OSError):
                        message = EOFError
                if message == "ready":
                    w.ready = True
                    continue
                if isinstance(message, JobResult):
                    results[w.job] = message
                    w.job = None
                    w.cuda_jobs_done += self.warm == "cuda"
                    continue
                late = time.monotonic() - w.started > self._limit(w)
                if message is EOFError or late:
                    w.kill()
                    code = w.proc.returncode
                    if w.job is not None:
                        status = "timeout" if late and message is not EOFError else "crash"
                        why = (f"no answer in {self._limit(w):.0f} s" if status == "timeout"
                               else f"the compile worker {_death(code)}")
                        tail = w.stderr_tail() if status == "crash" else ""
                        results[w.job] = JobResult(status, time.monotonic() - w.started,
                                                   why + (f": {tail}" if tail else ""))
                    elif not w.ready:
                        raise RuntimeError(f"a compile worker could not start ({_death(code)}): {w.stderr_tail()}")
                    self._replace(i)
        return [r if r is not None else JobResult("skipped", 0.0, "not started before the deadline") for r in results]

    def _limit(self, w: _Worker) -> float:
        """Seconds ``w`` may take: to start, or for its current job (on CUDA a worker's first CUDA job, even
        after CPU ones, gets at least ``FIRST_JOB_MIN_S``: on an H100 just started, the GPU autotune test failed
        once and passed when run again at once, and cold first jobs outrunning the compile cap are the likely
        cause)."""
        if not w.ready:
            return self.startup_timeout
        if w.cuda_jobs_done or self.warm != "cuda":
            return self.timeout
        return max(self.timeout, self.FIRST_JOB_MIN_S)

    def _replace(self, i: int) -> None:
        """Kills worker ``i`` (if it still runs) and starts a fresh one in its place."""
        self.workers[i].kill()
        self.workers[i] = _Worker(self.warm)
        self.workers[i].started = time.monotonic()

    def close(self) -> None:
        if self.reaper is not None:
            self.reaper.cancel()
        with self.lock:
            self._close()

    def _close(self) -> None:
        for w in self.workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        for w in self.workers:
            try:
                w.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                w.kill()
        self.workers = []


_POOL: WorkerPool | None = None


def pool(size: int, timeout: float, warm: str | None = None) -> WorkerPool:
    """The process's worker pool (kept between tunings: workers start once). ``warm`` is the tuning's: with
    ``"cuda"``, workers started from now on set up CUDA and Triton's driver before their first job
    (``_warm_cuda``) and each worker's first CUDA job gets ``FIRST_JOB_MIN_S``; with None (a CPU tuning after a
    CUDA one), neither."""
    global _POOL
    if _POOL is None:
        import atexit

        _POOL = WorkerPool(size, timeout, warm)
        atexit.register(_POOL.close)
    _POOL.size, _POOL.timeout = max(1, size), timeout
    _POOL.warm = warm
    return _POOL

