"""Helpers shared by Tegula's passes (walking, cloning, constants); not a pass itself."""

from __future__ import annotations

from typing import Any, Callable

from tegula.compiler.mlir import ir
from tegula.dialects.tile import dims_of


def kernels(module: ir.Operation) -> list[ir.Operation]:
    """The ``tile.kernel`` functions of a module."""
    body = module.regions[0].blocks[0]
    return [op.operation for op in body.operations if op.operation.name == "func.func"
            and "tile.kernel" in op.operation.attributes]


def walk(op: ir.Operation, name: str) -> list[ir.Operation]:
    """Every op called ``name`` nested in ``op`` (pre-order)."""
    out = []
    for region in op.regions:
        for block in region.blocks:
            for child in block.operations:
                child = child.operation
                if child.name == name:
                    out.append(child)
                out.extend(walk(child, name))
    return out


def top_level(fn: ir.Operation, name: str) -> list[ir.Operation]:
    """The ops called ``name`` directly in a kernel's body (its launches or top-level loops)."""
    return [op.operation for op in fn.regions[0].blocks[0].operations if op.operation.name == name]


def index_const(v: int) -> ir.Value:
    return ir.Operation.create("arith.constant", results=[ir.IndexType.get()],
                               attributes={"value": ir.IntegerAttr.get(ir.IndexType.get(), v)}).result


def index_op(name: str, a: ir.Value, b: ir.Value) -> ir.Value:
    return ir.Operation.create(f"arith.{name}", results=[ir.IndexType.get()], operands=[a, b]).result


def const_int(v: ir.Value) -> int | None:
    op = getattr(v.owner, "operation", None)
    if op is not None and op.name == "arith.constant" and isinstance(op.attributes["value"], ir.IntegerAttr):
        return ir.IntegerAttr(op.attributes["value"]).value
    return None


def defining_op(v: ir.Value) -> ir.Operation | None:
    owner = v.owner
    return None if isinstance(owner, ir.Block) else owner.operation


def has_dim(v: ir.Value, handle: ir.Value) -> bool:
    """Whether tile value ``v`` has a dimension belonging to ``handle``."""
    return isinstance(v.type, ir.RankedTensorType) and any(d == handle for d in dims_of(v))


def clone_cone(roots: list[ir.Value], depends: Callable[[ir.Value], bool], mapping: dict[Any, ir.Value],
               ip: ir.InsertionPoint) -> dict[Any, ir.Value]:
    """Clones, at ``ip`` and in program order, the ops computing ``roots`` that ``depends`` on something in
    ``mapping``; operands are remapped through ``mapping``, which the clones' results are added to."""
    order: list[ir.Operation] = []
    seen: set = set()

    def visit(v: ir.Value) -> None:
        op = defining_op(v)
        if op is None or op in seen or v in mapping or not depends(v):
            return
        seen.add(op)
        for operand in op.operands:
            visit(operand)
        order.append(op)

    for r in roots:
        visit(r)
    for op in order:
        clone = op.clone(ip=ip)
        for i, operand in enumerate(op.operands):
            if operand in mapping:
                clone.operands[i] = mapping[operand]
        for old, new in zip(op.results, clone.results):
            mapping[old] = new
    return mapping
