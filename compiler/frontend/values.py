"""What names stand for while the frontend compiles a device loop.

- ``TensorArg``: a global tensor captured from the host (a memref argument);
- ``Tile``: a tile handle (loop variable of ``tl.tile`` or a ``:`` slice);
- ``TV``: a device value, a tile (ranked tensor) or a scalar;
- any other Python object is a compile-time constant (ints, floats, bools,
  dtypes, modules, functions, ``None``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch

from tegula.compiler.mlir import ir


@dataclass(eq=False)
class Tile:
    """A tile handle and what the frontend knows of it."""

    handle: ir.Value  # !tile.tile
    block_size: ir.Value  # index
    name: str
    full: bool = False  # a ``:`` slice: covers its whole extent
    block_id: int | None = None  # the tile.block_size symbol it uses, if any
    hint: int = -1  # its extent when compiled, if known (for heuristics)
    #: where the upper bound comes from at run time, for bounds checks: ("arg", Binding) for an int
    #: argument, ("dim", tensor item, dim), ("const", n), or None when device code computes it
    bound_source: tuple | None = None
    bound_class: Any = None  # the bound's size class (equal classes are equal at run time)
    line: int = 0


@dataclass(eq=False)
class TensorArg:
    """A global tensor argument of the kernel."""

    name: str
    #: makes the memref argument; called the first time device code reads or writes the tensor, so that a
    #: tensor used only for its dtype or rank is not passed to the kernel at all
    make_memref: Any
    dtype: torch.dtype
    #: per dimension: 1 when specialized to size 1, else a size-class id
    #: (dimensions and int arguments of equal size share a class).
    sizes: tuple[int | str, ...]
    dim_values: dict[int, ir.Value] = field(default_factory=dict)
    _memref: ir.Value | None = None

    @property
    def memref(self) -> ir.Value:
        if self._memref is None:
            self._memref = self.make_memref()
        return self._memref

    @property
    def rank(self) -> int:
        return len(self.sizes)


Dim = Any  # Tile or the int 1


@dataclass(eq=False)
class TV:
    """A device value: ``dims == ()`` for scalars.

    ``weak`` marks values that promote like Python scalars (ints from sizes
    and tile bounds, float arguments); ``index`` scalars have dtype int64.
    """

    value: ir.Value
    dtype: torch.dtype
    dims: tuple[Dim, ...] = ()
    weak: bool = False
    #: for ints captured from the host: their value at compile time (a hint
    #: for heuristics), their size class, and where they came from (for guards)
    hint: int | None = None
    size_class: str | None = None
    path: tuple | None = None
    source: tuple | None = None  # how to fetch the value at run time (see Tile.bound_source)

    @property
    def rank(self) -> int:
        return len(self.dims)

    @property
    def is_index(self) -> bool:
        return isinstance(self.value.type, ir.IndexType)

    def proxy(self) -> tuple:
        if self.weak:
            return ("scalar", float if self.dtype.is_floating_point else bool if self.dtype == torch.bool else int)
        return ("tensor" if self.dims else "zerodim", self.dtype)


def python_proxy(value: Any) -> tuple:
    return ("scalar", type(value) if type(value) in (bool, int, float) else float)


def dim_name(d: Dim) -> str:
    return "1" if isinstance(d, int) else d.name
