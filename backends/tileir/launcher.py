"""Loads generated cuTile modules and launches their kernels on CUDA tensors through ``ct.launch``.

The module is imported from a file (cuTile reads a kernel's source from it).
Per launch, its host function turns the kernel's arguments into the number of
programs, whether the ``:`` extents fit their compiled blocks, and the
kernel's parameters (tensors as cuTile arrays, sizes as ints). cuTile
specializes and compiles a kernel on its first launch (``tileiras``; compiled
cubins are cached on disk by cuTile), so the first call reports a compile
failure as a ``BackendCompileError`` naming the kernel, the config and the
generated file.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from tegula.compiler.backend import KernelInfo, Launcher
from tegula.compiler.errors import BackendCompileError
from tegula.compiler.hostcode import load_generated


class TileIRLauncher(Launcher):
    def __init__(self, source: str, launches: list[dict[str, Any]], config: dict[str, Any], info: KernelInfo) -> None:
        import cuda.tile as ct

        self._launch = ct.launch
        self._ct = ct
        self.config = dict(config)
        self.name = info.name
        self.module = load_generated(source, "tileir")
        self.path = self.module.__file__
        self.launches = [(getattr(self.module, ln["kernel"]), getattr(self.module, ln["host"])) for ln in launches]
        self.checked = False
        self.bucketed = any(ln["bucketed"] for ln in launches)

    def _compile_timeout(self) -> Any:
        """tileiras may take minutes on a huge tile: past ``$TEGULA_TILEIR_COMPILE_TIMEOUT`` seconds (default 180)
        cuTile stops it and the config fails (unless ``$CUDA_TILE_COMPILER_TIMEOUT_SEC`` says otherwise)."""
        if "CUDA_TILE_COMPILER_TIMEOUT_SEC" in os.environ or not hasattr(self._ct, "compiler_timeout"):
            return contextlib.nullcontext()
        return self._ct.compiler_timeout(float(os.environ.get("TEGULA_TILEIR_COMPILE_TIMEOUT", "180")))

    def accepts(self, args: list[Any]) -> bool:
        if not self.bucketed:
            return True
        return all(host(*args)[1] for _, host in self.launches)

    def __call__(self, args: list[Any]) -> None:
        import torch

        stream = torch.cuda.current_stream()
        for kernel, host in self.launches:
            n, fits, params = host(*args)
            if not fits:
                raise BackendCompileError(f"`{self.name}`: a ':' extent outgrew the block it was compiled for",
                                          self.config)
            if n <= 0:
                continue
            if self.checked:
                self._launch(stream, (n, 1, 1), kernel, params)
                continue
            try:
                with self._compile_timeout():
                    self._launch(stream, (n, 1, 1), kernel, params)
            except Exception as e:  # the first launch compiles: report which kernel and config failed
                raise BackendCompileError(
                    f"cuTile failed to compile or run `{self.name}` ({type(e).__name__}: {e}); "
                    f"generated source: {self.path}", self.config) from e
        self.checked = True
