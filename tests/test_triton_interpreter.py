"""The Triton backend end to end on the CPU, through Triton's interpreter (TRITON_INTERPRET=1).

Every example, every dtype, every shape (ragged ones included), against the
float64 PyTorch reference: the generated Triton code is the code the GPU
runs, so this tests the whole Triton path without a GPU.
"""

from __future__ import annotations

import os
import re

import pytest
import torch

from tegula.compiler.backend import get_backend
from tegula.compiler.kernel import Kernel
from tegula.examples import all_examples

pytestmark = pytest.mark.skipif(os.environ.get("TRITON_INTERPRET") != "1" or torch.cuda.is_available(),
                                reason="needs TRITON_INTERPRET=1 and no GPU (set by conftest.py)")

EXAMPLES = all_examples()
CASES = [(ex, dtype, shape) for ex in EXAMPLES for dtype in ex.dtypes for shape in ex.shapes]
KERNELS: dict[str, Kernel] = {}


def _kernel(ex) -> Kernel:
    if ex.name not in KERNELS:
        KERNELS[ex.name] = Kernel(ex.kernel.fn, backend="triton")
    return KERNELS[ex.name]


@pytest.mark.parametrize("ex,dtype,shape", CASES,
                         ids=[f"{e.name}-{str(d).removeprefix('torch.')}-{'x'.join(map(str, s))}" for e, d, s in CASES])
def test_example_triton_interpreter(ex, dtype, shape):
    args = ex.inputs(shape, dtype)
    out = _kernel(ex)(*args)
    ok, message = ex.check(out, args, dtype)
    assert ok, f"{ex.name} {dtype} {shape}: {message}"
    assert all(c.backend.name == "triton" for c in _kernel(ex).compiled())


def test_bigger_reduction_extent_recompiles_for_its_bucket():
    from tegula.examples.softmax import softmax

    k = Kernel(softmax.fn, backend="triton")
    for m in (100, 120, 700):
        x = torch.randn(5, m)
        torch.testing.assert_close(k(x), torch.softmax(x, -1))
    blocks = sorted(c.config["block_sizes"][0] for c in k.compiled())
    assert len(k.compiled()) == 2, blocks  # 100 and 120 share the 128 bucket; 700 needs 1024


def test_generated_source_is_readable_triton():
    from tegula.examples.softmax import softmax

    src = Kernel(softmax.fn, backend="triton").emit(torch.randn(8, 100), stage="triton")
    assert "@triton.jit\ndef softmax_launch0(n, x_ptr, x_size0, x_stride0, x_size1, out_ptr" in src
    assert "tl.max(" in src and "tl.sum(" in src and "tl.store(out_ptr" in src
    assert "def softmax_grid0(n, x, out):" in src


def test_config_overrides_block_sizes_and_warps():
    from tegula.examples.add import add

    k = Kernel(add.fn, backend="triton", config={"block_sizes": [256], "num_warps": 2})
    x = torch.randn(1000)
    torch.testing.assert_close(k(x, x), x + x)
    assert k.compiled()[0].config["block_sizes"] == [256]
    assert "tl.arange(0, 256)" in k.emit(x, x, stage="triton")


def test_short_rows_default_to_one_row_a_program_on_two_warps():
    """A reduction over rows of at most 1024 elements defaults to about 1024 elements a program and 2 warps;
    longer rows, and kernels with another kind of loop, keep 4 warps or more."""
    from tegula.examples.add import add
    from tegula.examples.softmax import softmax

    def default(fn, *args):
        k = Kernel(fn, backend="triton", effort="none")
        k(*args)
        cfg = k.compiled()[0].config
        return cfg["block_sizes"], cfg["num_warps"]

    assert default(softmax.fn, torch.randn(64, 1024)) == ([1], 2)
    assert default(softmax.fn, torch.randn(64, 256)) == ([4], 2)
    assert default(softmax.fn, torch.randn(64, 4096)) == ([1], 4)
    assert default(add.fn, torch.randn(64, 1024), torch.randn(64, 1024))[1] == 4


