"""The tileir backend without a GPU: its pipeline (the Triton backend's tile pipeline, then tegula-to-tileir) and
the cuTile emitter, checked by cuTile compiling the generated kernels to Tile IR bytecode (no GPU or tileiras
needed) for every example, f32 and bf16, on ragged shapes and under configs that change the loops; the generated
host functions; what it cannot express (a located error); and how it reports itself unavailable here.
Running the kernels is tests/gpu/test_gpu_tileir.py's.
"""

from __future__ import annotations

import re

import pytest
import torch

import tegula
import tegula.language as tl
from tegula.backends.tileir import TileIRBackend, bytecode
from tegula.compiler.backend import get_backend
from tegula.compiler.errors import TegulaCompileError
from tegula.compiler.frontend.device import compile_kernel
from tegula.compiler.kernel import Kernel
from tegula.compiler.pipeline import parse_pipeline, run_pipeline
from tegula.dialects.tile import new_context
from tegula.examples import all_examples, get

OK, WHY = bytecode.available()
needs_cutile = pytest.mark.skipif(not OK, reason=WHY)
EXAMPLES = [ex.name for ex in all_examples()]


def _cutile(fn, args: tuple, config: dict | None = None) -> tuple[str, list, str, dict]:
    """(cuTile source, launches, tileir text, config) of ``fn`` for ``args`` through the tileir backend."""
    k = Kernel(fn, effort="none")
    recorded, spec = k.trace(*args)
    b = get_backend("tileir", check=False)
    with new_context():
        front = compile_kernel(k.host, recorded, spec)
        cfg = b.default_config(k.kernel_info(front, spec))
        cfg.update(config or {})
        run_pipeline(front.module, parse_pipeline(b.pipeline(cfg)))
        text = b.lower(front.module, cfg, "tileir")
        source, launches = b._generate(front.module, cfg)
    return source, launches, text, cfg


