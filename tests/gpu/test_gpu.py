"""Every example on CUDA through the default GPU backend (Triton), f32/f16/bf16, several shapes, vs torch.

Skipped without CUDA; run on the lent GPU machine (see ../shared/gpu/README.md).
"""

from __future__ import annotations

import pytest
import torch

from tegula.examples import all_examples

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")

DTYPES = (torch.float32, torch.float16, torch.bfloat16)
EXAMPLES = all_examples()
CASES = [(ex, dt, shape) for ex in EXAMPLES for dt in DTYPES for shape in [*ex.shapes, ex.demo_shape]]


@pytest.mark.parametrize("ex,dtype,shape", CASES,
                         ids=[f"{e.name}-{str(d).removeprefix('torch.')}-{'x'.join(map(str, s))}" for e, d, s in CASES])
def test_example_cuda(ex, dtype, shape):
    args = ex.inputs(shape, dtype, "cuda")
    out = ex.kernel(*args)
    assert out.device.type == "cuda"
    ok, message = ex.check(out, args, dtype)
    assert ok, f"{ex.name} {dtype} {shape}: {message}"
    assert ex.kernel.compiled()[-1].backend.name == "triton"


DESC_CASES = [(ex, dt, shape) for ex in EXAMPLES for dt in (torch.float32, torch.bfloat16)
              for shape in [*ex.shapes, ex.demo_shape]]


@pytest.mark.parametrize("ex,dtype,shape", DESC_CASES,
                         ids=[f"{e.name}-{str(d).removeprefix('torch.')}-{'x'.join(map(str, s))}"
                              for e, d, s in DESC_CASES])
def test_example_cuda_tensor_descriptors(ex, dtype, shape):
    """``indexing=descriptor``: TMA loads and stores (zero-filled and clipped at the edges) on every example.
    Two stages: TMA stages a float32 dot's operands in shared memory, where three stages of the default
    128x256x64 tiles need 320 KB (an H100 has 227 KB; the pointer form's float32 dot runs from registers)."""
    from tegula.compiler.kernel import Kernel

    k = Kernel(ex.kernel.fn, backend="triton", config={"indexing": "descriptor", "num_stages": 2})
    args = ex.inputs(shape, dtype, "cuda")
    ok, message = ex.check(k(*args), args, dtype)
    assert ok, f"{ex.name} {dtype} {shape}: {message}"


def test_cpu_and_cuda_tensors_together_are_rejected():
    from tegula.compiler.errors import TegulaValueError
    from tegula.examples.add import add

    with pytest.raises(TegulaValueError, match="different devices"):
        add(torch.randn(8, device="cuda"), torch.randn(8))


def test_cached_launch_overhead_is_small():
    """Not a timing assertion (benchmarks do that): the cached path must not recompile."""
    from tegula.examples.add import add

    x = torch.randn(16, device="cuda")
    add(x, x)
    n = len(add.compiled())
    for _ in range(50):
        add(x, x)
    assert len(add.compiled()) == n


def test_config_that_does_not_fit_is_a_clear_error():
    """Tiles too big for shared memory: BackendCompileError naming the config, not a crash."""
    from tegula.compiler.errors import BackendCompileError
    from tegula.compiler.kernel import Kernel
    from tegula.examples.matmul import matmul

    a = torch.randn(512, 512, device="cuda", dtype=torch.bfloat16)
    k = Kernel(matmul.fn, config={"block_sizes": [256, 256, 512], "num_stages": 5})
    with pytest.raises(BackendCompileError, match="block_sizes"):
        k(a, a)


def _misaligned(t: torch.Tensor) -> torch.Tensor:
    """The same values, contiguous, at a pointer one element past a 16-byte boundary."""
    out = torch.empty(t.numel() + 1, dtype=t.dtype, device=t.device)[1:].view(t.shape)
    return out.copy_(t)


