"""Every example's generated Triton code compiles for an H100 (sm_90) — checked without a GPU.

Triton's interpreter runs the generated code but does not type-check it the way
the GPU compiler does (scoping, dtypes of tl.dot, ...); ``triton.compile`` with
a ``GPUTarget`` does, here, in under a second per kernel.
"""

from __future__ import annotations

import pytest
import torch

from tegula.compiler.kernel import Kernel
from tegula.examples import all_examples

DTYPES = (torch.float32, torch.float16, torch.bfloat16)
CASES = [(ex, dt) for ex in all_examples() for dt in DTYPES]


@pytest.mark.parametrize("ex,dtype", CASES, ids=[f"{e.name}-{str(d).removeprefix('torch.')}" for e, d in CASES])
def test_generated_triton_compiles_for_sm90(ex, dtype):
    args = ex.inputs(ex.shapes[-1], dtype)
    ttgir = Kernel(ex.kernel.fn, backend="triton").emit(*args, stage="triton-ttgir")
    assert "tt.func public" in ttgir
    if ex.bound == "compute" and dtype != torch.float32:
        assert "ttng.warp_group_dot" in ttgir  # Hopper tensor cores
