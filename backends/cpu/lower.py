"""Tile dialect -> linalg/scf/memref/arith text: the CPU backend's main lowering.

Contract
--------
Input: a kernel after ``tegula-tile`` (every top-level loop is a
``tile.launch``, block sizes are constants or values of the kernel's entry).
Output: for launch ``i`` of kernel ``k`` two functions with
``llvm.emit_c_interface``:

- ``@k_grid<i>(args...) -> index``: the number of programs;
- ``@k_launch<i>(args..., %tid, %nthreads)``: runs programs
  ``[np*tid/nthreads, np*(tid+1)/nthreads)``, so a pool of threads splits the
  grid without talking to each other.

Tiles have *exact* extents on the CPU: a handle ``[begin, min(begin+bs,
bound))`` becomes dynamic sizes, so no masks are needed and padding never
exists. Elementwise trees (arith/math, broadcasts, reshapes, permutes, loads,
splats, iotas) are fused into the body of the ``linalg.generic`` of their
consumer; a value is written to a scratch buffer only when it is a
reduction, a dot, loop-carried, used more than once (and not trivial), used
inside a deeper loop, or read after a store that could change it. Scratch
buffers are sized by block sizes, allocated once per thread before the
program loop and freed after it. Loads read global memory in place through
``memref.subview`` (no copies); stores write through one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tegula.backends.cpu.fastmath import APPROXIMATIONS, MLIRBuilder
from tegula.backends.cpu.text import Writer, affine_map, memref_type
from tegula.compiler.mlir import ir
from tegula.dialects.tile import dims_of, index_layout

TRIVIAL = {"tile.load", "tile.full", "tile.broadcast", "tile.reshape", "tile.permute", "tile.index"}
#: rows a row reduction reads at once (``_write_jammed``)
JAM_ROWS = 4
NEUTRAL = {"sum": ("0.0", "0"), "prod": ("1.0", "1"), "max": ("0xFF800000", None), "min": ("0x7F800000", None)}


def _cpu_attr(op_name: str, attr: str, value: Any) -> Any:
    """A float division may use a reciprocal (``arcp``): LLVM then hoists ``1/y`` out of a loop over which ``y``
    is invariant (softmax's ``exp / sum``, a mean's ``/ n``) and multiplies, as torch's own CPU kernels do;
    the result moves by at most an ulp."""
    if op_name == "arith.divf" and attr == "fastmath" and str(value) == "#arith.fastmath<none>":
        return "#arith.fastmath<arcp>"
    return value


class LoweringError(Exception):
    """A tile construct the CPU backend cannot lower (names the op)."""


@dataclass
class Handle:
    begin: str
    extent: str
    top: str  # the block size, valid at the function's entry (buffer sizes)


@dataclass
class Buf:
    view: str
    type: str
    rank: int
    elem: str


@dataclass
class View:
    """A tile of a global tensor read in place (a lazy load)."""

    view: str
    type: str
    memref: ir.Value


@dataclass
class Lazy:
    op: ir.Operation
    reads: frozenset = field(default_factory=frozenset)  # global memrefs it reads


def _elem(t: ir.Type) -> str:
    return str(t.element_type) if isinstance(t, (ir.RankedTensorType, ir.MemRefType)) else str(t)


def _elem_of(memref_type: str) -> str:
    """Element type of a memref type string (``memref<?x?xbf16, strided<...>>`` -> ``bf16``)."""
    return memref_type.split(",")[0].removeprefix("memref<").rstrip(">").split("x")[-1]


def _is_float(elem: str) -> bool:
    return elem.startswith("f") or elem == "bf16"


def _buffer_view_type(elem: str, shape: list[int | None]) -> str:
    """Type of ``subview alloc[0..][sizes][1..]`` of an identity-layout alloc."""
    strides = []
    for i in range(len(shape)):
        later = shape[i + 1:]
        strides.append("?" if any(s is None for s in later) else str(_prod([s for s in later])))
    return memref_type(elem, len(shape), strides, "0", shape) if shape else f"memref<{elem}>"


def _prod(xs: list[int]) -> int:
    out = 1
    for x in xs:
        out *= x
    return out


class Generic:
    """Collects inputs and body lines of one ``linalg.generic``."""

    def __init__(self, w: Writer, rank: int) -> None:
        self.w = w
        self.rank = rank
        self.inputs: list[tuple[str, str, str, str]] = []  # (memref, type, map, elem)
        self.results: list[list[int | None]] = []  # each input's map, as affine_map's results
        self.args: dict[tuple[str, str], str] = {}
        self.body: list[str] = []
        self.memo: dict[tuple, str] = {}

    def input(self, memref: str, mtype: str, results: list[int | None], elem: str) -> str:
        amap = affine_map(self.rank, results)
        key = (memref, amap)
        if key not in self.args:
            self.args[key] = f"%in{self.w.counter + 1}_{len(self.inputs)}"
            self.w.counter += 1
            self.inputs.append((memref, mtype, amap, elem))
            self.results.append(list(results))
        return self.args[key]

    def emit(self, text: str) -> str:
        name = self.w.fresh("b")
        self.body.append(f"{name} = {text}")
        return name

    def write(self, outputs: list[tuple[str, str, str, str]], iterators: list[str], yields: list[str],
              out_args: list[str] | None = None) -> None:
        """Emits the op; ``outputs`` are (memref, type, map, elem)."""
        w = self.w
        maps = ", ".join(m for _, _, m, _ in self.inputs + outputs)
        its = ", ".join(f'"{i}"' for i in iterators)
        ins = ""
        if self.inputs:
            ins = f" ins({', '.join(n for n, _, _, _ in self.inputs)} : {', '.join(t for _, t, _, _ in self.inputs)})"
        outs = f" outs({', '.join(n for n, _, _, _ in outputs)} : {', '.join(t for _, t, _, _ in outputs)})"
        w.line(f"linalg.generic {{indexing_maps = [{maps}], iterator_types = [{its}]}}{ins}{outs} {{")
        names = list(self.args.values()) + (out_args or [w.fresh("out") for _ in outputs])
        elems = [e for _, _, _, e in self.inputs + outputs]
        w.line(f"^bb0({', '.join(f'{n}: {e}' for n, e in zip(names, elems))}):")
        w.depth += 1
        for line in self.body:
            w.line(line)
        w.line(f"linalg.yield {', '.join(yields)} : {', '.join(e for _, _, _, e in outputs)}")
        w.depth -= 1
        w.line("}")


class LaunchLowering:
    """Lowers one ``tile.launch`` (and the kernel prologue) into a launch function."""

    def __init__(self, fn: ir.Operation, launch: ir.Operation, index: int) -> None:
        self.fn = fn
        self.launch = launch
        self.index = index
        self.name = ir.StringAttr(fn.attributes["sym_name"]).value
        self.w = Writer()
        self.header = Writer()  # allocations, before the program loop
        self.header.counter = 10_000_000
        self.values: dict[ir.Value, Any] = {}
        self.top: dict[ir.Value, str] = {}
        self.allocs: list[str] = []
        self.carried: dict[ir.Value, Buf] = {}
        self.uses: dict[ir.Value, int] = {}
        self.positions: dict[ir.Operation, int] = {}
        self.materialize_at_def: set[ir.Value] = set()
        self.next_op: dict[ir.Operation, ir.Operation] = {}
        #: every tile.load and tile.store of the launch, nested ones included (``_analyze``)
        self.memory_ops: list[ir.Operation] = []
        #: values to write to scratch buffers that the next reduction writes (``_reduced_next``)
        self.deferred: set[ir.Value] = set()

    # ------------------------------------------------------------ functions

    def signature(self) -> list[tuple[str, str]]:
        args = self.fn.regions[0].blocks[0].arguments
        return [(f"%a{i}", str(a.type)) for i, a in enumerate(args)]

    def prologue(self, w: Writer) -> None:
        for i, a in enumerate(self.fn.regions[0].blocks[0].arguments):
            self.values[a] = f"%a{i}"
            self.top[a] = f"%a{i}"
        for op in self.fn.regions[0].blocks[0].operations:
            op = op.operation
            if op.name in ("tile.launch", "func.return"):
                continue
            if op.name == "tile.make_tile":
                self.values[op.result] = self.handle(w, op)
                continue
            self.clone(w, op)
            for r in op.results:
                self.top[r] = self.values[r]

    def grid_function(self) -> str:
        w = Writer()
        self.values, self.top = {}, {}
        args = ", ".join(f"{n}: {t}" for n, t in self.signature())
        with w.block(f"func.func @{self.name}_grid{self.index}({args}) -> index attributes {{llvm.emit_c_interface}} {{"):
            self.prologue(w)
            w.line(f"return {self.values[self.launch.operands[0]]} : index")
        return w.text()

    def launch_function(self) -> str:
        self.values, self.top = {}, {}
        self._analyze(self.launch)
        w = self.w
        sig = self.signature() + [("%tid", "index"), ("%nthreads", "index")]
        args = ", ".join(f"{n}: {t}" for n, t in sig)
        w.depth = 1
        self.prologue(w)
        np_ = self.values[self.launch.operands[0]]
        lo = w.index_op("muli", np_, "%tid")
        pb = w.index_op("divsi", lo, "%nthreads")
        t1 = w.index_op("addi", "%tid", w.const_index(1))
        hi = w.index_op("muli", np_, t1)
        pe = w.index_op("divsi", hi, "%nthreads")
        one = w.const_index(1)
        prologue_lines = w.lines
        w.lines = []
        w.depth = 2
        self.pid = "%pid"
        self.block(self.launch.regions[0].blocks[0])
        body = w.lines
        out = [f"func.func @{self.name}_launch{self.index}({args}) attributes {{llvm.emit_c_interface}} {{"]
        out += prologue_lines
        out += ["  " + line for line in self.header.lines]
        out.append(f"  scf.for %pid = {pb} to {pe} step {one} {{")
        out += body
        out.append("  }")
        out += [f"  memref.dealloc {a} : {t}" for a, t in self.allocs]
        out.append("  return")
        out.append("}")
        return "\n".join(out) + "\n"

    # ------------------------------------------------------------ analysis

    def _analyze(self, op: ir.Operation, depth: int = 0, defs: dict | None = None) -> None:
        """Counts uses and finds values that must be written to scratch buffers."""
        defs = {} if defs is None else defs
        for region in op.regions:
            for block in region.blocks:
                for a in block.arguments:
                    defs[a] = depth
                prev = None
                for child in block.operations:
                    child = child.operation
                    if prev is not None:
                        self.next_op[prev] = child
                    prev = child
                    self.positions[child] = len(self.positions)
                    if child.name in ("tile.load", "tile.store"):
                        self.memory_ops.append(child)
                    for v in child.operands:
                        self.uses[v] = self.uses.get(v, 0) + 1
                        if defs.get(v, 0) < depth and self._is_compute(v):
                            self.materialize_at_def.add(v)
                    for r in child.results:
                        defs[r] = depth
                    self._analyze(child, depth + 1 if child.name == "scf.for" else depth, defs)
        for v, n in self.uses.items():
            if n > 1 and self._is_compute(v):
                self.materialize_at_def.add(v)

    @staticmethod
    def _is_compute(v: ir.Value) -> bool:
        if not isinstance(v.type, ir.RankedTensorType) or isinstance(v.owner, ir.Block):
            return False
        op = v.owner.operation
        return op.name not in TRIVIAL and op.name not in ("tile.reduce", "tile.dot", "scf.for")

    # ------------------------------------------------------------ ops

    def block(self, block: ir.Block) -> None:
        for op in block.operations:
            self.op(op.operation)

    def name_of(self, v: ir.Value) -> str:
        got = self.values.get(v)
        if isinstance(got, str):
            return got
        raise LoweringError(f"internal: value {v} has no scalar name")

    def clone(self, w: Writer, op: ir.Operation) -> None:
        """Re-emits a region-less scalar op in generic form."""
        if op.regions and len(op.regions) and any(len(r.blocks) for r in op.regions):
            raise LoweringError(f"the CPU backend cannot lower '{op.name}' here")
        operands = ", ".join(self.name_of(v) for v in op.operands)
        attrs = ", ".join(f"{a} = {op.attributes[a]}" for a in op.attributes)
        attr_text = f" {{{attrs}}}" if attrs else ""
        in_types = ", ".join(str(v.type) for v in op.operands)
        out_types = ", ".join(str(r.type) for r in op.results)
        text = f'"{op.name}"({operands}){attr_text} : ({in_types}) -> ({out_types})'
        if len(op.results) == 1:
            self.values[op.result] = w.op(text, "s")
        elif not op.results:
            w.line(text)
        else:
            raise LoweringError(f"the CPU backend cannot lower multi-result '{op.name}'")

    def handle(self, w: Writer, op: ir.Operation) -> Handle:
        begin, bound, bs = (self.name_of(v) for v in op.operands)
        rem = w.index_op("subi", bound, begin)
        ext = w.index_op("minsi", bs, rem)
        ext = w.index_op("maxsi", ext, w.const_index(0))
        return Handle(begin, ext, self.top_name(op.operands[2]))

    def top_name(self, v: ir.Value) -> str:
        """The name of ``v`` at the function's entry (constants are re-emitted there)."""
        if v in self.top:
            return self.top[v]
        owner = v.owner
        op = getattr(owner, "operation", None)
        if op is not None and op.name == "arith.constant":
            name = self.header.op(f"arith.constant {op.attributes['value']}", "c")
            self.top[v] = name
            return name
        raise LoweringError("the CPU backend needs every block size to be a constant or a kernel-entry value")

    def op(self, op: ir.Operation) -> None:
        name = op.name
        w = self.w
        if name == "tile.program_id":
            self.values[op.result] = self.pid
        elif name == "tile.make_tile":
            self.values[op.result] = self.handle(w, op)
        elif name == "tile.begin":
            self.values[op.result] = self.values[op.operands[0]].begin
        elif name == "tile.end":
            h = self.values[op.operands[0]]
            self.values[op.result] = w.index_op("addi", h.begin, h.extent)
        elif name == "tile.load":
            self.load(op)
        elif name == "tile.store":
            self.store(op)
        elif name == "tile.reduce":
            self.reduce(op)
        elif name == "tile.dot":
            self.dot(op)
        elif name == "scf.for":
            self.loop(op)
        elif name == "tile.local":  # a packed copy, made once, that later reads use
            self.values[op.result] = self.materialize(op.operands[0])
        elif name in ("tile.yield", "scf.yield"):
            pass  # handled by the enclosing loop / launch
        elif name.startswith("tile.") and name not in TRIVIAL:
            raise LoweringError(f"the CPU backend cannot lower '{name}'")
        elif any(isinstance(r.type, ir.RankedTensorType) for r in op.results):
            reads = frozenset().union(*(self._reads(v) for v in op.operands))
            self.values[op.result] = Lazy(op, reads)
            if op.result in self.materialize_at_def:
                if not self._reduced_next(op):
                    self.values[op.result] = self.materialize(op.result)
                # else: the reduction right after it writes its buffer too (one pass instead of two)
        else:
            self.clone(w, op)

    def _reduced_next(self, op: ir.Operation) -> bool:
        """Whether a ``tile.reduce`` (sum, prod, max or min over a tile dimension) soon after ``op`` in its block,
        with only elementwise ops between them, reduces an expression of ``op``'s result. A value that must go
        to a scratch buffer and is reduced at once (softmax's ``exp``, layer norm's centered row, whose squares
        are summed) is computed in the reduction's generic, which writes the buffer as a second output: one
        pass over the row instead of a write pass and a read pass. ``reduce`` then writes it (or, where it
        cannot, materializes it before the reduction)."""
        chain = {op.result}
        nxt = self.next_op.get(op)
        for _ in range(16):
            if nxt is None:
                return False
            if nxt.name == "tile.reduce":
                if nxt.operands[0] not in chain:
                    return False
                if ir.StringAttr(nxt.attributes["kind"]).value not in ("sum", "prod", "max", "min"):
                    return False
                src = ir.RankedTensorType(nxt.operands[0].type)
                if src.shape != ir.RankedTensorType(op.result.type).shape:
                    return False
                if not src.is_dynamic_dim(ir.IntegerAttr(nxt.attributes["dim"]).value):
                    return False
                self.deferred.add(op.result)
                return True
            if nxt.regions or nxt.name in ("tile.store", "tile.dot", "tile.local", "tile.load") \
                    or len(nxt.results) != 1 or not isinstance(nxt.result.type, ir.RankedTensorType):
                return False
            if any(v in chain for v in nxt.operands):
                chain.add(nxt.result)
            nxt = self.next_op.get(nxt)
        return False

    def _reads(self, v: ir.Value) -> frozenset:
        got = self.values.get(v)
        if isinstance(got, Lazy):
            return got.reads
        if isinstance(got, View):
            return frozenset([got.memref])
        return frozenset()

    # ------------------------------------------------------------ global memory

    def _global_view(self, memref: ir.Value, indices: list[ir.Value]) -> tuple[str, str]:
        mt = memref.type
        src = self.name_of(memref)
        offsets, sizes, keep = [], [], []
        for idx in indices:
            got = self.values[idx]
            if isinstance(got, Handle):
                offsets.append(got.begin)
                sizes.append(got.extent)
                keep.append(True)
            else:
                offsets.append(got)
                sizes.append("1")
                keep.append(False)
        layout = str(mt).split("strided<[", 1)[1].split("]", 1)[0].split(", ") if mt.rank else []
        strides = [s for s, k in zip(layout, keep) if k]
        rtype = memref_type(str(mt.element_type), len(strides), strides, "?")
        ones = ", ".join("1" for _ in indices)
        view = self.w.op(f"memref.subview {src}[{', '.join(offsets)}] [{', '.join(sizes)}] [{ones}] : {mt} to {rtype}",
                         "view")
        return view, rtype

    def load(self, op: ir.Operation) -> None:
        memref = op.operands[0]
        indices = index_layout(op)
        if not isinstance(op.result.type, ir.RankedTensorType):  # a scalar load
            idx = ", ".join(self.name_of(i) for i in indices)
            self.values[op.result] = self.w.op(f"memref.load {self.name_of(memref)}[{idx}] : {memref.type}", "s")
            return
        view, vtype = self._global_view(memref, indices)
        self.values[op.result] = View(view, vtype, memref)
        if op.result in self.materialize_at_def:
            self.values[op.result] = self.materialize(op.result)

    def store(self, op: ir.Operation) -> None:
        memref = op.operands[0]
        indices = index_layout(op)
        value = op.opview.value
        self._protect_reads(memref, op)
        if not isinstance(value.type, ir.RankedTensorType):
            idx = ", ".join(self.name_of(i) for i in indices)
            self.w.line(f"memref.store {self.name_of(value)}, {self.name_of(memref)}[{idx}] : {memref.type}")
            return
        view, vtype = self._global_view(memref, indices)
        rank = ir.RankedTensorType(value.type).rank
        self.write_into(Buf(view, vtype, rank, _elem(value.type)), value)

    def _protect_reads(self, memref: ir.Value, store: ir.Operation) -> None:
        """Materializes lazy values that read ``memref`` and are used after this store."""
        pos = self.positions.get(store, 0)
        for v, got in list(self.values.items()):
            reads = self._reads(v) if isinstance(got, (Lazy, View)) else frozenset()
            if memref not in reads:
                continue
            later = any(self.positions.get(u.owner, 0) > pos for u in v.uses) if hasattr(v, "uses") else True
            if later or self._used_in_enclosing_loop(v, store):
                self.values[v] = self.materialize(v)

    def _used_in_enclosing_loop(self, v: ir.Value, store: ir.Operation) -> bool:
        parent = store.parent
        while parent is not None and parent.name != "tile.launch":
            if parent.name == "scf.for":
                return True
            parent = parent.parent
        return False

    # ------------------------------------------------------------ buffers

    def handles_of(self, v: ir.Value) -> list[Handle | None]:
        return [None if isinstance(d, int) else self.values[d] for d in dims_of(v)]

    def alloc(self, elem: str, handles: list[Handle | None]) -> Buf:
        shape = [None if h is not None else 1 for h in handles]
        atype = memref_type(elem, len(shape), None, static=shape) if shape else f"memref<{elem}>"
        sizes = ", ".join(h.top for h in handles if h is not None)
        name = self.header.op(f"memref.alloc({sizes}) : {atype}", "buf")
        self.allocs.append((name, atype))
        if not shape:
            return Buf(name, atype, 0, elem)
        vtype = _buffer_view_type(elem, shape)
        offs = ", ".join("0" for _ in shape)
        sz = ", ".join(h.extent if h is not None else "1" for h in handles)
        ones = ", ".join("1" for _ in shape)
        view = self.w.op(f"memref.subview {name}[{offs}] [{sz}] [{ones}] : {atype} to {vtype}", "bv")
        return Buf(view, vtype, len(shape), elem)

    def materialize(self, v: ir.Value) -> Buf:
        """``v`` in a contiguous buffer (allocated once per thread, before the program loop)."""
        got = self.values.get(v)
        if isinstance(got, Buf):
            return got
        buf = self.alloc(_elem(v.type), self.handles_of(v))
        self.write_into(buf, v)
        return buf

    def write_into(self, buf: Buf, v: ir.Value) -> None:
        """A ``linalg.generic`` computing ``v`` (all dims parallel) into ``buf``."""
        rank = buf.rank
        g = Generic(self.w, rank)
        result = self.value_at(v, list(range(rank)), g)
        g.write([(buf.view, buf.type, affine_map(rank, list(range(rank))), buf.elem)], ["parallel"] * rank, [result])

    # ------------------------------------------------------------ expressions

    def value_at(self, v: ir.Value, mapping: list[int | None], g: Generic) -> str:
        """The element of tile ``v`` at the iteration point, as an SSA name in ``g``'s body."""
        if not isinstance(v.type, ir.RankedTensorType):
            return self.name_of(v)
        key = (v, tuple(mapping))
        if key in g.memo:
            return g.memo[key]
        got = self.values.get(v)
        elem = _elem(v.type)
        if isinstance(got, (Buf, View)):
            out = g.input(got.view, got.type, [m for m in mapping] if isinstance(got, Buf)
                          else self._view_map(v, mapping), elem)
        elif isinstance(got, Lazy):
            out = self._lazy_at(got.op, v, mapping, g)
        else:
            raise LoweringError(f"internal: no lowering for tile value {v}")
        g.memo[key] = out
        return out

    def _view_map(self, v: ir.Value, mapping: list[int | None]) -> list[int | None]:
        return list(mapping)

    def _lazy_at(self, op: ir.Operation, v: ir.Value, mapping: list[int | None], g: Generic) -> str:
        name = op.name
        operands = list(op.operands)
        if name == "tile.full":
            return self.name_of(operands[0])
        if name == "tile.broadcast":
            src = ir.RankedTensorType(operands[0].type)
            m = [None if src.shape[i] == 1 and not src.is_dynamic_dim(i) else mapping[i] for i in range(src.rank)]
            return self.value_at(operands[0], m, g)
        if name == "tile.reshape":
            src = ir.RankedTensorType(operands[0].type)
            res = ir.RankedTensorType(v.type)
            dyn = [mapping[i] for i in range(res.rank) if res.is_dynamic_dim(i)]
            it = iter(dyn)
            m = [next(it) if src.is_dynamic_dim(i) else None for i in range(src.rank)]
            return self.value_at(operands[0], m, g)
        if name == "tile.permute":
            perm = list(ir.DenseI64ArrayAttr(op.attributes["perm"]))
            m: list[int | None] = [None] * len(perm)
            for i, p in enumerate(perm):
                m[p] = mapping[i]
            return self.value_at(operands[0], m, g)
        if name == "tile.index":
            h = self.values[operands[0]]
            i = g.emit(f"linalg.index {mapping[0]} : index") if mapping[0] is not None else self.w.const_index(0)
            j = g.emit(f"arith.addi {i}, {h.begin} : index")
            return g.emit(f"arith.index_cast {j} : index to {_elem(v.type)}")
        if name == "tile.reduce":  # over a unit dimension: a reshape
            dim = ir.IntegerAttr(op.attributes["dim"]).value
            keep = ir.BoolAttr(op.attributes["keepdim"]).value
            m = list(mapping) if keep else list(mapping[:dim]) + [None] + list(mapping[dim:])
            if keep:
                m[dim] = None
            return self.value_at(operands[0], m, g)
        # elementwise arith / math on tiles: the same op on scalars
        args = [self.value_at(x, mapping, g) for x in operands]
        if name in APPROXIMATIONS and _elem(v.type) == "f32":  # vectorizable instead of a libm call
            return APPROXIMATIONS[name](MLIRBuilder(g.emit), args[0])
        attrs = ", ".join(f"{a} = {_cpu_attr(name, a, op.attributes[a])}" for a in op.attributes)
        attr_text = f" {{{attrs}}}" if attrs else ""
        in_types = ", ".join(_elem(x.type) for x in operands)
        return g.emit(f'"{name}"({", ".join(args)}){attr_text} : ({in_types}) -> {_elem(v.type)}')

    # ------------------------------------------------------------ reductions

    def _deferred_in_order(self) -> list[ir.Value]:
        """The values ``_reduced_next`` deferred, in the order of their ops (the text is deterministic)."""
        return sorted(self.deferred, key=lambda v: self.positions.get(v.owner.operation, 0))

    def _materialize_deferred(self) -> None:
        """Writes the values ``_reduced_next`` deferred that no reduction wrote."""
        for v in self._deferred_in_order():
            self.values[v] = self.materialize(v)
        self.deferred.clear()

    def reduce(self, op: ir.Operation) -> None:
        src = op.operands[0]
        st = ir.RankedTensorType(src.type)
        dim = ir.IntegerAttr(op.attributes["dim"]).value
        kind = ir.StringAttr(op.attributes["kind"]).value
        keep = ir.BoolAttr(op.attributes["keepdim"]).value
        if kind.startswith("arg") or not st.is_dynamic_dim(dim):
            self._materialize_deferred()
        if not st.is_dynamic_dim(dim):  # reducing a unit dimension: the element itself
            if kind.startswith("arg"):
                zero = self.w.op("arith.constant 0 : i64", "c")
                if isinstance(op.result.type, ir.RankedTensorType):
                    buf = self.alloc("i64", self.handles_of(op.result))
                    self._fill(buf, "0", "i64")
                    self.values[op.result] = buf
                else:
                    self.values[op.result] = zero
                return
            if isinstance(op.result.type, ir.RankedTensorType):
                self.values[op.result] = Lazy(op, self._reads(src))
            else:
                buf = self.materialize(src)
                idx = ", ".join(self.w.const_index(0) for _ in range(buf.rank))
                self.values[op.result] = self.w.op(f"memref.load {buf.view}[{idx}] : {buf.type}", "s")
            return
        rank = st.rank
        elem = str(st.element_type)
        handles = self.handles_of(src)
        if keep:
            out_handles = [None if i == dim else h for i, h in enumerate(handles)]
            out_map = affine_map(rank, [None if i == dim else i for i in range(rank)])
        else:
            out_handles = [h for i, h in enumerate(handles) if i != dim]
            out_map = affine_map(rank, [i for i in range(rank) if i != dim])
        out = self.alloc(elem, out_handles)
        g = Generic(self.w, rank)
        x = self.value_at(src, list(range(rank)), g)
        iters = ["reduction" if i == dim else "parallel" for i in range(rank)]
        is_float = _is_float(elem)
        if kind.startswith("arg"):
            idx = self.alloc("i64", out_handles)
            self._fill(out, self._neutral_const(elem, "max" if kind == "argmax" else "min"), elem)
            self._fill(idx, "0", "i64")
            acc_v, acc_i = self.w.fresh("acc"), self.w.fresh("acci")
            pos = g.emit(f"linalg.index {dim} : index")
            pos = g.emit(f"arith.index_cast {pos} : index to i64")
            if is_float:
                better = g.emit(f"arith.cmpf {'ogt' if kind == 'argmax' else 'olt'}, {x}, {acc_v} : {elem}")
                x_nan = g.emit(f"arith.cmpf uno, {x}, {x} : {elem}")
                a_ok = g.emit(f"arith.cmpf ord, {acc_v}, {acc_v} : {elem}")
                nan_wins = g.emit(f"arith.andi {x_nan}, {a_ok} : i1")
                take = g.emit(f"arith.ori {better}, {nan_wins} : i1")
            else:
                take = g.emit(f"arith.cmpi {'sgt' if kind == 'argmax' else 'slt'}, {x}, {acc_v} : {elem}")
            nv = g.emit(f"arith.select {take}, {x}, {acc_v} : {elem}")
            ni = g.emit(f"arith.select {take}, {pos}, {acc_i} : i64")
            g.write([(out.view, out.type, out_map, elem), (idx.view, idx.type, out_map, "i64")], iters, [nv, ni],
                    [acc_v, acc_i])
            result = idx
        else:
            self._fill(out, self._neutral_const(elem, kind), elem)
            acc = self.w.fresh("acc")
            combine = self._combine(kind, elem)
            fm = " fastmath<reassoc>" if is_float and kind in ("sum", "prod") else ""
            r = g.emit(f"{combine} {x}, {acc}{fm} : {elem}")
            outputs, yields, accs = [(out.view, out.type, out_map, elem)], [r], [acc]
            out_results = [[None if i == dim else i for i in range(rank)] if keep else
                           [i for i in range(rank) if i != dim]]
            homed = False
            for v in self._deferred_in_order():  # _reduced_next
                name = g.memo.get((v, tuple(range(rank))))
                if name is None:
                    continue
                home = self._output_home(v, op)
                homed = homed or home is not None
                buf = home or self.alloc(_elem(v.type), handles)
                outputs.append((buf.view, buf.type, affine_map(rank, list(range(rank))), _elem(v.type)))
                out_results.append(list(range(rank)))
                yields.append(name)
                accs.append(self.w.fresh("out"))
                self.values[v] = buf
                self.deferred.discard(v)
            self._materialize_deferred()
            if rank == 2 and dim == 1 and isinstance(handles[0], Handle) and self._jammable(g, outputs) \
                    and not homed:
                self._write_jammed(g, outputs, out_results, yields, accs, handles[0])
            else:
                g.write(outputs, iters, yields, accs)
            result = out
        if isinstance(op.result.type, ir.RankedTensorType):
            self.values[op.result] = result
        else:
            self.values[op.result] = self.w.op(f"memref.load {result.view}[] : {result.type}", "s")

    #: ops that change a tile's shape or read or write memory: a value derived from ``v`` through one of them
    #: does not read ``v`` element for element (``_output_home``)
    _NOT_ELEMENTWISE = frozenset({"tile.store", "tile.reduce", "tile.dot", "tile.local", "tile.load", "tile.permute",
                                  "tile.reshape", "tile.broadcast", "tile.index", "tile.full", "scf.for"})

    def _output_home(self, v: ir.Value, reduce_op: ir.Operation) -> Buf | None:
        """The output tile ``v`` may be written to instead of a scratch buffer, or None.

        ``v`` is a value the reduction ``reduce_op`` writes beside its result (softmax's ``exp``, layer norm's
        centered row). Where ``v`` is read afterwards only by the elementwise expression that one later
        ``tile.store`` writes, at the same points, the store's tile can hold ``v`` until the store overwrites
        it in place, element by element: torch's CPU softmax does the same (exp into the output, then a scale
        pass over it). A scratch row leaves the output's cache misses (reads for ownership) to the last pass,
        which has no arithmetic to hide them behind; in the exp pass they overlap the exp. Softmax 4096x4096
        float32, 2 cores of an AMD EPYC (Zen 4), C with the same passes: 5.8-7.4 ms with a scratch row, 4.1-5.5
        ms with the output row.

        Required: the store is later in the same block; its memref has the same element type as ``v``, is not
        read anywhere in the launch and has no other store; its indices are ``v``'s own tile handles, in order
        (the same extents); and every use of ``v`` and of the elementwise values derived from it is the
        reduction, another such value or that store."""
        vt = ir.RankedTensorType(v.type)
        handles = self.handles_of(v)
        if any(h is None for h in handles):
            return None
        derived, store, frontier = {v}, None, [v]
        while frontier:
            x = frontier.pop()
            for use in x.uses:
                user = use.owner.operation if hasattr(use.owner, "operation") else use.owner
                if user == reduce_op:
                    continue
                if user.name == "tile.store":
                    if user.opview.value != x or (store is not None and store != user):
                        return None
                    store = user
                    continue
                if user.name in self._NOT_ELEMENTWISE or user.regions or len(user.results) != 1:
                    return None
                r = user.result
                if not isinstance(r.type, ir.RankedTensorType) or ir.RankedTensorType(r.type).shape != vt.shape:
                    return None
                if r not in derived:
                    derived.add(r)
                    frontier.append(r)
        if store is None:
            return None
        nxt, steps = self.next_op.get(reduce_op), 0  # the store: later in the reduction's block
        while nxt is not None and nxt != store and steps < 10_000:
            nxt, steps = self.next_op.get(nxt), steps + 1
        if nxt is None or nxt != store:
            return None
        memref = store.operands[0]
        if str(ir.MemRefType(memref.type).element_type) != str(vt.element_type):
            return None
        indices = index_layout(store)
        if len(indices) != len(handles) or any(self.values.get(i) is not h for i, h in zip(indices, handles)):
            return None
        if any(other != store and other.operands[0] == memref for other in self.memory_ops):
            return None
        view, vtype = self._global_view(memref, indices)
        return Buf(view, vtype, vt.rank, _elem(v.type))

    @staticmethod
    def _jammable(g: Generic, outputs: list[tuple[str, str, str, str]]) -> bool:
        """Whether a row reduction's generic can be split into groups of rows (every view strided, and no
        ``linalg.index`` in the body, whose row index would move)."""
        return all("strided<" in t for _, t, _, _ in g.inputs + outputs) and \
            not any("linalg.index" in line for line in g.body)

    def _write_jammed(self, g: Generic, outputs: list[tuple[str, str, str, str]], out_results: list[list[int | None]],
                      yields: list[str], accs: list[str], row: Handle) -> None:
        """A reduction along the rows of a 2-D tile, ``JAM_ROWS`` rows at a time.

        Each group is a generic over the group's views (a constant number of rows) whose loops run along the
        row outside and across the rows inside: LLVM unrolls the inner loop and vectorizes the outer one, so
        ``JAM_ROWS`` rows are summed at once, each into its own vector registers (unroll-and-jam). Reading
        several rows at once keeps more loads in flight: 4096x8192 float32 sum, 2 cores of an AMD EPYC (C,
        AVX2): a row at a time 5.0-6.5 ms, four at a time 3.5-3.8 ms, torch 5.8-6.6 ms. The rows left over
        (fewer than ``JAM_ROWS``) take the plain generic."""
        w = self.w
        jam = w.const_index(JAM_ROWS)
        rem = w.index_op("remsi", row.extent, jam)
        full = w.index_op("subi", row.extent, rem)
        iv = w.fresh("rows")
        swapped = [[None if r is None else 1 - r for r in rs] for rs in g.results + out_results]
        with w.block(f"scf.for {iv} = {w.const_index(0)} to {full} step {jam} {{"):
            self._write_rows(g, outputs, out_results, yields, accs, iv, str(JAM_ROWS), swapped)
        self._write_rows(g, outputs, out_results, yields, accs, full, rem, None)

    def _write_rows(self, g: Generic, outputs: list[tuple[str, str, str, str]], out_results: list[list[int | None]],
                    yields: list[str], accs: list[str], offset: str, size: str,
                    swapped: list[list[int | None]] | None) -> None:
        """``g`` (a 2-D row reduction) over rows ``[offset, offset + size)`` of its views; with ``swapped``
        maps, the loops run along the rows outside and across them inside."""
        sliced = Generic(self.w, 2)
        sliced.body = g.body
        sliced.args = {i: name for i, name in enumerate(g.args.values())}
        outs = []
        for i, ((view, vtype, amap, elem), rs) in enumerate(zip(g.inputs + outputs, g.results + out_results)):
            if 0 in rs:
                view, vtype = self._row_slice(view, vtype, rs.index(0), offset, size)
            if swapped is not None:
                amap = affine_map(2, swapped[i])
            (sliced.inputs if i < len(g.inputs) else outs).append((view, vtype, amap, elem))
        sliced.write(outs, ["reduction", "parallel"] if swapped is not None else ["parallel", "reduction"], yields,
                     accs)

    def _row_slice(self, view: str, vtype: str, pos: int, offset: str, size: str) -> tuple[str, str]:
        """The subview of strided ``view`` taking ``size`` (a literal or an SSA name) from ``offset`` along
        dimension ``pos``."""
        head, layout = vtype.removeprefix("memref<").split(", strided<[", 1)
        *dims, elem = head.split("x")
        strides = layout.split("]", 1)[0].split(", ")
        offs, sizes = [], []
        for k, d in enumerate(dims):
            offs.append(offset if k == pos else "0")
            if k == pos:
                sizes.append(size)
            elif d == "?":
                sizes.append(self.w.op(f"memref.dim {view}, {self.w.const_index(k)} : {vtype}", "d"))
            else:
                sizes.append(d)
        rdims = [(size if size.isdigit() else "?") if k == pos else d for k, d in enumerate(dims)]
        rtype = memref_type(elem, len(dims), strides, "?", [None if d == "?" else int(d) for d in rdims])
        ones = ", ".join("1" for _ in dims)
        out = self.w.op(f"memref.subview {view}[{', '.join(offs)}] [{', '.join(sizes)}] [{ones}] : {vtype} to {rtype}",
                        "rows")
        return out, rtype

    def _neutral_const(self, elem: str, kind: str) -> str:
        if _is_float(elem):
            return NEUTRAL[kind][0]
        bits = int(elem[1:])
        if kind == "sum":
            return "0"
        if kind == "prod":
            return "1"
        if bits == 1:
            return "0" if kind == "max" else "1"
        return str(-(1 << (bits - 1))) if kind == "max" else str((1 << (bits - 1)) - 1)

    def _fill(self, buf: Buf, value: str, elem: str) -> None:
        if value.startswith("0x") and elem != "f32":  # +-inf, spelled as f32 bits
            c = self.w.op(f"arith.constant {value} : f32", "c")
            c = self.w.op(f"arith.{'extf' if elem == 'f64' else 'truncf'} {c} : f32 to {elem}", "c")
        else:
            c = self.w.op(f"arith.constant {value} : {elem}", "c")
        self.w.line(f"linalg.fill ins({c} : {elem}) outs({buf.view} : {buf.type})")

    @staticmethod
    def _combine(kind: str, elem: str) -> str:
        if _is_float(elem):
            return {"sum": "arith.addf", "prod": "arith.mulf", "max": "arith.maximumf", "min": "arith.minimumf"}[kind]
        if elem == "i1":
            return {"sum": "arith.ori", "prod": "arith.andi", "max": "arith.ori", "min": "arith.andi"}[kind]
        return {"sum": "arith.addi", "prod": "arith.muli", "max": "arith.maxsi", "min": "arith.minsi"}[kind]

    # ------------------------------------------------------------ dot

    def _operand_view(self, v: ir.Value) -> Buf | View:
        got = self.values.get(v)
        if isinstance(got, View) and all(ir.RankedTensorType(v.type).is_dynamic_dim(i)
                                         for i in range(ir.RankedTensorType(v.type).rank)):
            return got
        return self.materialize(v)

    def dot(self, op: ir.Operation) -> None:
        a, b = op.operands[0], op.operands[1]
        acc = op.operands[2] if len(op.operands) == 3 else None
        rt = ir.RankedTensorType(op.result.type)
        elem = str(rt.element_type)
        av, bv = self._operand_view(a), self._operand_view(b)
        out = None
        if acc is not None and self._in_place_acc(op, acc):
            out = self.values[acc]
        if out is None:
            out = self.alloc(elem, self.handles_of(op.result))
            if acc is not None:
                self.write_into(out, acc)
            else:
                zero = "0.0" if _is_float(elem) else "0"
                self._fill(out, zero, elem)
        self._matmul_ikj(av, bv, out, rt.rank)
        self.values[op.result] = out

    def _matmul_ikj(self, a: Buf | View, b: Buf | View, out: Buf, rank: int) -> None:
        """``out += a @ b`` as a generic over (m, k, n): the innermost loop runs along rows of ``b`` and
        ``out`` (contiguous), which LLVM vectorizes without reassociating the sum (``linalg.matmul``'s
        (m, n, k) order does not vectorize)."""
        batch = rank == 3
        dims = 4 if batch else 3  # (b,) m, k, n
        pre = [0] if batch else []
        m, k, n = (1, 2, 3) if batch else (0, 1, 2)
        a_map = affine_map(dims, pre + [m, k])
        b_map = affine_map(dims, pre + [k, n])
        c_map = affine_map(dims, pre + [m, n])
        iters = ", ".join(f'"{i}"' for i in (["parallel"] if batch else []) + ["parallel", "reduction", "parallel"])
        ea, eb, ec = _elem_of(a.type), _elem_of(b.type), out.elem
        w = self.w
        w.line(f"linalg.generic {{indexing_maps = [{a_map}, {b_map}, {c_map}], iterator_types = [{iters}]}} "
               f"ins({a.view}, {b.view} : {a.type}, {b.type}) outs({out.view} : {out.type}) {{")
        x, y, acc = w.fresh("a"), w.fresh("b"), w.fresh("c")
        w.line(f"^bb0({x}: {ea}, {y}: {eb}, {acc}: {ec}):")
        w.depth += 1
        if ea != ec:
            x = w.op(f"arith.{'extf' if _is_float(ec) else 'extsi'} {x} : {ea} to {ec}", "e")
        if eb != ec:
            y = w.op(f"arith.{'extf' if _is_float(ec) else 'extsi'} {y} : {eb} to {ec}", "e")
        if _is_float(ec):
            p = w.op(f"arith.mulf {x}, {y} : {ec}", "p")
            r = w.op(f"arith.addf {acc}, {p} : {ec}", "r")
        else:
            p = w.op(f"arith.muli {x}, {y} : {ec}", "p")
            r = w.op(f"arith.addi {acc}, {p} : {ec}", "r")
        w.line(f"linalg.yield {r} : {ec}")
        w.depth -= 1
        w.line("}")

    def _in_place_acc(self, op: ir.Operation, acc: ir.Value) -> bool:
        """``acc`` is a loop-carried buffer and the dot only feeds that loop's yield in its slot."""
        if acc not in self.carried:
            return False
        users = list(op.result.uses)
        if len(users) != 1:
            return False
        user = users[0].owner
        if user.name != "scf.yield":
            return False
        block_arg = ir.BlockArgument(acc)
        loop = block_arg.owner.owner
        if user.parent != loop:
            return False
        return users[0].operand_number == block_arg.arg_number - 1

    # ------------------------------------------------------------ loops

    def loop(self, op: ir.Operation) -> None:
        """A sequential ``scf.for`` of device code; carried tiles live in buffers updated in place."""
        lb_v, ub_v, step_v, *inits = list(op.operands)
        block = op.regions[0].blocks[0]
        w = self.w
        bufs: dict[int, Buf] = {}
        scalars = []
        for i, init in enumerate(inits):
            if isinstance(init.type, ir.RankedTensorType):
                buf = self.alloc(_elem(init.type), self.handles_of(init))
                self.write_into(buf, init)
                bufs[i] = buf
            else:
                scalars.append(i)
        lb, ub, bs = self.name_of(lb_v), self.name_of(ub_v), self.name_of(step_v)
        iv = w.fresh("k")
        iter_names = {i: w.fresh("it") for i in scalars}
        result = w.fresh("r")
        iter_text = ""
        if scalars:
            iter_text = " iter_args(" + ", ".join(f"{iter_names[i]} = {self.name_of(inits[i])}" for i in scalars) + \
                        ") -> (" + ", ".join(str(inits[i].type) for i in scalars) + ")"
        res_text = f"{result}:{len(scalars)} = " if scalars else ""
        w.line(f"{res_text}scf.for {iv} = {lb} to {ub} step {bs}{iter_text} {{")
        w.depth += 1
        self.values[block.arguments[0]] = iv
        for i, init in enumerate(inits):
            arg = block.arguments[1 + i]
            if i in bufs:
                self.values[arg] = bufs[i]
                self.carried[arg] = bufs[i]
            else:
                self.values[arg] = iter_names[i]
        self.block(block)
        yielded = list(block.operations)[-1].operation
        outs = []
        carried_args = [block.arguments[1 + i] for i in bufs]
        staged: dict[int, Buf] = {}
        for i, v in enumerate(yielded.operands):
            # the carried buffers are written one after the other: a next value that still reads another
            # carried tile (an online softmax's rescaling reads the old max) is computed before any write
            if i in bufs and isinstance(self.values.get(v), Lazy) and any(
                    self._depends(v, a) for a in carried_args if a != block.arguments[1 + i]):
                staged[i] = self.materialize(v)
        for i, v in enumerate(yielded.operands):
            if i in staged:
                self._copy(staged[i], bufs[i])
            elif i in bufs:
                if self.values.get(v) is not bufs[i]:
                    self._yield_into(bufs[i], v, block.arguments[1 + i])
            else:
                outs.append(self.name_of(v))
        if scalars:
            w.line(f"scf.yield {', '.join(outs)} : {', '.join(str(inits[i].type) for i in scalars)}")
        w.depth -= 1
        w.line("}")
        for n, i in enumerate(scalars):
            self.values[op.results[i]] = f"{result}#{n}"
        for i, buf in bufs.items():
            self.values[op.results[i]] = buf

    def _yield_into(self, buf: Buf, v: ir.Value, arg: ir.Value) -> None:
        """Writes the next value of a carried tile into its buffer, via a temporary if it reads it shifted."""
        got = self.values.get(v)
        if isinstance(got, Lazy) and self._reads_shifted(v, arg):
            self._copy(self.materialize(v), buf)
            return
        self.write_into(buf, v)

    def _copy(self, src: Buf, buf: Buf) -> None:
        g = Generic(self.w, buf.rank)
        x = g.input(src.view, src.type, list(range(buf.rank)), buf.elem)
        g.write([(buf.view, buf.type, affine_map(buf.rank, list(range(buf.rank))), buf.elem)],
                ["parallel"] * buf.rank, [x])

    def _reads_shifted(self, v: ir.Value, arg: ir.Value) -> bool:
        """Whether the lazy tree of ``v`` reads ``arg`` other than elementwise."""
        stack = [v]
        seen = set()
        while stack:
            x = stack.pop()
            if x in seen:
                continue
            seen.add(x)
            if x == arg:
                continue
            got = self.values.get(x)
            if isinstance(got, Lazy):
                if got.op.name in ("tile.broadcast", "tile.reshape", "tile.permute") and self._depends(x, arg):
                    return True
                stack.extend(got.op.operands)
        return False

    def _depends(self, v: ir.Value, arg: ir.Value) -> bool:
        stack, seen = [v], set()
        while stack:
            x = stack.pop()
            if x == arg:
                return True
            if x in seen:
                continue
            seen.add(x)
            got = self.values.get(x)
            if isinstance(got, Lazy):
                stack.extend(got.op.operands)
        return False


