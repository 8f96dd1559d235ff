"""LLVM lowering, JIT compilation and the threaded launcher of the CPU backend.

``to_llvm`` runs upstream MLIR passes from the ``cpu-linalg`` stage (the text
``lower.py`` writes) to the LLVM dialect; ``CPULauncher`` JIT-compiles it with
the MLIR ExecutionEngine and runs each launch's programs on several threads
(``parallel``: torch's GNU OpenMP team where torch has one, running a small
JIT-compiled trampoline so that no Python runs on the team's threads; else a pool).
Tensors are passed as memref descriptors over the torch storage (no copies);
the JIT functions are called through ctypes, which releases the GIL.
"""

from __future__ import annotations

import ctypes
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tegula.compiler.backend import Launcher
from tegula.compiler.mlir import ExecutionEngine, PassManager, ir
from tegula.passes.util import walk

#: linalg -> scf loops, the first half of ``LLVM_PIPELINE``; ``to_llvm`` annotates the innermost loops between
#: the two halves
LOOPS_PIPELINE = ",".join(["canonicalize", "cse", "convert-linalg-to-loops", "canonicalize"])
#: scf/memref/arith/math -> LLVM dialect, the second half
TO_LLVM_PIPELINE = ",".join([
    "math-extend-to-supported-types{extra-types=bf16,f16 target-type=f32}",
    "arith-emulate-unsupported-floats{source-types=bf16,f16 target-type=f32}",
    "arith-expand{include-bf16=true}",
    "loop-invariant-code-motion",
    "convert-scf-to-cf",
    "expand-strided-metadata",
    "lower-affine",
    "finalize-memref-to-llvm",
    "convert-math-to-llvm",
    "convert-math-to-libm",
    "convert-to-llvm",
    "reconcile-unrealized-casts",
])
#: linalg/scf/memref/arith/math -> LLVM dialect; every pass is upstream MLIR.
LLVM_PIPELINE = f"{LOOPS_PIPELINE},{TO_LLVM_PIPELINE}"

OPT_LEVEL = 3


def to_llvm(module: ir.Module, vector_bits: int = 0, interleave: int = 0, nontemporal: bool = False) -> None:
    """Lowers a ``cpu-linalg`` module to the LLVM dialect in place. ``vector_bits`` (256 or 512) becomes each
    function's ``prefer-vector-width``, the widest vectors LLVM's vectorizers then use (0: LLVM's own choice for
    the host, 256 bits on AVX-512 machines). ``interleave`` (1, 2, 4) becomes the interleave count of every
    innermost loop (``llvm.loop.interleave.count``: vector iterations LLVM's loop vectorizer puts in one trip
    of the loop; 0: its own choice). ``nontemporal``: the launch functions' stores into the kernel's tensors
    become streaming stores (``_stream_stores``)."""
    PassManager.parse(f"builtin.module({LOOPS_PIPELINE})", module.context).run(module.operation)
    if nontemporal:
        _stream_stores(module)
    if interleave:
        annotation = ir.Attribute.parse(
            f"#llvm.loop_annotation<interleave = #llvm.loop_interleave<count = {int(interleave)} : i32>>",
            module.context)
        for loop in walk(module.operation, "scf.for"):
            if not walk(loop, "scf.for"):  # innermost: upstream convert-scf-to-cf moves the annotation onto
                loop.attributes["loop_annotation"] = annotation  # its back edge (llvm.br), as llvm.loop metadata
    PassManager.parse(f"builtin.module({TO_LLVM_PIPELINE})", module.context).run(module.operation)
    if vector_bits:
        width = ir.ArrayAttr.get([ir.StringAttr.get("prefer-vector-width"), ir.StringAttr.get(str(vector_bits))])
        for op in module.body.operations:
            op = op.operation
            if op.name == "llvm.func" and op.regions[0].blocks:  # definitions, not the libm declarations
                old = list(ir.ArrayAttr(op.attributes["passthrough"])) if "passthrough" in op.attributes else []
                # noinline: the ExecutionEngine wraps every function in a packed one (``_mlir_<name>``, what the
                # launcher calls) made without these attributes; inlined there, the loops were vectorized for the
                # host's own width (512 bits on AMD's Zen 4, where 256 makes add over 4096x4096 float32 8-10%
                # faster on one thread: 9.0 -> 8.0 ms, torch's AVX2 kernel 7.9-8.1 ms)
                op.attributes["passthrough"] = ir.ArrayAttr.get(old + [width, ir.StringAttr.get("noinline")])


