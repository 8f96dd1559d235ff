"""A small MLIR text writer for the CPU lowering: SSA names, indentation, types."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from typing import Iterator

from tegula.compiler.mlir import ir

DYN = "?"


class Writer:
    """Accumulates MLIR text with fresh SSA names and nested indentation."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0
        self.counter = 0

    def fresh(self, hint: str = "v") -> str:
        self.counter += 1
        return f"%{hint}{self.counter}"

    def line(self, text: str) -> None:
        self.lines.append("  " * self.depth + text)

    def op(self, text: str, hint: str = "v") -> str:
        """Emits ``%name = <text>`` and returns ``%name``."""
        name = self.fresh(hint)
        self.line(f"{name} = {text}")
        return name

    @contextmanager
    def block(self, header: str, footer: str = "}") -> Iterator[None]:
        self.line(header)
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            self.line(footer)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    # -- common ops
    def const_index(self, v: int) -> str:
        return self.op(f"arith.constant {v} : index", "c")

    def index_op(self, name: str, a: str, b: str) -> str:
        return self.op(f"arith.{name} {a}, {b} : index", "i")


def memref_type(elem: str, rank: int, strides: Sequence[str] | None = None, offset: str = "?",
                static: Sequence[int | None] | None = None) -> str:
    """``memref<?x?xf32, strided<[...], offset: ?>>`` (identity layout if ``strides`` is None)."""
    dims = [DYN if static is None or static[i] is None else str(static[i]) for i in range(rank)]
    shape = "x".join(dims + [elem]) if rank else elem
    if strides is None:
        return f"memref<{shape}>"
    return f"memref<{shape}, strided<[{', '.join(strides)}], offset: {offset}>>"


def affine_map(n_dims: int, results: Sequence[int | None]) -> str:
    dims = ", ".join(f"d{i}" for i in range(n_dims))
    res = ", ".join("0" if r is None else f"d{r}" for r in results)
    return f"affine_map<({dims}) -> ({res})>"


def type_str(t: ir.Type) -> str:
    return str(t)


def elem_str(t: ir.Type) -> str:
    if isinstance(t, (ir.RankedTensorType, ir.MemRefType)):
        return str(t.element_type)
    return str(t)
