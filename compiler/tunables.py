"""Typed tunables: what passes and backends expose to the autotuner.

A tunable is a named domain with a default. Passes declare theirs as
dataclass fields (``option(...)``), backends list theirs; the autotuner's
search space is the union. A config is a plain dict ``{tunable name: value}``
and every value is checked against its domain before use.

Two declarations shape the search without any pass- or backend-specific code
in the tuner: ``tune=False`` keeps a tunable out of the search (it changes
numerics, like float32 dot precision, or has no useful finite domain), and a
per-symbol list says what it is indexed by (``over``): the kernel's tile
symbols, its ``:`` (reduction) symbols, its top-level loops of two or more
dimensions, or its sequential loops (one value shared by all of them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Tunable:
    """A tunable parameter: ``kind`` is one of pow2, int, enum, bool, list."""

    name: str
    kind: str
    default: Any
    low: int | None = None
    high: int | None = None
    choices: tuple = ()
    doc: str = ""
    #: for kind == "list": the domain of each element (a pow2 Tunable, say)
    element: Tunable | None = None
    #: whether the autotuner searches it (False: numerics-changing, or no finite domain)
    tune: bool = True
    #: for kind == "list": what it is indexed by, one of OVER
    over: str = ""

    def domain(self) -> str:
        if self.kind == "pow2":
            return f"power of two in [{self.low}, {self.high}]"
        if self.kind == "int":
            return f"int in [{self.low}, {self.high}]"
        if self.kind == "enum":
            return "one of " + ", ".join(map(repr, self.choices))
        if self.kind == "bool":
            return "bool"
        if self.kind == "list":
            return f"list, one per symbol, each a {self.element.domain() if self.element else 'value'}"
        return self.kind

    def check(self, value: Any) -> str | None:
        """None when ``value`` is in the domain, else why not."""
        if self.kind == "list":
            if not isinstance(value, (list, tuple)):
                return f"{self.name} must be a list, got {value!r}"
            for i, v in enumerate(value):
                if v is None:
                    continue
                why = self.element.check(v) if self.element else None
                if why:
                    return f"{self.name}[{i}]: {why}"
            return None
        if self.kind == "bool":
            return None if isinstance(value, bool) else f"{self.name} must be a bool, got {value!r}"
        if self.kind == "enum":
            return None if value in self.choices else f"{self.name} must be {self.domain()}, got {value!r}"
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{self.name} must be an int, got {value!r}"
        if self.low is not None and value < self.low or self.high is not None and value > self.high:
            return f"{self.name} must be {self.domain()}, got {value}"
        if self.kind == "pow2" and value & (value - 1):
            return f"{self.name} must be a power of two, got {value}"
        return None

    def describe(self) -> str:
        text = f"{self.name}: {self.domain()}, default {self.default!r}"
        if not self.tune:
            text += " (not searched)"
        return f"{text} -- {self.doc}" if self.doc else text


    def values(self) -> list[Any]:
        """The finite domain the autotuner draws from (scalar kinds; an int range of at most 16 values)."""
        if self.kind == "bool":
            return [False, True]
        if self.kind == "enum":
            return list(self.choices)
        if self.kind == "pow2":
            out, v = [], 1
            while v <= self.high:
                if v >= self.low:
                    out.append(v)
                v *= 2
            return out
        if self.kind == "int" and self.high - self.low < 16:
            return list(range(self.low, self.high + 1))
        return []


#: what a per-symbol list is indexed by
OVER = ("tile_symbols", "reduction_symbols", "loops2d", "sequential_loops")


def pow2(name: str, low: int, high: int, default: int, doc: str = "", tune: bool = True) -> Tunable:
    return Tunable(name, "pow2", default, low, high, doc=doc, tune=tune)


def enum(name: str, choices: tuple, default: Any, doc: str = "", tune: bool = True) -> Tunable:
    return Tunable(name, "enum", default, choices=tuple(choices), doc=doc, tune=tune)


def integer(name: str, low: int, high: int, default: int, doc: str = "", tune: bool = True) -> Tunable:
    return Tunable(name, "int", default, low, high, doc=doc, tune=tune)


def boolean(name: str, default: bool, doc: str = "", tune: bool = True) -> Tunable:
    return Tunable(name, "bool", default, doc=doc, tune=tune)


def per_symbol(name: str, element: Tunable, doc: str = "", over: str = "tile_symbols", tune: bool = True) -> Tunable:
    if over not in OVER:
        raise ValueError(f"per_symbol({name!r}): over must be one of {OVER}, got {over!r}")
    return Tunable(name, "list", [], element=element, doc=doc, tune=tune, over=over)


@dataclass(frozen=True)
class Constraint:
    """A rule a whole config must satisfy (a product of block sizes bounded by the hardware, say).

    ``check(config)`` returns None when the config satisfies it, else why not.
    """

    name: str
    check: Callable[[dict[str, Any]], str | None]
    doc: str = ""
