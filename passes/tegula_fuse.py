"""``tegula-fuse``: merge top-level tile loops over the same tiles; forward and drop intermediates.

Contract
--------
Expects the tile dialect before ``tegula-tile`` (top-level ``tile.for``).
Two adjacent top-level loops L1; L2 are merged into one when

- they have the same bounds and their block sizes are the same value, or two
  ``tile.block_size`` symbols of the same kind (L2's symbol is then replaced
  by L1's everywhere: one tunable less);
- every global tensor both touch (one writing it) is accessed through the
  same index pattern in both — the same position of the loop's tile, the same
  ``:`` handles and scalars — so iteration ``i`` of L2 depends only on
  iteration ``i`` of L1. (Different kernel arguments are assumed not to
  alias, as in Triton and Helion.)

Otherwise they stay two loops (two launches), which is always correct.
In a merged body, a ``tile.load`` that reads exactly what an earlier
``tile.store`` of the same iteration wrote becomes that stored value, and
a load of what an earlier load of the same iteration read (no store to that tensor
between) reuses it, so sibling loops read their shared input once, and
stores to *scratch* tensors (arguments marked ``tile.scratch``: allocated by
the kernel's host code and never returned) are dropped once nothing reads
them. A normalization written as a statistics loop then an apply loop thus
becomes one loop that keeps the statistics in registers and reads the row
once.

Example::

    "tile.for"(%c0, %n, %bs0) ({ ^bb0(%t): ... "tile.store"(%mean, %t, %mu) ... })
    "tile.for"(%c0, %n, %bs1) ({ ^bb0(%u): %m = "tile.load"(%mean, %u) ... })

becomes one ``tile.for`` over ``%bs0`` in which ``%m`` is ``%mu`` (and the
store to ``%mean`` is gone if ``%mean`` is scratch).
"""

from __future__ import annotations

from dataclasses import dataclass

from tegula.compiler import tunables
from tegula.compiler.mlir import ir
from tegula.compiler.pipeline import TegulaPass, option
from tegula.dialects.tile import index_layout
from tegula.passes.util import const_int, defining_op, kernels, top_level, walk

FUSE = tunables.boolean("fuse_loops", True, doc="merge top-level loops over the same tiles")


def _accesses(loop: ir.Operation) -> list[tuple[str, ir.Operation]]:
    return [("r", op) for op in walk(loop, "tile.load")] + [("w", op) for op in walk(loop, "tile.store")]


def _pattern(op: ir.Operation, handles: list[ir.Value]) -> tuple:
    """The index pattern of an access: loop tiles by position, everything else by identity."""
    layout = ir.StringAttr(op.attributes["layout"]).value
    out = [layout]
    for idx in index_layout(op):
        out.append(("loop", handles.index(idx)) if idx in handles else ("value", idx))
    return tuple(out)


@dataclass(frozen=True)
class FuseLoops(TegulaPass):
    name = "tegula-fuse"
    summary = "merge top-level tile loops over the same tiles, forward stored tiles, drop scratch stores"

    fuse_loops: bool = option(True, "merge adjacent top-level loops when legal", FUSE)

    def run(self, module: ir.Operation) -> None:
        if not self.fuse_loops:
            return
        for fn in kernels(module):
            scratch = _scratch_args(fn)
            merged = True
            while merged:
                merged = False
                loops = top_level(fn, "tile.for")
                for first, second in zip(loops, loops[1:]):  # (run after canonicalize: constants hoisted)
                    if _adjacent(first, second) and self._legal(first, second):
                        _merge(first, second)
                        merged = True
                        break
            for loop in top_level(fn, "tile.for"):
                _forward_stores(loop.regions[0].blocks[0])
            _drop_scratch_stores(fn, scratch)

    def _legal(self, a: ir.Operation, b: ir.Operation) -> bool:
        fa, fb = a.opview, b.opview
        if not all(_same(x, y) for x, y in zip([*fa.lower, *fa.upper], [*fb.lower, *fb.upper])):
            return False
        if len(fa.lower) != len(fb.lower):
            return False
        renamed: dict = {}
        for sa, sb in zip(fa.step, fb.step):
            if _same(sa, sb):
                continue
            # L2's symbol becomes L1's everywhere: only when L1 does not use it and the renaming is one-to-one
            if not _same_symbol_kind(sa, sb) or sb in list(fa.step) or renamed.setdefault(sb, sa) != sa:
                return False
        if len(set(renamed.values())) != len(renamed):
            return False
        ha = list(a.regions[0].blocks[0].arguments)
        hb = list(b.regions[0].blocks[0].arguments)
        acc_a = [(k, op.operands[0], _pattern(op, ha)) for k, op in _accesses(a)]
        acc_b = [(k, op.operands[0], _pattern(op, hb)) for k, op in _accesses(b)]
        every_dim = {("loop", d) for d in range(len(ha))}
        for ka, ma, pa in acc_a:
            for kb, mb, pb in acc_b:
                # a conflict is harmless only when iteration i of both loops touches the same elements and
                # no other iteration does: the same pattern, naming every dimension of the loop's tile
                if ma == mb and "w" in (ka, kb) and (pa != pb or not every_dim <= set(pa)):
                    return False
        # values defined in a loop are not visible in the other; nothing else to check
        return True


