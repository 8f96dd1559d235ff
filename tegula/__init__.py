"""Tegula: write a kernel once as Python tile loops, run it fast on any backend.

    import torch, tegula
    import tegula.language as tl

    @tegula.kernel
    def add(x, y):
        out = torch.empty_like(x)
        for tile in tl.tile(x.size(0)):
            out[tile] = x[tile] + y[tile]
        return out
"""

from __future__ import annotations

from tegula.compiler.errors import (
    BackendCompileError,
    BackendUnavailableError,
    TegulaCompileError,
    TegulaError,
    TegulaTypeError,
    TegulaValueError,
)
from tegula.compiler.kernel import Kernel, kernel

__version__ = "0.1.0"

__all__ = [
    "BackendCompileError",
    "BackendUnavailableError",
    "Kernel",
    "TegulaCompileError",
    "TegulaError",
    "TegulaTypeError",
    "TegulaValueError",
    "__version__",
    "kernel",
]
