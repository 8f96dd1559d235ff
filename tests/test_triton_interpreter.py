"""The Triton backend end to end on the CPU, through Triton's interpreter (TRITON_INTERPRET=1).

Every example, every dtype, every shape (ragged ones included), against the
float64 PyTorch reference: the generated Triton code is the code the GPU
runs, so this tests the whole Triton path without a GPU.
"""

from __future__ import annotations

import os

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


def test_backend_is_available_under_the_interpreter():
    assert get_backend("triton").available() == (True, "")