@needs_cutile
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["f32", "bf16"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_compiles_to_tile_ir_bytecode(name, dtype):
    ex = get(name)
    source, launches, text, cfg = _cutile(ex.kernel.fn, ex.inputs(ex.ragged_shape, dtype))
    assert '"tile.load"' not in text and '"tile.store"' not in text and "tileir.load_view" in text
    gathers = cfg["access"] == "gather"  # the default without dots; views with them
    assert gathers == (name not in ("matmul", "matmul_bias_relu", "attention", "attention_causal"))
    loads, stores = ("ct.gather(", "ct.scatter(") if gathers else ("ct.load(", "ct.store(")
    assert launches and "@ct.kernel" in source and loads in source and stores in source
    blobs = bytecode.to_bytecode(source, launches)
    assert len(blobs) == len(launches) and all(len(b) > 100 for b in blobs)


@needs_cutile
@pytest.mark.parametrize("name,shape,config,expect", [
    ("softmax", (129, 20000), {}, "for k"),  # rows past 16k: rolled in 4096-element chunks by default
    ("layer_norm", (37, 3000), {"reduction_loops": [512], "welford_variance": True}, "for k"),
    ("add", (1000, 999), {"persistent": "interleaved"}, "for k"),
    ("matmul", (300, 200, 500), {"l2_groupings": [4], "occupancy": 2, "num_ctas": 2, "load_latency": 5,
                                 "tma": "off"}, "latency=5, allow_tma=False"),
    ("attention_causal", (1, 2, 200, 64), {"unroll_factors": [2]}, "ct.mma("),
])
def test_configs_that_change_the_loops_compile(name, shape, config, expect):
    ex = get(name)
    source, launches, _, _ = _cutile(ex.kernel.fn, ex.inputs(shape, torch.bfloat16), config)
    assert expect in source
    if "occupancy" in config:
        assert "@ct.kernel(occupancy=2, num_ctas=2)" in source
    assert bytecode.to_bytecode(source, launches)


def _default_config(name: str, shape: tuple) -> dict:
    ex = get(name)
    k = Kernel(ex.kernel.fn, effort="none")
    recorded, spec = k.trace(*ex.inputs(shape, torch.bfloat16))
    with new_context():
        return get_backend("tileir", check=False).default_config(k.kernel_info(compile_kernel(k.host, recorded,
                                                                                               spec), spec))


@pytest.mark.parametrize("name,shape,expect", [
    # rows of up to 4096 elements: 8 programs per SM, gathers, tileiras's own warps
    ("softmax", (4096, 4096), {"occupancy": 8, "access": "gather", "num_worker_warps": 0, "unit_dims": "drop",
                               "bounds": "always"}),
    # elementwise gathers skip the bounds checks on tiles inside the arrays (add 0.0308 -> 0.0300 ms)
    ("add", (4096, 4096), {"access": "gather", "bounds": "edges", "block_sizes": [16, 256]}),
    # rows of 8192: 4 per SM and 8 worker warps (layer norm over 4096x8192: 0.051 -> 0.043 ms on an H200)
    ("layer_norm", (4096, 8192), {"occupancy": 4, "access": "gather", "num_worker_warps": 8}),
    # rows past 16k elements are rolled in 4096-element chunks, which keep view loads
    ("softmax", (64, 32768), {"reduction_loops": [4096], "access": "view", "num_worker_warps": 8}),
    # a GEMM: tileiras chooses occupancy; a persistent launch in L2 groups of 8
    ("matmul", (512, 512, 512), {"occupancy": 0, "access": "view", "persistent": "interleaved",
                                 "l2_groupings": [8], "block_sizes": [128, 128, 64]}),
    # attention's k loop carries the running max and sum: 2 programs per SM, not persistent
    ("attention", (1, 2, 512, 64), {"occupancy": 2, "access": "view", "unit_dims": "drop"}),
])
def test_default_configs_follow_the_measured_rules(name, shape, expect):
    cfg = _default_config(name, shape)
    assert {key: cfg.get(key) for key in expect} == expect
    if name == "attention":
        assert cfg.get("persistent", "none") == "none" and cfg["num_worker_warps"] == 0


def test_matmul_is_a_k_loop_of_mma_on_a_float32_accumulator():
    ex = get("matmul")
    source, _, text, cfg = _cutile(ex.kernel.fn, ex.inputs((129, 257, 65), torch.bfloat16))
    assert cfg["block_sizes"] == [128, 128, 64]
    assert "scf.for" in text and '"tileir.mma"' in text and "tensor<128x128xf32>" in text
    assert "ct.full((128, 128,), 0.0, ct.float32)" in source
    assert "for k" in source and "in range(0, " in source and "ct.mma(" in source


CODEGEN = [{"access": "gather", "unit_dims": "drop", "bounds": "always"},
           {"access": "gather", "unit_dims": "keep", "bounds": "edges"},
           {"access": "view", "unit_dims": "keep"}]


@needs_cutile
@pytest.mark.parametrize("choice", CODEGEN, ids=["-".join(c.values()) for c in CODEGEN])
@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_compiles_under_each_access_and_unit_dims_choice(name, choice):
    ex = get(name)
    source, launches, _, _ = _cutile(ex.kernel.fn, ex.inputs(ex.ragged_shape, torch.bfloat16), choice)
    body = source.split("@ct.kernel", 1)[1]
    if choice["access"] == "gather":
        assert "ct.gather(" in body and "ct.scatter(" in body and "ct.load(" not in body
    else:
        assert "ct.load(" in body and "ct.store(" in body and "ct.gather(" not in body
    assert bytecode.to_bytecode(source, launches)


def test_gathers_index_rows_and_columns_of_the_tile():
    ex = get("softmax")
    source, _, _, _ = _cutile(ex.kernel.fn, ex.inputs((37, 333), torch.bfloat16),
                              {"block_sizes": [4], "access": "gather"})
    body = source.split("@ct.kernel", 1)[1]
    # rows bid*4 + arange(4) as a column, columns 0*512 + arange(512) as a row: a (4, 512) tile
    assert "ct.add(ct.arange(4, dtype=ct.int32), bid1 * 4)" in body and "(4, 1,))" in body
    assert "ct.add(ct.arange(512, dtype=ct.int32), 0 * 512)" in body and "(1, 512,))" in body
    assert "padding_value=0)" in body and "ct.scatter(p1, (" in body


def test_dropping_unit_dims_makes_attention_two_dimensional_and_k_loads_transposed():
    ex = get("attention")
    keep, _, _, _ = _cutile(ex.kernel.fn, ex.inputs((1, 2, 200, 64), torch.bfloat16), {"unit_dims": "keep"})
    drop, _, _, cfg = _cutile(ex.kernel.fn, ex.inputs((1, 2, 200, 64), torch.bfloat16))
    assert cfg["unit_dims"] == "drop" and cfg["occupancy"] == 2  # the defaults
    for source in (keep, drop):  # K^T: the load transposes (order=), no permute in registers
        assert "order=(0, 2, 1,)" in source and "ct.permute(" not in source
    assert "ct.full((1, 128, 64,), 0.0, ct.float32)" in keep
    assert "ct.full((128, 64,), 0.0, ct.float32)" in drop and "ct.full((1, " not in drop
    assert "tile=ct.reshape(" in drop  # the (128, 64) result goes back to its (1, 128, 64) view tile


def test_ragged_reductions_are_masked_in_float32():
    ex = get("softmax")
    source, _, _, _ = _cutile(ex.kernel.fn, ex.inputs((37, 333), torch.bfloat16), {"block_sizes": [4]})
    body = source.split("@ct.kernel", 1)[1]
    assert "ct.where(" in body and "NEG_INF" in body and "ct.max(" in body and "ct.sum(" in body
    assert "ct.full((4, 512,), NEG_INF, ct.float32)" in body  # the bf16 row is reduced as float32
    # the division by the row's sum: one float32 reciprocal per row (div.full), a multiply per element, rounded
    # to bf16 once
    assert "= ct.truediv(1.0, ct.astype(" in body and "ct.float32), rounding_mode=ct.RoundingMode.FULL)" in body
    assert "ct.astype(ct.mul(ct.astype(" in body and "(4, 512,))), ct.bfloat16)" in body
    assert "ct.truediv(ct.astype(" not in body


@tegula.kernel
def divide(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    out = torch.empty_like(a)
    for tile in tl.tile(a.size(0)):
        out[tile] = a[tile] / b[tile]
    return out


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["f32", "bf16"])
def test_a_division_by_a_whole_tile_stays_a_division_per_element(dtype):
    a = torch.randn(1000, dtype=dtype)
    source, launches, _, _ = _cutile(divide.fn, (a, a))
    body = source.split("@ct.kernel", 1)[1]
    assert "ct.truediv(" in body and "rounding_mode=ct.RoundingMode.FULL)" in body and "ct.truediv(1.0" not in body
    if OK:
        assert bytecode.to_bytecode(source, launches)


def test_float64_rows_keep_their_division():
    ex = get("softmax")
    source, _, _, _ = _cutile(ex.kernel.fn, ex.inputs((37, 333), torch.float64))
    body = source.split("@ct.kernel", 1)[1]
    assert "ct.truediv(1.0" not in body and "ct.truediv(" in body  # no float32 reciprocal for float64


def test_exp_is_ex2_of_x_times_log2e_flushing_subnormals():
    ex = get("softmax")
    source, _, _, _ = _cutile(ex.kernel.fn, ex.inputs((37, 333), torch.float32))
    body = source.split("@ct.kernel", 1)[1]
    assert "ct.exp2(ct.mul(" in body and ", LOG2E), flush_to_zero=True)" in body and "ct.exp(" not in body
    assert "LOG2E = 1.4426950408889634" in source


def test_elementwise_gathers_skip_bounds_checks_inside_the_array_only():
    ex = get("add")
    args = ex.inputs((1000, 999), torch.bfloat16)
    source, launches, _, cfg = _cutile(ex.kernel.fn, args)
    assert cfg["bounds"] == "edges"
    body = source.split("@ct.kernel", 1)[1]
    # per access: a tile inside the array (its last element index below the array's extent, per dimension)
    # skips cuTile's checks; a tile at the edge keeps them
    cond = re.search(r"(c\d+) = \((i\d+) \+ 1\) \* 16 <= p0\.shape\[0\] and \((i\d+) \+ 1\) \* 256 <= p0\.shape\[1\]",
                     body)
    assert cond, body
    c, row, col = cond.groups()
    assert f"ct.arange(16, dtype=ct.int32), {row} * 16)" in body and f"ct.arange(256, dtype=ct.int32), {col} * 256)" in body
    assert f"if {c}:\n        t" in body
    assert body.count("check_bounds=False)") == 3  # two gathers and the scatter
    assert body.count("padding_value=0)") == 2 and body.count("else:") == 3
    if OK:
        assert bytecode.to_bytecode(source, launches)
    checked, _, _, _ = _cutile(ex.kernel.fn, args, {"bounds": "always"})
    assert "check_bounds=False" not in checked and "if c" not in checked
    rows, _, _, cfg = _cutile(get("softmax").kernel.fn, get("softmax").inputs((37, 333), torch.bfloat16))
    assert cfg["bounds"] == "always" and "check_bounds=False" not in rows  # rows lose by the branch


def test_exact_gelu_gets_an_erf():
    ex = get("gelu")
    source, _, _, _ = _cutile(ex.kernel.fn, ex.inputs((129, 65), torch.float32))
    assert "def _erf(x):" in source and "_erf(" in source.split("@ct.kernel", 1)[1]


def test_host_function_computes_programs_fit_and_parameters():
    from tegula.compiler.hostcode import load_generated

    ex = get("softmax")
    x = torch.randn(37, 333)
    source, launches, _, _ = _cutile(ex.kernel.fn, (x,), {"block_sizes": [4]})
    module = load_generated(source, "tileir-test")
    out = torch.empty_like(x)
    programs, fits, params = getattr(module, launches[0]["host"])(37, x, out)
    assert programs == 10 and fits  # ceil(37 / 4) programs of 4 rows
    assert params[0] is x and params[1] is out and params[2] == 333


def test_launcher_accepts_only_extents_that_fit_the_compiled_block():
    """A ':' extent checked on the host (attention's head_dim) past its compiled block makes the kernel
    recompile, as with the Triton launcher; an elementwise kernel serves every size without asking."""
    from tegula.backends.tileir.launcher import TileIRLauncher
    from tegula.compiler.backend import KernelInfo

    ex = get("attention")
    source, launches, _, cfg = _cutile(ex.kernel.fn, ex.inputs((1, 2, 100, 64), torch.float32))
    launcher = TileIRLauncher(source, launches, cfg, KernelInfo("attention"))
    assert launcher.bucketed

    def args(d: int) -> list:
        q = torch.randn(2, 100, d)
        return [2, 100, d, q, q, 0.125, q, torch.empty_like(q)]

    assert launcher.accepts(args(64)) and launcher.accepts(args(33))
    assert not launcher.accepts(args(128))
    a = torch.randn(10, 7)
    source, launches, _, cfg = _cutile(get("add").kernel.fn, (a, a))
    assert not any(ln["bucketed"] for ln in launches)
    assert not TileIRLauncher(source, launches, cfg, KernelInfo("add")).bucketed


@tegula.kernel
def row_argmax(x: torch.Tensor) -> torch.Tensor:
    out = torch.empty([x.size(0)], dtype=torch.int64, device=x.device)
    for tile in tl.tile(x.size(0)):
        out[tile] = torch.argmax(x[tile, :], dim=-1)
    return out


def test_what_tileir_cannot_express_is_a_located_error():
    import inspect

    line = inspect.getsource(row_argmax.fn).splitlines().index(
        "        out[tile] = torch.argmax(x[tile, :], dim=-1)") + row_argmax.fn.__code__.co_firstlineno
    with pytest.raises(TegulaCompileError, match=rf"test_tileir_emit\.py:{line}:\d+: error: the tileir backend "
                                                 r"cannot express an argmax reduction \(`tile.reduce`\)"):
        _cutile(row_argmax.fn, (torch.randn(10, 7),))


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the reason given on a machine without a GPU")
def test_unavailable_here_with_the_reason():
    ok, why = TileIRBackend.available()
    assert not ok and "no CUDA device" in why
    from tegula.compiler.backend import available_backends

    assert "no CUDA device" in available_backends()["tileir"]
    with pytest.raises(tegula.BackendUnavailableError, match="backend 'tileir' is not available here: no CUDA"):
        Kernel(get("add").kernel.fn, backend="tileir", effort="none")(torch.randn(4), torch.randn(4))


def test_a_hint_outside_its_domain_is_a_config_error():
    with pytest.raises(tegula.BackendCompileError, match="occupancy must be one of 0, 1, 2, 4, 8, 16, got 3"):
        _cutile(get("add").kernel.fn, (torch.randn(4), torch.randn(4)), {"occupancy": 3})


def test_tegula_opt_emits_the_tileir_stages_by_name():
    import subprocess
    import sys

    from tegula.examples import softmax as module

    for stage, marker in (("tileir", '"tileir.load_view"'), ("cutile", "@ct.kernel")):
        run = subprocess.run([sys.executable, "-m", "tegula.compiler.opt", module.__file__, f"--emit={stage}"],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert marker in run.stdout
