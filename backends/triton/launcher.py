"""Loads generated Triton modules and launches their kernels with little host work.

``@triton.jit`` reads a kernel's source from its file, so the generated
module is written to ``$TEGULA_CACHE_DIR/triton/<hash>.py`` (default
``~/.cache/tegula``) and imported from there. Each launch flattens the
kernel's arguments (tensor -> pointer, sizes, strides) with a precomputed
plan.

The first launch of each kernel goes through ``kernel[grid](...)``, which
compiles it. Later launches skip ``JITFunction.run``'s dispatch (binding,
specialization, cache key: the launcher step went from 20.7 to 9.0 us on an
H200) and call the compiled kernel's own launcher, found again by a *guard*: a
generated function of the flattened arguments computing what Triton
specializes a compiled kernel on (each pointer's 16-byte alignment; each int's
being 1, a multiple of 16, or outside 32 bits; each scalar's type; the even
flags, constexprs the grid function computes: whether a handle's tiles are all
full, so that its masks go) -- the dtypes are fixed by Tegula's own spec. A
guard not seen before, a launch hook set (a profiler), the interpreter, or a
Triton without the expected internals take the ordinary path;
``TEGULA_TRITON_FAST_LAUNCH=0`` always does.
"""

from __future__ import annotations

import os
from typing import Any

from tegula.compiler.backend import KernelInfo, Launcher
from tegula.compiler.hostcode import load_generated
from tegula.compiler.errors import BackendCompileError


def load_module(source: str) -> Any:
    return load_generated(source, "triton")


#: what Triton specializes an int on, packed in one int: being 1, a multiple of 16, beyond 32 bits (the guards
#: inline it for sizes and strides; ``_int_key`` is the same text as a function, for scalars)
_INT_KEY = "({v} == 1) | ((({v} & 15) == 0) << 1) | ((({v} >> 31) != 0) << 2)"
_int_key = eval("lambda v: " + _INT_KEY.format(v="v"))  # noqa: S307 - our own text


def _scalar_key(v: Any) -> Any:
    """What Triton specializes a scalar argument on: its type; for an int, ``_int_key``; for a tensor, its
    dtype and alignment."""
    if type(v) is int:
        return _int_key(v)
    if hasattr(v, "data_ptr"):
        return (v.dtype, (v.data_ptr() & 15) == 0)
    return type(v)


class _Fast:
    """The compiled-kernel side of Triton 3.x's launch path, or None where this Triton lacks it."""

    def __init__(self) -> None:
        from triton import knobs
        from triton.runtime import driver

        self.knobs = knobs.runtime
        active = driver.active
        self.device = active.get_current_device
        self.stream = active.get_current_stream

    def quiet(self) -> bool:
        """No launch hooks: Triton 3.6 keeps them in (normally empty) ``HookChain`` objects, older ones use None;
        a hook set by a profiler is a callable, and Triton's own dispatch must call it."""
        knobs = self.knobs
        return not getattr(knobs.launch_enter_hook, "calls", knobs.launch_enter_hook is not None) and \
            not getattr(knobs.launch_exit_hook, "calls", knobs.launch_exit_hook is not None)

    @staticmethod
    def make() -> "_Fast | None":
        if os.environ.get("TEGULA_TRITON_FAST_LAUNCH", "1") == "0" or os.environ.get("TRITON_INTERPRET") == "1":
            return None
        try:
            fast = _Fast()
            fast.quiet()  # the attributes must exist
            return fast
        except Exception:  # noqa: BLE001 - another Triton: the ordinary path
            return None


def _scratch(size: int, alignment: int, stream: Any) -> Any:
    import torch

    return torch.empty(size, dtype=torch.int8, device="cuda")


def ensure_allocator() -> None:
    """Kernels that make tensor descriptors (``indexing=descriptor``) write them to global scratch memory, which
    Triton asks its allocator for at launch: set one (torch's caching allocator) where none is set. Triton keeps
    it in a ContextVar, so each thread that launches needs it."""
    import triton
    from triton.runtime import _allocation

    if isinstance(_allocation._allocator.get(), _allocation.NullAllocator):
        triton.set_allocator(_scratch)


