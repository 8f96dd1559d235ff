"""Loads generated Triton modules and launches their kernels with little host work.

``@triton.jit`` reads a kernel's source from its file, so the generated
module is written to ``$TEGULA_CACHE_DIR/triton/<hash>.py`` (default
``~/.cache/tegula``) and imported from there. Each launch flattens the
kernel's arguments (tensor -> pointer, sizes, strides) with a precomputed
plan and calls ``kernel[grid](...)``.
"""

from __future__ import annotations

from typing import Any

from tegula.compiler.backend import KernelInfo, Launcher
from tegula.compiler.hostcode import load_generated
from tegula.compiler.errors import BackendCompileError


def load_module(source: str) -> Any:
    return load_generated(source, "triton")


class TritonLauncher(Launcher):
    def __init__(self, source: str, launches: list[dict[str, Any]], config: dict[str, Any], info: KernelInfo) -> None:
        self.source = source
        self.config = dict(config)
        self.name = info.name
        self.module = load_module(source)
        self.path = self.module.__file__
        self.launches = []
        for ln in launches:
            plan = self._flattener([(kind, i, d) for _, kind, i, d in ln["signature"]])
            self.launches.append((getattr(self.module, ln["kernel"]), getattr(self.module, ln["grid"]), plan,
                                  ln["has_dot"]))
        self.num_warps = int(config.get("num_warps", 4))
        self.num_stages = int(config.get("num_stages", 3))
        self.checked = False
        #: whether any launch has ':' extents that must fit their compiled blocks
        self.bucketed = any(ln.get("bucketed", True) for ln in launches)

    def accepts(self, args: list[Any]) -> bool:
        if not self.bucketed:
            return True
        return all(grid(*args)[1] for _, grid, _, _ in self.launches)

    @staticmethod
    def _flattener(plan: list[tuple[str, int, int]]) -> Any:
        """A generated ``args -> kernel parameters`` function (tensor -> pointer, sizes, strides)."""
        parts = []
        for kind, i, d in plan:
            parts.append(f"a[{i}]" if kind in ("ptr", "scalar") else f"a[{i}].shape[{d}]" if kind == "size"
                         else f"a[{i}].stride({d})")
        return eval(f"lambda a: ({', '.join(parts)}{',' if len(parts) == 1 else ''})")  # noqa: S307 - our own text

    def __call__(self, args: list[Any]) -> None:
        for kernel, grid, plan, has_dot in self.launches:
            n, fits = grid(*args)
            if not fits:
                raise BackendCompileError(f"`{self.name}`: a ':' extent outgrew the block it was compiled for",
                                          self.config)
            if n <= 0:
                continue
            flat = plan(args)
            if self.checked:
                kernel.run(*flat, grid=(n,), warmup=False, num_warps=self.num_warps,
                           num_stages=self.num_stages if has_dot else 1)
                continue
            try:
                kernel[(n,)](*flat, num_warps=self.num_warps, num_stages=self.num_stages if has_dot else 1)
            except Exception as e:  # the first launch compiles: report which kernel and config failed
                raise BackendCompileError(
                    f"Triton failed to compile or run `{self.name}` ({type(e).__name__}: {e}); "
                    f"generated source: {self.path}", self.config) from e
        self.checked = True
