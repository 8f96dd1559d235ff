"""The Triton backend: tile dialect -> readable Triton source -> ``triton.jit``.

Stage ``triton`` is the generated Python module (``codegen.py``). Block sizes
are static powers of two, so its tile pipeline runs
``tegula-tile{reductions=pow2}`` and a compiled kernel serves the sizes whose
``:`` extents fit their blocks (``Launcher.accepts``). On CUDA tensors it
compiles for the GPU; on CPU tensors it runs under Triton's interpreter when
``TRITON_INTERPRET=1`` is set, which is how CI tests this whole path without
a GPU.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from tegula.backends.triton.codegen import TritonCodegenError, generate
from tegula.compiler import tunables
from tegula.compiler.backend import Backend, KernelInfo, Launcher, pow2_ceil, tile_elements
from tegula.compiler.backend import gpu_multiprocessors as _multiprocessors
from tegula.compiler.backend import gpu_shared_memory as _shared_memory
from tegula.compiler.errors import BackendCompileError

if TYPE_CHECKING:
    import torch

NUM_WARPS = tunables.enum("num_warps", (1, 2, 4, 8, 16, 32), 4,
                          doc="warps per program (32: 1024 threads, the most a Hopper block holds; Helion searches it)")
NUM_STAGES = tunables.integer("num_stages", 1, 6, 3, doc="software pipelining stages of loops with a dot and of a "
                                                        "persistent program's loop over its tiles")
PROGRAMS_PER_SM = tunables.pow2("programs_per_sm", 1, 32, 1,
                                doc="programs of a persistent launch per multiprocessor (small programs: several "
                                    "share one)")
EVICTION = tunables.enum("load_eviction", ("default", "first", "last", "reuse"), "default",
                         doc="L2 eviction policy of the loads that feed no dot (first: stream them through; reuse: "
                             "a tensor loaded again later is kept (last) until its last load (first))")
STORE_EVICTION = tunables.enum("store_eviction", ("default", "first", "last", "streaming"), "default",
                               doc="L2 policy of the pointer stores (first, last: eviction priority of the stored "
                                   "lines; streaming: the .cs cache operator, for data written once and not read "
                                   "again soon); Helion sets policies on loads only")
INDEXING = tunables.enum("indexing", ("pointer", "descriptor_loads", "descriptor"), "pointer",
                         doc="how tiles of 2-D to 5-D tensors with a contiguous last dimension are loaded and stored: "
                             "pointer arithmetic and masks, or TMA tensor descriptors (no masks) for loads only or "
                             "for loads and stores (Helion searches it per access)")
F32_DOT = tunables.enum("f32_dot_precision", ("ieee", "tf32", "tf32x3"), "ieee", tune=False,
                        doc="precision of float32 dots (ieee matches torch's default)")


def _arg_types(module: Any) -> list[str]:
    from tegula.compiler.mlir import ir

    for op in module.body.operations:
        fn = op.operation
        if fn.name == "func.func" and "tile.kernel" in fn.attributes:
            return [str(a.type.element_type) if isinstance(a.type, ir.MemRefType) else str(a.type)
                    for a in fn.regions[0].blocks[0].arguments]
    return []


def interpreting() -> bool:
    return os.environ.get("TRITON_INTERPRET", "0") == "1"


class TritonBackend(Backend):
    """Runs kernels as Triton kernels; see the module docstring."""

    name = "triton"
    index_limit = 2 ** 31  # offsets are 32-bit integers in the generated code
    stages = ("triton", "triton-ttir", "triton-ttgir", "triton-ptx")

    @classmethod
    def available(cls) -> tuple[bool, str]:
        try:
            import triton  # noqa: F401
        except ImportError as e:
            return False, f"triton is not installed ({e}); pip install triton==3.6.0"
        if interpreting():
            return True, ""
        import torch

        if not torch.cuda.is_available():
            return False, "no CUDA device (set TRITON_INTERPRET=1 to run Triton kernels on the CPU interpreter)"
        try:
            from triton.runtime import driver

            driver.active.get_current_target()
        except Exception as e:  # noqa: BLE001 - any driver failure means we cannot target the GPU
            return False, f"Triton cannot target this GPU: {e}"
        return True, ""

    def supports_device(self, device: "torch.device") -> bool:
        return device.type == "cuda" or (device.type == "cpu" and interpreting())

    def tunables(self) -> list[tunables.Tunable]:
        return [NUM_WARPS, NUM_STAGES, F32_DOT, EVICTION, STORE_EVICTION, INDEXING, PROGRAMS_PER_SM]

    def autotune_candidate(self, device: "torch.device") -> bool:
        return device.type == "cuda"  # the interpreter runs for tests, not for speed

    def constraints(self, info: KernelInfo) -> list[tunables.Constraint]:
        """Dot tiles of at least 16 that fit shared memory with their stages; at most 64 live elements per
        thread outside dots (128 for a dot's accumulator: registers, and compile times that stay in seconds)
        and at least a quarter of one."""
        smem = _shared_memory()
        elem = max(info.elem_bytes, 2)

        def tile_of(loop: dict, cfg: dict) -> tuple[int, list[int]]:
            return tile_elements(loop, cfg.get("block_sizes") or [], cfg.get("reduction_loops") or [])

        def registers(cfg: dict) -> str | None:
            threads = int(cfg.get("num_warps", 4)) * 32
            for loop in info.loops:
                n, _ = tile_of(loop, cfg)
                per_thread = 128 if loop["inner"] else 64
                if n > per_thread * threads:
                    return f"a tile of {n} elements over {threads} threads (over {per_thread} each)"
                if n * 4 < threads:
                    return f"a tile of {n} elements for {threads} threads"
            return None

        def dots(cfg: dict) -> str | None:
            sizes = cfg.get("block_sizes") or []
            stages = int(cfg.get("num_stages", 3))
            for loop in info.loops:
                if not loop["inner"] or len(loop["symbols"]) < 2:
                    continue
                _, dims = tile_of(loop, cfg)
                bm, bn = dims[-2], dims[-1]
                bk = max((sizes[s] if s < len(sizes) and sizes[s] else 64) for s in loop["inner"])
                if min(bm, bn, bk) < 16:
                    return f"dot tile {bm}x{bn}x{bk} has a side under 16"
                need = (bm * bk + bk * bn) * elem * max(stages, 1)
                if need > smem:
                    return f"dot tile {bm}x{bn}x{bk} with {stages} stages needs {need} B of shared memory ({smem})"
            return None

        return [tunables.Constraint("registers", registers,
                                    "live tile elements per thread in [1/4, 64], 128 with a dot"),
                tunables.Constraint("dot_tiles", dots, "dot sides >= 16; operand stages fit shared memory")]

    def default_config(self, info: KernelInfo) -> dict[str, Any]:
        sizes: dict[int, int] = {}
        warps = 4
        stages = 3
        short_rows: list[bool] = []

        def put(bid: int, size: int) -> None:
            sizes[bid] = min(sizes.get(bid, size), size)

        for loop in info.loops:
            syms = loop["symbols"]
            hints = [max(info.block_sizes[s][1], 1) for s in syms]
            row = 1
            for r in loop["reductions"]:
                row *= pow2_ceil(max(r, 1))
            if loop["inner"]:  # a k loop: a matmul-like tile (measured best on H100: 128x256x64, 8 warps)
                for i, (s, h) in enumerate(zip(syms, hints)):
                    put(s, max(16, min(256 if i == len(syms) - 1 else 128, pow2_ceil(h))) if len(syms) > 1
                        else max(16, min(128, pow2_ceil(h))))
                for s in loop["inner"]:
                    hint = info.block_sizes[s][1]
                    put(s, max(16, min(64, pow2_ceil(hint))) if hint > 0 else 64)
                warps = 8 if all(sizes.get(s, 0) >= 128 for s in syms[-2:]) else 4
            elif len(syms) == 1:  # rows of ':' extents (norms, softmax), or a 1-D elementwise loop
                short = 1 < row <= 1024  # short rows: about 1024 elements a program, and 2 warps (below)
                put(syms[0], max(1, min(pow2_ceil(hints[0]), max(1, (1024 if short else 4096) // row), 1024)))
                elems = sizes[syms[0]] * row
                warps = max(warps, 16 if elems >= 32768 else 8 if elems >= 8192 else 4)
                short_rows.append(short)
            else:  # multi-dimensional elementwise: about 4096 elements per program
                inner = min(pow2_ceil(hints[-1]), 512)
                for s, h in zip(syms[:-1], hints[:-1]):
                    put(s, max(1, min(pow2_ceil(h), max(1, 4096 // inner // max(len(syms) - 1, 1)))))
                put(syms[-1], inner)
        if short_rows and all(short_rows) and len(short_rows) == len(info.loops):
            # every loop a reduction over rows of at most 1024 elements: one such row a program with 2 warps, as
            # Helion's tuner chose too (H100, softmax 4096x1024 bf16, by graph replay: 9.31 us, against 9.66 us
            # for the old default of 4 rows and 4 warps, measured on another machine of the same kind whose
            # Helion kernel ran 4% faster: about 8% better)
            warps = 2
        n = max(info.block_sizes, default=-1) + 1
        # a row past 16k elements no longer fits in registers: roll it into 16384-element chunks (H100, softmax
        # 4096x32768 bf16, the tuner's L2-flushed timings of runs j-k: chunks of 4096 0.237 ms, 8192 0.205 ms,
        # 16384 0.188 ms; Helion's tuner chose 16384 too)
        rolled = [16384 if hint > 16384 else None for _, hint in sorted(info.reductions.items())]
        # a rolled row is read again for the output: keep it in L2 until that last read
        eviction = "reuse" if any(rolled) else "default"
        return {"block_sizes": [sizes.get(i) for i in range(n)], "num_warps": warps, "num_stages": stages,
                "f32_dot_precision": "ieee", "load_eviction": eviction, "indexing": "pointer",
                "reduction_loops": rolled}

    def pipeline(self, config: dict[str, Any]) -> str:
        from tegula.passes import default_pipeline
        from tegula.passes.tegula_early_loads import EarlyLoads

        tiled = default_pipeline(config, reductions="pow2",
                                 workers=_multiprocessors() * int(config.get("programs_per_sm", 1)))
        return f"{tiled},{EarlyLoads.from_config(config).spec()}"

    def _generate(self, module: Any, config: dict[str, Any], interpret: bool | None = None) -> tuple[str, list[dict[str, Any]]]:
        for t in self.tunables():
            if t.name in config:
                why = t.check(config[t.name])
                if why:
                    raise BackendCompileError(f"triton backend: {why}", config)
        try:
            return generate(module, {"f32_dot_precision": config.get("f32_dot_precision", "ieee"),
                                     "load_eviction": config.get("load_eviction", "default"),
                                     "store_eviction": config.get("store_eviction", "default"),
                                     "indexing": config.get("indexing", "pointer"),
                                     "num_stages_loop": config.get("num_stages"),
                                     "interpret": interpreting() if interpret is None else interpret})
        except TritonCodegenError as e:
            raise BackendCompileError(f"triton backend: {e}", config) from None

    def lower(self, module: Any, config: dict[str, Any], stage: str) -> str:
        # GPU stages are compiled for the GPU, so they never get the interpreter's workarounds
        source, launches = self._generate(module, config, interpret=None if stage == "triton" else False)
        if stage == "triton":
            return source
        from tegula.backends.triton.target import compile_for_target

        arg_types = _arg_types(module)
        try:
            return compile_for_target(source, launches, arg_types, stage.removeprefix("triton-"),
                                      int(config.get("arch", 90)),
                                      {"num_warps": int(config.get("num_warps", 4)),
                                       "num_stages": int(config.get("num_stages", 3))})
        except Exception as e:  # noqa: BLE001 - a Triton compile error, reported with the config
            raise BackendCompileError(f"Triton could not compile the generated kernel: {type(e).__name__}: {e}",
                                      config) from e

    def compile(self, module: Any, config: dict[str, Any], info: KernelInfo) -> Launcher:
        from tegula.backends.triton.launcher import TritonLauncher

        source, launches = self._generate(module, config)
        return TritonLauncher(source, launches, config, info)

    def cache_key(self) -> str:
        try:
            import triton

            version = triton.__version__
        except ImportError:
            version = "none"
        return f"triton:{version}:{'interpret' if interpreting() else 'gpu'}"
