"""Every example on CUDA through the tileir backend (CUDA Tile IR via cuTile), f32/bf16, several shapes, vs torch.

Skipped, with the backend's own reason, where it is unavailable (no GPU, no cuTile Python, no tileiras: see the
two-call TileIR flow of ../shared/gpu/README.md).
"""

from __future__ import annotations

import pytest
import torch

from tegula.backends.tileir import TileIRBackend
from tegula.compiler.kernel import Kernel
from tegula.examples import all_examples

OK, WHY = TileIRBackend.available()
pytestmark = pytest.mark.skipif(not OK, reason=f"tileir backend unavailable: {WHY}")

DTYPES = (torch.float32, torch.bfloat16)
EXAMPLES = all_examples()
CASES = [(ex, dt, shape) for ex in EXAMPLES for dt in DTYPES for shape in [*ex.shapes, ex.demo_shape]]


def _kernel(ex, config=None):
    return Kernel(ex.kernel.fn, backend="tileir", effort="none", config=config)


@pytest.mark.parametrize("ex,dtype,shape", CASES,
                         ids=[f"{e.name}-{str(d).removeprefix('torch.')}-{'x'.join(map(str, s))}" for e, d, s in CASES])
def test_example_tileir(ex, dtype, shape):
    args = ex.inputs(shape, dtype, "cuda")
    k = _kernel(ex)
    out = k(*args)
    ok, message = ex.check(out, args, dtype)
    assert ok, f"{ex.name} {dtype} {shape}: {message}"
    assert k.compiled()[-1].backend.name == "tileir"


@pytest.mark.parametrize("name,shape,config", [
    ("softmax", (129, 20000), {}),  # rolled: rows past 16k elements go in 4096-element chunks
    ("layer_norm", (37, 3000), {"reduction_loops": [512], "welford_variance": True}),
    ("add", (1000, 999), {"persistent": "interleaved"}),
    ("matmul", (300, 200, 500), {"l2_groupings": [4], "occupancy": 2, "load_latency": 5}),
    ("rms_norm", (64, 4096), {"tma": "off", "num_ctas": 2}),
])
def test_tileir_configs(name, shape, config):
    from tegula.examples import get

    ex = get(name)
    args = ex.inputs(shape, torch.bfloat16, "cuda")
    out = _kernel(ex, config or None)(*args)
    ok, message = ex.check(out, args, torch.bfloat16)
    assert ok, f"{name} {config}: {message}"


# each access and unit_dims choice; gathers and scatters with cuTile's bounds checks on every tile, and only on the
# tiles at the arrays' edges (ragged shapes have both)
CODEGEN = [{"access": a, "unit_dims": u, "bounds": "always"} for a in ("view", "gather") for u in ("keep", "drop")]
CODEGEN.append({"access": "gather", "unit_dims": "drop", "bounds": "edges"})


@pytest.mark.parametrize("variant", CODEGEN, ids=["-".join(v.values()) for v in CODEGEN])
@pytest.mark.parametrize("ex", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_every_example_under_each_access_and_unit_dims_choice(ex, variant):
    shape = ex.ragged_shape
    args = ex.inputs(shape, torch.bfloat16, "cuda")
    out = _kernel(ex, variant)(*args)
    ok, message = ex.check(out, args, torch.bfloat16)
    assert ok, f"{ex.name} {shape} {variant}: {message}"


def test_autotuner_searches_tileir_beside_triton(monkeypatch):
    from tegula.examples import get

    monkeypatch.setenv("TEGULA_AUTOTUNE_MAX_SECONDS", "60")
    ex = get("rms_norm")
    args = ex.inputs((2048, 4096), torch.bfloat16, "cuda")
    k = Kernel(ex.kernel.fn, effort="quick")
    out = k(*args)
    ok, message = ex.check(out, args, torch.bfloat16)
    assert ok, message
    tried = {c.backend for c in k.last_tuning.candidates if c.status == "ok"}
    assert {"triton", "tileir"} <= tried, tried


def test_a_wider_head_dim_recompiles_instead_of_reusing_the_kernel():
    """head_dim is a ':' extent checked on the host (tileir.host_bound): one Kernel called with 64 then 128
    must compile twice and match torch both times, never run the 64-wide kernel on 128 columns."""
    from tegula.examples import get

    ex = get("attention")
    k = _kernel(ex)
    for d in (64, 128):
        args = ex.inputs((1, 2, 100, d), torch.float32, "cuda")
        ok, message = ex.check(k(*args), args, torch.float32)
        assert ok, f"head_dim {d}: {message}"
    assert len(k.compiled()) == 2
