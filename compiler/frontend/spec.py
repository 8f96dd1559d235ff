"""Specialization: what a compiled kernel depends on in its call's arguments.

A kernel is compiled once per *spec* and reused for every call with the same
spec. The spec keeps sizes dynamic but records, like torch.compile and Helion:

- each tensor's dtype, device type, rank, which sizes are 1, whether its last
  dimension is contiguous, and whether it is the same object as an earlier one;
- which ints and sizes are *equal* (a size class per distinct value), so that
  ``x[tile, :]`` and ``w[None, :]`` can share a ``:`` handle when
  ``x.size(1) == w.size(0)``;
- the values of bools, dtypes and other Python constants.

Values the device code needs at compile time (an int used as a ``dim=``, a
shape or a block size) are guarded separately (``Guard``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from tegula.compiler import dtypes as dt
from tegula.compiler.errors import TegulaTypeError
from tegula.compiler.frontend.host import HostFunction, Recorded
from tegula.language import BlockSize

Path = tuple  # (loop index, "var", name) | (loop index, "arg", position) | (loop index, "kw", name)


@dataclass
class Spec:
    key: tuple
    items: list[tuple[Path, Any]]
    index: dict[Path, int]
    #: tensors on more than one device (Kernel reports which)
    mixed_devices: bool = False

    def value(self, path: Path) -> Any:
        return self.items[self.index[path]][1]


_CLASS_NAMES = tuple(f"s{i}" for i in range(256))
#: ``torch.device`` -> its type (``device.type`` builds a new string each time; a lookup is 2.5x faster)
_DEVICE_TYPES: dict[Any, str] = {}
_SUPPORTED = dt.SUPPORTED
_STRIDED = torch.strided


class _Describer:
    def __init__(self) -> None:
        self.sizes: dict[int, int] = {}
        self.tensors: dict[int, int] = {}
        self.block_sizes: dict[int, int] = {}
        self.devices: set = set()
        self.unsupported = False

    def size(self, v: int) -> int | str:
        if v == 1:
            return 1
        n = self.sizes.setdefault(v, len(self.sizes))
        return _CLASS_NAMES[n] if n < len(_CLASS_NAMES) else f"s{n}"

    def __call__(self, v: Any, where: Any, item: int) -> tuple:
        """``where`` is the item's path (formatted only for an error message)."""
        if isinstance(v, torch.Tensor):  # the common case, written for speed: it runs on every call
            first = self.tensors.setdefault(id(v), item)
            if first != item:
                return ("alias", first)
            device = v.device
            self.devices.add(device)
            dtype = v.dtype
            if dtype not in _SUPPORTED:
                self.unsupported = True
                return ("bad",)
            if v.layout is not _STRIDED:
                raise TegulaTypeError(f"{_where(where) if isinstance(where, tuple) else where} is a {v.layout} tensor; "
                                      "only strided (dense) tensors are supported")
            shape = v.shape
            contiguous_last = not shape or shape[-1] == 1 or v.stride()[-1] == 1
            kind = _DEVICE_TYPES.get(device)
            if kind is None:
                kind = _DEVICE_TYPES[device] = device.type
            sizes, classes = self.sizes, []  # ``size`` inlined: this runs for every dimension of every call
            for s in shape:
                if s == 1:
                    classes.append(1)
                else:
                    n = sizes.setdefault(s, len(sizes))
                    classes.append(_CLASS_NAMES[n] if n < 256 else f"s{n}")
            return ("T", dtype, kind, tuple(classes), contiguous_last)
        if isinstance(v, bool):
            return ("B", v)
        if isinstance(v, int):
            return ("I", self.size(v))
        if isinstance(v, float):
            return ("F",)
        if isinstance(v, BlockSize):
            return ("S", self.block_sizes.setdefault(v.uid, len(self.block_sizes)), v.min, v.max)
        if isinstance(v, (tuple, list)):
            return ("L", type(v).__name__, tuple(self(x, where, item) for x in v))
        if v is None or isinstance(v, (str, torch.dtype, torch.device)):
            return ("C", v)
        return ("K", type(v).__qualname__, id(v))


def make_spec(host: HostFunction, recorded: list[Recorded]) -> Spec:
    """The spec of one kernel call, from the device loops its host code reached."""
    items: list[tuple[Path, Any]] = []
    for rec in recorded:
        values = rec.values
        for name, path in host.loops[rec.index].read_paths:
            if name in values:
                items.append((path, values[name]))
        for i, a in enumerate(rec.args):
            items.append(((rec.index, "arg", i), a))
        for k, a in rec.kwargs.items():
            items.append(((rec.index, "kw", k), a))
    describe = _Describer()
    key: list[Any] = [host.name, tuple([r.index for r in recorded])]
    index: dict[Path, int] = {}
    for n, (path, value) in enumerate(items):  # one loop (not comprehensions): this runs on every call
        key.append((path, describe(value, path, n)))
        index[path] = n
    if describe.unsupported:  # the slow path, for a message naming every offending tensor
        _check_dtypes(items)
    return Spec(tuple(key), items, index, len(describe.devices) > 1)


def oversized(spec: Spec, limit: int) -> str | None:
    """Why a tensor of ``spec`` spans more than ``limit`` elements (from its first element to its last), or None:
    the generated code of a backend with 32-bit offsets would wrap around past that."""
    for path, value in spec.items:
        if isinstance(value, torch.Tensor):
            if value.numel() <= limit and value.is_contiguous():  # the common case, checked cheaply
                continue
            tensors: Any = ((None, value),)
        elif isinstance(value, (list, tuple)):
            tensors = [(i, t) for i, t in enumerate(value) if isinstance(t, torch.Tensor)]
        else:
            continue
        for i, t in tensors:
            if t.numel() == 0:
                continue
            if t.is_contiguous():
                span = t.numel()
            else:  # offsets from the tensor's first element (kernels get its data pointer)
                span = 1 + sum((n - 1) * abs(st) for n, st in zip(t.shape, t.stride()))
            if span > limit:
                where = _where(path) if i is None else f"{_where(path)}[{i}]"
                return f"{where} spans {span} elements (shape {tuple(t.shape)}, strides {t.stride()})"
    return None


def _where(path: Path) -> str:
    return f"`{path[2]}`" if path[1] == "var" else f"argument {path[2]} of the loop at index {path[0]}"


def _check_dtypes(items: list[tuple[Path, Any]]) -> None:
    """Names every tensor of an unsupported dtype (not only the first the device code reads)."""
    bad: dict[torch.dtype, list[str]] = {}
    seen: set[int] = set()
    for path, value in items:
        for i, t in enumerate(value if isinstance(value, (list, tuple)) else [value]):
            if isinstance(t, torch.Tensor) and id(t) not in seen and not dt.is_supported(t.dtype):
                seen.add(id(t))
                where = _where(path) if t is value else f"{_where(path)}[{i}]"
                bad.setdefault(t.dtype, []).append(where)
    if bad:
        parts = [f"{', '.join(names)} {'is a' if len(names) == 1 else 'are'} {dtype} tensor"
                 f"{'s' if len(names) > 1 else ''}" for dtype, names in bad.items()]
        raise TegulaTypeError(f"{'; '.join(parts)}; Tegula kernels take "
                              f"{', '.join(str(d).removeprefix('torch.') for d in dt.SUPPORTED)}")


@dataclass(frozen=True)
class Guard:
    """A captured value the compiled code depends on exactly."""

    path: Path
    value: Any

    def holds(self, spec: Spec) -> bool:
        return self.path in spec.index and spec.value(self.path) == self.value
