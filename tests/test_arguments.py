"""Errors (and non-errors) about a kernel call's arguments and about using the API wrongly.

Argument problems are ``TegulaTypeError``/``TegulaValueError`` (subclasses of
``TypeError``/``ValueError``) that name the argument; layouts that torch
accepts (transposed, sliced, strided, empty) must simply work.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path

import pytest
import torch

import tegula
import tegula.language as tl
from tegula import BackendUnavailableError, TegulaCompileError, TegulaTypeError, TegulaValueError
from tegula.examples.matmul import matmul
from tegula.examples.rms_norm import rms_norm
from tegula.examples.softmax import softmax
from tegula.examples.sum import sum_rows

THIS = Path(__file__)


def marker(name: str) -> int:
    """Line of ``# ERROR: name`` in this file."""
    for number, text in enumerate(THIS.read_text().splitlines(), start=1):
        if re.search(rf"#\s*ERROR:\s*{name}\s*$", text):
            return number
    raise AssertionError(f"no marker {name}")


@tegula.kernel
def add2(x, y):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile] + y[tile]
    return out


@tegula.kernel
def to_float(x):
    out = torch.empty(x.shape, dtype=torch.float32, device=x.device)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile].float()
    return out


@tegula.kernel
def copy_2d(x):
    out = torch.empty([x.size(0), x.size(1)], dtype=x.dtype, device=x.device)
    for tile_m, tile_n in tl.tile([x.size(0), x.size(1)]):
        out[tile_m, tile_n] = x[tile_m, tile_n]  # ERROR: copy_2d_store
    return out


@tegula.kernel
def copy_2d_load(x):
    out = torch.empty_like(x)
    for tile_m, tile_n in tl.tile([x.size(0), x.size(0)]):
        out[tile_m] = x[tile_m, tile_n]  # ERROR: copy_2d_load
    return out


@tegula.kernel
def shift_and_pick(x, k: int, scale: float):
    out = torch.empty([x.size(0)], dtype=x.dtype, device=x.device)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile, k] * scale + k
    return out


# ------------------------------------------------------------ devices


def test_tensors_on_two_devices_name_both_arguments():
    x = torch.randn(16)
    y = torch.randn(16, device="meta")
    with pytest.raises(TegulaValueError) as info:
        add2(x, y)
    msg = str(info.value)
    assert isinstance(info.value, ValueError)
    assert "different devices" in msg
    assert "`x`" in msg and "`y`" in msg, msg
    assert "cpu" in msg and "meta" in msg, msg
    assert re.search(r"`y` on meta", msg), msg


def test_mixed_devices_are_checked_even_when_a_kernel_is_cached():
    x = torch.randn(16)
    torch.testing.assert_close(add2(x, x), x + x)  # compiled and cached for cpu
    with pytest.raises(TegulaValueError, match="different devices"):
        add2(torch.randn(16, device="meta"), x)


def test_only_meta_tensors_have_no_backend():
    x = torch.randn(16, device="meta")
    with pytest.raises(BackendUnavailableError, match="meta"):
        add2(x, x)


# ------------------------------------------------------------ dtypes and layouts


def test_complex_argument_is_a_type_error_naming_it():
    x = torch.randn(16, dtype=torch.complex64)
    with pytest.raises(TegulaTypeError) as info:
        to_float(x)
    msg = str(info.value)
    assert isinstance(info.value, TypeError)
    assert "`x`" in msg and "complex64" in msg, msg
    assert "float32" in msg  # lists what is supported
    assert "`out`" not in msg  # out is float32: only the bad tensor is named


def test_unsupported_dtype_names_every_bad_tensor():
    x = torch.randn(16, dtype=torch.complex64)
    with pytest.raises(TegulaTypeError) as info:
        add2(x, x)  # out = empty_like(x) is complex too
    msg = str(info.value)
    assert "`x`" in msg and "`out`" in msg and "complex64" in msg, msg


