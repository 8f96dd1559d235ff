"""``@tegula.kernel``: the object a kernel author calls.

Calling a kernel runs its host code, records the device loops it reaches,
and runs them as one compiled kernel. Compiled kernels are cached in memory
per specialization (``Spec``) and guard; the first call of a new
specialization compiles: frontend -> tile dialect -> the backend's pipeline
-> the backend's compile. ``emit`` shows any stage's IR for given arguments.
"""

from __future__ import annotations

import functools
import inspect
import threading
from dataclasses import dataclass
from typing import Any, Callable

import torch

from tegula.compiler.backend import Backend, KernelInfo, Launcher, backend_for_device, get_backend
from tegula.compiler.errors import BackendCompileError, PipelineError, TegulaValueError
from tegula.compiler.frontend.device import CompiledModule, compile_kernel
from tegula.compiler.frontend.host import HostFunction, Recorded, parse_kernel, run_host
from tegula.compiler.frontend.spec import Guard, Spec, make_spec
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

    def args(self, spec: Spec) -> list[Any]:
        return [b.fetch(spec) for b in self.frontend.bindings]


class Kernel:
    """A compiled-on-call kernel; see ``tegula.kernel``."""

    def __init__(self, fn: Callable, *, config: dict[str, Any] | None = None,
                 configs: list[dict[str, Any]] | None = None, backend: str | None = None) -> None:
        if not inspect.isfunction(fn):
            raise TypeError(f"@tegula.kernel expects a Python function, got {type(fn).__name__}")
        if fn.__name__ == "<lambda>":
            raise TypeError("@tegula.kernel expects a `def` function, not a lambda (a kernel needs a "
                            "`for ... in tl.tile(...)` loop)")
        functools.update_wrapper(self, fn)
        self.fn = fn
        if config is not None and not isinstance(config, dict):
            raise TypeError(f"config must be a dict, got {type(config).__name__}")
        self.config = dict(config) if config is not None else (dict(configs[0]) if configs else None)
        self.configs = [dict(c) for c in configs] if configs else None
        self.backend_name = backend
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
            compiled = self._compile(recorded, spec, self.config)
        for check in compiled.frontend.checks:
            problem = check.violation(spec)
            if problem:
                raise TegulaValueError(f"kernel `{self.fn.__name__}`: {problem}")
        compiled.launcher(compiled.args(spec))
        return result

    def _lookup(self, spec: Spec) -> Compiled | None:
        for c in self._cache.get(spec.key, ()):
            if c.guards and not all(g.holds(spec) for g in c.guards):
                continue
            if not getattr(c.launcher, "bucketed", False) or c.launcher.accepts(c.args(spec)):
                return c
        return None

    def _compile(self, recorded: list[Recorded], spec: Spec, config: dict[str, Any] | None) -> Compiled:
        with self._lock:
            existing = self._lookup(spec)
            if existing is not None and config is self.config:
                return existing
            compiled = self.compile_spec(recorded, spec, config)
            self._cache.setdefault(spec.key, []).append(compiled)
            return compiled

    def call_device(self, spec: Spec) -> torch.device:
        """The one device of the call's tensors; raises naming them when they are on several."""
        devices: dict[torch.device, list[str]] = {}
        seen: set[int] = set()
        for path, value in spec.items:
            for t in _tensors(value):
                if id(t) not in seen:
                    seen.add(id(t))
                    name = path[2] if path[1] == "var" else f"argument {path[2]} of tl.tile"
                    devices.setdefault(t.device, []).append(f"`{name}`")
        if len(devices) > 1:
            listing = "; ".join(f"{', '.join(names)} on {dev}" for dev, names in devices.items())
            raise TegulaValueError(f"kernel `{self.fn.__name__}` got tensors on different devices: {listing}")
        return next(iter(devices), torch.device("cpu"))

    def choose_backend(self, spec: Spec) -> Backend:
        device = self.call_device(spec)
        if self.backend_name is not None:
            backend = get_backend(self.backend_name)
            if not backend.supports_device(device):
                raise TegulaValueError(f"backend '{self.backend_name}' does not run on {device.type} tensors")
            return backend
        return backend_for_device(device)

    def compile_spec(self, recorded: list[Recorded], spec: Spec, config: dict[str, Any] | None,
                     backend: Backend | None = None) -> Compiled:
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
        device = next((v.device for _, v in spec.items if isinstance(v, torch.Tensor)), torch.device("cpu"))
        return KernelInfo(self.fn.__name__, dict(front.block_sizes), [b.kind for b in front.bindings],
                          [b.name for b in front.bindings], device, [dict(lp) for lp in front.loops],
                          dict(front.reductions))

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
            name = backend or self.backend_name  # emitting text needs no device: skip the availability check
            b = get_backend(name, check=False) if name else self.choose_backend(spec)
            cfg = b.default_config(self.kernel_info(front, spec))
            cfg.update(config or self.config or {})
            run_pipeline(front.module, parse_pipeline(b.pipeline(cfg)))
            if stage == "tiled":
                return _print(front.module, debug_info)
            if stage not in b.stages:
                raise ValueError(f"backend '{b.name}' has no stage '{stage}'; stages: tile, tiled, "
                                 + ", ".join(b.stages))
            return b.lower(front.module, cfg, stage)

    def compiled(self) -> list[Compiled]:
        """Every specialization compiled so far."""
        return [c for entries in self._cache.values() for c in entries]


def _tensors(value: Any) -> list[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _tensors(v)]
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
           configs: list[dict[str, Any]] | None = None, backend: str | None = None) -> Any:
    """Decorates a kernel: ``@tegula.kernel`` or ``@tegula.kernel(config={...}, backend="cpu")``."""
    if fn is None:
        return lambda f: Kernel(f, config=config, configs=configs, backend=backend)
    return Kernel(fn, config=config, configs=configs, backend=backend)
