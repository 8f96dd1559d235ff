"""tileir dialect -> cuTile Python source: one ``@ct.kernel`` per ``tile.launch``.

Takes a kernel after ``tegula-to-tileir``. Each launch becomes a function whose
parameters are the kernel arguments its body reads (memrefs as cuTile arrays,
scalars as ints or floats) and the host values it captures (launch-size
arithmetic computed outside it); tile shapes are literals. Views become
``ct.load``/``ct.store`` at tile indices with zero padding, the tileir ops
their cuTile functions (``ct.sum``, ``ct.mma``, ``ct.broadcast_to``, ...),
``arith``/``math`` on tiles ``ct.add``, ``ct.exp``, ``ct.where``, ...; index
arithmetic on scalars stays Python arithmetic. Anything else raises
``CuTileCodegenError`` naming the op.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from tegula.compiler.mlir import ir

PRELUDE = "import cuda.tile as ct\n\nNEG_INF = float('-inf')\nPOS_INF = float('inf')\n"

_DTYPES = {"f32": "ct.float32", "f16": "ct.float16", "bf16": "ct.bfloat16", "f64": "ct.float64",
           "i1": "ct.bool_", "i8": "ct.int8", "i16": "ct.int16", "i32": "ct.int32", "i64": "ct.int64"}
_BINARY = {"arith.addf": "ct.add", "arith.subf": "ct.sub", "arith.mulf": "ct.mul", "arith.divf": "ct.truediv",
           "arith.addi": "ct.add", "arith.subi": "ct.sub", "arith.muli": "ct.mul",
           "arith.maximumf": "ct.maximum", "arith.minimumf": "ct.minimum", "arith.maxnumf": "ct.maximum",
           "arith.minnumf": "ct.minimum", "arith.maxsi": "ct.maximum", "arith.minsi": "ct.minimum",
           "math.powf": "ct.pow"}
_SCALAR_BINARY = {"arith.addi": "{} + {}", "arith.subi": "{} - {}", "arith.muli": "{} * {}",
                  "arith.addf": "{} + {}", "arith.subf": "{} - {}", "arith.mulf": "{} * {}", "arith.divf": "{} / {}",
                  "arith.divsi": "{} // {}", "arith.remsi": "{} % {}", "arith.ceildivsi": "ct.cdiv({}, {})",
                  "arith.minsi": "min({}, {})", "arith.maxsi": "max({}, {})"}
_UNARY = {"math.exp": "ct.exp", "math.log": "ct.log", "math.sqrt": "ct.sqrt", "math.rsqrt": "ct.rsqrt",
          "math.tanh": "ct.tanh", "math.absf": "ct.abs", "arith.negf": "ct.negative", "math.exp2": "ct.exp2",
          "math.log2": "ct.log2", "math.sin": "ct.sin", "math.cos": "ct.cos", "math.floor": "ct.floor",
          "math.ceil": "ct.ceil"}
_CMPF = {1: "ct.equal", 2: "ct.greater", 3: "ct.greater_equal", 4: "ct.less", 5: "ct.less_equal", 6: "ct.not_equal",
         8: "ct.equal", 9: "ct.greater", 10: "ct.greater_equal", 11: "ct.less", 12: "ct.less_equal",
         13: "ct.not_equal"}
_CMPI = {0: "ct.equal", 1: "ct.not_equal", 2: "ct.less", 3: "ct.less_equal", 4: "ct.greater", 5: "ct.greater_equal",
         6: "ct.less", 7: "ct.less_equal", 8: "ct.greater", 9: "ct.greater_equal"}
_REDUCE = {"sum": "ct.sum", "prod": "ct.prod", "max": "ct.max", "min": "ct.min", "argmax": "ct.argmax",
           "argmin": "ct.argmin"}


class CuTileCodegenError(Exception):
    """A construct the cuTile emitter cannot express (names the op)."""


def dtype_of(t: ir.Type) -> str:
    key = str(ir.RankedTensorType(t).element_type if isinstance(t, ir.RankedTensorType) else t)
    if key not in _DTYPES:
        raise CuTileCodegenError(f"no cuTile dtype for {key}")
    return _DTYPES[key]


def _literal(attr: ir.Attribute) -> str:
    if isinstance(attr, ir.FloatAttr):
        v = ir.FloatAttr(attr).value
        return "NEG_INF" if v == -math.inf else "POS_INF" if v == math.inf else repr(v)
    if isinstance(attr, ir.IntegerAttr):
        return str(ir.IntegerAttr(attr).value)
    if isinstance(attr, ir.BoolAttr):
        return str(ir.BoolAttr(attr).value)
    raise CuTileCodegenError(f"no cuTile literal for {attr}")


@dataclass
class _Launch:
    name: str
    params: list[tuple[str, ir.Value]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


class _Emitter:
    def __init__(self, fn: ir.Operation, launch: ir.Operation, index: int) -> None:
        self.fn, self.launch = fn, launch
        self.names: dict[Any, str] = {}
        self.views: dict[Any, tuple[str, list[int]]] = {}
        self.out = _Launch(f"{ir.StringAttr(fn.attributes['sym_name']).value}_launch{index}")
        self.counter = 0

    def fresh(self, hint: str = "v") -> str:
        self.counter += 1
        return f"{hint}{self.counter}"

    def name(self, v: ir.Value) -> str:
        if v in self.names:
            return self.names[v]
        owner = v.owner
        op = owner.operation if isinstance(owner, ir.OpView) else owner
        if isinstance(op, ir.Operation) and op.name == "arith.constant" and not isinstance(v.type, ir.RankedTensorType):
            self.names[v] = _literal(op.attributes["value"])
            return self.names[v]
        # a value from outside the launch: a kernel parameter
        p = f"p{len(self.out.params)}"
        self.out.params.append((p, v))
        self.names[v] = p
        return p

    def line(self, text: str) -> None:
        self.out.lines.append("    " + text)

    def assign(self, v: ir.Value, expr: str, hint: str = "v") -> None:
        n = self.fresh(hint)
        self.line(f"{n} = {expr}")
        self.names[v] = n

    def emit(self) -> _Launch:
        for op in self.launch.regions[0].blocks[0].operations:
            self.op(op.operation)
        return self.out

    def op(self, op: ir.Operation) -> None:
        name = op.name
        operands = list(op.operands)
        res = op.results[0] if len(op.results) else None
        if name == "tile.yield":
            return
        if name == "tileir.block_id":
            self.assign(res, f"ct.bid({ir.IntegerAttr(op.attributes['dim']).value})", "bid")
        elif name == "tileir.num_blocks":
            self.assign(res, f"ct.num_blocks({ir.IntegerAttr(op.attributes['dim']).value})", "nb")
        elif name == "tileir.make_tensor_view":
            self.names[res] = self.name(operands[0])
        elif name == "tileir.make_partition_view":
            self.views[res] = (self.names[operands[0]], list(ir.DenseI64ArrayAttr(op.attributes["tile"])))
        elif name == "tileir.load_view":
            array, tile = self.views[operands[0]]
            idx = ", ".join(self.name(i) for i in operands[1:])
            self.assign(res, f"ct.load({array}, index=({idx},), shape=({', '.join(map(str, tile))},), "
                        "padding_mode=ct.PaddingMode.ZERO)", "t")
        elif name == "tileir.store_view":
            array, _ = self.views[operands[0]]
            idx = ", ".join(self.name(i) for i in operands[1:-1])
            self.line(f"ct.store({array}, index=({idx},), tile={self.name(operands[-1])})")
        elif name == "tileir.full":
            t = ir.RankedTensorType(res.type)
            self.assign(res, f"ct.full(({', '.join(map(str, t.shape))},), {self.name(operands[0])}, {dtype_of(t)})")
        elif name == "tileir.iota":
            t = ir.RankedTensorType(res.type)
            self.assign(res, f"ct.arange({t.shape[0]}, dtype={dtype_of(t)})")
        elif name in ("tileir.broadcast", "tileir.reshape"):
            t = ir.RankedTensorType(res.type)
            fn = "ct.broadcast_to" if name == "tileir.broadcast" else "ct.reshape"
            self.assign(res, f"{fn}({self.name(operands[0])}, ({', '.join(map(str, t.shape))},))")
        elif name == "tileir.permute":
            perm = list(ir.DenseI64ArrayAttr(op.attributes["perm"]))
            self.assign(res, f"ct.permute({self.name(operands[0])}, ({', '.join(map(str, perm))},))")
        elif name == "tileir.reduce":
            kind = ir.StringAttr(op.attributes["kind"]).value
            dim = ir.IntegerAttr(op.attributes["dim"]).value
            self.assign(res, f"{_REDUCE[kind]}({self.name(operands[0])}, axis={dim})")
        elif name == "tileir.mma":
            self.assign(res, f"ct.mma({', '.join(self.name(v) for v in operands)})")
        elif name == "arith.constant":
            if isinstance(res.type, ir.RankedTensorType):
                raise CuTileCodegenError("a dense tile constant (expected tileir.full)")
            self.names[res] = _literal(op.attributes["value"])
        elif isinstance(res.type if res is not None else None, ir.RankedTensorType):
            self.tile_op(op, name, operands, res)
        elif name in _SCALAR_BINARY:
            a, b = (self.name(v) for v in operands)
            self.assign(res, _SCALAR_BINARY[name].format(a, b), "i")
        elif name == "arith.index_cast":
            self.names[res] = self.name(operands[0])
        elif name in ("arith.sitofp", "arith.uitofp", "arith.fptosi", "arith.extf", "arith.truncf"):
            self.assign(res, f"ct.astype({self.name(operands[0])}, {dtype_of(res.type)})")
        else:
            raise CuTileCodegenError(f"the cuTile emitter cannot lower '{name}'")

    def tile_op(self, op: ir.Operation, name: str, operands: list[ir.Value], res: ir.Value) -> None:
        args = [self.name(v) for v in operands]
        if name in _BINARY:
            self.assign(res, f"{_BINARY[name]}({args[0]}, {args[1]})")
        elif name in _UNARY:
            self.assign(res, f"{_UNARY[name]}({args[0]})")
        elif name == "arith.select":
            self.assign(res, f"ct.where({args[0]}, {args[1]}, {args[2]})")
        elif name in ("arith.cmpf", "arith.cmpi"):
            pred = ir.IntegerAttr(op.attributes["predicate"]).value
            table = _CMPF if name == "arith.cmpf" else _CMPI
            if pred not in table:
                raise CuTileCodegenError(f"'{name}' predicate {pred}")
            self.assign(res, f"{table[pred]}({args[0]}, {args[1]})")
        elif name in ("arith.extf", "arith.truncf", "arith.sitofp", "arith.fptosi", "arith.extsi", "arith.trunci",
                      "arith.uitofp", "arith.extui"):
            self.assign(res, f"ct.astype({args[0]}, {dtype_of(res.type)})")
        else:
            raise CuTileCodegenError(f"the cuTile emitter cannot lower '{name}' on tiles")


def param_spec(v: ir.Value) -> dict[str, Any]:
    """What a kernel parameter is, as plain data: an array (dtype, rank) or a scalar (dtype)."""
    t = v.type
    if isinstance(t, ir.MemRefType):
        m = ir.MemRefType(t)
        return {"kind": "array", "dtype": dtype_of(m.element_type).removeprefix("ct."), "rank": m.rank}
    if isinstance(t, (ir.IndexType, ir.IntegerType)):
        return {"kind": "scalar", "dtype": "int32"}
    if isinstance(t, ir.F32Type):
        return {"kind": "scalar", "dtype": "float32"}
    raise CuTileCodegenError(f"no cuTile parameter for a {t} value")


def generate(module: ir.Module) -> tuple[str, list[dict[str, Any]]]:
    """The cuTile Python module text and, per launch, its kernel name and its parameters (``param_spec``)."""
    parts, launches = [PRELUDE], []
    for top in module.body.operations:
        fn = top.operation
        if fn.name != "func.func" or "tile.kernel" not in fn.attributes:
            continue
        body = [o.operation for o in fn.regions[0].blocks[0].operations]
        for i, launch in enumerate(o for o in body if o.name == "tile.launch"):
            out = _Emitter(fn, launch, i).emit()
            params = ", ".join(p for p, _ in out.params)
            parts.append(f"\n@ct.kernel\ndef {out.name}({params}):\n" + "\n".join(out.lines) + "\n")
            launches.append({"kernel": out.name, "param_specs": [param_spec(v) for _, v in out.params]})
    return "\n".join(parts), launches
