"""The output cache: large CPU tensors that kernels' host code allocates reuse memory that earlier ones freed
(``compiler/output_cache.py``), with the layout, dtype and contents torch's own calls give."""

from __future__ import annotations

import gc
import threading

import pytest
import torch

from tegula.compiler import output_cache
from tegula.compiler.output_cache import MIN_BYTES, OutputCache, allocate


@pytest.fixture
def fresh_cache(monkeypatch):
    """A cache of 64 MB for the test, not the process's."""
    c = OutputCache(64 << 20)
    monkeypatch.setattr(output_cache, "_CACHE", c)
    return c


BIG = (1024, 512)  # 2 MB of float32: over MIN_BYTES


@pytest.mark.parametrize("call", [
    lambda x: (torch.empty, (BIG,), {"dtype": torch.float32}),
    lambda x: (torch.empty_like, (x,), {}),
    lambda x: (torch.empty_like, (x.t(),), {}),
    lambda x: (torch.empty_like, (x,), {"memory_format": torch.contiguous_format, "dtype": torch.bfloat16}),
    lambda x: (x.new_empty, (BIG,), {}),
    lambda x: (torch.empty_strided, ((512, 1024), (1, 512)), {"dtype": torch.float32}),
    lambda x: (torch.zeros, BIG, {"dtype": torch.int32}),
    lambda x: (torch.zeros_like, (x,), {}),
    lambda x: (x.new_zeros, (BIG,), {"dtype": torch.float64}),
    lambda x: (torch.ones, (BIG,), {"dtype": torch.bfloat16, "device": "cpu"}),
    lambda x: (torch.ones_like, (x,), {"dtype": torch.int32}),
    lambda x: (x.new_ones, (BIG,), {}),
    lambda x: (torch.full_like, (x, 2.5), {}),
    lambda x: (x.new_full, (BIG, -3), {"dtype": torch.int64}),
])
def test_cached_tensors_match_torchs_own(fresh_cache, call):
    x = torch.randn(BIG)
    func, args, kwargs = call(x)
    want = func(*args, **kwargs)
    got = allocate(func, *args, **kwargs)
    assert (got.shape, got.stride(), got.dtype, got.device) == (want.shape, want.stride(), want.dtype, want.device)
    assert got.untyped_storage().nbytes() >= MIN_BYTES
    assert got.data_ptr() % 4096 == 0
    if "empty" not in func.__name__:
        assert torch.equal(got, want)
    storage = got.untyped_storage().data_ptr()
    del got
    gc.collect()
    assert fresh_cache.free_bytes >= MIN_BYTES  # its block came back
    again = allocate(func, *args, **kwargs)
    assert again.untyped_storage().data_ptr() == storage


def test_memory_is_reused_only_once_nothing_uses_it(fresh_cache):
    x = torch.randn(BIG)
    a = allocate(torch.empty_like, x)
    a.fill_(1.0)
    view = a[100:200]
    ptr = a.data_ptr()
    del a
    b = allocate(torch.empty_like, x)  # the view keeps a's memory alive
    assert b.data_ptr() != ptr
    b.fill_(2.0)
    assert bool((view == 1.0).all())
    del view
    c = allocate(torch.empty_like, x)
    assert c.data_ptr() == ptr


def test_small_and_other_tensors_are_torchs(fresh_cache):
    small = allocate(torch.zeros, 16)
    assert torch.equal(small, torch.zeros(16)) and small.untyped_storage().resizable()
    assert fresh_cache.free_bytes == 0 and not fresh_cache.free
    # keyword arguments that change what a tensor is, and torch.full (its dtype follows its value): torch's
    grad = allocate(torch.zeros, BIG, requires_grad=True)
    assert grad.requires_grad and grad.untyped_storage().resizable()
    full = allocate(torch.full, BIG, 7)
    assert full.dtype == torch.int64 and full.untyped_storage().resizable()

    class NotTorch:
        def empty(self, n):
            return ("mine", n)

    assert allocate(NotTorch().empty, 3) == ("mine", 3)


def test_bad_arguments_give_torchs_own_error(fresh_cache):
    with pytest.raises(TypeError, match="zeros"):
        allocate(torch.zeros, "three")
    with pytest.raises(TypeError, match="full_like"):
        allocate(torch.full_like, torch.randn(2))


