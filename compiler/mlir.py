"""The one module that imports the MLIR Python bindings.

Tegula uses the upstream MLIR bindings as shipped in the ``torch-mlir`` wheel.
Every other module imports ``ir``, ``passmanager``, the dialect modules and the
execution engine from here, so that another provider of the same bindings
(``mlir`` from an LLVM build, say) can be swapped in by editing this file only.
"""

from __future__ import annotations

from torch_mlir import ir, passmanager  # noqa: F401
from torch_mlir.dialects import arith, ext, func, irdl, math, memref, scf  # noqa: F401
from torch_mlir.execution_engine import ExecutionEngine  # noqa: F401

PROVIDER = "torch-mlir"

MLIRError = ir.MLIRError
PassManager = passmanager.PassManager

__all__ = [
    "PROVIDER",
    "ExecutionEngine",
    "MLIRError",
    "PassManager",
    "arith",
    "ext",
    "func",
    "ir",
    "irdl",
    "math",
    "memref",
    "passmanager",
    "scf",
]
