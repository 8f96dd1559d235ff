"""``tegula-roll``: turn a ``:`` dimension into a loop over chunks (reduction rolling).

Contract
--------
Expects the tile dialect before ``tegula-tile`` (top-level ``tile.for``; the
``:`` handle is ``tile.make_tile(0, extent, tile.block_size{kind=reduction,id=r})``).
For every reduction symbol ``r`` with a chunk size in ``reduction-loops``
(``none``: leave it whole), in every top-level loop that uses its handle H:

- every *sink* of H — a ``tile.reduce`` over H's dimension, a ``tile.dot``
  contracting over H, a ``tile.store`` through H — is computed by an
  ``scf.for`` over chunks ``Hc = tile.make_tile(k, extent, C)``, ``k`` from 0
  by ``C``: the ops between H and the sink (its *cone*) are cloned into the
  loop with H replaced by ``Hc``; reductions and dots accumulate in
  ``iter_args`` (sum, prod, max, min; argmax/argmin carry value and index);
  stores store each chunk;
- consecutive sinks share one loop when the ops outside the dimension that a
  later sink's cone needs can move above the first (no store, region or
  load-after-store in the way): a row's max and its target logit, say;
- with ``online`` (the default), ``sum(exp(x - broadcast(max(x))))`` shares
  the max's loop: the sum is kept relative to the running max and rescaled by
  ``exp(m_old - m_new)`` when it grows (online softmax; a max still ``-inf``
  counts as 0, so leading ``-inf`` chunks add nothing rather than NaN). A
  softmax is then two passes over the row (max and sum, output), a cross
  entropy one; without ``online`` three and two;
- with ``welford`` (the default), ``sum((a - broadcast(c)) * (a - broadcast(c)))``
  over the dimension, ``c`` constant along it (a mean), shares the loop of the
  other sinks as a running mean and M2 (Chan's combination of each chunk's
  own mean and M2, the last chunk counted as ``min(C, extent - k)``
  elements) and is ``M2 + n (mean - c)^2`` after the loop: a layer norm is
  two passes over the row (statistics, output) instead of three;
- values without H (the max, the sum) are used as they are.

If H reaches anything else (a nested loop, an op that is not a sink), that
handle is left whole and a remark is emitted. Semantics do not change: the
results are the same up to floating-point reassociation of the reductions.

Example (``reduction-loops=1024``)::

    %m = "tile.reduce"(%x) {dim = 1, kind = "max", keepdim = true}   // %x = load(x, %t, %H)

becomes::

    %m = scf.for %k = %c0 to %n step %c1024 iter_args(%acc = %neg_inf) {
      %Hc = "tile.make_tile"(%k, %n, %c1024)
      %xc = "tile.load"(%x, %t, %Hc)
      %p = "tile.reduce"(%xc) {dim = 1, kind = "max", keepdim = true}
      %a = arith.maximumf %acc, %p
      scf.yield %a
    }
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tegula.compiler import tunables
from tegula.compiler.mlir import ir, scf
from tegula.compiler.pipeline import TegulaPass, option
from tegula.dialects import tile as tiled
from tegula.dialects.tile import dims_of, index_layout
from tegula.passes.util import clone_cone, defining_op, index_const, kernels, top_level, walk

REDUCTION_LOOPS = tunables.per_symbol(
    "reduction_loops", tunables.pow2("reduction_loop", 16, 65536, 4096), over="reduction_symbols",
    doc="chunk size of each ':' (reduction) symbol rolled into a loop, by id; none keeps the dimension whole",
)

WELFORD = tunables.boolean("welford_variance", True,
                           doc="rolled variance: sum((x - c)^2) from running mean and M2 in the loop of sum(x)")
ONLINE = tunables.boolean("online_softmax", True,
                          doc="rolled softmax: sum of exp(x - max) in the max's loop, rescaled as the max grows")

_NEUTRAL = {"sum": 0, "prod": 1}


@dataclass
class _Sink:
    op: ir.Operation
    kind: str  # "reduce" | "dot" | "store" | "welford" (sum((a - c)^2), c constant along H)
    inputs: list[ir.Value]  # the H-dependent operands (cone roots)
    center: ir.Value | None = None  # welford: c, of the sum's type


class _Unrollable(Exception):
    """H reaches an op the pass cannot put in a chunk loop."""


@dataclass(frozen=True)
class RollReductions(TegulaPass):
    name = "tegula-roll"
    summary = "roll ':' (reduction) dimensions into loops over chunks, per reduction symbol"

    reduction_loops: list = option([], "chunk size per reduction symbol id ('none' keeps it whole)", REDUCTION_LOOPS)
    online: bool = option(True, "compute a sum of exp(x - max(x)) in the max's loop (online softmax)", ONLINE)
    welford: bool = option(True, "compute sum((x - c)^2) from a running mean and M2 (Welford/Chan)", WELFORD)

    def run(self, module: ir.Operation) -> None:
        for fn in kernels(module):
            for bs in walk(fn, "tile.block_size"):
                if ir.StringAttr(bs.attributes["kind"]).value != "reduction":
                    continue
                rid = ir.IntegerAttr(bs.attributes["id"]).value
                chunk = self.reduction_loops[rid] if rid < len(self.reduction_loops) else None
                if not chunk:
                    continue
                for use in list(bs.results[0].uses):
                    owner = use.owner
                    if owner.name == "tile.make_tile" and use.operand_number == 2:
                        for loop in top_level(fn, "tile.for"):
                            self._roll(loop, owner.results[0], owner.operands[1], int(chunk))

    # ------------------------------------------------------------ analysis

    def _reach(self, body: ir.Block, handle: ir.Value) -> tuple[set, list[_Sink]]:
        """Values of the loop body that depend on ``handle`` (stopping at sinks), and the sinks in order."""
        reach: set = {handle}
        sinks: list[_Sink] = []
        for op in body.operations:
            op = op.operation
            inputs = [v for v in op.operands if v in reach]
            if not inputs:
                if any(self._uses_inside(op, reach)):
                    raise _Unrollable(f"'{op.name}' uses the ':' dimension inside a region")
                continue
            sink = self._as_sink(op, handle)
            if sink is not None:
                sinks.append(sink)
                continue
            if op.name in ("scf.for", "tile.yield", "scf.yield") or op.regions:
                raise _Unrollable(f"'{op.name}' uses values of the ':' dimension")
            # Only tiles spanning H are per-chunk: a scalar such as tile.end(H) is the whole extent's
            reach.update(r for r in op.results if isinstance(r.type, ir.RankedTensorType) and
                         any(d == handle for d in dims_of(r)))
        return reach, sinks

    @staticmethod
    def _uses_inside(op: ir.Operation, reach: set) -> list[bool]:
        out = []
        for region in op.regions:
            for block in region.blocks:
                for inner in block.operations:
                    out.append(any(v in reach for v in inner.operation.operands))
                    out.extend(RollReductions._uses_inside(inner.operation, reach))
        return out

    @staticmethod
    def _as_sink(op: ir.Operation, handle: ir.Value) -> _Sink | None:
        if op.name == "tile.reduce":
            dim = ir.IntegerAttr(op.attributes["dim"]).value
            if dims_of(op.operands[0])[dim] == handle:
                return _Sink(op, "reduce", [op.operands[0]])
            return None
        if op.name == "tile.dot":
            a = op.operands[0]
            if dims_of(a)[-1] == handle:
                return _Sink(op, "dot", [op.operands[0], op.operands[1]])
            return None
        if op.name == "tile.store" and any(t == handle for t in op.opview.tiles):
            return _Sink(op, "store", [op.opview.value])
        return None

    # ------------------------------------------------------------ transformation

    def _roll(self, loop: ir.Operation, handle: ir.Value, extent: ir.Value, chunk: int) -> None:
        body = loop.regions[0].blocks[0]
        if not any(handle in list(op.operation.operands) for op in body.operations) and \
                not any(walk_uses(op.operation, handle) for op in body.operations):
            return
        try:
            reach, sinks = self._reach(body, handle)
        except _Unrollable:
            return  # the dimension stays whole: correct, only not rolled
        if self.welford:
            sinks = [_as_welford(s, reach) or s for s in sinks]
        groups: list[list[_Sink]] = []
        online: dict = {}  # sum-of-exp sink op -> the max sink it is computed with
        for s in sinks:
            partner = self._online_partner(s, groups[-1]) if groups and self.online else None
            allowed = {partner[0].op.results[0], *(r.results[0] for r in partner[1])} if partner else set()
            plan = self._fits(groups[-1][0].op, s, reach, body, allowed) if groups else None
            if plan is not None:
                for op in plan:  # ops the sink needs, moved above the loop that now computes it too
                    op.move_before(groups[-1][0].op)
                groups[-1].append(s)
                if partner is not None:
                    online[s.op] = partner
            else:
                groups.append([s])
        for group in groups:
            self._emit(group, reach, handle, extent, chunk, online)
        for s in sinks:
            s.op.erase()
        _erase_dead(body, reach)

    def _fits(self, first: ir.Operation, sink: _Sink, reach: set, body: ir.Block,
              allowed: set) -> list[ir.Operation] | None:
        """Whether ``sink`` can be computed in the loop that starts at ``first``: the ops (outside the
        ':' dimension) that its cone needs and that come after ``first``, to move above it; ``None``
        when one of them cannot move (a store, a region, a load after a store, a value of the
        dimension). ``allowed`` values are the loop's own results (an online partner's max)."""
        plan: list[ir.Operation] = []
        ops = [o.operation for o in body.operations]
        start = ops.index(first)

        def hoist(v: ir.Value) -> bool:
            op = defining_op(v)
            if v in allowed or op is None or op.parent != first.parent or op.is_before_in_block(first) \
                    or op in plan:
                return True
            if v in reach or op.regions or op.name in ("tile.store", "tile.reduce", "tile.dot"):
                return False
            if op.name == "tile.load" and any(o.name == "tile.store" or o.regions
                                               for o in ops[start:ops.index(op)]):
                return False
            if not all(hoist(x) for x in op.operands):
                return False
            plan.append(op)
            return True

        if not all(hoist(v) for v in _external_operands(sink, reach)):
            return None
        return plan if _memory_ok(ops[start:ops.index(sink.op)], sink, reach, plan) else None

    @staticmethod
    def _online_partner(s: _Sink, group: list[_Sink]) -> tuple[_Sink, list[ir.Operation]] | None:
        """The max sink of ``group`` when ``s`` is ``sum(exp(x - broadcast(max(x))))`` over the same dim
        (up to float casts, the max possibly reshaped first), and the reshapes and casts of the max.
        (The rewrite holds for any running reference, not only the exact max: the max keeps exp finite.)"""
        if s.kind != "reduce" or ir.StringAttr(s.op.attributes["kind"]).value != "sum":
            return None
        e = defining_op(_uncast(s.op.operands[0]))
        d = defining_op(_uncast(e.operands[0])) if e is not None and e.name == "math.exp" else None
        b = defining_op(d.operands[1]) if d is not None and d.name == "arith.subf" else None
        if b is None or b.name != "tile.broadcast":
            return None
        m, x = b.operands[0], _uncast(d.operands[0])
        chain: list[ir.Operation] = []  # reshapes and casts between the max and the broadcast (m[:, None])
        while defining_op(m) is not None and defining_op(m).name in ("tile.reshape", *_CASTS):
            chain.insert(0, defining_op(m))
            m = chain[0].operands[0]
        if isinstance(_elem(m.type), ir.IntegerType) or m.type != s.op.results[0].type:
            return None
        for g in group:
            if g.kind == "reduce" and g.op.results[0] == m and _uncast(g.op.operands[0]) == x \
                    and ir.StringAttr(g.op.attributes["kind"]).value == "max" \
                    and ir.IntegerAttr(g.op.attributes["dim"]).value == ir.IntegerAttr(s.op.attributes["dim"]).value:
                return g, chain
        return None

    def _emit(self, group: list[_Sink], reach: set, handle: ir.Value, extent: ir.Value, chunk: int,
              online: dict) -> None:
        first = group[0].op
        with ir.InsertionPoint(first), first.location:
            inits: list[ir.Value] = []
            slots: list[tuple[_Sink, int]] = []
            for s in group:
                if s.kind == "reduce":
                    kind = ir.StringAttr(s.op.attributes["kind"]).value
                    if kind.startswith("arg"):
                        value_type = _with_elem(s.op.results[0].type, ir.RankedTensorType(
                            s.op.operands[0].type).element_type)
                        slots.append((s, len(inits)))
                        inits += [_fill(value_type, _neutral("max" if kind == "argmax" else "min", value_type), s),
                                  _fill(s.op.results[0].type, 0, s)]
                    else:
                        slots.append((s, len(inits)))
                        inits.append(_fill(s.op.results[0].type, _neutral(kind, s.op.results[0].type), s))
                elif s.kind == "welford":  # running mean and M2 of the chunks
                    slots.append((s, len(inits)))
                    inits += [_fill(s.op.results[0].type, 0, s), _fill(s.op.results[0].type, 0, s)]
                elif s.kind == "dot":
                    slots.append((s, len(inits)))
                    ops = list(s.op.operands)
                    inits.append(ops[2] if len(ops) == 3 else _fill(s.op.results[0].type, 0, s))
            consts = {}
            for s in group:
                if s.op in online:
                    t = s.op.results[0].type
                    consts[s.op] = (_fill(t, -math.inf, s), _fill(t, 0, s))
            zero, step = index_const(0), index_const(chunk)
            for_op = scf.ForOp(zero, extent, step, inits)
        with ir.InsertionPoint(for_op.body), first.location:
            k = for_op.induction_variable
            accs = list(for_op.inner_iter_args)
            sub = tiled.MakeTileOp(k, extent, step).result
            mapping = {handle: sub}
            ip = ir.InsertionPoint(for_op.body)
            outs = list(accs)
            slot_of = {id(x): i for x, i in slots}
            for s, slot in [(s, slot_of.get(id(s), -1)) for s in group]:  # program order: stores, loads
                if s.op not in online:
                    clone_cone(s.inputs, lambda v: v in reach, mapping, ip)
                if s.kind == "store":
                    c = s.op.clone(ip=ip)
                    for i, v in enumerate(s.op.operands):
                        if v in mapping:
                            c.operands[i] = mapping[v]
                    continue
                if s.kind == "welford":
                    outs[slot], outs[slot + 1] = _welford_step(s, mapping[s.inputs[0]], accs[slot], accs[slot + 1],
                                                               k, extent, step)
                    continue
                if s.op in online:  # sum(exp(x - m)) against the running max, rescaled as it grows
                    outs[slot] = self._online_sum(s, online[s.op], slots, accs, outs, consts[s.op], mapping, reach, ip)
                    continue
                part = s.op.clone(ip=ip)
                for i, v in enumerate(s.op.operands):
                    if v in mapping:
                        part.operands[i] = mapping[v]
                if s.kind == "dot":
                    if len(s.op.operands) == 3:
                        part.operands[2] = accs[slot]
                    else:  # accumulate: the clone becomes a dot with the carried accumulator
                        part.erase()
                        a, b = (mapping.get(v, v) for v in s.op.operands[:2])
                        part = tiled.DotOp(a, b, [accs[slot]], s.op.results[0].type).operation
                    outs[slot] = part.results[0]
                    continue
                kind = ir.StringAttr(s.op.attributes["kind"]).value
                if kind.startswith("arg"):
                    outs[slot], outs[slot + 1] = _combine_arg(kind, part, accs[slot], accs[slot + 1], k, s)
                else:
                    outs[slot] = _combine(kind, accs[slot], part.results[0])
            scf.YieldOp(outs)
        for s, slot in slots:
            if s.kind == "welford":  # sum((a - c)^2) = M2 + n (mean - c)^2, where c is known (after the loop)
                with ir.InsertionPoint(s.op), s.op.location:
                    n = _index_to_float(extent, _elem(s.op.results[0].type))
                    n_tile = tiled.FullOp(n, [d for d in dims_of(s.op.results[0]) if not isinstance(d, int)],
                                          s.op.results[0].type).result
                    off = _arith("subf", for_op.results[slot], s.center)
                    corr = _arith("mulf", n_tile, _arith("mulf", off, off))
                    s.op.results[0].replace_all_uses_with(_arith("addf", for_op.results[slot + 1], corr))
            elif s.kind != "store":
                s.op.results[0].replace_all_uses_with(for_op.results[slot + (1 if _is_arg(s) else 0)])


    @staticmethod
    def _online_sum(s: _Sink, partner: tuple, slots: list, accs: list, outs: list, consts: tuple,
                    mapping: dict, reach: set, ip: ir.InsertionPoint) -> ir.Value:
        """``acc * exp(m_old - m_new) + sum(exp(x_chunk - m_new))``, with ``m_new`` the max so far
        (read as 0 while it is still -inf, so that leading -inf chunks add 0 rather than NaN)."""
        partner, chain = partner
        at = {id(x): i for x, i in slots}
        m_old, m_new = accs[at[id(partner)]], outs[at[id(partner)]]
        neg_inf, zero = consts
        t = m_new.type
        is_inf = ir.Operation.create("arith.cmpf", results=[_with_elem(t, ir.IntegerType.get_signless(1))],
                                     operands=[m_new, neg_inf],
                                     attributes={"predicate": ir.IntegerAttr.get(ir.IntegerType.get_signless(64),
                                                                                 1)}).result  # oeq
        m_safe = ir.Operation.create("arith.select", results=[t], operands=[is_inf, zero, m_new]).result
        local = dict(mapping)
        local[partner.op.results[0]] = m_safe
        for r in chain:
            c = r.clone(ip=ip)
            c.operands[0] = local[r.operands[0]]
            local[r.results[0]] = c.results[0]
        clone_cone(s.inputs, lambda v: v in reach, local, ip)
        part = s.op.clone(ip=ip)
        part.operands[0] = local[s.op.operands[0]]
        delta = ir.Operation.create("arith.subf", results=[t], operands=[m_old, m_safe]).result
        alpha = ir.Operation.create("math.exp", results=[t], operands=[delta]).result
        kept = ir.Operation.create("arith.mulf", results=[t], operands=[accs[at[id(s)]], alpha]).result
        return ir.Operation.create("arith.addf", results=[t], operands=[kept, part.results[0]]).result


def walk_uses(op: ir.Operation, v: ir.Value) -> bool:
    for region in op.regions:
        for block in region.blocks:
            for inner in block.operations:
                if v in list(inner.operation.operands) or walk_uses(inner.operation, v):
                    return True
    return False


def _is_arg(s: _Sink) -> bool:
    return s.kind == "reduce" and ir.StringAttr(s.op.attributes["kind"]).value.startswith("arg")


def _external_operands(sink: _Sink, reach: set) -> list[ir.Value]:
    out, seen, stack = [], set(), list(sink.inputs)
    if sink.kind != "welford":  # a Welford sink's loop needs only its a; c is used after the loop
        stack += [v for v in sink.op.operands if v not in sink.inputs]
    while stack:
        v = stack.pop()
        if v in seen:
            continue
        seen.add(v)
        if v in reach:
            op = defining_op(v)
            if op is not None:
                stack.extend(op.operands)
        else:
            out.append(v)
    return out


_CASTS = ("arith.extf", "arith.truncf")


def _as_welford(s: _Sink, reach: set) -> _Sink | None:
    """``s`` as a Welford sink when it is ``sum((a - broadcast(c)) * (a - broadcast(c)))`` (or ``c - a``)
    over a float ``a`` of the dimension and a ``c`` constant along it (``c`` of the sum's type: keepdim, or
    reshaped before its broadcast, ``c[:, None]``), with no casts between."""
    if s.kind != "reduce" or ir.StringAttr(s.op.attributes["kind"]).value != "sum":
        return None
    t = s.op.results[0].type
    if not isinstance(t, ir.RankedTensorType) or isinstance(_elem(t), ir.IntegerType):
        return None
    sq = defining_op(s.op.operands[0])
    if sq is None or sq.name != "arith.mulf" or sq.operands[0] != sq.operands[1]:
        return None
    d = defining_op(sq.operands[0])
    if d is None or d.name != "arith.subf":
        return None
    for a, b in ((d.operands[0], d.operands[1]), (d.operands[1], d.operands[0])):
        bop = defining_op(b)
        if a not in reach or bop is None or bop.name != "tile.broadcast" or _elem(a.type) != _elem(t):
            continue
        c = bop.operands[0]
        if c.type != t and defining_op(c) is not None and defining_op(c).name == "tile.reshape":
            c = defining_op(c).operands[0]
        if c not in reach and c.type == t:
            return _Sink(s.op, "welford", [a], c)
    return None


def _arith(name: str, a: ir.Value, b: ir.Value) -> ir.Value:
    return ir.Operation.create(f"arith.{name}", results=[a.type], operands=[a, b]).result


def _index_to_float(v: ir.Value, elem: ir.Type) -> ir.Value:
    i64 = ir.Operation.create("arith.index_cast", results=[ir.IntegerType.get_signless(64)], operands=[v]).result
    return ir.Operation.create("arith.sitofp", results=[elem], operands=[i64]).result


def _welford_step(s: _Sink, a: ir.Value, mean: ir.Value, m2: ir.Value, k: ir.Value, extent: ir.Value,
                  step: ir.Value) -> tuple[ir.Value, ir.Value]:
    """Chan's combination of the running (mean, M2) over ``k`` elements with the chunk's ``a`` (its
    ``min(step, extent - k)`` valid elements: the reductions mask the rest)."""
    t = s.op.results[0].type
    elem = _elem(t)
    dim = ir.IntegerAttr(s.op.attributes["dim"]).value
    a_dims = dims_of(a)
    a_handles = [h for h in a_dims if not isinstance(h, int)]
    # the chunk's statistics keep the reduced dimension (to broadcast the chunk mean back over a)
    kept_handles = [h for i, h in enumerate(a_dims) if i != dim and not isinstance(h, int)]
    kept = ir.RankedTensorType.get([1 if i == dim else n for i, n in enumerate(ir.RankedTensorType(a.type).shape)],
                                   elem)
    handles = [h for h in dims_of(s.op.results[0]) if not isinstance(h, int)]
    rest = ir.Operation.create("arith.subi", results=[ir.IndexType.get()], operands=[extent, k]).result
    n_c = _index_to_float(ir.Operation.create("arith.minsi", results=[ir.IndexType.get()],
                                              operands=[step, rest]).result, elem)
    n_a = _index_to_float(k, elem)
    n_new = ir.Operation.create("arith.addf", results=[elem], operands=[n_a, n_c]).result
    w = ir.Operation.create("arith.divf", results=[elem], operands=[n_c, n_new]).result
    full = lambda x: tiled.FullOp(x, handles, t).result  # noqa: E731
    as_t = (lambda v: v) if kept == t else (lambda v: tiled.ReshapeOp(v, handles, t).result)  # noqa: E731
    sum_attr, keep_attr = ir.StringAttr.get("sum"), ir.BoolAttr.get(True)
    s_c = tiled.ReduceOp(a, s.op.attributes["dim"], sum_attr, keep_attr, kept).result
    mean_ck = _arith("divf", s_c, tiled.FullOp(n_c, kept_handles, kept).result)
    centered = _arith("subf", a, tiled.BroadcastOp(mean_ck, a_handles, a.type).result)
    m2_c = as_t(tiled.ReduceOp(_arith("mulf", centered, centered), s.op.attributes["dim"], sum_attr, keep_attr,
                               kept).result)
    delta = _arith("subf", as_t(mean_ck), mean)
    new_mean = _arith("addf", mean, _arith("mulf", delta, full(w)))
    weight = ir.Operation.create("arith.mulf", results=[elem], operands=[n_a, w]).result
    new_m2 = _arith("addf", _arith("addf", m2, m2_c), _arith("mulf", _arith("mulf", delta, delta), full(weight)))
    return new_mean, new_m2


def _uncast(v: ir.Value) -> ir.Value:
    """``v`` before float casts (bf16 softmax: the max of extf(x), exp of extf(x - m), ...)."""
    while defining_op(v) is not None and defining_op(v).name in _CASTS:
        v = defining_op(v).operands[0]
    return v


def _same_access(x: ir.Operation, y: ir.Operation) -> bool:
    return (x.operands[0] == y.operands[0]
            and ir.StringAttr(x.attributes["layout"]).value == ir.StringAttr(y.attributes["layout"]).value
            and index_layout(x) == index_layout(y))


def _cone_ops(sink: _Sink, reach: set) -> list[ir.Operation]:
    out, seen, stack = [], set(), list(sink.inputs)
    while stack:
        v = stack.pop()
        op = defining_op(v)
        if v in seen or v not in reach or op is None:
            continue
        seen.add(v)
        out.append(op)
        stack.extend(op.operands)
    return out


def _memory_ok(between: list[ir.Operation], sink: _Sink, reach: set, plan: list[ir.Operation]) -> bool:
    """Whether computing ``sink`` chunk by chunk in a loop placed before ``between`` keeps every
    read and write of memory in order: ``between``'s accesses of what the sink reads or writes must
    touch the same elements per chunk (the same index pattern), and no region in ``between`` may
    store while the sink touches memory."""
    loads = [op for op in _cone_ops(sink, reach) + plan if op.name == "tile.load"]
    mine = loads + ([sink.op] if sink.kind == "store" else [])
    for op in between:
        if op.regions and walk(op, "tile.store") and mine:
            return False
        if op.name not in ("tile.load", "tile.store") or op in mine:
            continue
        for m in mine:
            if m.operands[0] == op.operands[0] and "tile.store" in (m.name, op.name) and not _same_access(m, op):
                return False
    return True


def _erase_dead(body: ir.Block, reach: set) -> None:
    """Erases the original ops of the rolled cones once nothing uses them (loads only read)."""
    changed = True
    while changed:
        changed = False
        for op in reversed(list(body.operations)):
            op = op.operation
            if op.results and all(r in reach for r in op.results) and not any(
                    True for r in op.results for _ in r.uses):
                if op.name in ("tile.store",) or op.regions:
                    continue
                op.erase()
                changed = True


def _elem(t: ir.Type) -> ir.Type:
    return t.element_type if isinstance(t, ir.RankedTensorType) else t


def _with_elem(t: ir.Type, elem: ir.Type) -> ir.Type:
    return ir.RankedTensorType.get(ir.RankedTensorType(t).shape, elem) if isinstance(t, ir.RankedTensorType) else elem


def _neutral(kind: str, t: ir.Type) -> float | int:
    elem = _elem(t)
    if kind in _NEUTRAL:
        return _NEUTRAL[kind]
    if isinstance(elem, ir.IntegerType):
        width = elem.width
        if width == 1:
            return 0 if kind == "max" else 1
        return -(1 << (width - 1)) if kind == "max" else (1 << (width - 1)) - 1
    return -math.inf if kind == "max" else math.inf


def _scalar_const(t: ir.Type, value: float | int) -> ir.Value:
    attr = ir.FloatAttr.get(t, float(value)) if not isinstance(t, ir.IntegerType) else ir.IntegerAttr.get(t, int(value))
    return ir.Operation.create("arith.constant", results=[t], attributes={"value": attr}).result


def _fill(t: ir.Type, value: float | int, sink: _Sink) -> ir.Value:
    """A tile (or scalar) of type ``t`` full of ``value``, shaped like the sink's result."""
    scalar = _scalar_const(_elem(t), value)
    if not isinstance(t, ir.RankedTensorType):
        return scalar
    dims = dims_of(sink.op.results[0])
    handles = [d for d in dims if not isinstance(d, int)]
    return tiled.FullOp(scalar, handles, t).result


