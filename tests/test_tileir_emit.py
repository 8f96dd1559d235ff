"""The tileir path so far: tegula-to-tileir then the cuTile emitter, checked by cuTile compiling the generated
kernels to Tile IR bytecode (no GPU needed), for every example it covers, on a ragged shape, with the Triton
backend's tile pipeline (power-of-two blocks). Examples it cannot express yet are located errors.
"""

from __future__ import annotations

import pytest
import torch

from tegula.backends.tileir import bytecode
from tegula.backends.tileir.cutile import generate
from tegula.compiler.errors import TegulaCompileError
from tegula.compiler.frontend.device import compile_kernel
from tegula.compiler.kernel import Kernel
from tegula.compiler.pipeline import parse_pipeline, run_pipeline
from tegula.dialects.tile import new_context
from tegula.examples import get

OK, WHY = bytecode.available()
pytestmark = pytest.mark.skipif(not OK, reason=WHY)

COVERED = ["add", "swiglu", "geglu", "sum", "softmax", "layer_norm", "rms_norm", "cross_entropy",
           "layer_norm_two_loops", "softmax_two_loops"]
PIPELINE = ("canonicalize,cse,tegula-fuse,cse,tegula-roll,tegula-tile{block-sizes=%s reductions=pow2},"
            "canonicalize,cse,tegula-to-tileir,canonicalize,cse")


def _lower(name: str, shape: tuple[int, ...], blocks: str) -> tuple[str, list, str]:
    ex = get(name)
    args = ex.inputs(shape, torch.float32)
    k = Kernel(ex.kernel.fn, effort="none")
    recorded, spec = k.trace(*args)
    ctx = new_context()
    with ctx:
        front = compile_kernel(k.host, recorded, spec)
        run_pipeline(front.module, parse_pipeline(PIPELINE % blocks))
        text = str(front.module)
        source, launches = generate(front.module)
        return source, launches, text


@pytest.mark.parametrize("name", COVERED)
def test_emitted_cutile_compiles_to_tile_ir_bytecode(name):
    ex = get(name)
    shape = next(s for s in ex.shapes if any(n % 2 for n in s) and min(s) > 1)  # ragged, no unit dimension
    source, launches, text = _lower(name, shape, "4,16,16")
    assert '"tile.load"' not in text and '"tile.store"' not in text and "tileir.load_view" in text
    assert launches and "@ct.kernel" in source and "ct.load(" in source and "ct.store(" in source
    blobs = bytecode.to_bytecode(source, launches)
    assert len(blobs) == len(launches) and all(len(b) > 100 for b in blobs)


def test_what_cutile_lacks_is_an_error_naming_the_op():
    from tegula.backends.tileir.cutile import CuTileCodegenError

    with pytest.raises(CuTileCodegenError, match="math.erf"):  # the exact GELU: cuTile has no erf
        _lower("gelu", (129, 65), "4,16")


def test_ragged_reductions_are_masked_in_the_emitted_code():
    source, _, _ = _lower("softmax", (37, 333), "4")
    assert "ct.where(" in source and "NEG_INF" in source and "ct.max(" in source and "ct.sum(" in source


@pytest.mark.parametrize("name,what", [("matmul", "a sequential loop"), ("attention", "a tile that does not start")])
def test_what_tileir_cannot_express_yet_is_a_located_error(name, what):
    ex = get(name)
    with pytest.raises(TegulaCompileError, match=rf"{name}\.py:\d+:\d+: error: the tileir backend cannot express "
                                                 rf"{what}"):
        _lower(name, ex.shapes[-1], "16,16,16")