#: ops through which a memref still views a kernel argument's memory
_VIEW_OPS = frozenset({"memref.subview", "memref.reinterpret_cast", "memref.cast", "memref.expand_shape",
                       "memref.collapse_shape", "memref.transpose"})


def _stream_stores(module: ir.Module) -> None:
    """Marks the launch functions' stores into kernel arguments ``nontemporal`` and ends each launch function
    with a fence (``llvm.fence seq_cst``): their data goes to memory past the caches."""
    for fn in module.body.operations:
        fn = fn.operation
        if fn.name != "func.func" or "_launch" not in ir.StringAttr(fn.attributes["sym_name"]).value:
            continue
        entry = fn.regions[0].blocks[0]
        for store in walk(fn, "memref.store"):
            root = store.operands[1]
            while not isinstance(root.owner, ir.Block) and root.owner.name in _VIEW_OPS:
                root = root.owner.operands[0]
            if isinstance(root.owner, ir.Block) and root.owner == entry:
                store.attributes["nontemporal"] = ir.BoolAttr.get(True)
        for ret in walk(fn, "func.return"):
            with ir.InsertionPoint(ret), ret.location:  # llvm.fence seq_cst (ordering 7)
                ir.Operation.create("llvm.fence", attributes={
                    "ordering": ir.Attribute.parse("7 : i64")})


_descriptor_types: dict[int, type] = {}


def descriptor_type(rank: int) -> type:
    """The ctypes struct of a ranked memref descriptor."""
    if rank not in _descriptor_types:
        fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p), ("offset", ctypes.c_int64)]
        if rank:
            fields += [("sizes", ctypes.c_int64 * rank), ("strides", ctypes.c_int64 * rank)]
        _descriptor_types[rank] = type(f"MemRef{rank}D", (ctypes.Structure,), {"_fields_": fields})
    return _descriptor_types[rank]


_PACKED = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=max(os.cpu_count() or 1, 1), thread_name_prefix="tegula-cpu")
        return _pool


def _gnu_openmp() -> tuple[Any, Any, Any] | None:
    """libgomp's ``GOMP_parallel``, ``omp_get_thread_num`` and ``omp_get_num_threads`` where torch runs its own
    CPU ops on GNU OpenMP (the PyPI wheels), else None; ``TEGULA_CPU_OPENMP=0`` turns it off."""
    if os.environ.get("TEGULA_CPU_OPENMP", "1") == "0":
        return None
    try:
        import torch

        if "parallel backend: OpenMP" not in torch.__config__.parallel_info():
            return None
        lib = ctypes.CDLL(None)  # torch has loaded its libgomp into the global namespace
        par, tid, team = lib.GOMP_parallel, lib.omp_get_thread_num, lib.omp_get_num_threads
    except (AttributeError, OSError, ImportError):
        return None
    par.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint, ctypes.c_uint]
    par.restype = None
    tid.argtypes, tid.restype = [], ctypes.c_int
    team.argtypes, team.restype = [], ctypes.c_int
    return par, tid, team


_OMP = _gnu_openmp()

