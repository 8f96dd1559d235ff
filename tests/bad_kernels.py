"""Kernels that must NOT compile: the input of tests/test_errors.py.

Each kernel has a marker comment ``# ERROR: <name>`` at the end of the exact
line its error must point at; the tests find the line by scanning this file
for the marker, so kernels can be added or moved freely. Kernels are only
parsed when first called, so a kernel whose error is found while parsing
(no device loop, a device loop inside host control flow, ...) does not break
the import of this module.
"""

# ruff: noqa
# fmt: off

from __future__ import annotations

import torch

import tegula
import tegula.language as tl


def helper(v):
    return v + 1


# ------------------------------------------------------------ unsupported Python in device code

@tegula.kernel
def while_loop(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        v = x[tile]
        while v > 0:  # ERROR: while_loop
            v = v - 1
        out[tile] = v
    return out


@tegula.kernel
def user_function_call(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = helper(x[tile])  # ERROR: user_function_call
    return out


@tegula.kernel
def unknown_torch_function(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = torch.cumsum(x[tile], dim=0)  # ERROR: unknown_torch_function
    return out


@tegula.kernel
def if_on_tensor(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        v = x[tile]
        if v.sum() > 0:  # ERROR: if_on_tensor
            v = -v
        out[tile] = v
    return out


@tegula.kernel
def and_on_tiles(x, y):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = (x[tile] > 0) and (y[tile] > 0)  # ERROR: and_on_tiles
    return out


@tegula.kernel
def or_on_tiles(x, y):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = (x[tile] > 0) or (y[tile] > 0)  # ERROR: or_on_tiles
    return out


@tegula.kernel
def not_on_tile(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = not x[tile]  # ERROR: not_on_tile
    return out


@tegula.kernel
def assign_slice_of_tile_value(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        v = x[tile, :]
        v[:, 0] = 0.0  # ERROR: assign_slice_of_tile_value
        out[tile, :] = v
    return out


@tegula.kernel
def slice_with_bounds(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile, :] = x[tile, 0:4]  # ERROR: slice_with_bounds
    return out


@tegula.kernel
def gather_with_tensor(x, idx):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[idx[tile]]  # ERROR: gather_with_tensor
    return out


@tegula.kernel
def too_many_indices(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile, 0]  # ERROR: too_many_indices
    return out


@tegula.kernel
def return_in_device_loop(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile]
        return out  # ERROR: return_in_device_loop
    return out


@tegula.kernel
def break_in_device_loop(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile]
        break  # ERROR: break_in_device_loop
    return out


@tegula.kernel
def continue_in_device_loop(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile]
        continue  # ERROR: continue_in_device_loop
    return out


@tegula.kernel
def lambda_in_device_code(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        f = lambda v: v + 1  # ERROR: lambda_in_device_code
        out[tile] = f(x[tile])
    return out


@tegula.kernel
def comprehension_in_device_code(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        parts = [x[tile] for _ in range(2)]  # ERROR: comprehension_in_device_code
        out[tile] = parts[0]
    return out


@tegula.kernel
def fstring_in_device_code(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        label = f"tile {tile}"  # ERROR: fstring_in_device_code
        out[tile] = x[tile]
    return out


@tegula.kernel
def with_in_device_code(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        with torch.no_grad():  # ERROR: with_in_device_code
            out[tile] = x[tile]
    return out


@tegula.kernel
def try_in_device_code(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        try:  # ERROR: try_in_device_code
            out[tile] = x[tile]
        except ValueError:
            pass
    return out


@tegula.kernel
def undefined_name(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile] * not_defined_anywhere  # ERROR: undefined_name
    return out


@tegula.kernel
def nested_def_in_device_code(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        def g(v):  # ERROR: nested_def_in_device_code
            return v
        out[tile] = x[tile]
    return out


@tegula.kernel
def starred_call(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        args = (x[tile],)
        out[tile] = torch.exp(*args)  # ERROR: starred_call
    return out


@tegula.kernel
def walrus_in_device_code(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = (v := x[tile])  # ERROR: walrus_in_device_code
    return out


# ------------------------------------------------------------ loops and variables

@tegula.kernel
def dead_after_nested_loop(x):
    m, n = x.size()
    out = torch.empty([m], dtype=x.dtype, device=x.device)
    for tile_m in tl.tile(m):
        for tile_n in tl.tile(n):
            last = x[tile_m, tile_n]
        out[tile_m] = last.sum(dim=1)  # ERROR: dead_after_nested_loop
    return out


@tegula.kernel
def carried_changes_shape(x):
    m, n = x.size()
    out = torch.empty_like(x)
    for tile_m in tl.tile(m):
        acc = tl.zeros([tile_m, 1], dtype=torch.float32)
        for tile_n in tl.tile(n):
            acc = acc + x[tile_m, tile_n]  # ERROR: carried_changes_shape
        out[tile_m, :] = acc
    return out


@tegula.kernel
def carried_does_not_broadcast(x):
    m, n = x.size()
    out = torch.empty([m], dtype=x.dtype, device=x.device)
    for tile_m in tl.tile(m):
        acc = tl.zeros([tile_m], dtype=torch.float32)
        for tile_n in tl.tile(n):
            acc = acc + x[tile_m, tile_n]  # ERROR: carried_does_not_broadcast
        out[tile_m] = acc
    return out


@tegula.kernel
def carried_not_a_value(x):
    m, n = x.size()
    out = torch.empty_like(x)
    for tile_m in tl.tile(m):
        acc = None
        for tile_n in tl.tile(n):  # ERROR: carried_not_a_value
            acc = x[tile_m, tile_n]
        out[tile_m, :] = x[tile_m, :]
    return out


@tegula.kernel
def range_with_runtime_bound(x):
    m, n = x.size()
    out = torch.empty_like(x)
    for tile_m in tl.tile(m):
        for j in range(n):  # ERROR: range_with_runtime_bound
            out[tile_m, j] = x[tile_m, j]
    return out


@tegula.kernel
def grid_with_block_size(x):
    out = torch.empty_like(x)
    for i in tl.grid(x.size(0), block_size=4):  # ERROR: grid_with_block_size
        out[i] = x[i]
    return out


@tegula.kernel
def register_block_size_bad_bounds(x):
    out = torch.empty_like(x)
    bs = tl.register_block_size(64, 16)
    for tile in tl.tile(x.size(0), block_size=bs):  # ERROR: register_block_size_bad_bounds
        out[tile] = x[tile]
    return out


@tegula.kernel
def tile_float_bound(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0) / 2):  # ERROR: tile_float_bound
        out[tile] = x[tile]
    return out


@tegula.kernel
def block_size_zero(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0), block_size=0):  # ERROR: block_size_zero
        out[tile] = x[tile]
    return out


@tegula.kernel
def nested_block_size_negative(x):
    m, n = x.size()
    out = torch.empty_like(x)
    for tile_m in tl.tile(m):
        for tile_n in tl.tile(n, block_size=-4):  # ERROR: nested_block_size_negative
            out[tile_m, tile_n] = x[tile_m, tile_n]
    return out


@tegula.kernel
def tile_unknown_keyword(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0), blocksize=16):  # ERROR: tile_unknown_keyword
        out[tile] = x[tile]
    return out


@tegula.kernel
def tile_unpack_mismatch(x):
    m, n = x.size()
    out = torch.empty_like(x)
    for a, b, c in tl.tile([m, n]):  # ERROR: tile_unpack_mismatch
        out[a, b] = x[a, b]
    return out


@tegula.kernel
def tile_call_as_value(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        t = tl.tile(4)  # ERROR: tile_call_as_value
        out[tile] = x[tile]
    return out


@tegula.kernel
def loop_over_tensor(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        for v in x[tile]:  # ERROR: loop_over_tensor
            out[tile] = v
    return out


@tegula.kernel
def device_loop_in_host_if(x):
    out = torch.empty_like(x)
    if x.size(0) > 0:
        for tile in tl.tile(x.size(0)):  # ERROR: device_loop_in_host_if
            out[tile] = x[tile]
    return out


@tegula.kernel
def host_reads_after_loop(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile] * 2
    total = out.sum()  # ERROR: host_reads_after_loop
    return total


@tegula.kernel
def no_device_loop(x):  # ERROR: no_device_loop
    return x * 2


@tegula.kernel
async def async_kernel(x):  # ERROR: async_kernel
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile]
    return out


@tegula.kernel
def device_loop_with_else(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):  # ERROR: device_loop_with_else
        out[tile] = x[tile]
    else:
        pass
    return out


@tegula.kernel
def register_block_size_in_device_code(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        bs = tl.register_block_size(16, 64)  # ERROR: register_block_size_in_device_code
        out[tile] = x[tile]
    return out


@tegula.kernel
def static_assert_fails(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        assert x.ndim == 2, "needs a matrix"  # ERROR: static_assert_fails
        out[tile] = x[tile]
    return out


# ------------------------------------------------------------ shapes and dtypes

@tegula.kernel
def broadcast_two_tiles(x, y):
    m, n = x.size(0), y.size(0)
    out = torch.empty([m, n], dtype=x.dtype, device=x.device)
    for tile_m, tile_n in tl.tile([m, n]):
        out[tile_m, tile_n] = x[tile_m] + y[tile_n]  # ERROR: broadcast_two_tiles
    return out


@tegula.kernel
def matmul_mismatched_inner(x, y):
    m, k = x.size()
    n, k2 = y.size()
    out = torch.empty([m, n], dtype=x.dtype, device=x.device)
    for tile_m, tile_n in tl.tile([m, n]):
        acc = tl.zeros([tile_m, tile_n], dtype=torch.float32)
        for tile_k in tl.tile(k):
            acc = torch.addmm(acc, x[tile_m, tile_k], y[tile_n, tile_k])  # ERROR: matmul_mismatched_inner
        out[tile_m, tile_n] = acc
    return out


@tegula.kernel
def mean_of_int_tile(x):
    out = torch.empty([x.size(0)], dtype=torch.float32, device=x.device)
    for tile in tl.tile(x.size(0)):
        out[tile] = torch.mean(x[tile, :], dim=1)  # ERROR: mean_of_int_tile
    return out


@tegula.kernel
def softmax_without_dim(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile, :] = torch.softmax(x[tile, :])  # ERROR: softmax_without_dim
    return out


@tegula.kernel
def reduction_dim_out_of_range(x):
    out = torch.empty([x.size(0)], dtype=x.dtype, device=x.device)
    for tile in tl.tile(x.size(0)):
        out[tile] = torch.sum(x[tile, :], dim=2)  # ERROR: reduction_dim_out_of_range
    return out


@tegula.kernel
def zeros_bad_shape(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        acc = tl.zeros([tile, 2.5], dtype=torch.float32)  # ERROR: zeros_bad_shape
        out[tile, :] = acc
    return out


@tegula.kernel
def to_without_dtype(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile].to()  # ERROR: to_without_dtype
    return out


@tegula.kernel
def to_unsupported_dtype(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile].to(torch.complex64)  # ERROR: to_unsupported_dtype
    return out


@tegula.kernel
def pow_integer_result(x, y):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile] ** y[tile]  # ERROR: pow_integer_result
    return out


@tegula.kernel
def argmax_without_dim(x):
    out = torch.empty([x.size(0)], dtype=torch.int64, device=x.device)
    for tile in tl.tile(x.size(0)):
        out[tile] = torch.argmax(x[tile, :])  # ERROR: argmax_without_dim
    return out


@tegula.kernel
def zeros_negative_size(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile] + tl.zeros([-1], dtype=torch.float32)  # ERROR: zeros_negative_size
    return out


@tegula.kernel
def reduction_bad_dtype(x):
    out = torch.empty([x.size(0)], dtype=x.dtype, device=x.device)
    for tile in tl.tile(x.size(0)):
        out[tile] = torch.sum(x[tile, :], dim=1, dtype="float32")  # ERROR: reduction_bad_dtype
    return out


@tegula.kernel
def matmul_int64(x, y):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile, :] = x[tile, :] @ y[:, :]  # ERROR: matmul_int64
    return out


@tegula.kernel
def unary_on_string(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        s = -"abc"  # ERROR: unary_on_string
        out[tile] = x[tile]
    return out


@tegula.kernel
def is_on_tile(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile] is None  # ERROR: is_on_tile
    return out


@tegula.kernel
def where_missing_argument(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = torch.where(x[tile] > 0, x[tile])  # ERROR: where_missing_argument
    return out


@tegula.kernel
def assign_to_attribute(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out.data = x[tile]  # ERROR: assign_to_attribute
    return out


@tegula.kernel
def zero_dim_tensor_not_loaded(x):
    out = torch.empty_like(x)
    total = x.sum()
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile] / total  # ERROR: zero_dim_tensor_not_loaded
    return out


@tegula.kernel
def tile_used_as_value(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile] + tile  # ERROR: tile_used_as_value
    return out


@tegula.kernel
def tensor_used_unloaded(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = torch.exp(x)  # ERROR: tensor_used_unloaded
    return out


@tegula.kernel
def unknown_tile_attribute(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile] + tile.length  # ERROR: unknown_tile_attribute
    return out


@tegula.kernel
def store_with_none_index(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile, None] = x[tile]  # ERROR: store_with_none_index
    return out


@tegula.kernel
def bad_keyword_argument(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = torch.exp(x[tile], base=2)  # ERROR: bad_keyword_argument
    return out


@tegula.kernel
def bitwise_on_floats(x, y):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile] & y[tile]  # ERROR: bitwise_on_floats
    return out


@tegula.kernel
def store_rank_mismatch(x):
    out = torch.empty([x.size(0)], dtype=x.dtype, device=x.device)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile, :]  # ERROR: store_rank_mismatch
    return out


@tegula.kernel
def matmul_rank_one(x, y):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile] @ y[tile]  # ERROR: matmul_rank_one
    return out


@tegula.kernel
def multiline_statement(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size(0)):
        out[tile] = (x[tile] +
                     torch.logcumsumexp(x[tile], dim=0))  # ERROR: multiline_statement
    return out


class _Holder:
    @staticmethod
    @tegula.kernel
    def indented_kernel(x):
        out = torch.empty_like(x)
        for tile in tl.tile(x.size(0)):
            out[tile] = x[tile] and x[tile]  # ERROR: indented_kernel
        return out


indented_kernel = _Holder.indented_kernel