@pytest.mark.skipif(not hasattr(torch, "float8_e4m3fn"), reason="no float8 in this torch")
def test_float8_argument_is_a_type_error():
    x = torch.randn(16).to(torch.float8_e4m3fn)
    with pytest.raises(TegulaTypeError, match=r"`x` is a torch.float8_e4m3fn tensor"):
        to_float(x)


def test_sparse_argument_is_a_type_error():
    x = torch.randn(16).to_sparse()
    with pytest.raises(TegulaTypeError, match=r"`x`.*only strided"):
        to_float(x)


def test_three_dim_tensor_to_a_two_dim_kernel_points_at_the_store():
    """``x[tile_m, tile_n]`` of a 3-D tensor is a 3-D tile (torch semantics); storing it into 2-D fails there."""
    with pytest.raises(TegulaCompileError) as info:
        copy_2d(torch.randn(4, 5, 6))
    err = info.value
    assert err.filename == str(THIS) and err.line == marker("copy_2d_store")
    assert "cannot store a float32 tile" in err.message and "into `out[tile_m, tile_n]`" in err.message
    assert "rank-3 tile to rank 2" in err.message
    # and the right rank works
    x = torch.randn(4, 5)
    torch.testing.assert_close(copy_2d(x), x)


def test_one_dim_tensor_to_a_two_dim_kernel_points_at_the_load():
    with pytest.raises(TegulaCompileError) as info:
        copy_2d_load(torch.randn(4))
    assert info.value.line == marker("copy_2d_load")
    assert "too many indices for `x`: 2 for a rank-1 tensor" in info.value.message


def test_rank_mismatch_in_host_code_is_a_plain_python_error_at_the_kernel_line():
    """Host code is ordinary Python: ``n, m = x.size()`` of a 3-D tensor raises torch's/Python's own error,
    and the traceback points at that line of the kernel's source."""
    with pytest.raises(ValueError, match="too many values to unpack") as info:
        softmax(torch.randn(2, 3, 4))
    frame = traceback.extract_tb(info.value.__traceback__)[-1]
    import tegula.examples.softmax as mod

    assert Path(frame.filename) == Path(mod.__file__)
    assert frame.line.strip() == "n, m = x.size()"


@pytest.mark.parametrize("make", [
    lambda: torch.randn(40, 70).t(),  # transposed
    lambda: torch.randn(70, 90)[5:45, 10:80],  # sliced (offset, row stride)
    lambda: torch.randn(40, 140)[:, ::2],  # strided last dimension
    lambda: torch.randn(3, 40, 70)[1],  # a view with an offset
], ids=["transposed", "sliced", "strided", "offset"])
def test_non_contiguous_inputs_give_correct_results(make):
    x = make()
    assert not x.is_contiguous() or x.storage_offset() > 0
    torch.testing.assert_close(softmax(x), torch.softmax(x, -1))
    torch.testing.assert_close(sum_rows(x), x.sum(-1), rtol=1e-4, atol=1e-4)
    w = torch.randn(x.size(1) * 2)[::2]
    torch.testing.assert_close(rms_norm(x, w), x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * w,
                               rtol=1e-4, atol=1e-4)


def test_transposed_matmul_operands():
    a = torch.randn(33, 20).t()
    b = torch.randn(17, 33).t()
    torch.testing.assert_close(matmul(a, b), a @ b, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (0, 0)])
def test_zero_size_tensors_work(shape):
    x = torch.randn(*shape)
    out = softmax(x)
    assert out.shape == x.shape
    torch.testing.assert_close(sum_rows(x), x.sum(-1))
    torch.testing.assert_close(add2(torch.randn(0), torch.randn(0)), torch.randn(0))


# ------------------------------------------------------------ scalars