#: the OpenMP team's body, in LLVM IR: ``data`` holds the packed launch function, the array of its packed
#: arguments (one per chunk), the number of chunks, a byte per chunk set when it ran, and libgomp's
#: ``omp_get_thread_num`` and ``omp_get_num_threads``; each thread runs chunks ``i % team == thread``
TRAMPOLINE = """
llvm.func @tegula_omp_body(%data: !llvm.ptr) {
  %p1 = llvm.getelementptr %data[1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %p2 = llvm.getelementptr %data[2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %p3 = llvm.getelementptr %data[3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %p4 = llvm.getelementptr %data[4] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %p5 = llvm.getelementptr %data[5] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %run = llvm.load %data : !llvm.ptr -> !llvm.ptr
  %arrays = llvm.load %p1 : !llvm.ptr -> !llvm.ptr
  %n = llvm.load %p2 : !llvm.ptr -> i64
  %done = llvm.load %p3 : !llvm.ptr -> !llvm.ptr
  %thread_fn = llvm.load %p4 : !llvm.ptr -> !llvm.ptr
  %team_fn = llvm.load %p5 : !llvm.ptr -> !llvm.ptr
  %me32 = llvm.call %thread_fn() : !llvm.ptr, () -> i32
  %team32 = llvm.call %team_fn() : !llvm.ptr, () -> i32
  %me = llvm.sext %me32 : i32 to i64
  %team0 = llvm.sext %team32 : i32 to i64
  %one = llvm.mlir.constant(1 : i64) : i64
  %small = llvm.icmp "slt" %team0, %one : i64
  %team = llvm.select %small, %one, %team0 : i1, i64
  %ran = llvm.mlir.constant(1 : i8) : i8
  llvm.br ^loop(%me : i64)
^loop(%i: i64):
  %more = llvm.icmp "slt" %i, %n : i64
  llvm.cond_br %more, ^body, ^exit
^body:
  %pa = llvm.getelementptr %arrays[%i] : (!llvm.ptr, i64) -> !llvm.ptr, !llvm.ptr
  %args = llvm.load %pa : !llvm.ptr -> !llvm.ptr
  llvm.call %run(%args) : !llvm.ptr, (!llvm.ptr) -> ()
  %pd = llvm.getelementptr %done[%i] : (!llvm.ptr, i64) -> !llvm.ptr, i8
  llvm.store %ran, %pd : i8, !llvm.ptr
  %next = llvm.add %i, %team : i64
  llvm.br ^loop(%next : i64)
^exit:
  llvm.return
}
"""
_trampoline: tuple[Any, Any, int] | None = None


def _omp_trampoline() -> int:
    """The address of the packed wrapper (``void(void **)``) of ``TRAMPOLINE``, JIT-compiled once. The team's
    threads run the chunks without Python. A Python callback had each of them take the GIL first: a call split
    over 2 threads cost 75 us more than on one (add over 64x1024 float32, 2 cores of an AMD EPYC, median of
    500 calls); through the trampoline, 6.5 us more."""
    global _trampoline
    if _trampoline is None:
        ctx = ir.Context()
        module = ir.Module.parse(TRAMPOLINE, ctx)
        engine = ExecutionEngine(module, opt_level=2)
        address = engine.raw_lookup("tegula_omp_body")
        if not address:
            raise RuntimeError("JIT lost the OpenMP trampoline")
        _trampoline = (ctx, engine, address)
    return _trampoline[2]


class TeamCall:
    """The data of one OpenMP team call of ``TRAMPOLINE``: ``run`` over the packed argument ``arrays``, one chunk
    each. ``CPULauncher`` keeps one per launch and thread count and never changes it: the arrays point at
    argument structures that the launcher rewrites in place before each call."""

    def __init__(self, run: Any, arrays: list[Any]) -> None:
        assert _OMP is not None
        self.omp = _OMP  # the libgomp functions it was built for
        self.n = n = len(arrays)
        self.chunks = (ctypes.c_void_p * n)(*[ctypes.addressof(a) for a in arrays])
        self.done = (ctypes.c_uint8 * n)()
        self.data = (ctypes.c_void_p * 6)(ctypes.cast(run, ctypes.c_void_p).value, ctypes.addressof(self.chunks),
                                          n, ctypes.addressof(self.done), ctypes.cast(_OMP[1], ctypes.c_void_p).value,
                                          ctypes.cast(_OMP[2], ctypes.c_void_p).value)
        self.arg = ctypes.c_void_p(ctypes.addressof(self.data))  # the packed wrapper's one argument, by pointer
        self.packed = (ctypes.c_void_p * 1)(ctypes.addressof(self.arg))
        self.address = ctypes.addressof(self.packed)


def parallel(run: Any, arrays: list[Any], team: TeamCall | None = None) -> None:
    """Calls the JIT function ``run`` once per packed argument array, in parallel. Where torch runs on GNU
    OpenMP, on its OpenMP team, through ``TRAMPOLINE`` (no Python on the team's threads; ``team``: the call's
    data built earlier for these ``run`` and ``arrays``): eager ops leave those
    threads spinning for a few ms after each op, and a pool of other threads then shares the cores with them
    (sum over 4096x8192 float32 on 2 cores, calls alternating with eager ones: 6.4 ms a call on a pool, 4.8 ms
    alone). Elsewhere on Tegula's thread pool. Every chunk runs: one the team missed runs here."""
    if _OMP is not None:
        call = team if team is not None else TeamCall(run, arrays)
        ctypes.memset(call.done, 0, call.n)
        _OMP[0](_omp_trampoline(), call.address, call.n, 0)  # ctypes lets go of the GIL meanwhile
        if 0 in bytes(call.done):
            for i, ran in enumerate(bytes(call.done)):
                if not ran:
                    run(ctypes.addressof(arrays[i]))
        return
    futures = [pool().submit(run, ctypes.addressof(a)) for a in arrays[1:]]
    run(ctypes.addressof(arrays[0]))
    for f in futures:
        f.result()


