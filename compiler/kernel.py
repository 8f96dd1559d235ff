"""``@tegula.kernel``: the object a kernel author calls.

Calling a kernel runs its host code, records the device loops it reaches,
and runs them as one compiled kernel. Compiled kernels are cached in memory
per specialization (``Spec``) and guard; the first call of a new
specialization compiles: frontend -> tile dialect -> the backend's pipeline
-> the backend's compile. Without ``config=``, that first call (per size
bucket) takes its config from the autotuner (``compiler/autotune``: a shipped
config file, the disk cache, or a tuning run). ``emit`` shows any stage's IR
for given arguments.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from tegula.compiler.backend import Backend, KernelInfo, Launcher, backend_for_device, get_backend
from tegula.compiler.errors import BackendCompileError, PipelineError, TegulaValueError
from tegula.compiler.frontend.device import CompiledModule, compile_kernel
from tegula.compiler.frontend.host import HostFunction, Recorded, parse_kernel, run_host
from tegula.compiler.frontend.spec import Guard, Spec, make_spec, oversized
from tegula.compiler.mlir import ir
from tegula.compiler.pipeline import parse_pipeline, run_pipeline
from tegula.dialects.tile import new_context


@dataclass
class Compiled:
    """One compiled specialization of a kernel."""

    guards: list[Guard]
    frontend: CompiledModule
    backend: Backend
    config: dict[str, Any]
    pipeline: str
    launcher: Launcher
    #: the size bucket a tuned config was chosen for (None: valid for every size)
    bucket: tuple | None = None
    #: whether a call's spec items fall in ``bucket`` (generated; None: every size)
    in_bucket: Callable[[list], bool] | None = None

    def args(self, spec: Spec) -> list[Any]:
        return [b.fetch(spec) for b in self.frontend.bindings]


class Kernel:
    """A compiled-on-call kernel; see ``tegula.kernel``."""

    def __init__(self, fn: Callable, *, config: dict[str, Any] | None = None,
                 configs: list[dict[str, Any]] | None = None, backend: str | None = None,
                 effort: str | None = None, config_file: str | None = None) -> None:
        if not inspect.isfunction(fn):
            raise TypeError(f"@tegula.kernel expects a Python function, got {type(fn).__name__}")
        if fn.__name__ == "<lambda>":
            raise TypeError("@tegula.kernel expects a `def` function, not a lambda (a kernel needs a "
                            "`for ... in tl.tile(...)` loop)")
        functools.update_wrapper(self, fn)
        self.fn = fn
        if config is not None and not isinstance(config, dict):
            raise TypeError(f"config must be a dict, got {type(config).__name__}")
        if configs is not None and (not isinstance(configs, (list, tuple)) or
                                    not all(isinstance(c, dict) for c in configs)):
            raise TypeError("configs must be a list of dicts")
        if config is not None and configs:
            raise TypeError("give config= or configs=, not both")
        # one config is used as it is; several are benchmarked on the first call (the autotuner picks)
        self.config = dict(config) if config is not None else (dict(configs[0]) if configs and len(configs) == 1
                                                                 else None)
        self.configs = [dict(c) for c in configs] if configs and len(configs) > 1 else None
        self.backend_name = backend
        self.effort = effort
        self.config_file = config_file
        #: the autotuner's report of this kernel's last tuning run (a TuneResult), if any
        self.last_tuning: Any = None
        self._host: HostFunction | None = None
        self._cache: dict[tuple, list[Compiled]] = {}
        self._lock = threading.Lock()

    @property
    def host(self) -> HostFunction:
        if self._host is None:
            self._host = parse_kernel(self.fn)
        return self._host

    def __repr__(self) -> str:
        return f"<tegula.kernel {self.fn.__module__}.{self.fn.__qualname__}>"

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        return self if obj is None else functools.partial(self, obj)

    # ------------------------------------------------------------ calling

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        result, recorded = run_host(self.host, args, kwargs)
        spec = make_spec(self.host, recorded)
        if spec.mixed_devices:  # checked on every call: a cached kernel must not run on mixed devices
            self.call_device(spec)
        compiled = self._lookup(spec)
        if compiled is None:
            compiled = self._first_call(args, kwargs, recorded, spec)
        for check in compiled.frontend.checks:
            problem = check.violation(spec)
            if problem:
                raise TegulaValueError(f"kernel `{self.fn.__name__}`: {problem}")
        limit = compiled.backend.index_limit
        if limit is not None:
            problem = oversized(spec, limit)
            if problem:
                raise TegulaValueError(
                    f"kernel `{self.fn.__name__}`: {problem}; the {compiled.backend.name} backend addresses at most "
                    f"{limit} elements of a tensor (32-bit offsets): split the tensor, or run on the CPU")
        compiled.launcher(compiled.args(spec))
        return result

    def _first_call(self, args: tuple, kwargs: dict, recorded: list[Recorded], spec: Spec) -> Compiled:
        """Compiles for a call that nothing compiled serves: with ``config=``, or the autotuner's choice."""
        from tegula.compiler.autotune import tuner, workers

        if workers.STOP_AT_FIRST_CALL:  # a compile worker is running the user's script only to find kernels
            raise workers.FirstCall
        if self.config is not None:
            return self._compile(recorded, spec, self.config)
        chosen = tuner.choose(self, args, kwargs, recorded, spec)
        if chosen is None:  # effort "none": the default config, for every size
            return self._compile(recorded, spec, None)
        return self._compile(recorded, spec, chosen, bucket=tuner.bucket_of(spec),
                             in_bucket=tuner.bucket_checker(spec))

    def _lookup(self, spec: Spec) -> Compiled | None:
        for c in self._cache.get(spec.key, ()):
            if c.guards and not all(g.holds(spec) for g in c.guards):
                continue
            if c.in_bucket is not None and not c.in_bucket(spec.items):
                continue
            if not c.launcher.bucketed or c.launcher.accepts(c.args(spec)):
                return c
        return None

    def _compile(self, recorded: list[Recorded], spec: Spec, config: dict[str, Any] | None,
                 bucket: tuple | None = None, in_bucket: Callable[[list], bool] | None = None) -> Compiled:
        with self._lock:
            existing = self._lookup(spec)
            if existing is not None and config is self.config:
                return existing
            compiled = self.compile_spec(recorded, spec, config)
            compiled.bucket, compiled.in_bucket = bucket, in_bucket
            self._cache.setdefault(spec.key, []).append(compiled)
            return compiled

    def call_device(self, spec: Spec) -> torch.device:
        """The one device of the call's tensors; raises naming them when they are on several."""
        devices: dict[torch.device, list[str]] = {}
        seen: set[int] = set()
        for path, value in spec.items:
            for t in tensors_in(value):
                if id(t) not in seen:
                    seen.add(id(t))
                    name = path[2] if path[1] == "var" else f"argument {path[2]} of tl.tile"
                    devices.setdefault(t.device, []).append(f"`{name}`")
        if len(devices) > 1:
            listing = "; ".join(f"{', '.join(names)} on {dev}" for dev, names in devices.items())
            raise TegulaValueError(f"kernel `{self.fn.__name__}` got tensors on different devices: {listing}")
        return next(iter(devices), torch.device("cpu"))

    def choose_backend(self, spec: Spec) -> Backend:
        if self.backend_name is not None:
            return self._named_backend(self.backend_name, spec)
        return backend_for_device(self.call_device(spec))

    def _named_backend(self, name: str, spec: Spec) -> Backend:
        if not isinstance(name, str):
            raise TegulaValueError(f"config: backend must be a backend's name, got {name!r}")
        device = self.call_device(spec)
        backend = get_backend(name)
        if not backend.supports_device(device):
            raise TegulaValueError(f"backend '{name}' does not run on {device.type} tensors")
        return backend

    def compile_spec(self, recorded: list[Recorded], spec: Spec, config: dict[str, Any] | None,
                     backend: Backend | None = None) -> Compiled:
        if config and "backend" in config:  # a tuned config names its backend
            config = dict(config)
            name = config.pop("backend")
            if backend is None:
                backend = self._named_backend(name, spec)
        backend = backend or self.choose_backend(spec)
        ctx = new_context()
        with ctx:
            front = compile_kernel(self.host, recorded, spec)
            info = self.kernel_info(front, spec)
            cfg = backend.default_config(info)
            if config:
                cfg.update(config)
            pipeline = backend.pipeline(cfg)
            check_config(backend, pipeline, cfg, config or {})
            try:
                run_pipeline(front.module, parse_pipeline(pipeline))
            except PipelineError:
                raise
            except Exception as e:
                raise BackendCompileError(f"the tile pipeline failed for kernel `{self.fn.__name__}`: {e}",
                                          cfg) from e
            launcher = backend.compile(front.module, cfg, info)
        return Compiled(front.guards, front, backend, cfg, pipeline, launcher)

    def kernel_info(self, front: CompiledModule, spec: Spec) -> KernelInfo:
        tensors = [v for _, v in spec.items if isinstance(v, torch.Tensor)]
        device = tensors[0].device if tensors else torch.device("cpu")
        return KernelInfo(self.fn.__name__, dict(front.block_sizes), [b.kind for b in front.bindings],
                          [b.name for b in front.bindings], device, [dict(lp) for lp in front.loops],
                          dict(front.reductions), max((t.element_size() for t in tensors), default=4))

    # ------------------------------------------------------------ introspection

    def trace(self, *args: Any, **kwargs: Any) -> tuple[list[Recorded], Spec]:
        """Runs the host code without launching; returns what the device loops would get."""
        _, recorded = run_host(self.host, args, kwargs)
        return recorded, make_spec(self.host, recorded)

    def emit(self, *args: Any, stage: str = "tile", config: dict[str, Any] | None = None,
             backend: str | None = None, debug_info: bool = False, **kwargs: Any) -> str:
        """The IR (or source) of this kernel for these arguments at ``stage``.

        ``tile`` is the frontend's output; ``tiled`` is after the backend's
        tile pipeline; any other stage is the backend's (``cpu-linalg``,
        ``cpu-llvm``, ``triton``, ...).
        """
        recorded, spec = self.trace(*args, **kwargs)
        with new_context():
            front = compile_kernel(self.host, recorded, spec)
            if stage == "tile":
                return _print(front.module, debug_info)
            config = dict(config or self.config or {})
            name = backend or config.pop("backend", None) or self.backend_name  # text needs no device: no check
            b = get_backend(name, check=False) if name else self.choose_backend(spec)
            cfg = b.default_config(self.kernel_info(front, spec))
            cfg.update(config)
            pipeline = b.pipeline(cfg)
            check_config(b, pipeline, cfg, config)  # as a compile does: an unknown key or bad value is an error
            run_pipeline(front.module, parse_pipeline(pipeline))
            if stage == "tiled":
                return _print(front.module, debug_info)
            if stage not in b.stages:
                raise ValueError(f"backend '{b.name}' has no stage '{stage}'; stages: tile, tiled, "
                                 + ", ".join(b.stages))
            return b.lower(front.module, cfg, stage)

    def compiled(self) -> list[Compiled]:
        """Every specialization compiled so far."""
        return [c for entries in self._cache.values() for c in entries]


