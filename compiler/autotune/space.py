"""The search space of one kernel specialization on one backend.

Built from what is declared, never from tunable names: the tunables of the
backend and of the passes in its pipeline (``search_space``), each scalar
tunable one dimension over its finite domain, each per-symbol list one
dimension per symbol it is indexed by (``Tunable.over``: tile symbols capped
at the power of two above their size hint, ``:`` symbols as ``None`` = whole
or a chunk below the extent, loops of two or more dimensions, or one value
shared by every sequential loop), tunables declared ``tune=False`` kept at
the default, and the backend's ``constraints`` filtering whole configs.

A point is a tuple of values, one per dimension; ``config(point)`` turns it
into the plain dict a kernel takes (``config=``).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from tegula.compiler.backend import Backend, KernelInfo, pow2_ceil
from tegula.compiler.tunables import Constraint, Tunable


@dataclass(frozen=True)
class Dim:
    """One searched value: ``key`` in the config, ``index`` in its list (None: a scalar; -1: every element)."""

    key: str
    index: int | None
    choices: tuple
    default: Any
    #: for index == -1: the list's length
    length: int = 0
    #: where None ranks among the choices (default -1: below them); a reduction's None (the whole extent)
    #: ranks above its largest chunk, so that a move up from the largest chunk reaches it
    none_rank: float = -1.0

    @property
    def label(self) -> str:
        return self.key if self.index is None else f"{self.key}[{'*' if self.index < 0 else self.index}]"

    @property
    def ordered(self) -> list:
        """The choices in the order of ``ordinal``: what a move of one step goes along."""
        return sorted(self.choices, key=self.ordinal)

    def ordinal(self, value: Any) -> float:
        """A number that orders the choices (log2 of powers of two): for neighbours and surrogate models."""
        if value is None:
            return self.none_rank
        if isinstance(value, bool):
            return float(value)
        if isinstance(value, (int, float)) and value > 0 and all(isinstance(c, int) and not isinstance(c, bool)
                                                                 for c in self.choices if c is not None):
            return math.log2(value)
        return float(self.choices.index(value)) if value in self.choices else -1.0


@dataclass
class SearchSpace:
    backend: Backend
    default_config: dict[str, Any]
    dims: list[Dim]
    constraints: list[Constraint] = field(default_factory=list)

    @classmethod
    def build(cls, backend: Backend, tunables: dict[str, Tunable], info: KernelInfo,
              default_config: dict[str, Any]) -> SearchSpace:
        dims: list[Dim] = []
        for name in sorted(tunables):
            t = tunables[name]
            if not t.tune:
                continue
            if t.kind == "list":
                dims += _list_dims(t, info, default_config.get(name))
            else:
                values = t.values()
                default = default_config.get(name, t.default)
                if default not in values:
                    values.append(default)
                if len(values) > 1:
                    dims.append(Dim(name, None, tuple(values), default))
        return cls(backend, dict(default_config), dims, list(backend.constraints(info)))

    # ------------------------------------------------------------ points

    @property
    def default(self) -> tuple:
        return tuple(d.default for d in self.dims)

    def size(self) -> int:
        n = 1
        for d in self.dims:
            n *= len(d.choices)
        return n

    def config(self, point: tuple) -> dict[str, Any]:
        """The full config (every searched key, lists rebuilt) of ``point``."""
        cfg = {k: (list(v) if isinstance(v, list) else v) for k, v in self.default_config.items()}
        for d, v in zip(self.dims, point):
            if d.index is None:
                cfg[d.key] = v
            elif d.index < 0:
                cfg[d.key] = [v] * d.length
            else:
                lst = list(cfg.get(d.key) or [])
                lst += [None] * (d.index + 1 - len(lst))
                lst[d.index] = v
                cfg[d.key] = lst
        return cfg

    def violation(self, point: tuple) -> str | None:
        cfg = self.config(point)
        for c in self.constraints:
            why = c.check(cfg)
            if why:
                return f"{c.name}: {why}"
        return None

    def valid(self, point: tuple) -> bool:
        return self.violation(point) is None

    def random(self, rng: random.Random, tries: int = 200) -> tuple | None:
        """A random valid point (None if ``tries`` draws found none)."""
        for _ in range(tries):
            p = tuple(rng.choice(d.choices) for d in self.dims)
            if self.valid(p):
                return p
        return None

    def neighbours(self, point: tuple, radius: int = 1) -> list[tuple]:
        """Valid points that move one dimension by up to ``radius`` steps of its ordered choices."""
        out = []
        for i in range(len(self.dims)):
            for step in range(-radius, radius + 1):
                p = self.moved(point, i, step) if step else None
                if p is not None:
                    out.append(p)
        return out

    def moved(self, point: tuple, i: int, steps: int) -> tuple | None:
        """``point`` with dimension ``i`` moved ``steps`` along its ordered choices (None: off the end or
        invalid)."""
        ordered = self.dims[i].ordered
        j = (ordered.index(point[i]) if point[i] in ordered else 0) + steps
        if not 0 <= j < len(ordered):
            return None
        p = point[:i] + (ordered[j],) + point[i + 1:]
        return p if self.valid(p) else None

    def further(self, start: tuple, end: tuple) -> tuple | None:
        """The move from ``start`` to ``end`` (one dimension apart) made once more from ``end`` (None: they
        differ in more or fewer than one dimension, or the move leaves the space)."""
        diff = [i for i, (a, b) in enumerate(zip(start, end)) if a != b]
        if len(diff) != 1:
            return None
        i = diff[0]
        ordered = self.dims[i].ordered
        if start[i] not in ordered or end[i] not in ordered:
            return None
        return self.moved(end, i, ordered.index(end[i]) - ordered.index(start[i]))

    def encode(self, point: tuple) -> list[float]:
        """Numbers for a surrogate model: each dimension's ordinal."""
        return [d.ordinal(v) for d, v in zip(self.dims, point)]

    def describe(self) -> str:
        lines = [f"{len(self.dims)} dimensions, {self.size()} points before constraints"]
        lines += [f"  {d.label}: {list(d.choices)} (default {d.default!r})" for d in self.dims]
        lines += [f"  constraint {c.name}: {c.doc}" for c in self.constraints]
        return "\n".join(lines)


