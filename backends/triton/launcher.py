"""Loads generated Triton modules and launches their kernels with little host work.

``@triton.jit`` reads a kernel's source from its file, so the generated
module is written to ``$TEGULA_CACHE_DIR/triton/<hash>.py`` (default
``~/.cache/tegula``) and imported from there. Each launch flattens the
kernel's arguments (tensor -> pointer, sizes, strides) with a precomputed
plan and calls ``kernel[grid](...)``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from tegula.compiler.backend import KernelInfo, Launcher
from tegula.compiler.errors import BackendCompileError


def cache_dir() -> Path:
    root = Path(os.environ.get("TEGULA_CACHE_DIR", Path.home() / ".cache" / "tegula"))
    path = root / "triton"
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_module(source: str) -> Any:
    digest = hashlib.sha256(source.encode()).hexdigest()[:24]
    path = cache_dir() / f"tegula_{digest}.py"
    if not path.exists() or path.read_text() != source:
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(source)
        os.replace(tmp, path)
    name = f"tegula_triton_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class TritonLauncher(Launcher):
    def __init__(self, source: str, launches: list[dict[str, Any]], config: dict[str, Any], info: KernelInfo) -> None:
        self.source = source
        self.config = dict(config)
        self.name = info.name
        self.module = load_module(source)
        self.path = self.module.__file__
        self.launches = []
        for ln in launches:
            plan = [(kind, i, d) for _, kind, i, d in ln["signature"]]
            self.launches.append((getattr(self.module, ln["kernel"]), getattr(self.module, ln["grid"]), plan,
                                  ln["has_dot"]))
        self.num_warps = int(config.get("num_warps", 4))
        self.num_stages = int(config.get("num_stages", 3))
        self.checked = False

    def accepts(self, args: list[Any]) -> bool:
        return all(grid(*args)[1] for _, grid, _, _ in self.launches)

    @staticmethod
    def _flatten(plan: list[tuple[str, int, int]], args: list[Any]) -> list[Any]:
        out = []
        for kind, i, d in plan:
            a = args[i]
            if kind == "ptr" or kind == "scalar":
                out.append(a)
            elif kind == "size":
                out.append(a.shape[d])
            else:
                out.append(a.stride(d))
        return out

    def __call__(self, args: list[Any]) -> None:
        for kernel, grid, plan, has_dot in self.launches:
            n, fits = grid(*args)
            if not fits:
                raise BackendCompileError(f"`{self.name}`: a ':' extent outgrew the block it was compiled for",
                                          self.config)
            if n <= 0:
                continue
            flat = self._flatten(plan, args)
            if self.checked:
                kernel[(n,)](*flat, num_warps=self.num_warps, num_stages=self.num_stages if has_dot else 1)
                continue
            try:
                kernel[(n,)](*flat, num_warps=self.num_warps, num_stages=self.num_stages if has_dot else 1)
            except Exception as e:  # the first launch compiles: report which kernel and config failed
                raise BackendCompileError(
                    f"Triton failed to compile or run `{self.name}` ({type(e).__name__}: {e}); "
                    f"generated source: {self.path}", self.config) from e
        self.checked = True


TL_POINTER = {"f32": "*fp32", "f16": "*fp16", "bf16": "*bf16", "f64": "*fp64", "i64": "*i64", "i32": "*i32",
              "i16": "*i16", "i8": "*i8", "i1": "*i1"}


def compile_for_target(source: str, launches: list[dict[str, Any]], arg_types: list[str], stage: str,
                       arch: int = 90, options: dict[str, Any] | None = None) -> str:
    """Compiles the generated kernels for ``cuda:sm_<arch>`` (no GPU needed) and returns ``stage``
    (ttir, ttgir, llir, ptx) of every launch: how lit tests check what Triton makes of the code.
    Pointers and ints are taken as 16-aligned, the common case Triton's JIT specializes for."""
    import triton
    from triton.backends.compiler import GPUTarget
    from triton.compiler import ASTSource

    saved = os.environ.get("TRITON_INTERPRET")
    os.environ["TRITON_INTERPRET"] = "0"
    try:
        digest = hashlib.sha256(source.encode()).hexdigest()[:24]
        path = cache_dir() / f"tegula_{digest}_target.py"
        path.write_text(source)
        spec = importlib.util.spec_from_file_location(f"tegula_triton_target_{digest}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out = []
        for ln in launches:
            signature, attrs = {}, {}
            for pos, (name, kind, i, _) in enumerate(ln["signature"]):
                t = arg_types[i]
                float_scalar = kind == "scalar" and t == "f32"
                signature[name] = TL_POINTER[t] if kind == "ptr" else "fp32" if float_scalar else "i32"
                if not float_scalar:  # as Triton's JIT specializes 16-aligned pointers and ints
                    attrs[(pos,)] = [["tt.divisibility", 16]]
            compiled = triton.compile(ASTSource(getattr(module, ln["kernel"]), signature=signature, attrs=attrs),
                                      target=GPUTarget("cuda", arch, 32), options=options)
            out.append(f"// {ln['kernel']} for sm_{arch}\n{compiled.asm[stage]}")
        return "\n".join(out)
    finally:
        if saved is None:
            os.environ.pop("TRITON_INTERPRET", None)
        else:
            os.environ["TRITON_INTERPRET"] = saved
