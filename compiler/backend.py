"""The backend interface and registry.

A backend turns a kernel's tile-dialect module into something that runs. It
is a small class (after Triton's backends): say whether it can run here,
which devices it serves, its tunables and default config, the tile-level
pipeline it wants, how to lower (to each of its named IR stages) and how to
compile to a launcher. In-tree backends are named in ``IN_TREE`` (module
paths: nothing here imports backend code); third-party packages register
theirs under the ``tegula.backends`` entry-point group. A failed lookup
names what exists.
"""

from __future__ import annotations

import abc
import importlib
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import torch

from tegula.compiler.errors import BackendUnavailableError
from tegula.compiler.tunables import Constraint, Tunable

IN_TREE: dict[str, str] = {
    "cpu": "tegula.backends.cpu:CPUBackend",
    "triton": "tegula.backends.triton:TritonBackend",
    "tileir": "tegula.backends.tileir:TileIRBackend",
}
ENTRY_POINT_GROUP = "tegula.backends"


@dataclass
class KernelInfo:
    """What a backend learns about a kernel besides its IR."""

    name: str
    #: tunable tile block-size symbols: id -> (name, size hint)
    block_sizes: dict[int, tuple[str, int]] = field(default_factory=dict)
    #: kernel argument kinds in order: "tensor" | "int" | "float"
    arg_kinds: list[str] = field(default_factory=list)
    arg_names: list[str] = field(default_factory=list)
    device: "torch.device | None" = None
    #: per top-level loop: {"symbols": [...], "inner": [...], "reductions": [size hints], "line": n}
    loops: list[dict] = field(default_factory=list)
    #: ':' (reduction) symbols: id -> size hint
    reductions: dict[int, int] = field(default_factory=dict)
    #: the widest element (bytes) among the tensor arguments (shared-memory estimates)
    elem_bytes: int = 4


class Launcher(abc.ABC):
    """A compiled kernel: call it with the kernel's arguments in order."""

    #: whether ``accepts`` can say no (a kernel compiled for a size bucket); if False it is never asked
    bucketed: bool = False

    @abc.abstractmethod
    def __call__(self, args: list[Any]) -> None: ...

    def accepts(self, args: list[Any]) -> bool:
        """Whether this compiled code is valid for these arguments (e.g. a size bucket); else recompile."""
        return True


class Backend(abc.ABC):
    """One way to run tile-dialect kernels; see docs/backends.md."""

    #: the backend's name (``backend=`` and ``--backend``)
    name: str = ""
    #: its IR stages after ``tile``, in order (``tegula-opt --emit=<stage>``)
    stages: tuple[str, ...] = ()
    #: how many elements of one tensor the generated code can address (its offsets' range; None: no limit).
    #: A call with a tensor that spans more is refused with the tensor's name, never run with wrapped offsets.
    index_limit: int | None = None

    @classmethod
    def available(cls) -> tuple[bool, str]:
        """Whether this backend can run here, and if not, why."""
        return True, ""

    @abc.abstractmethod
    def supports_device(self, device: torch.device) -> bool:
        """Whether this backend runs kernels on tensors of ``device``."""

    def tunables(self) -> list[Tunable]:
        """The backend's own tunables (the passes' come from the pipeline)."""
        return []

    def constraints(self, info: KernelInfo) -> list[Constraint]:
        """What a config must satisfy to fit the hardware (checked by the autotuner before compiling)."""
        return []

    def autotune_candidate(self, device: torch.device) -> bool:
        """Whether the autotuner should consider this backend for ``device`` (not an interpreter, say)."""
        return True

    @abc.abstractmethod
    def default_config(self, info: KernelInfo) -> dict[str, Any]:
        """A good config without tuning."""

    @abc.abstractmethod
    def pipeline(self, config: dict[str, Any]) -> str:
        """The tile-level pass pipeline (a string) to run under ``config``."""

    @abc.abstractmethod
    def lower(self, module: Any, config: dict[str, Any], stage: str) -> str:
        """The text of ``module`` lowered to ``stage`` (one of ``stages``)."""

    @abc.abstractmethod
    def compile(self, module: Any, config: dict[str, Any], info: KernelInfo) -> Launcher:
        """Compiles the tiled module; raises BackendCompileError naming the config on failure."""

    def cache_key(self) -> str:
        """What besides the kernel changes the compiled code (versions)."""
        return self.name


