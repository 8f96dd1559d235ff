"""Regressions: out-of-bounds loops, and bugs found while writing the lit suite."""

from __future__ import annotations

import pytest
import torch

import tegula
import tegula.language as tl
from tegula.compiler.errors import PipelineError, TegulaValueError
from tests_support import bounds_kernels as bk


@pytest.mark.parametrize("fn,args,needle", [
    (bk.vadd, (torch.randn(30), torch.randn(20)), "`y` has size 20 in dimension 0, but the tile `t`"),
    (bk.bias_add, (torch.randn(30, 50), torch.randn(1, 50)), "`b` has size 1 in dimension 0"),
])
def test_loop_past_a_tensors_end_is_an_error(fn, args, needle):
    with pytest.raises(TegulaValueError, match=needle):
        fn(*args)


def test_bounds_checks_pass_for_matching_sizes_and_rerun_on_every_call():
    x = torch.randn(30)
    torch.testing.assert_close(bk.vadd(x, x), x + x)
    with pytest.raises(TegulaValueError):  # same spec (sizes differ only in value): the check still runs
        bk.vadd(torch.randn(40), torch.randn(35))


@tegula.kernel
def _sum_all(x):
    out = torch.empty_like(x)
    for t in tl.tile(x.size(0), block_size=4):
        v = x[t, :]
        out[t, :] = v - v.sum()
    return out


def test_sum_without_dim_over_a_2d_tile():
    x = torch.randn(16, 8)
    expected = torch.cat([x[i:i + 4] - x[i:i + 4].sum() for i in range(0, 16, 4)])
    torch.testing.assert_close(_sum_all(x), expected)


@tegula.kernel
def _any_row(x):
    out = torch.empty([x.size(0)], dtype=torch.bool, device=x.device)
    for t in tl.tile(x.size(0)):
        out[t] = (x[t, :] > 1.0).amax(-1)
    return out


@tegula.kernel
def _row_max(x):
    out = torch.empty([x.size(0)], dtype=x.dtype, device=x.device)
    for t in tl.tile(x.size(0)):
        out[t] = x[t, :].amax(-1)
    return out


def test_bool_max_reduction():
    x = torch.randn(16, 8)
    assert torch.equal(_any_row(x), (x > 1).any(-1))


@pytest.mark.parametrize("block", [1, 4])
def test_bf16_max_reduction_any_block_size(block):
    """Also the CPU module's own ``__truncsfbf2``: with scratch buffers from plain ``malloc``, LLVM keeps the
    float32 accumulator in a register, narrows the max of widened bf16 values to bf16 and converts back with a
    call of that compiler-rt function, which the JIT has no library for (it failed to link)."""
    x = torch.randn(10, 40).bfloat16()
    k = tegula.Kernel(_row_max.fn, config={"block_sizes": [block]})
    assert torch.equal(k(x), x.amax(-1))


def test_pass_options_are_checked_against_their_tunables():
    from tegula.compiler.pipeline import parse_pipeline

    with pytest.raises(PipelineError, match="power of two"):
        parse_pipeline("tegula-tile{block-sizes=0}")


def _backends() -> list[str]:
    import os
    return ["cpu"] + (["triton"] if os.environ.get("TRITON_INTERPRET") == "1" or torch.cuda.is_available() else [])


@pytest.mark.parametrize("backend", _backends())
@pytest.mark.parametrize("online", [True, False])
def test_rolled_softmax_with_leading_minus_inf_chunks(backend, online):
    """Online softmax reads a still -inf running max as 0 (no NaN from -inf - -inf); a row all -inf is NaN
    as in torch. Also pins the CPU's carried buffers: the rescaling reads the old max while the new one
    is written (found when the online rewrite came in: 32 columns in 2 chunks summed to 0.58)."""
    from tegula.compiler.kernel import Kernel
    from tegula.examples.softmax import softmax

    k = Kernel(softmax.fn, backend=backend, config={"reduction_loops": [16], "online_softmax": online})
    for cols in (32, 50):
        x = torch.randn(4, cols)
        x[:, :20] = -float("inf")
        x[1] = -float("inf")
        torch.testing.assert_close(k(x), torch.softmax(x, -1), equal_nan=True)
        x = torch.randn(3, cols)
        torch.testing.assert_close(k(x), torch.softmax(x, -1))


