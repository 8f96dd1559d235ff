"""The CPU backend: tile dialect -> linalg/scf/memref -> LLVM, JIT-compiled by MLIR.

Stages: ``cpu-linalg`` (the fused loop nests ``lower.py`` writes, upstream
dialects only) and ``cpu-llvm`` (after upstream MLIR's conversion passes).
Tile extents are exact (dynamic) on the CPU, so ``:`` slices need no padding:
its tile pipeline runs ``tegula-tile{reductions=exact}``. The grid runs on
torch's OpenMP team where torch has one, else on a pool of threads
(``jit.py``). Always available: it needs only the MLIR bindings.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from tegula.backends.cpu.jit import LLVM_PIPELINE, SINGLE_THREAD_BYTES, SINGLE_THREAD_BYTES_DOT, CPULauncher, to_llvm
from tegula.backends.cpu.lower import JAM_ROWS, LoweringError, lower_module
from tegula.compiler import tunables
from tegula.compiler.backend import Backend, KernelInfo, Launcher
from tegula.compiler.errors import BackendCompileError
from tegula.compiler.mlir import PROVIDER, MLIRError, ir

if TYPE_CHECKING:
    import torch

#: elements one program should touch, and programs per thread to aim for
TARGET_ELEMENTS = 16384
PROGRAMS_PER_THREAD = 4
#: block of the last symbol of a multi-dimensional loop without a k loop
#: (4096x4096 float32 add, 2 cores of an AMD EPYC, reused buffers: [8, 1024] 8.5 ms a call, [1, 4096] 6.8 ms,
#: [64, 4096] 6.7 ms; the tuner chose rows of 4096 on the Intel machine too)
LAST_DIM_BLOCK = 4096


def _host_cpu() -> tuple[str, bool]:
    """(vendor, whether it has AVX-512) from Linux's cpuinfo; ("", False) where it cannot be read."""
    vendor, avx512 = "", False
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("vendor_id") and not vendor:
                    vendor = line.split(":", 1)[1].strip()
                elif line.startswith("flags"):
                    avx512 = " avx512f" in line
                    break
    except OSError:
        pass
    return vendor, avx512


HOST_VENDOR, HOST_AVX512 = _host_cpu()
#: the default vector width. 512 on Intel's AVX-512 machines, where LLVM otherwise keeps to 256-bit vectors
#: (4096x4096 float32, 2 cores, reused buffers: gelu 6.03 -> 5.51 ms, softmax 11.02 -> 8.88 ms, sum (4096x8192)
#: 4.56 -> 3.72 ms, add 6.39 -> 5.79 ms). 256 on the other AVX-512 machines: AMD's Zen 4 runs 512-bit vectors as
#: two halves, and on 2 cores of an AMD EPYC 512 made softmax slower (rows of 4: 18.4 ms against 10.8 ms) and
#: LLVM's own choice made sum slower (4096x8192: 10.2 ms, 7.7 ms with 512, 5.8 with 256). 0 (LLVM's) elsewhere.
HOST_VECTOR_BITS = (512 if HOST_VENDOR == "GenuineIntel" else 256) if HOST_AVX512 else 0
VECTOR_BITS = tunables.enum("vector_bits", (0, 256, 512), HOST_VECTOR_BITS,
                            doc="widest vectors LLVM may use (prefer-vector-width; 0: LLVM's choice for the host)",
                            tune=HOST_AVX512)  # searched only where AVX-512 gives a choice
#: LLVM's interleave count for the innermost loops. LLVM's own choice (0) puts 4 vectors in a trip of an
#: elementwise loop; on Zen 4 one vector a trip streams faster (4096x4096 float32 add on 2 cores, kernel alone,
#: medians of 30 interleaved calls, five runs: 0 -> 0.74-0.82x torch, 1 -> 0.87-0.95x, 2 -> 0.80-0.87x), so
#: kernels without reductions or dots default to 1. Reductions keep LLVM's choice: their vector loops want
#: several accumulators (softmax: 9.8 ms with 0, 10.3 with 1).
INTERLEAVE = tunables.enum("interleave", (0, 1, 2, 4), 0,
                           doc="LLVM interleave count of the innermost loops (0: LLVM's choice)")