def test_float_scalar_argument():
    x = torch.randn(20, 30)
    w = torch.randn(30)
    ref = lambda eps: x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w  # noqa: E731
    for eps in (1e-6, 0.5, 3.0):
        torch.testing.assert_close(rms_norm(x, w, eps), ref(eps), rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(rms_norm(x, w, eps=2.0), ref(2.0), rtol=1e-4, atol=1e-4)


def test_int_and_float_scalar_arguments():
    x = torch.randn(9, 5)
    for k in (0, 2, 4):
        for scale in (1.0, -2.5):
            torch.testing.assert_close(shift_and_pick(x, k, scale), x[:, k] * scale + k)


def test_wrong_number_of_arguments_is_pythons_type_error():
    with pytest.raises(TypeError, match="add2"):
        add2(torch.randn(3))


# ------------------------------------------------------------ the API used wrongly


def test_tl_tile_outside_a_kernel_is_a_runtime_error():
    with pytest.raises(RuntimeError, match=r"tegula.language.tile can only be used inside a @tegula.kernel"):
        for _ in tl.tile(10):
            pass
    with pytest.raises(RuntimeError, match=r"tegula.language.zeros can only be used inside a @tegula.kernel"):
        tl.zeros([4], dtype=torch.float32)


@pytest.mark.parametrize("obj", [3, "f", int, len, torch.exp, lambda x: x], ids=["int", "str", "class", "builtin",
                                                                             "torch_fn", "lambda"])
def test_kernel_on_a_non_function_is_a_type_error(obj):
    with pytest.raises(TypeError, match="@tegula.kernel expects"):
        tegula.kernel(obj)
    with pytest.raises(TypeError, match="@tegula.kernel expects"):
        tegula.kernel(config={"block_sizes": [16]})(obj)


def test_config_must_be_a_dict():
    with pytest.raises(TypeError, match="config must be a dict"):
        tegula.kernel(config=[16])(add2.fn)


def test_unknown_backend_lists_known_backends():
    @tegula.kernel(backend="nope")
    def k(x):
        out = torch.empty_like(x)
        for tile in tl.tile(x.size(0)):
            out[tile] = x[tile]
        return out

    with pytest.raises(BackendUnavailableError) as info:
        k(torch.randn(8))
    msg = str(info.value)
    assert "'nope'" in msg and "known backends:" in msg and "cpu" in msg, msg
    assert isinstance(info.value, RuntimeError)


def test_a_tensor_past_the_backends_offset_range_is_refused_by_name(monkeypatch):
    """Backends with 32-bit offsets (Triton, tileir) declare ``index_limit``; a call whose tensor spans more (a
    strided view counts to its last element) is a clear error naming it, never a run with wrapped offsets."""
    from tegula.backends.tileir import TileIRBackend
    from tegula.backends.triton import TritonBackend
    from tegula.compiler.backend import get_backend
    from tegula.examples import get

    assert TritonBackend.index_limit == TileIRBackend.index_limit == 2 ** 31
    assert get_backend("cpu").index_limit is None  # memrefs index with 64 bits
    monkeypatch.setattr(type(get_backend("cpu")), "index_limit", 1000)
    k = tegula.Kernel(get("softmax").kernel.fn, backend="cpu", effort="none")
    ok = torch.randn(10, 100)
    torch.testing.assert_close(k(ok), torch.softmax(ok, -1))
    with pytest.raises(TegulaValueError, match=r"`x` spans 1010 elements .*cpu backend addresses at most 1000"):
        k(torch.randn(10, 101))
    wide = torch.randn(40, 100)[:, :10]  # 400 elements, but its last one is 3910 past its first
    with pytest.raises(TegulaValueError, match=r"`x` spans 3910 elements \(shape \(40, 10\), strides \(100, 1\)\)"):
        k(wide)


def test_one_tensor_passed_as_two_arguments():
    """The same tensor as weight and bias: the device code reads ``weight`` first, but the spec names the tensor
    after its first binding (``bias``); both must resolve to one kernel argument (was an internal error)."""
    import torch.nn.functional as F

    from tegula.examples.layer_norm import layer_norm

    x, w = torch.randn(33, 70), torch.randn(70)
    k = tegula.Kernel(layer_norm.fn, effort="none")
    torch.testing.assert_close(k(x, w, w), F.layer_norm(x, (70,), w, w, 1e-5))
    torch.testing.assert_close(k(x, w, w.clone()), F.layer_norm(x, (70,), w, w, 1e-5))
