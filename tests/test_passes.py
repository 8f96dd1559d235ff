"""Passes never change results.

Every example kernel, on every backend this machine has, runs with its backend's default config and with each
pass variant (a config override on top of the default): loop fusion off, reduction rolling into small chunks,
promotion of dot operands off, promotion of reused tiles on, pipelining stages, persistent launches (blocked and
interleaved, with few programs so that each one loops over several tiles), a non-identity loop order with L2
grouping, and loop unrolling. Each run is checked against the example's float64 PyTorch reference
(``Example.check``) on at least two of the example's shapes, one of them ragged (a size that is not a multiple of
any block size). Triton runs on the GPU where there is one, else under its interpreter (``TRITON_INTERPRET=1``),
which executes every program in Python; both get the example's shapes scaled down (``interpreter_shape``).

A variant runs only where it applies, and that is read from the kernel's own search space (its tile and ':'
symbols, its top-level loops and their ranks, its sequential loops: what the per-symbol and per-loop tunables
index), never from example names. Where it is cheap, the test also checks that the variant took effect in the
compiled kernel (its launches, or its IR after the tile pipeline), so that a variant the pipeline silently
ignores cannot pass as "same result".
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import torch
from tegula.compiler.frontend.device import compile_kernel
from tegula.compiler.kernel import Compiled, Kernel, search_space
from tegula.compiler.mlir import ir
from tegula.compiler.pipeline import parse_pipeline, run_pipeline
from tegula.dialects.tile import new_context
from tegula.examples import Example, all_examples
from tegula.passes.util import const_int, kernels, top_level, walk

DTYPE = torch.float32
EXAMPLES = {ex.name: ex for ex in all_examples()}

#: Triton runs on the GPU where there is one (CUDA tensors), else under its interpreter (CPU tensors)
TRITON_OK = torch.cuda.is_available() or os.environ.get("TRITON_INTERPRET") == "1"
GPU = torch.cuda.is_available()
DEVICE = {"cpu": "cpu", "triton": "cuda" if GPU else "cpu"}
BACKENDS = {
    "cpu": [],
    "triton": [pytest.mark.skipif(not TRITON_OK, reason="needs a GPU, or TRITON_INTERPRET=1 (set by conftest.py)")],
}
#: shapes per (backend, example, variant)
SHAPES_PER_CASE = {"cpu": 2, "triton": 2}


def interpreter_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """An example shape scaled down for Triton's interpreter, which runs every program (and every chunk of a
    rolled row) in Python: each size above 100 becomes an odd size near a tenth of it, so it stays ragged."""
    return tuple(s // 10 | 1 if s > 100 else s for s in shape)


def backend_shapes(backend: str, ex: Example) -> list[tuple[int, ...]]:
    shapes = ex.shapes if backend == "cpu" else [interpreter_shape(s) for s in ex.shapes]
    return sorted(dict.fromkeys(shapes), key=lambda s: torch.Size(s).numel())


# ---------------------------------------------------------------- the kernel's search space

@dataclass(frozen=True)
class Space:
    """What a kernel's per-symbol and per-loop tunables index, for one specialization (shape kind)."""

    tile_symbols: int  # block_sizes entries
    reduction_symbols: int  # reduction_loops entries (0: the kernel has no ':' symbol here)
    loop_ranks: tuple[int, ...]  # one per top-level loop (loop_orders, l2_groupings)
    sequential_loops: int  # scf.for loops inside the tile loops (what unroll_factors indexes)
    repeating_loops: int  # those of them that may run more than once (a loop over a size-1 extent is inlined)
    reused_loads: int  # loaded tiles that two or more ops read (what promote_reused promotes)


_SPACES: dict[tuple[str, tuple[int, ...]], Space] = {}


def kernel_space(ex: Example, shape: tuple[int, ...]) -> Space:
    key = (ex.name, shape)
    if key not in _SPACES:
        torch.manual_seed(0)
        kernel = ex.kernel
        recorded, spec = kernel.trace(*ex.inputs(shape, DTYPE))
        with new_context():
            front = compile_kernel(kernel.host, recorded, spec)
            info = kernel.kernel_info(front, spec)
            # what the pipeline's passes see: dead ops gone, one-trip loops (a size-1 extent) inlined
            run_pipeline(front.module, parse_pipeline("canonicalize,cse"))
            fns = kernels(front.module.operation)
            ranks = tuple(len(loop.opview.lower) for fn in fns for loop in top_level(fn, "tile.for"))
            loops = [loop for fn in fns for loop in walk(fn, "scf.for")]
            repeating = sum(1 for loop in loops if _may_repeat(loop))
            reused = sum(1 for fn in fns for load in walk(fn, "tile.load") if len(_readers(load)) >= 2)
        assert len(ranks) == len(info.loops), (ex.name, shape, ranks, info.loops)
        _SPACES[key] = Space(max(info.block_sizes, default=-1) + 1, max(info.reductions, default=-1) + 1, ranks,
                             len(loops), repeating, reused)
    return _SPACES[key]