def test_bad_config_is_a_clear_error():
    from tegula.compiler.errors import PipelineError, TegulaValueError
    from tegula.examples.add import add

    k = Kernel(add.fn, backend="triton", config={"block_sizes": [100]})
    with pytest.raises(PipelineError, match="power of two"):
        k(torch.randn(10), torch.randn(10))
    k = Kernel(add.fn, backend="triton", config={"num_warps": 3})
    with pytest.raises(TegulaValueError, match="num_warps"):
        k(torch.randn(10), torch.randn(10))
    k = Kernel(add.fn, backend="triton", config={"block_size": [64]})
    with pytest.raises(TegulaValueError, match="block_size.*not tunables.*block_sizes"):
        k(torch.randn(10), torch.randn(10))
    # emit reads a config the way a compile does: the same errors, not silently ignored keys
    with pytest.raises(TegulaValueError, match="block_size.*not tunables.*block_sizes"):
        k.emit(torch.randn(10), torch.randn(10), stage="triton")
    with pytest.raises(TegulaValueError, match="num_warps"):
        Kernel(add.fn).emit(torch.randn(10), torch.randn(10), stage="triton", backend="triton",
                            config={"num_warps": 3})


def test_backend_is_available_under_the_interpreter():
    assert get_backend("triton").available() == (True, "")


class _FakeCompiled:
    def __init__(self, log: list) -> None:
        self.function, self.packed_metadata, self.log = object(), object(), log
        self.run = lambda *a: log.append(("fast", a[:3], a[9:]))


class _FakeJit:
    """Records how the launcher launches: ``kernel[grid](...)`` (first), ``kernel.run`` (dispatch) or the
    compiled kernel's own ``run`` (fast)."""

    def __init__(self) -> None:
        self.log: list = []

    def __getitem__(self, grid):
        return lambda *a, **kw: self.log.append(("first", grid, a))

    def run(self, *a, grid, warmup, **kw):
        self.log.append(("dispatch", grid, a))
        return _FakeCompiled(self.log)


class _FakeKnobs:
    launch_enter_hook = None
    launch_exit_hook = None


class _EmptyChain:
    """Triton 3.6's launch hooks when none is set: an empty ``HookChain``."""
    calls: list = []


def _fake_fast():
    from tegula.backends.triton.launcher import _Fast

    fast = _Fast.__new__(_Fast)
    fast.knobs, fast.device, fast.stream = _FakeKnobs(), (lambda: 0), (lambda device: 1234)
    return fast


def test_fast_launch_keys_on_what_triton_specializes():
    """After the first launch, a guard seen before launches the compiled kernel directly; a new pointer
    alignment, an int becoming 1 or a multiple of 16, or a launch hook (a profiler) go through Triton's
    dispatch, which compiles the variant Triton needs."""
    from tegula.examples.add import add

    k = Kernel(add.fn, backend="triton", effort="none")
    x = torch.randn(8, 33)
    k(x, x)
    launcher = k.compiled()[-1].launcher
    fake = _FakeJit()
    kernel, grid, plan, has_dot, guard, _ = launcher.launches[0]
    launcher.launches[0] = (fake, grid, plan, has_dot, guard, {})
    launcher.fast = _fake_fast()
    launcher.checked = False

    def kinds(*tensors):
        fake.log.clear()
        args = k.compiled()[-1].args(k.trace(*tensors)[1])
        launcher(args)
        return [entry[0] for entry in fake.log]

    assert kinds(x, x) == ["first"]
    assert kinds(x, x) == ["dispatch"]  # the compiled kernel found for this guard
    assert kinds(x, x) == ["fast"]
    assert fake.log[0][1] == (launcher.launches[0][1](*k.compiled()[-1].args(k.trace(x, x)[1]))[0], 1, 1)
    y = torch.randn(8, 34)[:, 1:]  # same shape, pointer off by 4 bytes and rows of 34
    assert kinds(y, y) == ["dispatch"]
    assert kinds(y, y) == ["fast"]
    assert kinds(x, x) == ["fast"]
    z = torch.randn(8, 48)[:, :33]  # a row stride that is a multiple of 16
    assert kinds(z, z) == ["dispatch"]
    _FakeKnobs.launch_enter_hook = print
    try:
        assert kinds(x, x) == ["dispatch"]
    finally:
        _FakeKnobs.launch_enter_hook = None
    assert kinds(x, x) == ["fast"]
    _FakeKnobs.launch_enter_hook = _FakeKnobs.launch_exit_hook = _EmptyChain()
    try:
        assert kinds(x, x) == ["fast"]
    finally:
        _FakeKnobs.launch_enter_hook = _FakeKnobs.launch_exit_hook = None


