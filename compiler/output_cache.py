"""A cache of CPU memory for the large tensors that kernels' host code allocates.

Contract: ``allocate(func, *args, **kwargs)`` returns what ``func(*args, **kwargs)`` would, for the torch
allocation functions and tensor methods of ``REPLACED`` (``torch.empty``, ``x.new_zeros``, ...): same shape,
strides, dtype, device and contents (``empty``: unspecified; ``zeros``, ``ones``, ``full``: filled). Where the
result is a CPU tensor of ``MIN_BYTES`` or more, its memory comes from this cache: memory that an earlier
such tensor used and no longer does (its storage died), already mapped. Everything else is ``func``'s own.
The host code of a kernel calls it in place of those calls (``frontend.host`` rewrites them).

Why: torch takes a large CPU tensor's memory from a fresh ``mmap`` each time, and every 4 KB page then
faults at its first store. On the 2-core VM of ``docs/backends.md`` a whole call of add over 4096x4096
float32 (64 MB out, 16385 page faults) took 42-126 ms in eager PyTorch, against 4.0-4.4 ms for the same add
into memory written before. The CUDA caching allocator does the same for GPU memory.

Memory held: blocks nobody uses stay cached up to ``TEGULA_CPU_OUTPUT_CACHE_MB`` (default 1024; 0 turns
the cache off), beyond which a freed block is given back to the system; ``empty_cache()`` gives all back.
A cached tensor's storage cannot be resized (``resize_`` to a larger size raises), as with
``torch.from_numpy``, on which it is built.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

#: tensors smaller than this are torch's: glibc serves them from memory it keeps mapped
MIN_BYTES = 1 << 20
_PAGE = 4096

#: allocation name -> (the ``empty`` call that gives its shape and strides, 1 where the second positional
#: argument is the fill value, the fill value otherwise or None). ``torch.full`` is not there: without a
#: ``dtype`` it takes its dtype from the value
REPLACED: dict[str, tuple[str, int, Any]] = {
    "empty": ("empty", 0, None), "empty_like": ("empty_like", 0, None), "new_empty": ("new_empty", 0, None),
    "empty_strided": ("empty_strided", 0, None),
    "zeros": ("empty", 0, 0), "zeros_like": ("empty_like", 0, 0), "new_zeros": ("new_empty", 0, 0),
    "ones": ("empty", 0, 1), "ones_like": ("empty_like", 0, 1), "new_ones": ("new_empty", 0, 1),
    "full_like": ("empty_like", 1, None), "new_full": ("new_empty", 1, None),
}
#: keyword arguments with which the result is still a plain tensor whose memory may come from the cache
_PLAIN_KWARGS = frozenset({"dtype", "device", "layout", "memory_format"})


def _limit_bytes() -> int:
    text = os.environ.get("TEGULA_CPU_OUTPUT_CACHE_MB", "1024")
    try:
        return max(int(float(text) * (1 << 20)), 0)
    except ValueError:
        raise ValueError(f"TEGULA_CPU_OUTPUT_CACHE_MB must be a number of megabytes, got {text!r}") from None


class OutputCache:
    """Page-aligned blocks of memory, by size in pages; free ones kept up to ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.free: dict[int, list[np.ndarray]] = {}
        self.free_bytes = 0
        # reentrant: a block's finalizer may run (garbage collection) while this thread holds the lock
        self.lock = threading.RLock()

    def take(self, nbytes: int) -> np.ndarray:
        size = -(-nbytes // _PAGE) * _PAGE
        with self.lock:
            blocks = self.free.get(size)
            if blocks:
                self.free_bytes -= size
                return blocks.pop()
        raw = np.empty(size + _PAGE, dtype=np.uint8)
        start = -raw.ctypes.data % _PAGE
        return raw[start:start + size]

    def give(self, block: np.ndarray) -> None:
        with self.lock:
            if self.free_bytes + block.nbytes <= self.limit:
                self.free.setdefault(block.nbytes, []).append(block)
                self.free_bytes += block.nbytes

    def clear(self) -> None:
        with self.lock:
            self.free.clear()
            self.free_bytes = 0

    def tensor(self, like: torch.Tensor) -> torch.Tensor:
        """A tensor of ``like``'s shape, strides and dtype over a cached block (contents unspecified)."""
        nbytes = like.untyped_storage().nbytes()
        block = self.take(nbytes)
        view = block[:nbytes]  # its own array: when the tensor's storage lets go of it, the block is free
        weakref.finalize(view, self.give, block)
        storage = torch.from_numpy(view).untyped_storage()
        return torch.empty(0, dtype=like.dtype, device=like.device).set_(storage, like.storage_offset(), like.shape, like.stride())


_CACHE: OutputCache | None = None
_CACHE_LOCK = threading.Lock()


def cache() -> OutputCache | None:
    """The process's cache, made at first use with the limit of the environment; None where that is 0."""
    global _CACHE
    if _CACHE is None:
        with _CACHE_LOCK:
            if _CACHE is None:
                _CACHE = OutputCache(_limit_bytes())
    return _CACHE if _CACHE.limit > 0 else None


def empty_cache() -> None:
    """Gives the cached blocks that no tensor uses back to the system."""
    if _CACHE is not None:
        _CACHE.clear()


def _after_fork_in_child() -> None:
    """A lock another thread held at the fork stays held in the child: the child gets new ones."""
    global _CACHE_LOCK
    _CACHE_LOCK = threading.Lock()
    if _CACHE is not None:
        _CACHE.lock = threading.RLock()


os.register_at_fork(after_in_child=_after_fork_in_child)


#: torch's allocation functions -> (their ``empty``, fill position, fill value): looked up by identity
_TORCH_FUNCS: dict[Any, tuple[Callable[..., Any], int, Any]] = {
    getattr(torch, name): (getattr(torch, empty), n_fill, fill)
    for name, (empty, n_fill, fill) in REPLACED.items() if not name.startswith("new_")}


def allocate(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)``, with the memory of a large CPU result from the cache; see the module
    docstring."""
    try:
        entry = _TORCH_FUNCS.get(func)
    except TypeError:  # not hashable: not torch's
        entry = None
    if entry is None:  # x.new_zeros(...): a method of a tensor
        name, owner = getattr(func, "__name__", None), getattr(func, "__self__", None)
        if not (isinstance(owner, torch.Tensor) and name in REPLACED and name.startswith("new_")):
            return func(*args, **kwargs)
        empty_name, n_fill, fill = REPLACED[name]
        entry = (getattr(owner, empty_name), n_fill, fill)
    if kwargs and (not kwargs.keys() <= _PLAIN_KWARGS or kwargs.get("layout", torch.strided) != torch.strided):
        return func(*args, **kwargs)
    empty, n_fill, fill = entry
    given = args
    if n_fill:  # full_like(x, value) / x.new_full(size, value): the value follows the tensor or the size
        if len(args) < 2:
            return func(*args, **kwargs)
        fill, args = args[1], args[:1] + args[2:]
    try:
        shaped = empty(*args, **kwargs)  # an untouched mapping when it is large: cheap, and it gives the layout
    except Exception:  # noqa: BLE001 - bad arguments: the error is the one `func` gives
        return func(*given, **kwargs)
    if shaped.is_cpu and shaped.numel() * shaped.element_size() >= MIN_BYTES:  # the cheap tests first
        c = cache()
        if c is not None:
            shaped = c.tensor(shaped)
    if fill is not None:
        shaped.fill_(fill)
    return shaped