def test_the_limit_bounds_the_free_memory_kept():
    c = OutputCache(3 << 20)
    blocks = [c.take(2 << 20) for _ in range(2)]
    for b in blocks:
        c.give(b)
    assert c.free_bytes == 2 << 20 and sum(len(v) for v in c.free.values()) == 1
    assert c.take(2 << 20) is blocks[0]
    c.clear()
    assert c.free_bytes == 0


def test_a_zero_limit_turns_the_cache_off(monkeypatch):
    monkeypatch.setattr(output_cache, "_CACHE", None)
    monkeypatch.setenv("TEGULA_CPU_OUTPUT_CACHE_MB", "0")
    t = allocate(torch.empty, BIG)
    assert t.untyped_storage().resizable()  # torch's own
    monkeypatch.setattr(output_cache, "_CACHE", None)
    monkeypatch.setenv("TEGULA_CPU_OUTPUT_CACHE_MB", "lots")
    with pytest.raises(ValueError, match="TEGULA_CPU_OUTPUT_CACHE_MB"):
        allocate(torch.empty, BIG)
    monkeypatch.setattr(output_cache, "_CACHE", None)


def test_threads_never_share_a_block(fresh_cache):
    seen: list[set[int]] = [set() for _ in range(4)]
    live: list[list[torch.Tensor]] = [[] for _ in range(4)]

    def work(i: int) -> None:
        for n in range(30):
            t = allocate(torch.full_like, torch.empty(BIG), float(i))
            live[i].append(t)
            if n % 3 == 2:
                live[i].pop(0)
        seen[i] = {t.data_ptr() for t in live[i]}

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(4):
        assert all(bool((t == float(i)).all()) for t in live[i])
    ptrs = [p for s in seen for p in s]
    assert len(ptrs) == len(set(ptrs))


def test_kernel_outputs_reuse_freed_memory(fresh_cache):
    """The host code's ``torch.empty_like`` goes through the cache: a kernel's second output takes the
    memory of its first once that is dropped, and both are right."""
    from tegula.compiler.kernel import Kernel
    from tegula.examples import get

    ex = get("add")
    args = ex.inputs((1000, 700), torch.float32)
    k = Kernel(ex.kernel.fn, config={})
    first = k(*args)
    assert ex.check(first, args, torch.float32)[0]
    ptr = first.data_ptr()
    del first
    second = k(*args)
    assert second.data_ptr() == ptr and ex.check(second, args, torch.float32)[0]


def test_the_rewrite_leaves_the_kernels_tree_alone():
    """The host function's allocations are rewritten on a copy: the parsed kernel still shows
    ``torch.empty`` calls, so its scratch tensors are found (``tile.scratch``), and once two loops are fused
    their statistics are not stored (a fused layer norm stores only its output)."""
    from tegula.compiler.kernel import Kernel
    from tegula.examples import get

    ex = get("layer_norm_two_loops")
    k = Kernel(ex.kernel.fn, config={})
    assert k.host.scratch == {"mean", "rstd"}
    args = ex.inputs((64, 1000), torch.float32)
    assert "tile.scratch" in k.emit(*args, stage="tile")
    assert k.emit(*args, stage="tiled").count('"tile.store"') == 1


def test_a_forked_child_allocates_though_a_thread_held_the_lock(fresh_cache):
    import os

    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with fresh_cache.lock:
            held.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(10)
    pid = os.fork()
    if pid == 0:  # the child: the holder thread does not exist here (and no OpenMP: libgomp is not fork-safe)
        t = allocate(torch.empty, BIG)
        os._exit(0 if t.shape == BIG and fresh_cache.free_bytes == 0 else 1)
    release.set()
    t.join()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_cpu_tensor_asked_for_under_another_default_device(fresh_cache):
    """``torch.set_default_device`` elsewhere: a tensor asked for on the CPU still comes from the cache, on the
    CPU (the empty tensor whose storage is set must be made there too)."""
    torch.set_default_device("meta")
    try:
        t = allocate(torch.zeros, BIG, device="cpu")
    finally:
        torch.set_default_device(None)
    assert t.device.type == "cpu" and t.data_ptr() % 4096 == 0 and bool((t == 0).all())