#: below how many bytes of tensor arguments a call runs on one thread, without a dot and with one: handing
#: work to the pool costs about 90 us on the 2-core CI machine, which one thread beats up to a few MB
#: (add over 512x512 float32, 3 MB: 106 us on one thread, 167 us on two; over 1024x1024, 12 MB: 491 against
#: 373 us; a 128^3 matmul, 192 KB: 146 against 169 us; 256^3, 768 KB: 928 against 580 us)
SINGLE_THREAD_BYTES = 4 << 20
SINGLE_THREAD_BYTES_DOT = 256 << 10


#: tensors the kernel writes, of at least this many bytes, are advised to the kernel as huge-page memory first
HUGE_PAGE_BYTES = 4 << 20
_MADV_HUGEPAGE = 14
_PAGE = 4096


def _thp_madvise() -> Any:
    """libc's ``madvise`` where transparent huge pages are enabled on request ("madvise" mode), else None."""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            if "[madvise]" not in f.read():
                return None  # "always": every large mapping gets them anyway; "never": none to ask for
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.madvise
        fn.argtypes, fn.restype = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int], ctypes.c_int
        return fn
    except (OSError, AttributeError):
        return None


# Opt-in: on the 2-core VM the same 2 MB faults were 2x faster or 4x slower from one call to the next (the sys
# time of add's 31 huge-page faults a call: 0.010 s, then 0.063 s), so the advice is a gamble by default, as
# in torch, whose allocator asks for huge pages only under THP_MEM_ALLOC_ENABLE=1.
_madvise = _thp_madvise() if os.environ.get("TEGULA_CPU_HUGE_PAGES", "0") == "1" else None


def advise_huge_pages(t: Any) -> None:
    """Asks the kernel for 2 MB pages under ``t``'s storage (the whole 4 KB pages from its first element on). A
    fresh output, as ``torch.empty_like`` of a large tensor gives, is mapped but not yet touched: the kernel's
    first writes then fault in 2 MB at a time instead of 4 KB (a copy into a fresh 64 MB float32 tensor: 15.8 ->
    6.2 ms on the 2-core machine), as torch's own allocator does under ``THP_MEM_ALLOC_ENABLE=1``. Advice only:
    contents and semantics are unchanged, pages already touched stay as they are, and a refusal (memory that is
    not anonymous) is ignored."""
    start = (t.data_ptr() + _PAGE - 1) & ~(_PAGE - 1)
    end = (t.data_ptr() + t.untyped_storage().nbytes() - t.storage_offset() * t.element_size()) & ~(_PAGE - 1)
    if end > start:
        _madvise(start, end - start, _MADV_HUGEPAGE)