def lower_module(module: ir.Module) -> str:
    """The CPU lowering of every kernel in ``module`` as MLIR text."""
    out = []
    for op in module.body.operations:
        fn = op.operation
        if fn.name != "func.func" or "tile.kernel" not in fn.attributes:
            continue
        launches = [o.operation for o in fn.regions[0].blocks[0].operations if o.operation.name == "tile.launch"]
        if any(o.operation.name == "tile.for" for o in fn.regions[0].blocks[0].operations):
            raise LoweringError("the CPU backend needs tegula-tile to run first (top-level tile.for found)")
        for i, launch in enumerate(launches):
            out.append(LaunchLowering(fn, launch, i).grid_function())
            out.append(LaunchLowering(fn, launch, i).launch_function())
    text = "".join(out)
    if "bf16" in text:
        text += TRUNCSFBF2
    return "module {\n" + text + "}\n"


#: compiler-rt's float -> bfloat16 conversion (round to nearest even, NaN stays NaN), defined in the module itself.
#: LLVM narrows a loop-carried float32 max/min of widened bf16 values to bf16 arithmetic and then converts back
#: with a call of ``__truncsfbf2``, which x86 has no instruction for and the JIT has no library for (libgcc has it
#: only from GCC 13).
TRUNCSFBF2 = """func.func @__truncsfbf2(%x: f32) -> bf16 {
  %bits = arith.bitcast %x : f32 to i32
  %c16 = arith.constant 16 : i32
  %c1 = arith.constant 1 : i32
  %bias = arith.constant 32767 : i32
  %hi = arith.shrui %bits, %c16 : i32
  %lsb = arith.andi %hi, %c1 : i32
  %round = arith.addi %bias, %lsb : i32
  %sum = arith.addi %bits, %round : i32
  %top = arith.shrui %sum, %c16 : i32
  %narrow = arith.trunci %top : i32 to i16
  %nan = arith.cmpf uno, %x, %x : f32
  %qnan = arith.constant 32704 : i16
  %pick = arith.select %nan, %qnan, %narrow : i16
  %out = arith.bitcast %pick : i16 to bf16
  return %out : bf16
}
"""
