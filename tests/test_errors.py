"""Bad kernels give located errors: file, line, column, message and source line.

The kernels are in ``bad_kernels.py``; each marks the line its error must
point at with ``# ERROR: <name>`` at the end of that line. The expected line
is found by scanning the file for the marker, never hard-coded.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch

import bad_kernels
from tegula import TegulaCompileError
from tegula.compiler.frontend import host as host_mod
from tegula.compiler.kernel import Kernel

BAD_FILE = Path(bad_kernels.__file__)
SOURCE = BAD_FILE.read_text().splitlines()
MARKERS: dict[str, int] = {}
for _number, _text in enumerate(SOURCE, start=1):
    _m = re.search(r"#\s*ERROR:\s*(\w+)\s*$", _text)
    if _m:
        assert _m[1] not in MARKERS, f"marker {_m[1]} appears twice in bad_kernels.py"
        MARKERS[_m[1]] = _number


def vec(n: int = 8) -> torch.Tensor:
    return torch.randn(n)


def mat(m: int = 8, n: int = 6) -> torch.Tensor:
    return torch.randn(m, n)


def ints(*shape: int) -> torch.Tensor:
    return torch.randint(0, 5, shape)


# name -> (arguments, a distinctive substring of the message)
CASES: dict[str, tuple] = {
    # unsupported Python in device code
    "while_loop": (lambda: (vec(),), "`while` loops are not supported in device code"),
    "user_function_call": (lambda: (vec(),), "calls to `helper` are not supported"),
    "unknown_torch_function": (lambda: (vec(),), "calls to `torch.cumsum` are not supported"),
    "if_on_tensor": (lambda: (vec(),), "data-dependent control flow"),
    "and_on_tiles": (lambda: (vec(), vec()), "`and`/`or` on device values"),
    "or_on_tiles": (lambda: (vec(), vec()), "use `&` and `|`"),
    "not_on_tile": (lambda: (vec(),), "`not` on a device value"),
    "assign_slice_of_tile_value": (lambda: (mat(),), "assignment to a slice of a device value is not supported"),
    "slice_with_bounds": (lambda: (mat(),), "slices with bounds (`a:b`) are not supported"),
    "gather_with_tensor": (lambda: (vec(), torch.arange(8)), "gather/scatter"),
    "too_many_indices": (lambda: (vec(),), "too many indices for `x`: 2 for a rank-1 tensor"),
    "return_in_device_loop": (lambda: (vec(),), "`return` is not supported in device code"),
    "break_in_device_loop": (lambda: (vec(),), "`break` is not supported"),
    "continue_in_device_loop": (lambda: (vec(),), "`continue` is not supported"),
    "lambda_in_device_code": (lambda: (vec(),), "`lambda` is not supported"),
    "comprehension_in_device_code": (lambda: (vec(),), "list comprehensions are not supported"),
    "fstring_in_device_code": (lambda: (vec(),), "f-strings are not supported"),
    "with_in_device_code": (lambda: (vec(),), "`with` blocks are not supported"),
    "try_in_device_code": (lambda: (vec(),), "`try` blocks are not supported"),
    "undefined_name": (lambda: (vec(),), "name `not_defined_anywhere` is not defined"),
    "nested_def_in_device_code": (lambda: (vec(),), "nested `def` is not supported"),
    "starred_call": (lambda: (vec(),), "`*args` and `**kwargs` in calls are not supported"),
    "walrus_in_device_code": (lambda: (vec(),), "`:=` is not supported"),
    # loops and variables
    "dead_after_nested_loop": (lambda: (mat(),), "`last` is assigned inside the loop at line"),
    "carried_changes_shape": (lambda: (mat(),), "loop-carried `acc` changes shape or type in the loop"),
    "carried_does_not_broadcast": (lambda: (mat(),), "tile shapes do not broadcast"),
    "carried_not_a_value": (lambda: (mat(),), "a loop can only carry device values"),
    "range_with_runtime_bound": (lambda: (mat(),), "bounds must be compile-time ints"),
    "tile_float_bound": (lambda: (vec(),), "tl.tile end: expected an integer"),
    "block_size_zero": (lambda: (vec(),), "block_size must be positive, got 0"),
    "nested_block_size_negative": (lambda: (mat(),), "block_size must be positive, got -4"),
    "grid_with_block_size": (lambda: (vec(),), "tl.grid got unexpected keyword argument(s) ['block_size']"),
    "register_block_size_bad_bounds": (lambda: (vec(),), "needs 1 <= min <= max"),
    "tile_unknown_keyword": (lambda: (vec(),), "unexpected keyword argument(s) ['blocksize']"),
    "tile_unpack_mismatch": (lambda: (mat(),), "the loop has 2 dimension(s) but unpacks 3"),
    "tile_call_as_value": (lambda: (vec(),), "can only be the iterator of a `for` loop"),
    "loop_over_tensor": (lambda: (vec(),), "device code can only loop over tl.tile"),
    "device_loop_in_host_if": (lambda: (vec(),), "must be at the top level of the kernel body"),
    "host_reads_after_loop": (lambda: (vec(),), "host code reads `out`, which the device loop at line"),
    "no_device_loop": (lambda: (vec(),), "has no device loop"),
    "async_kernel": (lambda: (vec(),), "must decorate a `def` function, not an `async def`"),
    "device_loop_with_else": (lambda: (vec(),), "`else` clause"),
    "register_block_size_in_device_code": (lambda: (vec(),), "tl.register_block_size runs on the host"),
    "static_assert_fails": (lambda: (vec(),), "assertion failed at compile time"),
    # shapes and dtypes
    "broadcast_two_tiles": (lambda: (vec(8), vec(5)), "tile shapes do not broadcast: [tile_m] vs [tile_n]"),
    "matmul_mismatched_inner": (lambda: (mat(8, 4), mat(6, 4)), "the inner dimensions must be the same tile"),
    "mean_of_int_tile": (lambda: (ints(8, 6),), "mean needs a floating-point tile"),
    "softmax_without_dim": (lambda: (mat(),), "softmax needs dim="),
    "reduction_dim_out_of_range": (lambda: (mat(),), "dim 2 is out of range for a rank-2 tile"),
    "zeros_bad_shape": (lambda: (mat(),), "`2.5` is not a tile or a size"),
    "to_without_dtype": (lambda: (vec(),), ".to() needs a dtype"),
    "to_unsupported_dtype": (lambda: (vec(),), "dtype torch.complex64 is not supported"),
    "pow_integer_result": (lambda: (torch.arange(8), torch.arange(8)), "pow with an integer result"),
    "argmax_without_dim": (lambda: (mat(),), "argmax without dim"),
    "zeros_negative_size": (lambda: (vec(),), "size -1 is negative"),
    "reduction_bad_dtype": (lambda: (mat(),), "dtype= must be a supported torch dtype, got 'float32'"),
    "matmul_int64": (lambda: (ints(8, 8), ints(8, 8)), "matmul of torch.int64 tiles is not supported"),
    "unary_on_string": (lambda: (vec(),), "cannot apply `-` to `'abc'`"),
    "is_on_tile": (lambda: (vec(),), "`is` is not supported on device values"),
    "where_missing_argument": (lambda: (vec(),), "missing a required argument: 'other'"),
    "assign_to_attribute": (lambda: (vec(),), "cannot assign to `out.data` in device code"),
    "zero_dim_tensor_not_loaded": (lambda: (vec(),), "write `total[()]`"),
    "tile_used_as_value": (lambda: (vec(),), "the tile `tile` is not a value"),
    "tensor_used_unloaded": (lambda: (vec(),), "the tensor `x` must be loaded first"),
    "unknown_tile_attribute": (lambda: (vec(),), "a tile has no attribute `length`"),
    "store_with_none_index": (lambda: (vec(),), "`None` is not allowed in the index of a store"),
    "bad_keyword_argument": (lambda: (vec(),), "unexpected keyword argument 'base'"),
    "bitwise_on_floats": (lambda: (vec(), vec()), "bitwise 'and' needs integer or bool operands"),
    "store_rank_mismatch": (lambda: (mat(),), "cannot store a float32 tile [tile, x.size(1)] into `out[tile]`"),
    "matmul_rank_one": (lambda: (vec(), vec()), "matmul needs two rank-2"),
    "multiline_statement": (lambda: (vec(),), "calls to `torch.logcumsumexp` are not supported"),
    "indented_kernel": (lambda: (vec(),), "`and`/`or` on device values"),
}

# name -> the text on the marked line that the error's column must point at
EXACT_COLUMN = {
    "while_loop": "while v > 0",
    "user_function_call": "helper(",
    "if_on_tensor": "v.sum() > 0",
    "slice_with_bounds": "x[tile, 0:4]",
    "undefined_name": "not_defined_anywhere",
    "walrus_in_device_code": "v := x",
    "carried_changes_shape": "acc = acc +",
    "nested_block_size_negative": "tl.tile(n, block_size=-4)",
    "tile_unpack_mismatch": "a, b, c",
    "block_size_zero": "for tile",
    "no_device_loop": "def no_device_loop",
    "broadcast_two_tiles": "x[tile_m] + y[tile_n]",
    "multiline_statement": "torch.logcumsumexp",
    "indented_kernel": "x[tile] and x[tile]",
    "host_reads_after_loop": "total = out.sum()",
}


def _raise(name: str) -> TegulaCompileError:
    kernel = getattr(bad_kernels, name)
    args, _ = CASES[name]
    with pytest.raises(TegulaCompileError) as info:
        kernel(*args())
    return info.value


def test_every_marker_has_a_case_and_every_case_a_marker():
    kernels = {n for n, v in vars(bad_kernels).items() if isinstance(v, Kernel)}
    assert set(MARKERS) == set(CASES), (set(MARKERS) ^ set(CASES))
    assert set(CASES) <= kernels, set(CASES) - kernels
    assert set(EXACT_COLUMN) <= set(CASES)
    assert len(CASES) >= 25


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_kernel_error_is_located(name):
    err = _raise(name)
    _, message = CASES[name]
    assert Path(err.filename).name == "bad_kernels.py", err.filename
    assert err.filename.endswith("bad_kernels.py")
    assert err.line == MARKERS[name], f"{name}: points at line {err.line}, marker at {MARKERS[name]}\n{err}"
    marked = SOURCE[err.line - 1]
    assert 1 <= err.col <= len(marked), f"{name}: column {err.col}\n{err}"
    assert marked[err.col - 1] != " ", f"{name}: column {err.col} points at a space"
    assert message in err.message, f"{name}: {err.message!r} lacks {message!r}"
    assert "internal compiler error" not in err.message
    text = str(err)
    assert text.startswith(f"{err.filename}:{err.line}:{err.col}: error: {err.message}")
    assert marked.strip() in text, f"{name}: the source line is not shown\n{text}"
    assert err.source_line.strip() == marked.strip()


@pytest.mark.parametrize("name", sorted(EXACT_COLUMN))
def test_bad_kernel_exact_column_and_caret(name):
    err = _raise(name)
    marked = SOURCE[err.line - 1]
    anchor = EXACT_COLUMN[name]
    assert anchor in marked, f"{name}: anchor {anchor!r} is not on line {err.line}"
    assert err.col == marked.index(anchor) + 1, f"{name}: column {err.col}, want {marked.index(anchor) + 1}\n{err}"
    # the caret under the source line points at the same column
    lines = str(err).splitlines()
    src = next(i for i, ln in enumerate(lines) if ln.strip() == marked.strip())
    caret = lines[src + 1]
    indent = len(marked) - len(marked.lstrip())
    assert caret.strip() == "^"
    assert caret.index("^") - lines[src].index(marked.strip()) == err.col - 1 - indent


def test_errors_are_raised_again_on_each_call_and_leave_no_state():
    for _ in range(2):
        err = _raise("user_function_call")
        assert err.line == MARKERS["user_function_call"]
    for _ in range(2):
        err = _raise("no_device_loop")  # a parse-time error is not cached as a half-built kernel
        assert err.line == MARKERS["no_device_loop"]
    assert host_mod._recorder.stack == []
    from tegula.examples.add import add

    x = torch.randn(10)
    torch.testing.assert_close(add(x, x), x + x)


def test_emit_reports_the_same_location():
    with pytest.raises(TegulaCompileError) as info:
        bad_kernels.slice_with_bounds.emit(mat())
    assert info.value.line == MARKERS["slice_with_bounds"]


def test_compile_error_is_a_tegula_error_not_a_type_or_value_error():
    err = _raise("while_loop")
    from tegula import TegulaError

    assert isinstance(err, TegulaError)
    assert not isinstance(err, (TypeError, ValueError))


def test_negative_literal_index_counts_from_the_end():
    """``x[tile, -1]`` is the last column, as in torch (it used to read out of bounds)."""
    import tegula
    import tegula.language as tl

    @tegula.kernel
    def last_col(x):
        out = torch.empty([x.size(0)], dtype=x.dtype, device=x.device)
        for tile in tl.tile(x.size(0)):
            out[tile] = x[tile, -1] + x[tile, -2]
        return out

    x = torch.arange(20.0).reshape(5, 4)
    torch.testing.assert_close(last_col(x), x[:, -1] + x[:, -2])


def test_zero_dim_tensor_loaded_with_empty_index():
    """What the message of ``zero_dim_tensor_not_loaded`` suggests works."""
    import tegula
    import tegula.language as tl

    @tegula.kernel
    def scale(x):
        out = torch.empty_like(x)
        total = x.sum()
        for tile in tl.tile(x.size(0)):
            out[tile] = x[tile] / total[()]
        return out

    x = torch.rand(37) + 0.5
    torch.testing.assert_close(scale(x), x / x.sum())