@pytest.mark.parametrize("backend", _backends())
def test_bf16_softmax_rolls_online_through_its_casts(backend):
    """bf16 softmax computes max(extf(x)), truncates it, subtracts in bf16 and exps in f32: the online rewrite
    looks through the casts (two passes over the row, not three) and the result still matches torch."""
    from tegula.compiler.kernel import Kernel
    from tegula.examples.softmax import softmax

    x = torch.randn(7, 300).to(torch.bfloat16)
    k = Kernel(softmax.fn, backend=backend, config={"reduction_loops": [64]})
    assert k.emit(x, stage="tiled").count("scf.for") == 2
    assert k.emit(x, stage="tiled", config={"reduction_loops": [64], "online_softmax": False}).count("scf.for") == 3
    torch.testing.assert_close(k(x).float(), torch.softmax(x.float(), -1), rtol=2e-2, atol=2e-2)



@tegula.kernel
def _softmax_in_place(x):
    for t in tl.tile(x.size(0)):
        v = x[t, :]
        e = torch.exp(v - torch.amax(v, dim=1, keepdim=True))
        x[t, :] = e / torch.sum(e, dim=1, keepdim=True)
    return x


@tegula.kernel
def _softmax_and_exp(x):
    out = torch.empty_like(x)
    ex = torch.empty_like(x)
    for t in tl.tile(x.size(0)):
        v = x[t, :]
        e = torch.exp(v - torch.amax(v, dim=1, keepdim=True))
        out[t, :] = e / torch.sum(e, dim=1, keepdim=True)
        ex[t, :] = e * 2
    return out, ex


@pytest.mark.parametrize("block", [1, 4])
def test_cpu_exp_row_goes_into_the_output_only_where_that_is_safe(block):
    """The CPU lowering writes softmax's exp into the output tile that the division then rescales in place,
    unless the output is also read (an in-place kernel) or exp has another reader (a second store): those keep
    a scratch row. Ragged shapes (rows not a multiple of the block, long rows)."""
    for shape in [(10, 100), (129, 2049)]:
        x = torch.randn(*shape)
        k = tegula.kernel(_softmax_in_place.fn, backend="cpu", config={"block_sizes": [block]})
        header = k.emit(x.clone(), stage="cpu-linalg").split("_launch0")[1].split("scf.for %pid")[0]
        assert ": memref<?x?xf32>" in header  # exp's scratch row: the output is read too
        y = x.clone()
        torch.testing.assert_close(k(y), torch.softmax(x, -1))
        torch.testing.assert_close(y, torch.softmax(x, -1))
        k2 = tegula.kernel(_softmax_and_exp.fn, backend="cpu", config={"block_sizes": [block]})
        out, ex = k2(x)
        torch.testing.assert_close(out, torch.softmax(x, -1))
        torch.testing.assert_close(ex, 2 * torch.exp(x - x.amax(-1, keepdim=True)))
        text = tegula.kernel(_softmax_and_exp.fn, backend="cpu", config={"block_sizes": [block]}).emit(
            x, stage="cpu-linalg")
        header = text.split("_launch0")[1].split("scf.for %pid")[0]
        assert ": memref<?x?xf32>" in header  # exp's scratch row: exp has a second reader
    from tegula.examples.softmax import softmax

    text = tegula.kernel(softmax.fn, backend="cpu", config={"block_sizes": [block]}).emit(x, stage="cpu-linalg")
    assert ": memref<?x?xf32>" not in text.split("_launch0")[1].split("scf.for %pid")[0]  # exp in the output
