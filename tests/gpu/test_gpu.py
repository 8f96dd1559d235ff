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