def _readers(op: Any) -> list[Any]:
    out: list[Any] = []
    for use in op.results[0].uses:
        owner = use.owner if isinstance(use.owner, ir.Operation) else use.owner.operation
        if owner not in out:
            out.append(owner)
    return out


def _may_repeat(loop: Any) -> bool:
    lower, upper = const_int(loop.operands[0]), const_int(loop.operands[1])
    return lower is None or upper is None or upper - lower > 1


def is_ragged(shape: tuple[int, ...]) -> bool:
    """Some size spans more than one 16-wide block and ends in a partial one."""
    return any(s > 16 and s % 16 for s in shape)


# ---------------------------------------------------------------- what a variant checks

@dataclass
class Run:
    compiled: Compiled
    tiled: str  # the module after the tile pipeline

    @property
    def launches(self) -> int:
        return len(self.compiled.launcher.launches)

    def count(self, text: str) -> int:
        return self.tiled.count(text)


@dataclass(frozen=True)
class Variant:
    name: str
    applies: Callable[[Space], bool]
    override: Callable[[Space], dict[str, Any]]
    #: (space, default run, variant run) -> None; asserts that the variant took effect
    effect: Callable[[Space, Run, Run], None] | None = None


def _fused_loops_split(space: Space, default: Run, run: Run) -> None:
    assert run.launches == len(space.loop_ranks), (run.launches, space.loop_ranks)
    assert default.launches < run.launches, f"fusion merged nothing: {default.launches} launch(es) either way"


def _rolled(space: Space, default: Run, run: Run) -> None:
    if space.sequential_loops == 0:  # a ':' handle used in a nested loop may stay whole (the pass's contract)
        assert run.count("scf.for") > default.count("scf.for"), "no ':' dimension was rolled into a loop"


def _operands_not_promoted(space: Space, default: Run, run: Run) -> None:
    assert default.count('"tile.local"') > 0, "the default promotes no dot operand"
    assert run.count('"tile.local"') == 0


def _reused_promoted(space: Space, default: Run, run: Run) -> None:
    assert run.count('"tile.local"') > default.count('"tile.local"'), "no reused tile was promoted"


def _staged(space: Space, default: Run, run: Run) -> None:
    assert "tile.stages = 2" in run.tiled


def _persistent(space: Space, default: Run, run: Run) -> None:
    # every launch gets a loop over its tiles
    assert run.count("scf.for") == default.count("scf.for") + run.launches, (
        run.count("scf.for"), default.count("scf.for"), run.launches)


def _reordered(space: Space, default: Run, run: Run) -> None:
    assert run.tiled != default.tiled, "loop order and L2 grouping left the IR unchanged"


def _unrolled(space: Space, default: Run, run: Run) -> None:
    assert "tile.unroll = 2" in run.tiled


def _per_loop(space: Space, value: int) -> list[int | None]:
    return [value if rank >= 2 else None for rank in space.loop_ranks]


VARIANTS = [
    Variant("default", lambda s: True, lambda s: {}),
    Variant("fuse_off", lambda s: len(s.loop_ranks) >= 2, lambda s: {"fuse_loops": False}, _fused_loops_split),
    Variant("reduction_loops16", lambda s: s.reduction_symbols > 0,
            lambda s: {"reduction_loops": [16] * s.reduction_symbols}, _rolled),
    Variant("promote_operands_off", lambda s: s.repeating_loops > 0, lambda s: {"promote_operands": False},
            _operands_not_promoted),
    Variant("promote_reused", lambda s: s.reused_loads > 0, lambda s: {"promote_reused": True}, _reused_promoted),
    Variant("stages2", lambda s: s.repeating_loops > 0, lambda s: {"stages": 2}, _staged),
    Variant("persistent_blocked", lambda s: len(s.loop_ranks) > 0,
            lambda s: {"persistent": "blocked", "programs": 3}, _persistent),
    Variant("persistent_interleaved", lambda s: len(s.loop_ranks) > 0,
            lambda s: {"persistent": "interleaved", "programs": 3}, _persistent),
    Variant("loop_order_l2", lambda s: any(r >= 2 for r in s.loop_ranks),
            lambda s: {"loop_orders": _per_loop(s, 1), "l2_groupings": _per_loop(s, 4)}, _reordered),
    Variant("unroll2", lambda s: s.repeating_loops > 0, lambda s: {"unroll_factors": [2] * s.sequential_loops},
            _unrolled),
    # the loops reduction rolling makes are sequential loops too: unroll those
    Variant("reduction_loops16_unroll2", lambda s: s.reduction_symbols > 0 and s.sequential_loops == 0,
            lambda s: {"reduction_loops": [16] * s.reduction_symbols, "unroll_factors": [2] * 4}, _unrolled),
]
VARIANT_BY_NAME = {v.name: v for v in VARIANTS}


