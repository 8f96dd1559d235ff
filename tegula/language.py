"""The kernel language: what ``import tegula.language as tl`` gives a kernel.

The names follow Helion's ``helion.language`` so that kernels port by changing
the import. Inside a ``@tegula.kernel`` these calls are compiled, not run;
called anywhere else they raise, except ``register_block_size`` which runs on
the host part of a kernel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from typing import Any

__all__ = [
    "BlockSize",
    "dot",
    "full",
    "grid",
    "register_block_size",
    "tile",
    "zeros",
]

_ids = count()


@dataclass(frozen=True)
class BlockSize:
    """A block-size symbol made on the host by ``register_block_size``.

    Pass it as ``block_size=`` to ``tl.tile`` (several loops may share it);
    the autotuner chooses its value within ``[min, max]``.
    """

    min: int | None = None
    max: int | None = None
    uid: int = field(default_factory=lambda: next(_ids))


def _device_only(name: str) -> Any:
    def stub(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            f"tegula.language.{name} can only be used inside a @tegula.kernel function "
            "(in a `for ... in tl.tile(...)` loop, or as that loop's iterator)"
        )

    stub.__name__ = name
    stub.__qualname__ = name
    stub.__doc__ = f"Device-side ``{name}``; see docs/language.md."
    return stub


tile = _device_only("tile")
grid = _device_only("grid")
zeros = _device_only("zeros")
full = _device_only("full")
dot = _device_only("dot")


def register_block_size(min_or_max: int | None = None, max: int | None = None) -> BlockSize:  # noqa: A002
    """A tunable block size, for ``tl.tile(n, block_size=bs)``.

    ``register_block_size(hi)`` bounds it above, ``register_block_size(lo, hi)``
    on both sides (Helion's signature).
    """
    if max is None:
        return BlockSize(None, min_or_max)
    return BlockSize(min_or_max, max)