class TritonLauncher(Launcher):
    def __init__(self, source: str, launches: list[dict[str, Any]], config: dict[str, Any], info: KernelInfo) -> None:
        self.source = source
        self.config = dict(config)
        self.name = info.name
        self.module = load_module(source)
        self.path = self.module.__file__
        self.launches = []
        for ln in launches:
            sig = [(kind, i, d) for _, kind, i, d in ln["signature"]]
            kinds = [kind for kind, _, _ in sig] + ["even"] * len(ln.get("evens", ()))
            self.launches.append((getattr(self.module, ln["kernel"]), getattr(self.module, ln["grid"]),
                                  self._flattener(sig), ln["has_dot"], self._guard(kinds), {}))
        self.num_warps = int(config.get("num_warps", 4))
        self.num_stages = int(config.get("num_stages", 3))
        self.checked = False
        self.fast = _Fast.make()
        #: the kernels make TMA tensor descriptors: Triton's launch needs an allocator for their scratch
        self.descriptors = "tl.make_tensor_descriptor(" in source and os.environ.get("TRITON_INTERPRET") != "1"
        #: whether any launch has ':' extents that must fit their compiled blocks
        self.bucketed = any(ln.get("bucketed", True) for ln in launches)

    def accepts(self, args: list[Any]) -> bool:
        if not self.bucketed:
            return True
        return all(grid(*args)[1] for _, grid, *_ in self.launches)

    @staticmethod
    def _flattener(plan: list[tuple[str, int, int]]) -> Any:
        """A generated ``args -> kernel parameters`` function (tensor -> pointer, sizes, strides)."""
        parts = []
        for kind, i, d in plan:
            parts.append(f"a[{i}]" if kind in ("ptr", "scalar") else f"a[{i}].shape[{d}]" if kind == "size"
                         else f"a[{i}].stride({d})")
        return eval(f"lambda a: ({', '.join(parts)}{',' if len(parts) == 1 else ''})")  # noqa: S307 - our own text

    @staticmethod
    def _guard(kinds: list[str]) -> Any:
        """A generated ``kernel parameters -> key`` function: what Triton's compiled kernel for them depends on
        beyond the dtypes (see the module docstring). Ints (sizes, strides) are packed into one int each."""
        parts = []
        for j, kind in enumerate(kinds):
            v = f"f[{j}]"
            if kind == "ptr":
                parts.append(f"({v}.data_ptr() & 15) == 0")
            elif kind == "even":  # a constexpr: Triton compiles a kernel per value
                parts.append(v)
            elif kind == "scalar":
                parts.append(f"_scalar_key({v})")
            else:
                parts.append(_INT_KEY.format(v=v))
        return eval(f"lambda f: ({', '.join(parts)}{',' if len(parts) == 1 else ''})",  # noqa: S307 - our own text
                    {"_scalar_key": _scalar_key})

    def __call__(self, args: list[Any]) -> None:
        fast = self.fast
        if self.descriptors:
            ensure_allocator()
        for kernel, grid, plan, has_dot, guard, compiled in self.launches:
            n, fits, evens = grid(*args)
            if not fits:
                raise BackendCompileError(f"`{self.name}`: a ':' extent outgrew the block it was compiled for",
                                          self.config)
            if n <= 0:
                continue
            flat = plan(args) + evens
            if self.checked:
                if fast is not None and fast.quiet():
                    device = fast.device()
                    key = (device, guard(flat))
                    ck = compiled.get(key)
                    if ck is not None:
                        ck.run(n, 1, 1, fast.stream(device), ck.function, ck.packed_metadata, None, None, None, *flat)
                        continue
                    ck = kernel.run(*flat, grid=(n,), warmup=False, num_warps=self.num_warps,
                                    num_stages=self.num_stages if has_dot else 1)
                    if ck is not None and getattr(ck, "function", None) is not None:
                        compiled[key] = ck
                    continue
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