# ---------------------------------------------------------------- the cases

def _cases() -> list[tuple[str, str, str, tuple[int, ...]]]:
    out = []
    for backend, count in SHAPES_PER_CASE.items():
        for ex in EXAMPLES.values():
            by_size = backend_shapes(backend, ex)
            for variant in VARIANTS:
                shapes = [s for s in by_size if variant.applies(kernel_space(ex, s))][:count]
                if shapes and not any(is_ragged(s) for s in shapes):  # keep a ragged one
                    ragged = [s for s in by_size if is_ragged(s) and variant.applies(kernel_space(ex, s))]
                    shapes = shapes[:count - 1] + ragged[:1]
                out += [(backend, ex.name, variant.name, s) for s in shapes]
    return out


CASES = _cases()


def _param(backend: str, name: str, variant: str, shape: tuple[int, ...]) -> Any:
    return pytest.param(backend, name, variant, shape, marks=BACKENDS[backend],
                        id=f"{backend}-{name}-{variant}-{'x'.join(map(str, shape))}")


_DEFAULTS: dict[tuple[str, str, tuple[int, ...]], Run] = {}


def _run(ex: Example, backend: str, override: dict[str, Any], shape: tuple[int, ...]) -> Run:
    """Compiles and runs ``ex`` on one shape under ``override``; fails naming the case on a crash or mismatch."""
    torch.manual_seed(0)
    args = ex.inputs(shape, DTYPE, device=DEVICE[backend])
    if GPU and backend == "triton" and override.get("unroll_factors") and "num_stages" not in override:
        # on an H100, two unrolled copies of 3 stages of 128x128x64 float32 dot tiles need 256 KB of shared
        # memory (a config that does not fit: a BackendCompileError, tested in tests/gpu); 2 stages fit
        override = {**override, "num_stages": 2}
    kernel = Kernel(ex.kernel.fn, backend=backend, config=override or None)
    where = f"{ex.name} on {backend}, config {override}, shape {shape}"
    try:
        out = kernel(*args)
    except Exception as e:  # noqa: BLE001 - a crash is a compiler bug: report the case
        pytest.fail(f"{where}: {type(e).__name__}: {e}")
    ok, message = ex.check(out, args, DTYPE)
    assert ok, f"{where}: {message}"
    [compiled] = kernel.compiled()
    assert compiled.backend.name == backend
    for key, value in override.items():
        assert compiled.config[key] == value, (key, compiled.config)
    known = search_space(compiled.backend, compiled.pipeline)
    assert set(override) <= set(known), sorted(set(override) - set(known))
    return Run(compiled, str(compiled.frontend.module))


def _default_run(ex: Example, backend: str, shape: tuple[int, ...]) -> Run:
    key = (backend, ex.name, shape)
    if key not in _DEFAULTS:
        _DEFAULTS[key] = _run(ex, backend, {}, shape)
    return _DEFAULTS[key]


@pytest.mark.parametrize("backend,name,variant,shape", [_param(*c) for c in CASES])
def test_pass_variant_matches_torch(backend, name, variant, shape):
    ex = EXAMPLES[name]
    v = VARIANT_BY_NAME[variant]
    space = kernel_space(ex, shape)
    assert v.applies(space)
    default = _default_run(ex, backend, shape)
    if v.name == "default":
        return
    override = v.override(space)
    assert override
    run = _run(ex, backend, override, shape)
    if v.effect is not None:
        v.effect(space, default, run)


# ---------------------------------------------------------------- the parametrization is not vacuous

def test_every_example_and_variant_has_cases_on_every_backend():
    assert len(EXAMPLES) >= 12 and CASES
    for backend in BACKENDS:
        for name in EXAMPLES:
            shapes = [s for b, n, v, s in CASES if (b, n, v) == (backend, name, "default")]
            assert len(shapes) >= 2 and any(map(is_ragged, shapes)), (backend, name, shapes)
        for variant in VARIANTS:
            names = {n for b, n, v, _ in CASES if (b, v) == (backend, variant.name)}
            assert names, f"variant {variant.name} runs on no example on {backend}"


def test_every_case_runs_two_shapes_one_ragged():
    groups: dict[tuple[str, str, str], list[tuple[int, ...]]] = {}
    for b, n, v, s in CASES:
        groups.setdefault((b, n, v), []).append(s)
    assert groups
    for key, shapes in groups.items():
        assert len(shapes) >= 2, (key, shapes)
        assert any(map(is_ragged, shapes)), (key, shapes)


def test_applicability_follows_the_search_space():
    """Each variant that has a precondition is skipped somewhere and runs somewhere (per backend)."""
    for variant in VARIANTS:
        if variant.name in ("default", "persistent_blocked", "persistent_interleaved"):
            continue
        ran = {n for b, n, v, _ in CASES if b == "cpu" and v == variant.name}
        assert ran and ran != set(EXAMPLES), (variant.name, sorted(ran))