def _combine(kind: str, acc: ir.Value, part: ir.Value) -> ir.Value:
    elem = _elem(acc.type)
    is_float = not isinstance(elem, ir.IntegerType)
    if isinstance(elem, ir.IntegerType) and elem.width == 1:
        name = {"sum": "ori", "max": "ori", "prod": "andi", "min": "andi"}[kind]
    elif is_float:
        name = {"sum": "addf", "prod": "mulf", "max": "maximumf", "min": "minimumf"}[kind]
    else:
        name = {"sum": "addi", "prod": "muli", "max": "maxsi", "min": "minsi"}[kind]
    return ir.Operation.create(f"arith.{name}", results=[acc.type], operands=[acc, part]).result


def _combine_arg(kind: str, part_op: ir.Operation, acc_v: ir.Value, acc_i: ir.Value, k: ir.Value,
                 sink: _Sink) -> tuple[ir.Value, ir.Value]:
    """argmax/argmin over chunks: the chunk's best value and index (offset by the chunk start) win
    when strictly better, so the first occurrence is kept."""
    src = part_op.operands[0]
    value_type = acc_v.type
    value = tiled.ReduceOp(src, part_op.attributes["dim"], ir.StringAttr.get("max" if kind == "argmax" else "min"),
                           part_op.attributes["keepdim"], value_type).result
    elem = _elem(value_type)
    is_float = not isinstance(elem, ir.IntegerType)
    pred = (2 if kind == "argmax" else 4) if is_float else (4 if kind == "argmax" else 2)
    bool_type = _with_elem(value_type, ir.IntegerType.get_signless(1))
    better = ir.Operation.create("arith.cmpf" if is_float else "arith.cmpi", results=[bool_type],
                                 operands=[value, acc_v],
                                 attributes={"predicate": ir.IntegerAttr.get(ir.IntegerType.get_signless(64),
                                                                             pred)}).result
    k64 = ir.Operation.create("arith.index_cast", results=[ir.IntegerType.get_signless(64)], operands=[k]).result
    offset = k64
    if isinstance(acc_i.type, ir.RankedTensorType):
        offset = tiled.FullOp(k64, [d for d in dims_of(sink.op.results[0]) if not isinstance(d, int)],
                              acc_i.type).result
    index = ir.Operation.create("arith.addi", results=[acc_i.type], operands=[part_op.results[0], offset]).result
    new_v = ir.Operation.create("arith.select", results=[value_type], operands=[better, value, acc_v]).result
    new_i = ir.Operation.create("arith.select", results=[acc_i.type], operands=[better, index, acc_i]).result
    return new_v, new_i
