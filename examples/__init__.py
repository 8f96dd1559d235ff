"""Example kernels: used by ``tegula examples``, the tests and the benchmarks.

Each module defines one or more ``@tegula.kernel`` functions and an
``EXAMPLES`` list of ``Example`` records: the kernel, a float64 PyTorch
reference, how to make inputs for a shape and dtype, the shapes to test
(several not multiples of any block size) and the tolerance.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

import torch

MODULES = ("add", "gelu", "swiglu", "sum", "softmax", "layer_norm", "rms_norm", "cross_entropy", "matmul",
           "matmul_bias_relu", "attention", "unfused")


@dataclass
class Example:
    name: str
    kernel: Any
    #: the same computation in eager PyTorch (called on float64 copies for the check)
    reference: Callable[..., torch.Tensor]
    #: inputs(shape, dtype, device) -> tuple of kernel arguments
    inputs: Callable[..., tuple]
    shapes: list[tuple[int, ...]]
    dtypes: tuple[torch.dtype, ...] = (torch.float32, torch.bfloat16)
    #: (rtol, atol) per dtype
    tolerance: dict[torch.dtype, tuple[float, float]] = field(default_factory=lambda: {
        torch.float32: (1e-4, 1e-5), torch.bfloat16: (2e-2, 2e-2), torch.float16: (5e-3, 5e-3)})
    #: the shape benchmarks use
    bench_shape: tuple[int, ...] = ()
    #: the medium shape ``tegula examples`` checks and times (default: bench_shape)
    demo_shape: tuple[int, ...] = ()
    #: "memory" or "compute": what the benchmark reports against
    bound: str = "memory"

    def __post_init__(self) -> None:
        if not self.demo_shape:
            self.demo_shape = self.bench_shape

    @property
    def ragged_shape(self) -> tuple[int, ...]:
        """The first test shape with an odd size and no size of 1 (a ragged edge in every tiled dimension), else
        the last test shape."""
        return next((s for s in self.shapes if any(n % 2 for n in s) and min(s) > 1), self.shapes[-1])

    def check(self, out: torch.Tensor, args: tuple, dtype: torch.dtype) -> tuple[bool, str]:
        """Compares a kernel output with the float64 reference; (ok, message)."""
        ref = self.reference(*[a.double() if isinstance(a, torch.Tensor) and a.is_floating_point() else a
                               for a in args])
        rtol, atol = self.tolerance[dtype]
        got = out.double()
        if got.shape != ref.shape:
            return False, f"shape {tuple(got.shape)} != reference {tuple(ref.shape)}"
        if torch.allclose(got, ref.to(got.dtype), rtol=rtol, atol=atol, equal_nan=True):
            return True, "matches torch"
        err = (got - ref).abs().max().item()
        return False, f"MISMATCH: max abs error {err:.3g} (rtol={rtol}, atol={atol})"


def all_examples() -> list[Example]:
    out: list[Example] = []
    for name in MODULES:
        out.extend(importlib.import_module(f"tegula.examples.{name}").EXAMPLES)
    return out


def get(name: str) -> Example:
    for ex in all_examples():
        if ex.name == name:
            return ex
    raise KeyError(f"no example '{name}'; examples: {', '.join(e.name for e in all_examples())}")


def randn(*shape: int, dtype: torch.dtype = torch.float32, device: str = "cpu") -> torch.Tensor:
    return torch.randn(*shape, device=device).to(dtype)