#: streaming stores: the kernel's stores into its tensors go to memory past the caches (no read for ownership,
#: no cache lines evicted for them). Into buffers that are reused they save a third of an elementwise kernel's
#: traffic (4096x4096 float32 add, 2 cores of an AMD EPYC, kernel alone: 5.94 -> 5.03 ms, torch 5.85). Into
#: fresh memory (torch.empty of 64 MB maps new pages, which Linux zeroes through the cache at the first
#: store) they are slower (whole calls 22.3 -> 25.4 ms, torch 23.1), and the tuner times kernels on reused
#: buffers: not searched; set it for kernels that write large outputs into reused buffers.
NONTEMPORAL = tunables.boolean("nontemporal_stores", False, tune=False,
                               doc="stores into the kernel's tensors bypass the caches (streaming stores)")


def _pow2_floor(n: int) -> int:
    return 1 << max(int(n), 1).bit_length() - 1


class CPUBackend(Backend):
    """Runs kernels on CPU tensors through LLVM; see the module docstring."""

    name = "cpu"
    stages = ("cpu-linalg", "cpu-llvm")

    def supports_device(self, device: "torch.device") -> bool:
        return device.type == "cpu"

    def tunables(self) -> list[tunables.Tunable]:
        return [tunables.integer("num_threads", 0, 256, 0, doc="threads for the grid (0: torch.get_num_threads())",
                                 tune=False), VECTOR_BITS, INTERLEAVE, NONTEMPORAL]

    def default_config(self, info: KernelInfo) -> dict[str, Any]:
        import torch

        threads = max(torch.get_num_threads(), 1)
        sizes: dict[int, int] = {}

        def put(bid: int, size: int) -> None:
            sizes[bid] = min(sizes.get(bid, size), size)

        for loop in info.loops:
            row = 1
            for r in loop["reductions"]:
                row *= max(r, 1)
            syms = loop["symbols"]
            if loop["inner"] and len(syms) >= 2:  # a matmul-like k loop: rows of B and C stay in cache
                for s, cap in zip(syms[-2:], (32, 256)):
                    put(s, min(cap, _pow2_floor(max(info.block_sizes[s][1], 1) * 2 - 1)))
                for s in syms[:-2]:
                    put(s, 1)
                for s in loop["inner"]:
                    put(s, 256)
                continue
            if len(syms) == 1:
                hint = max(info.block_sizes[syms[0]][1], 1)
                by_work = _pow2_floor(max(TARGET_ELEMENTS // row, 1))
                if row > 1:  # a row reduction reads JAM_ROWS rows at once (lower.py): give it at least that many
                    # (4096x8192 float32 sum, 2 cores of an AMD EPYC, no page faults: [2] 4.44 ms, [4] 3.60 ms,
                    # [8] 3.56 ms, torch 4.28 ms)
                    by_work = max(by_work, JAM_ROWS)
                by_parallelism = _pow2_floor(max(hint // (threads * PROGRAMS_PER_THREAD), 1))
                put(syms[0], max(1, min(by_work, by_parallelism, 4096)))
            elif syms:  # rows of up to 1024 along the last (contiguous) symbol, the others filling TARGET_ELEMENTS
                # (4096x4096 float32 add/gelu: [8, 1024] 13.9/13.0 ms a call, [64, 64] 19.3/29.3 ms, 2 cores)
                *outer, last = syms
                hint = info.block_sizes[last][1]
                width = min(LAST_DIM_BLOCK, _pow2_floor(hint)) if hint > 0 else LAST_DIM_BLOCK
                put(last, width)
                budget = max(TARGET_ELEMENTS // (2 * width * row), 1)
                for i, s in enumerate(outer):
                    hint = info.block_sizes[s][1]
                    b = min(_pow2_floor(budget), _pow2_floor(hint)) if hint > 0 else _pow2_floor(budget)
                    if i == 0 and hint > 0:  # enough programs for every thread
                        b = min(b, _pow2_floor(max(hint // (threads * PROGRAMS_PER_THREAD), 1)))
                    put(s, max(b, 1))
                    budget = max(budget // max(b, 1), 1)
            for s in loop["inner"]:
                put(s, 128)
        n = max(info.block_sizes, default=-1) + 1
        # rows longer than this are rolled into loops over chunks: scratch buffers stay small
        rolled = [16384 if hint > 65536 else None for _, hint in sorted(info.reductions.items())]
        config = {"block_sizes": [sizes.get(i) for i in range(n)], "reduction_loops": rolled}
        if HOST_VECTOR_BITS:
            config["vector_bits"] = HOST_VECTOR_BITS
        if info.loops and not any(loop["reductions"] or loop["inner"] for loop in info.loops):
            config["interleave"] = 1  # elementwise only: one vector a trip (INTERLEAVE)
        return config

    def pipeline(self, config: dict[str, Any]) -> str:
        import torch

        from tegula.passes import default_pipeline

        return default_pipeline(config, reductions="exact", workers=max(int(config.get("num_threads", 0)) or torch.get_num_threads(), 1))

    def lower(self, module: Any, config: dict[str, Any], stage: str) -> str:
        text = self._linalg(module, config)
        if stage == "cpu-linalg":
            return text
        m = ir.Module.parse(text, module.context)
        to_llvm(m, *self._llvm_options(config))
        return str(m)

    def _linalg(self, module: Any, config: dict[str, Any]) -> str:
        try:
            return lower_module(module)
        except LoweringError as e:
            raise BackendCompileError(f"cpu backend: {e}", config) from None

    def compile(self, module: Any, config: dict[str, Any], info: KernelInfo) -> Launcher:
        text = self._linalg(module, config)
        try:
            m = ir.Module.parse(text, module.context)
        except MLIRError as e:
            raise BackendCompileError(f"cpu backend produced invalid IR (a Tegula bug): {e}", config) from None
        n_launches = text.count(f"@{info.name}_launch")
        try:
            to_llvm(m, *self._llvm_options(config))
            ranks = self._ranks(module)
            dots = any(loop["inner"] for loop in info.loops)
            return CPULauncher(m, info.name, n_launches, info.arg_kinds, ranks,
                               num_threads=int(config.get("num_threads", 0)),
                               single_thread_bytes=SINGLE_THREAD_BYTES_DOT if dots else SINGLE_THREAD_BYTES,
                               written=self._written(module))
        except (MLIRError, RuntimeError) as e:
            raise BackendCompileError(f"cpu backend failed to compile `{info.name}`: {e}", config) from None

    @staticmethod
    def _llvm_options(config: dict[str, Any]) -> tuple[int, int, bool]:
        """(vector_bits, interleave, nontemporal_stores) of ``config``, checked: ``to_llvm``'s options."""
        values = []
        for tunable in (VECTOR_BITS, INTERLEAVE, NONTEMPORAL):
            value = config.get(tunable.name, tunable.default)
            why = tunable.check(value)
            if why:
                raise BackendCompileError(f"cpu backend: {why}", config)
            values.append(value)
        return int(values[0]), int(values[1]), bool(values[2])

    @staticmethod
    def _written(module: Any) -> list[bool]:
        """Per kernel argument, whether the kernel stores into it (``tile.store`` to the argument itself)."""
        from tegula.passes.util import kernels, walk

        for fn in kernels(module.operation):
            entry = fn.regions[0].blocks[0]
            written = [False] * len(entry.arguments)
            for store in walk(fn, "tile.store"):
                target = store.operands[0]
                if isinstance(target.owner, ir.Block) and target.owner == entry:
                    written[ir.BlockArgument(target).arg_number] = True
            return written
        return []

    @staticmethod
    def _ranks(module: Any) -> list[int]:
        from tegula.passes.util import kernels

        for fn in kernels(module.operation):
            return [a.type.rank if isinstance(a.type, ir.MemRefType) else 0 for a in fn.regions[0].blocks[0].arguments]
        return []

    def cache_key(self) -> str:
        return f"cpu:{PROVIDER}:{LLVM_PIPELINE}:{os.uname().machine}"