def tensors_in(value: Any) -> list[torch.Tensor]:
    """Every tensor in ``value``, looking into lists, tuples and dicts."""
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in tensors_in(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in tensors_in(v)]
    return []


def search_space(backend: Backend, pipeline: str) -> dict[str, Any]:
    """Every tunable a config may set: the backend's and those of the pipeline's passes."""
    known = {t.name: t for t in backend.tunables()}
    for step in parse_pipeline(pipeline):
        if step.tegula is not None:
            known.update({t.name: t for t in type(step.tegula).tunables()})
    return known


def check_config(backend: Backend, pipeline: str, cfg: dict[str, Any], given: dict[str, Any]) -> None:
    """A config key nothing reads, or a value outside its tunable's domain, is an error, not silently ignored."""
    known = search_space(backend, pipeline)
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise TegulaValueError(f"config key(s) {unknown} are not tunables of the '{backend.name}' backend or its "
                               f"pipeline; known: {sorted(known)}")
    for key, value in cfg.items():
        if key in known:
            why = known[key].check(value)
            if why:
                raise TegulaValueError(f"config: {why}")


def _print(module: ir.Module, debug_info: bool) -> str:
    return module.operation.get_asm(enable_debug_info=debug_info)


def kernel(fn: Callable | None = None, *, config: dict[str, Any] | None = None,
           configs: list[dict[str, Any]] | None = None, backend: str | None = None,
           effort: str | None = None, config_file: str | None = None) -> Any:
    """Decorates a kernel: ``@tegula.kernel`` or ``@tegula.kernel(config={...}, backend="cpu")``.

    ``effort`` ("none", "quick", "full"; default ``$TEGULA_AUTOTUNE_EFFORT`` or "quick") is how hard the
    autotuner works on a first call without ``config=``; ``config_file`` is a file written by ``tegula tune``
    (default: ``<module>.tegula.json`` beside the kernel's source, when it exists).
    """
    opts = dict(config=config, configs=configs, backend=backend, effort=effort, config_file=config_file)
    if fn is None:
        return lambda f: Kernel(f, **opts)
    return Kernel(fn, **opts)