def pow2_ceil(n: int) -> int:
    """The smallest power of two >= ``n`` (1 for ``n`` <= 1)."""
    return 1 if n <= 1 else 1 << (int(n) - 1).bit_length()


def tile_elements(loop: dict[str, Any], block_sizes: list[int | None], rolled: list[int | None],
                  missing: int = 64) -> tuple[int, list[int]]:
    """Elements of one program's tile in ``loop`` (an entry of ``KernelInfo.loops``) and its blocks: the blocks of
    its symbols (``missing`` where ``block_sizes`` has none) times its ``:`` rows, each its rolled chunk or, not
    rolled, its size hint rounded up to a power of two."""
    dims = [block_sizes[s] if s < len(block_sizes) and block_sizes[s] else missing for s in loop["symbols"]]
    n = 1
    for d in dims:
        n *= d
    for rid, hint in zip(loop.get("reduction_ids", []), loop["reductions"]):
        chunk = rolled[rid] if rid < len(rolled) else None
        n *= chunk or pow2_ceil(max(hint, 1))
    return n, dims


def gpu_multiprocessors(default: int = 132) -> int:
    """Streaming multiprocessors of the current CUDA GPU (an H100 SXM's 132 without one)."""
    import torch

    if torch.cuda.is_available():
        return torch.cuda.get_device_properties(torch.cuda.current_device()).multi_processor_count
    return default


def gpu_shared_memory(default: int = 232448) -> int:
    """Shared memory one program may use on the current CUDA GPU (an H100's 227 KB without one)."""
    import torch

    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(torch.cuda.current_device())
        return int(getattr(props, "shared_memory_per_block_optin", default))
    return default


_instances: dict[str, Backend] = {}


def _entry_points() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def backend_names() -> list[str]:
    """Every backend known here, in-tree first (available or not)."""
    names = list(IN_TREE)
    names += [n for n in sorted(_entry_points()) if n not in IN_TREE]
    return names


def _load(name: str) -> Callable[[], Backend]:
    if name in IN_TREE:
        module, _, attr = IN_TREE[name].partition(":")
        return getattr(importlib.import_module(module), attr)
    eps = _entry_points()
    if name in eps:
        return eps[name].load()
    raise BackendUnavailableError(f"no backend named '{name}'; known backends: {', '.join(backend_names())}")


def get_backend(name: str, *, check: bool = True) -> Backend:
    """The backend called ``name``; raises with the reason if it cannot run here."""
    if name not in _instances:
        try:
            cls = _load(name)
        except ImportError as e:
            raise BackendUnavailableError(f"backend '{name}' cannot be imported: {e}") from None
        _instances[name] = cls()
    backend = _instances[name]
    if check:
        ok, why = backend.available()
        if not ok:
            raise BackendUnavailableError(f"backend '{name}' is not available here: {why}")
    return backend


def available_backends() -> dict[str, str]:
    """Name -> "" for each usable backend, or the reason it is not."""
    out = {}
    for name in backend_names():
        try:
            ok, why = get_backend(name, check=False).available()
        except BackendUnavailableError as e:
            ok, why = False, str(e)
        out[name] = "" if ok else why
    return out


def backend_for_device(device: torch.device) -> Backend:
    """The first available backend serving ``device`` (in-tree order, then plugins)."""
    reasons = []
    for name in backend_names():
        try:
            b = get_backend(name, check=False)
        except BackendUnavailableError as e:
            reasons.append(str(e))
            continue
        if not b.supports_device(device):
            continue
        ok, why = b.available()
        if ok:
            return b
        reasons.append(f"{name}: {why}")
    raise BackendUnavailableError(f"no available backend runs on {device.type} tensors"
                                  + (f" ({'; '.join(reasons)})" if reasons else ""))
