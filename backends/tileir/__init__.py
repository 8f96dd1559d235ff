"""The tileir backend: tile dialect -> ``tileir`` dialect -> cuTile Python -> CUDA Tile IR, run by ``ct.launch``.

Contract
--------
Its tile pipeline is the Triton backend's (static power-of-two blocks,
``tegula-tile{reductions=pow2}``) followed by ``tegula-to-tileir``, which
lowers every launch body to the ``tileir`` dialect (stage ``tileir``).
``cutile.py`` prints that as cuTile Python, one ``@ct.kernel`` per launch plus
a host function per launch (stage ``cutile``); ``launcher.py`` imports it and
launches on CUDA tensors, and cuTile compiles each kernel with ``tileiras``
on its first launch. A construct Tile IR cannot express is a located
``TegulaCompileError`` from the pass (the autotuner then keeps to the other
backends). ``available()`` is false, with the reason, without cuTile Python,
``tileiras`` or a CUDA GPU of compute capability 8.0 or newer.

Tunables: the passes' (block sizes, fusion, rolling, ...) and the kernel
hints ``occupancy``, ``num_ctas`` and ``num_worker_warps``, the loads' ``load_latency`` hint,
``tma`` (``off`` keeps loads off the tensor memory accelerator), ``access`` (``view``: tile loads of
partition views, ``gather``: per-element gathers and scatters into registers), ``bounds`` (``edges``:
gathers and scatters of tiles inside their array skip cuTile's bounds checks) and ``unit_dims``
(``drop``: tiles lose their unit dimensions, loads and stores reshape).
``bytecode.py`` exports the generated kernels to Tile IR bytecode without a
GPU, which is how the tests check the generated code on a CPU machine.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Any

from tegula.compiler import tunables
from tegula.compiler.backend import Backend, KernelInfo, Launcher, pow2_ceil, tile_elements
from tegula.compiler.backend import gpu_multiprocessors as _multiprocessors
from tegula.compiler.backend import gpu_shared_memory as _shared_memory
from tegula.compiler.errors import BackendCompileError

if TYPE_CHECKING:
    import torch

OCCUPANCY = tunables.enum("occupancy", (0, 1, 2, 4, 8, 16), 0,
                          doc="programs expected to be resident per SM (0: tileiras chooses)")
NUM_CTAS = tunables.enum("num_ctas", (0, 1, 2), 0, doc="CTAs per cluster (0: tileiras chooses)")
LOAD_LATENCY = tunables.enum("load_latency", (0, 2, 5, 8), 0,
                             doc="how heavy the loads' DRAM traffic is, 1-10 (0: no hint)")
WORKER_WARPS = tunables.enum("num_worker_warps", (0, 4, 8), 0,
                             doc="warps of the CUDA-core warp groups of a warp-specialized kernel (0: tileiras chooses)")
TMA = tunables.enum("tma", ("auto", "off"), "auto", doc="whether loads may use the tensor memory accelerator")
ACCESS = tunables.enum("access", ("view", "gather"), "view",
                       doc="tile loads/stores of views (view, TMA where it can) or per-element gathers/scatters "
                           "straight into registers (gather)")
BOUNDS = tunables.enum("bounds", ("always", "edges"), "always",
                       doc="gathers and scatters: cuTile's bounds checks on every tile (always) or only on the tiles "
                           "that reach past the array, chosen per access (edges)")
UNIT_DIMS = tunables.enum("unit_dims", ("keep", "drop"), "keep",
                          doc="whether the generated tiles keep their unit dimensions or drop them (loads reshape)")

#: the most live elements of one program's tile outside a dot (registers; tileiras compile time), and with one
MAX_TILE = 16384
MAX_DOT_TILE = 32768


def _find_tileiras() -> bool:
    try:
        from cuda.tile._compile import _find_compiler_bin  # cuTile's own search: pip package, PATH, CUDA_HOME
    except ImportError:  # a private helper that moved: PATH only
        return shutil.which("tileiras") is not None
    try:
        _find_compiler_bin()
    except Exception:  # noqa: BLE001 - FileNotFoundError, or whatever the search runs into
        return shutil.which("tileiras") is not None
    return True


class TileIRBackend(Backend):
    """Runs kernels as CUDA Tile IR through cuTile; see the module docstring."""

    name = "tileir"
    index_limit = 2 ** 31  # offsets are 32-bit integers in the generated code
    stages = ("tileir", "cutile")

    @classmethod
    def available(cls) -> tuple[bool, str]:
        try:
            import cuda.tile  # noqa: F401
        except ImportError as e:
            return False, (f"cuTile Python is not installed ({e}); pip install cuda-tile==1.7.0, with tileiras "
                           "13.4 or newer (the GPU README's tileir kit)")
        import torch

        if not torch.cuda.is_available():
            return False, "no CUDA device (CUDA Tile IR runs on NVIDIA GPUs only)"
        major, minor = torch.cuda.get_device_capability()
        if major < 8:
            return False, f"the GPU has compute capability {major}.{minor}; CUDA Tile IR needs 8.0 or newer"
        if not _find_tileiras():
            return False, ("cuTile cannot find the tileiras compiler (pip install cuda-tile[tileiras], or put "
                           "tileiras on PATH / under $CUDA_HOME/bin)")
        return True, ""

    def supports_device(self, device: "torch.device") -> bool:
        return device.type == "cuda"

    def tunables(self) -> list[tunables.Tunable]:
        return [OCCUPANCY, NUM_CTAS, WORKER_WARPS, LOAD_LATENCY, TMA, ACCESS, BOUNDS, UNIT_DIMS]

    def constraints(self, info: KernelInfo) -> list[tunables.Constraint]:
        """Per program: at most MAX_TILE live elements outside dots (MAX_DOT_TILE for a dot's accumulator); dot
        sides of at least 16 whose operand tiles, double-buffered, fit shared memory."""
        smem = _shared_memory()
        elem = max(info.elem_bytes, 2)

        def tile_of(loop: dict, cfg: dict) -> tuple[int, list[int]]:
            return tile_elements(loop, cfg.get("block_sizes") or [], cfg.get("reduction_loops") or [])

        def elements(cfg: dict) -> str | None:
            for loop in info.loops:
                n, _ = tile_of(loop, cfg)
                limit = MAX_DOT_TILE if loop["inner"] else MAX_TILE
                if n > limit:
                    return f"a tile of {n} elements per program (at most {limit})"
            return None

        def dots(cfg: dict) -> str | None:
            sizes = cfg.get("block_sizes") or []
            for loop in info.loops:
                if not loop["inner"] or len(loop["symbols"]) < 2:
                    continue
                bm, bn = tile_of(loop, cfg)[1][-2:]
                bk = max((sizes[s] if s < len(sizes) and sizes[s] else 64) for s in loop["inner"])
                if min(bm, bn, bk) < 16:
                    return f"dot tile {bm}x{bn}x{bk} has a side under 16"
                need = (bm * bk + bk * bn) * elem * 2
                if need > smem:
                    return f"dot tile {bm}x{bn}x{bk} needs {need} B of shared memory to double-buffer ({smem})"
            return None

        def gathers(cfg: dict) -> str | None:
            if cfg.get("access") == "gather" and any(loop["inner"] for loop in info.loops):
                return "gathered dot operands skip the shared-memory pipeline of the mma (access=view)"
            return None

        return [tunables.Constraint("gathered_dots", gathers, "dot kernels load views"),
                tunables.Constraint("tile_elements", elements,
                                    f"live elements per program <= {MAX_TILE} ({MAX_DOT_TILE} with a dot)"),
                tunables.Constraint("dot_tiles", dots, "dot sides >= 16; double-buffered operands fit shared memory")]

    def autotune_candidate(self, device: "torch.device") -> bool:
        return device.type == "cuda"

    def default_config(self, info: KernelInfo) -> dict[str, Any]:
        sizes: dict[int, int] = {}

        def put(bid: int, size: int) -> None:
            sizes[bid] = min(sizes.get(bid, size), size)

        for loop in info.loops:
            syms = loop["symbols"]
            hints = [max(info.block_sizes[s][1], 1) for s in syms]
            row = 1
            for r in loop["reductions"]:
                row *= pow2_ceil(max(r, 1)) if r <= 16384 else 4096
            if loop["inner"]:  # a k loop: a 128x128x64 mma tile (smaller for small problems)
                for s, h in zip(syms, hints):
                    put(s, max(16, min(128, pow2_ceil(h))))
                for s in loop["inner"]:
                    hint = info.block_sizes[s][1]
                    put(s, max(16, min(64, pow2_ceil(hint))) if hint > 0 else 64)
            elif len(syms) == 1:  # rows of ':' extents (norms, softmax), or a 1-D elementwise loop
                put(syms[0], max(1, min(pow2_ceil(hints[0]), max(1, 4096 // row), 1024)))
            else:  # multi-dimensional elementwise: about 4096 elements per program
                inner = min(pow2_ceil(hints[-1]), 256)
                for s, h in zip(syms[:-1], hints[:-1]):
                    put(s, max(1, min(pow2_ceil(h), max(1, 4096 // inner // max(len(syms) - 1, 1)))))
                put(syms[-1], inner)
        n = max(info.block_sizes, default=-1) + 1
        dots = any(loop["inner"] for loop in info.loops)
        rolled = [4096 if hint > 16384 else None for _, hint in sorted(info.reductions.items())]
        occupancy = self._occupancy(info, sizes, rolled)
        # Measured on an H200, bf16, kernel times (benchmarks/results/tileir.md):
        # - gathers straight into registers beat view loads on rows and wide elementwise tiles (softmax over
        #   4096x4096 0.041 -> 0.025 ms, swiglu 0.082 -> 0.056 ms); rolled rows keep views, whose chunk loads
        #   tileiras pipelines (softmax over 4096x32768 0.265 -> 0.230 ms);
        # - 8 worker warps for gathered tiles of more than 4096 elements and for rolled rows (layer norm over
        #   4096x8192 0.051 -> 0.043 ms, softmax over 4096x16384 0.193 -> 0.139 ms);
        # - unit dimensions dropped: attention's tiles become 2-D (head_dim 128: 6.3 -> 2.9 ms);
        # - GEMMs: a persistent launch whose tiles go in groups of 8 along M (4096^3: 0.224 -> 0.197 ms).
        # - elementwise kernels (no reductions): cuTile's bounds checks only on the tiles at the arrays' edges
        #   (add 0.0308 -> 0.0300 ms, swiglu 0.0559 -> 0.0540 ms); rows lose by the branch (layer norm 0.0427 ->
        #   0.0459 ms), so they keep the checks on every tile.
        big = self._largest_tile(info, sizes, rolled) > 4096
        wide = not dots and (big or any(r for r in rolled))
        access = "view" if dots or any(r for r in rolled) else "gather"
        rows = dots or any(loop["reductions"] for loop in info.loops)
        config = {"block_sizes": [sizes.get(i) for i in range(n)], "reduction_loops": rolled,
                  "occupancy": occupancy, "num_ctas": 0, "num_worker_warps": 8 if wide else 0, "load_latency": 0,
                  "tma": "auto", "access": access, "bounds": "edges" if access == "gather" and not rows else "always",
                  "unit_dims": "drop"}
        if any(loop["inner"] and len(loop["symbols"]) >= 2 for loop in info.loops):
            config["l2_groupings"] = [8 if loop["inner"] and len(loop["symbols"]) >= 2 else 1 for loop in info.loops]
            if not any(loop["inner"] and loop["reductions"] for loop in info.loops):
                config["persistent"] = "interleaved"
        return config

    @staticmethod
    def _occupancy(info: KernelInfo, sizes: dict[int, int], rolled: list[int | None]) -> int:
        """tileiras alone keeps one program per SM, which starves memory-bound kernels (measured on an H200,
        bf16: softmax over 4096x4096 0.117 ms at 1, 0.044 ms at 4). Without a dot: 8 programs per SM for tiles
        of up to 4096 elements, 4 up to 8192, 2 above (spills past that). With a dot: 2 where the k loop also
        carries row state (attention's running max and sum: 2.1 -> 1.5 ms at head_dim 64), else tileiras
        chooses."""
        if any(loop["inner"] for loop in info.loops):
            return 2 if any(loop["inner"] and loop["reductions"] for loop in info.loops) else 0
        most = TileIRBackend._largest_tile(info, sizes, rolled)
        return 8 if most <= 4096 else 4 if most <= 8192 else 2

    @staticmethod
    def _largest_tile(info: KernelInfo, sizes: dict[int, int], rolled: list[int | None]) -> int:
        """Elements of the largest tile one program holds (its block sizes times its rows' chunks)."""
        blocks = [sizes.get(i, 1) for i in range(max(sizes, default=-1) + 1)]
        return max((tile_elements(loop, blocks, rolled, missing=1)[0] for loop in info.loops), default=1)

    def pipeline(self, config: dict[str, Any]) -> str:
        from tegula.passes import default_pipeline

        # a persistent launch runs `occupancy` programs per SM (two when tileiras chooses)
        workers = _multiprocessors() * max(int(config.get("occupancy") or 2), 1)
        return default_pipeline(config, reductions="pow2", workers=workers) + ",tegula-to-tileir,canonicalize,cse"

    def _generate(self, module: Any, config: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        from tegula.backends.tileir.cutile import CuTileCodegenError, generate

        for t in self.tunables():
            if t.name in config:
                why = t.check(config[t.name])
                if why:
                    raise BackendCompileError(f"tileir backend: {why}", config)
        try:
            return generate(module, {"occupancy": config.get("occupancy", 0), "num_ctas": config.get("num_ctas", 0),
                                     "num_worker_warps": config.get("num_worker_warps", 0),
                                     "load_latency": config.get("load_latency", 0),
                                     "allow_tma": config.get("tma", "auto") != "off",
                                     "access": config.get("access", "view"),
                                     "bounds": config.get("bounds", "always"),
                                     "unit_dims": config.get("unit_dims", "keep")})
        except CuTileCodegenError as e:
            raise BackendCompileError(f"tileir backend: {e}", config) from None

    def lower(self, module: Any, config: dict[str, Any], stage: str) -> str:
        if stage == "tileir":
            return module.operation.get_asm(enable_debug_info=False)
        return self._generate(module, config)[0]

    def compile(self, module: Any, config: dict[str, Any], info: KernelInfo) -> Launcher:
        from tegula.backends.tileir.launcher import TileIRLauncher

        source, launches = self._generate(module, config)
        return TileIRLauncher(source, launches, config, info)

    def cache_key(self) -> str:
        try:
            import cuda.tile as ct

            version = getattr(ct, "__version__", "?")
        except ImportError:
            version = "none"
        return f"tileir:{version}"