def _padded(t: torch.Tensor, pad: int) -> torch.Tensor:
    """The same values with rows ``pad`` elements longer (another leading stride); ``pad=0``: rows padded to a
    multiple of 16 elements."""
    if t.dim() < 2:
        return t
    pad = pad or (-t.shape[-1]) % 16 or 16
    out = torch.empty(*t.shape[:-1], t.shape[-1] + pad, dtype=t.dtype, device=t.device)[..., :t.shape[-1]]
    return out.copy_(t)


@pytest.mark.parametrize("indexing", ["pointer", "descriptor"])
@pytest.mark.parametrize("name", ["add", "softmax", "layer_norm", "matmul", "sum"])
def test_fast_launch_is_right_as_alignment_and_strides_change(name, indexing):
    """Repeated calls take the compiled kernel's own launcher (the fast path) once a guard has been seen; views
    that change what Triton specializes on (pointer alignment, a stride that is a multiple of 16 or not)
    must each get their own compiled kernel, and so must sizes that are multiples of the blocks (no masks)
    and sizes one row short of them (the same bucket, masked): every call is checked against torch, in
    eager launches and replayed from a CUDA graph. With TMA descriptors, the misaligned and padded views clear
    their tensors' alignment flags and take the pointer branch."""
    from tegula.compiler.kernel import Kernel
    from tegula.examples import get

    ex = get(name)
    dtype = torch.float16
    shape = ex.shapes[-1]
    k = Kernel(ex.kernel.fn, backend="triton", effort="none",
               config={"indexing": "descriptor", "num_stages": 2} if indexing == "descriptor" else None)
    base = ex.inputs(shape, dtype, "cuda")
    variants = [base, tuple(_misaligned(a) if isinstance(a, torch.Tensor) else a for a in base),
                tuple(_padded(a, 1) if isinstance(a, torch.Tensor) else a for a in base),
                tuple(_padded(a, 0) if isinstance(a, torch.Tensor) else a for a in base)]
    even = tuple(min(1 << max(d - 1, 0).bit_length(), 128) for d in shape)
    variants += [ex.inputs(even, dtype, "cuda"), ex.inputs((even[0] - 1, *even[1:]), dtype, "cuda")]
    for _ in range(3):
        for args in variants:
            ok, message = ex.check(k(*args), args, dtype)
            assert ok, message
    launchers = [c.launcher for c in k.compiled()]
    assert all(ln.fast is not None for ln in launchers), "the fast path is off on this Triton"
    assert sum(len(entry[-1]) for ln in launchers for entry in ln.launches) >= 2
    args = variants[1]
    graph = torch.cuda.CUDAGraph()
    k(*args)
    torch.cuda.synchronize()
    with torch.cuda.graph(graph):
        out = k(*args)
    graph.replay()
    torch.cuda.synchronize()
    ok, message = ex.check(out, args, dtype)
    assert ok, message


def test_graph_retimer_times_a_launch_and_falls_back_when_capture_fails():
    """The tuner's final comparison replays a CUDA graph of the launch; a launch that cannot be captured (it
    synchronizes) is timed launch by launch instead, and neither errs."""
    from tegula.compiler.autotune.timing import retimer_for, timer_for

    x = torch.randn(4096, 4096, device="cuda")
    out = torch.empty_like(x)
    retime, time_ = retimer_for(torch.device("cuda")), timer_for(torch.device("cuda"))
    graphed = retime(lambda: torch.add(x, 1.0, out=out), 0.01)
    plain = time_(lambda: torch.add(x, 1.0, out=out), 0.01)
    assert 0 < graphed < 1e-2 and 0 < plain < 1e-2
    assert 0.5 < graphed / plain < 2.0  # the same kernel: the same device time, give or take the launch path
    torch.testing.assert_close(out, x + 1.0)

    def syncs():
        torch.add(x, 1.0, out=out)
        torch.cuda.synchronize()  # illegal while capturing

    assert 0 < retime(syncs, 0.01) < 1e-2
    assert not torch.cuda.is_current_stream_capturing()
    torch.add(x, 2.0, out=out)  # the stream still works
    torch.testing.assert_close(out, x + 2.0)