def test_fast_launch_guard_packs_int_properties():
    from tegula.backends.triton.launcher import TritonLauncher

    guard = TritonLauncher._guard(["ptr", "size", "stride", "scalar", "scalar", "scalar"])
    x = torch.zeros(40)
    assert guard((x, 1, 16, 2.0, 1, x)) == (True, 1, 2, float, 1, (torch.float32, True))
    assert guard((x[1:], 2 ** 31 + 1, 17, 3, True, x[1:])) == (False, 4, 0, 0, bool, (torch.float32, False))
    assert guard((x, 2 ** 31, 32, 3, True, x))[1:3] == (6, 2)
    assert guard((x, 0, 2 ** 33, 16, 5, x)) != guard((x, 0, 2 ** 33 + 1, 16, 5, x))


def _even_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(min(1 << max(d - 1, 0).bit_length(), 128) for d in shape)


EVEN = [(ex, _even_shape(ex.shapes[-1])) for ex in EXAMPLES]


@pytest.mark.parametrize("ex,shape", EVEN, ids=[f"{e.name}-{'x'.join(map(str, s))}" for e, s in EVEN])
def test_full_tiles_drop_their_masks_and_ragged_ones_keep_them(ex, shape):
    """Sizes that are multiples of the blocks set every even flag and run the unmasked twins; one size off
    (the same compiled kernel where its buckets allow) clears a flag and runs the masked code."""
    k = Kernel(ex.kernel.fn, backend="triton")
    args = ex.inputs(shape, torch.float32)
    ok, message = ex.check(k(*args), args, torch.float32)
    assert ok, message
    (compiled,) = k.compiled()
    launcher = compiled.launcher
    flat = compiled.args(k.trace(*args)[1])
    evens = [grid(*flat)[2] for _, grid, *_ in launcher.launches]
    assert all(e and all(e) for e in evens), evens
    src = k.emit(*args, stage="triton")
    assert re.search(r"^ +if even\d", src, re.M) and "tl.load(" in src
    ragged = tuple(d - 1 if d > 2 else d for d in shape)
    args = ex.inputs(ragged, torch.float32)
    ok, message = ex.check(k(*args), args, torch.float32)
    assert ok, f"{ragged}: {message}"
    for c in k.compiled():
        flat = c.args(k.trace(*args)[1])
        if c.launcher.accepts(flat):
            assert not all(all(grid(*flat)[2]) for _, grid, *_ in c.launcher.launches)


DESC = [(ex, shape) for ex in EXAMPLES for shape in ex.shapes]


@pytest.mark.parametrize("ex,shape", DESC, ids=[f"{e.name}-{'x'.join(map(str, s))}" for e, s in DESC])
def test_descriptor_indexing_matches_torch(ex, shape):
    """``indexing=descriptor``: tiles of 2-D+ tensors go through TMA tensor descriptors (out-of-bounds lanes read
    as 0, stores dropped there), ragged shapes included."""
    k = Kernel(ex.kernel.fn, backend="triton", config={"indexing": "descriptor"})
    args = ex.inputs(shape, torch.float32)
    ok, message = ex.check(k(*args), args, torch.float32)
    assert ok, message


