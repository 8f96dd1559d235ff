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
__version__ = "0.1.0"


def __getattr__(name: str):
    # Lazy: ``tegula-opt`` on .mlir files never pays for importing torch.
    if name in ("kernel", "Kernel"):
        from tegula.compiler import kernel as _kernel

        return getattr(_kernel, name)
    raise AttributeError(f"module 'tegula' has no attribute '{name}'")

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