def _list_dims(t: Tunable, info: KernelInfo, current: Any) -> list[Dim]:
    element = t.element
    base = element.values() if element is not None else []
    current = list(current or [])

    def at(i: int) -> Any:
        return current[i] if i < len(current) else None

    def dim(i: int, values: list, none_rank: float = -1.0) -> Dim | None:
        default = at(i)
        if default is None and None not in values:
            default = element.default if element is not None else None
        if default not in values:
            values = [*values, default]
        return Dim(t.name, i, tuple(values), default, none_rank=none_rank) if len(values) > 1 else None

    out: list[Dim | None] = []
    if t.over == "tile_symbols":
        for sid, (_, hint) in sorted(info.block_sizes.items()):
            cap = pow2_ceil(hint) if hint and hint > 0 else max(base, default=1)
            out.append(dim(sid, [v for v in base if v <= cap]))
    elif t.over == "reduction_symbols":
        for rid, hint in sorted(info.reductions.items()):
            extent = pow2_ceil(hint) if hint and hint > 0 else max(base, default=1)
            # whole, or chunks of 256 and more that leave at least two of them
            out.append(dim(rid, [None] + [v for v in base if 256 <= v < extent], none_rank=math.log2(extent)))
    elif t.over == "loops2d":
        for i, loop in enumerate(info.loops):
            rank = len(loop["symbols"])
            if rank < 2:
                continue
            values = [v for v in base if t.element is None or t.element.kind != "int"
                      or v < math.factorial(rank)]
            out.append(dim(i, values))
    elif t.over == "sequential_loops":
        n = sum(len(loop["inner"]) for loop in info.loops) + len(info.reductions)
        if n and len(base) > 1:
            default = at(0) if at(0) is not None else (element.default if element else None)
            values = base if default in base else [*base, default]
            out.append(Dim(t.name, -1, tuple(values), default, length=n))
    return [d for d in out if d is not None]
