"""``interp``: a Tegula backend in its own package, found through the ``tegula.backends`` entry point.

It runs a kernel's tiled tile dialect op by op with eager PyTorch: every
program of every launch in turn, tiles as tensors of their exact extents.
It is slow and simple on purpose: a reference to check other backends
against, and an example of the whole backend interface (availability,
devices, default config, pipeline, a named IR stage, compile, launch).
"""

from __future__ import annotations

from typing import Any

import torch

from tegula.compiler.backend import Backend, KernelInfo, Launcher
from tegula.compiler.mlir import ir

from tegula_interp_backend.interpreter import run_kernel

CALLS = {"launches": 0}  # lets tests see that this backend really ran


class InterpLauncher(Launcher):
    def __init__(self, module_text: str, name: str) -> None:
        self.text = module_text
        self.name = name
        self.ctx = ir.Context()
        from tegula.dialects.tile import load_dialect

        load_dialect(self.ctx)
        with self.ctx:
            self.module = ir.Module.parse(module_text)

    def __call__(self, args: list[Any]) -> None:
        CALLS["launches"] += 1
        with self.ctx:
            run_kernel(self.module, args)


class InterpBackend(Backend):
    name = "interp"
    stages = ("interp-trace",)

    def supports_device(self, device: torch.device) -> bool:
        return device.type == "cpu"

    def default_config(self, info: KernelInfo) -> dict[str, Any]:
        n = max(info.block_sizes, default=-1) + 1
        return {"block_sizes": [16] * n}

    def pipeline(self, config: dict[str, Any]) -> str:
        sizes = ",".join(str(s) for s in config.get("block_sizes", []))
        opts = f"{{block-sizes={sizes} reductions=exact}}" if sizes else "{reductions=exact}"
        return f"canonicalize,tegula-tile{opts},canonicalize,cse"

    def lower(self, module: Any, config: dict[str, Any], stage: str) -> str:
        if stage != "interp-trace":
            raise ValueError(f"interp has no stage {stage}")
        ops = sorted({op for op in _op_names(module.operation)})
        return "// ops the interpreter runs:\n" + "\n".join(f"// {o}" for o in ops) + "\n"

    def compile(self, module: Any, config: dict[str, Any], info: KernelInfo) -> Launcher:
        return InterpLauncher(str(module), info.name)

    def cache_key(self) -> str:
        return "interp-0.1.0"


def _op_names(op: ir.Operation) -> list[str]:
    out = []
    for region in op.regions:
        for block in region.blocks:
            for child in block.operations:
                out.append(child.operation.name)
                out.extend(_op_names(child.operation))
    return out
