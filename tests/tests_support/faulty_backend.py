"""A CPU backend with a ``fault`` tunable, to test that the autotuner survives bad candidates.

``fault``: ``none`` (the CPU backend), ``segfault`` (the compile dereferences NULL), ``hang`` (the compile
never returns), ``slow`` (the compile takes 2 s, then succeeds), ``error`` (the compile raises BackendCompileError), ``wrong`` (the kernel runs, then adds
1 to every float tensor it was given: wrong numbers). The tuner must exclude all but ``none`` and ``slow``.
"""

from __future__ import annotations

import ctypes
import time
from typing import Any

import torch
from tegula.backends.cpu import CPUBackend
from tegula.compiler import tunables
from tegula.compiler.backend import KernelInfo, Launcher
from tegula.compiler.errors import BackendCompileError

FAULT = tunables.enum("fault", ("none", "segfault", "hang", "slow", "error", "wrong"), "none",
                      doc="how this backend fails")


class _Wrong(Launcher):
    def __init__(self, inner: Launcher) -> None:
        self.inner = inner

    def __call__(self, args: list[Any]) -> None:
        self.inner(args)
        for a in args:
            if isinstance(a, torch.Tensor) and a.dtype.is_floating_point:
                a.add_(1)


class FaultyBackend(CPUBackend):
    name = "faulty"

    def tunables(self) -> list[tunables.Tunable]:
        return [*super().tunables(), FAULT]

    def default_config(self, info: KernelInfo) -> dict[str, Any]:
        return {**super().default_config(info), "fault": "none"}

    def compile(self, module: Any, config: dict[str, Any], info: KernelInfo) -> Launcher:
        fault = config.get("fault", "none")
        if fault == "segfault":
            ctypes.string_at(0)
        elif fault == "hang":
            time.sleep(3600)
        elif fault == "slow":
            time.sleep(2.0)
        elif fault == "error":
            raise BackendCompileError("faulty backend: this config does not compile", config)
        launcher = super().compile(module, config, info)
        return _Wrong(launcher) if fault == "wrong" else launcher