def _same(a: ir.Value, b: ir.Value) -> bool:
    ca, cb = const_int(a), const_int(b)
    return a == b or (ca is not None and ca == cb)


def _same_symbol_kind(a: ir.Value, b: ir.Value) -> bool:
    oa, ob = defining_op(a), defining_op(b)
    if oa is None or ob is None or oa.name != "tile.block_size" or ob.name != "tile.block_size":
        return False
    return ir.StringAttr(oa.attributes["kind"]).value == ir.StringAttr(ob.attributes["kind"]).value == "tile"


def _adjacent(a: ir.Operation, b: ir.Operation) -> bool:
    """No op between the loops (the second's body could use what it defines)."""
    ops = [o.operation for o in a.parent.regions[0].blocks[0].operations]
    return ops.index(b) == ops.index(a) + 1


def _merge(a: ir.Operation, b: ir.Operation) -> None:
    fa, fb = a.opview, b.opview
    renamed = {sb: sa for sa, sb in zip(list(fa.step), list(fb.step)) if sa != sb and const_int(sa) is None}
    for sb, sa in renamed.items():  # one block-size symbol for both loops
        sb.replace_all_uses_with(sa)
        op = defining_op(sb)
        if op is not None and not list(sb.uses):
            op.erase()
    body_a = a.regions[0].blocks[0]
    body_b = b.regions[0].blocks[0]
    for arg_b, arg_a in zip(body_b.arguments, body_a.arguments):
        arg_b.replace_all_uses_with(arg_a)
    yield_a = list(body_a.operations)[-1].operation
    for op in list(body_b.operations)[:-1]:
        op.operation.move_before(yield_a)
    b.erase()


def _same_access(x: ir.Operation, y: ir.Operation) -> bool:
    return (x.operands[0] == y.operands[0]
            and ir.StringAttr(x.attributes["layout"]).value == ir.StringAttr(y.attributes["layout"]).value
            and index_layout(x) == index_layout(y))


def _forward_stores(body: ir.Block) -> None:
    """``load(M, idx)`` after ``store(M, idx, v)`` or ``load(M, idx)`` with no store to M between is reused."""
    known: dict = {}  # memref -> the stores and loads whose value is what memory holds now
    for op in list(body.operations):
        op = op.operation
        if op.name == "tile.store":
            known[op.operands[0]] = [op]
        elif op.name == "tile.load":
            for prev in reversed(known.get(op.operands[0], [])):
                value = prev.opview.value if prev.name == "tile.store" else prev.results[0]
                if _same_access(prev, op) and value.type == op.results[0].type:
                    op.results[0].replace_all_uses_with(value)
                    op.erase()
                    break
            else:
                known.setdefault(op.operands[0], []).append(op)
        elif op.regions:  # a nested loop may store anything: forget what we knew
            for inner in walk(op, "tile.store"):
                known.pop(inner.operands[0], None)


def _scratch_args(fn: ir.Operation) -> set:
    block = fn.regions[0].blocks[0]
    if "arg_attrs" not in fn.attributes:
        return set()
    attrs = ir.ArrayAttr(fn.attributes["arg_attrs"])
    return {block.arguments[i] for i in range(len(attrs)) if "tile.scratch" in ir.DictAttr(attrs[i])}


def _drop_scratch_stores(fn: ir.Operation, scratch: set) -> None:
    for arg in scratch:
        if any(op.operands[0] == arg for op in walk(fn, "tile.load")):
            continue
        for op in walk(fn, "tile.store"):
            if op.operands[0] == arg:
                op.erase()