def test_descriptor_needs_aligned_tensors_else_pointers():
    """A tensor whose base or row stride breaks TMA's 16-byte rules clears its alignment flag, and the same
    compiled kernel takes the pointer branch for it."""
    from tegula.examples.softmax import softmax

    loads = Kernel(softmax.fn, backend="triton", config={"indexing": "descriptor_loads", "block_sizes": [2]})
    src = loads.emit(torch.randn(6, 100), stage="triton")
    assert src.count("tl.make_tensor_descriptor(") == 1 and ".load([" in src and ".store([" not in src
    x = torch.randn(6, 100)
    torch.testing.assert_close(loads(x), torch.softmax(x, -1))
    k = Kernel(softmax.fn, backend="triton", config={"indexing": "descriptor", "block_sizes": [2]})
    src = k.emit(torch.randn(6, 100), stage="triton")
    assert src.count("tl.make_tensor_descriptor(") == 2 and ".load([" in src and ".store([" in src
    base = torch.randn(6, 104)
    cases = {"aligned": (base[:, :100], (True, True)), "base off by 4 bytes": (base[:, 1:101], (False, True)),
             "rows of 101": (torch.randn(6, 101)[:, :100], (False, True))}
    for name, (x, flags) in cases.items():
        torch.testing.assert_close(k(x), torch.softmax(x, -1), msg=name)
        (compiled,) = k.compiled()
        flat = compiled.args(k.trace(x)[1])
        grid = compiled.launcher.launches[0][1]
        assert grid(*flat)[2][-2:] == flags, name


PERSISTENT = [(ex, ex.shapes[-1], mode) for ex in EXAMPLES for mode in ("blocked", "interleaved")]


@pytest.mark.parametrize("ex,shape,mode", PERSISTENT,
                         ids=[f"{e.name}-{'x'.join(map(str, s))}-{m}" for e, s, m in PERSISTENT])
def test_persistent_launch_with_programs_per_sm_and_stages_matches_torch(ex, shape, mode):
    """A persistent launch of ``programs_per_sm`` programs per multiprocessor whose loop over tiles is pipelined
    (``num_stages``) computes what the default launch does, on each example's ragged shape."""
    k = Kernel(ex.kernel.fn, backend="triton", config={"persistent": mode, "programs_per_sm": 2, "num_stages": 2})
    args = ex.inputs(shape, torch.float32)
    ok, message = ex.check(k(*args), args, torch.float32)
    assert ok, message


SCHEDULED = [(ex, shape) for ex in EXAMPLES for shape in ex.shapes[:2]]


@pytest.mark.parametrize("ex,shape", SCHEDULED, ids=[f"{e.name}-{'x'.join(map(str, s))}" for e, s in SCHEDULED])
def test_early_loads_and_store_policies_match_torch(ex, shape):
    """``early_loads`` (tegula-early-loads moves loads up their blocks) with a store policy and a rolled variant
    compute what the default does, ragged shapes included; for layer norm the weight and bias loads do move."""
    args = ex.inputs(shape, torch.float32)
    for config in ({"early_loads": True, "store_eviction": "first"},
                   {"early_loads": True, "store_eviction": "streaming", "load_eviction": "first",
                    "reduction_loops": [256] * 4}):
        out = Kernel(ex.kernel.fn, backend="triton", config=config)(*args)
        ok, message = ex.check(out, args, torch.float32)
        assert ok, f"{ex.name} {config}: {message}"
    if ex.name == "layer_norm":
        moved = Kernel(ex.kernel.fn, backend="triton", config={"early_loads": True}).emit(*args, stage="tiled")
        stay = Kernel(ex.kernel.fn, backend="triton").emit(*args, stage="tiled")
        first_reduce = moved.index('"tile.reduce"')
        assert moved.count('"tile.load"') == stay.count('"tile.load"') == 3
        assert moved[:first_reduce].count('"tile.load"') == 3 and stay[:stay.index('"tile.reduce"')].count('"tile.load"') == 1