class CPULauncher(Launcher):
    """Runs the launches of one compiled kernel, in order, each split over threads (``parallel``; on one thread
    when the call's tensors are smaller than ``single_thread_bytes`` and no thread count was configured). Large
    tensors the kernel writes (``written``) get huge-page advice first (``advise_huge_pages``)."""

    def __init__(self, module: ir.Module, name: str, n_launches: int, arg_kinds: list[str], ranks: list[int],
                 min_programs_per_thread: int = 1, num_threads: int = 0,
                 single_thread_bytes: int = SINGLE_THREAD_BYTES, written: list[bool] | None = None) -> None:
        self.num_threads = num_threads
        self.written = [i for i, w in enumerate(written or []) if w and arg_kinds[i] == "tensor"]
        self.single_thread_bytes = single_thread_bytes
        self.module = module  # keeps the context alive as long as the engine
        self.engine = ExecutionEngine(module, opt_level=OPT_LEVEL)
        self.arg_kinds = arg_kinds
        self.ranks = ranks
        self.min_programs_per_thread = min_programs_per_thread
        self._local = threading.local()
        self.launches = []
        for i in range(n_launches):
            grid = self.engine.raw_lookup(f"_mlir_ciface_{name}_grid{i}")
            run = self.engine.raw_lookup(f"_mlir_ciface_{name}_launch{i}")
            if not grid or not run:
                raise RuntimeError(f"JIT lost the functions of launch {i} of `{name}`")
            self.launches.append((_PACKED(grid), _PACKED(run)))

    def _frame(self) -> _Frame:
        frame = getattr(self._local, "frame", None)
        if frame is None:
            frame = self._local.frame = _Frame(self.arg_kinds, self.ranks)
        return frame

    def __call__(self, args: list[Any]) -> None:
        import torch

        frame = self._frame()
        frame.fill(args)
        if _madvise is not None:
            for i in self.written:
                t = args[i]
                if t.numel() * t.element_size() >= HUGE_PAGE_BYTES:
                    advise_huge_pages(t)
        threads = self.num_threads or max(torch.get_num_threads(), 1)
        if threads > 1 and not self.num_threads:
            nbytes = sum(a.numel() * a.element_size() for kind, a in zip(self.arg_kinds, args) if kind == "tensor")
            if nbytes < self.single_thread_bytes:
                threads = 1
        for i, (grid, run) in enumerate(self.launches):
            grid(frame.grid_address)
            n_programs = frame.result.value
            if n_programs <= 0:
                continue
            n = max(1, min(threads, n_programs // self.min_programs_per_thread))
            arrays = frame.thread_arrays(n)
            if n == 1:
                run(ctypes.addressof(arrays[0]))
                continue
            team = None
            if _OMP is not None:
                team = frame.teams.get((i, n))
                if team is None or team.omp is not _OMP:
                    team = frame.teams[(i, n)] = TeamCall(run, arrays)
            parallel(run, arrays, team)


class _Frame:
    """One Python thread's argument structures for one launcher: memref descriptors and scalars, the packed
    pointer arrays that the JIT functions take, and the team calls, built at the thread's first call and
    rewritten in place at each (building them anew took about half of a small call's launcher time)."""

    def __init__(self, arg_kinds: list[str], ranks: list[int]) -> None:
        self.tensors: list[tuple[int, Any, int]] = []  # (argument index, descriptor, rank)
        self.scalars: list[tuple[int, Any, type]] = []  # (argument index, ctypes value, Python type)
        self.keep: list[Any] = []
        ptrs: list[int] = []
        for i, (kind, rank) in enumerate(zip(arg_kinds, ranks)):
            if kind == "tensor":
                desc = descriptor_type(rank)()
                holder = ctypes.c_void_p(ctypes.addressof(desc))
                self.keep += [desc, holder]
                self.tensors.append((i, desc, rank))
                ptrs.append(ctypes.addressof(holder))
            else:
                v = ctypes.c_int64(0) if kind == "int" else ctypes.c_float(0.0)
                self.keep.append(v)
                self.scalars.append((i, v, int if kind == "int" else float))
                ptrs.append(ctypes.addressof(v))
        self.ptrs = ptrs
        self.result = ctypes.c_int64(0)
        self.grid_args = (ctypes.c_void_p * (len(ptrs) + 1))(*ptrs, ctypes.addressof(self.result))
        self.grid_address = ctypes.addressof(self.grid_args)
        self.by_threads: dict[int, tuple[list[Any], list[Any]]] = {}
        self.teams: dict[tuple[int, int], TeamCall] = {}

    def fill(self, args: list[Any]) -> None:
        for i, desc, rank in self.tensors:
            value = args[i]
            desc.allocated = desc.aligned = value.data_ptr()
            if rank:
                desc.sizes[:] = value.shape
                desc.strides[:] = value.stride()
        for i, v, kind in self.scalars:
            v.value = kind(args[i])

    def thread_arrays(self, n: int) -> list[Any]:
        """The packed arguments of threads ``0..n-1`` of ``n`` (their ``tid`` and ``nthreads`` never change)."""
        entry = self.by_threads.get(n)
        if entry is None:
            arrays, keep = [], []
            nt = ctypes.c_int64(n)
            for tid in range(n):
                t = ctypes.c_int64(tid)
                keep.append(t)
                arrays.append((ctypes.c_void_p * (len(self.ptrs) + 2))(*self.ptrs, ctypes.addressof(t),
                                                                       ctypes.addressof(nt)))
            entry = self.by_threads[n] = (arrays, keep + [nt])
        return entry[0]
