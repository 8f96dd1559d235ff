"""Executes tiled tile-dialect kernels with eager torch ops, one program at a time."""

from __future__ import annotations

import math
from typing import Any

import torch

from tegula.compiler.mlir import ir

DTYPES = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16, "f64": torch.float64,
          "i64": torch.int64, "i32": torch.int32, "i16": torch.int16, "i8": torch.int8, "i1": torch.bool}
CMPF = {1: "eq", 2: "gt", 3: "ge", 4: "lt", 5: "le", 6: "ne", 13: "ne", 8: "eq", 9: "gt", 10: "ge", 11: "lt", 12: "le"}
CMPI = {0: "eq", 1: "ne", 2: "lt", 3: "le", 4: "gt", 5: "ge", 6: "lt", 7: "le", 8: "gt", 9: "ge"}
BINARY = {
    "addf": torch.add, "addi": torch.add, "subf": torch.sub, "subi": torch.sub, "mulf": torch.mul,
    "muli": torch.mul, "divf": torch.div, "maximumf": torch.maximum, "minimumf": torch.minimum,
    "maxnumf": torch.fmax, "minnumf": torch.fmin, "maxsi": torch.maximum, "minsi": torch.minimum,
    "maxui": torch.maximum, "minui": torch.minimum, "andi": torch.bitwise_and, "ori": torch.bitwise_or,
    "xori": torch.bitwise_xor, "remf": torch.fmod, "remsi": torch.fmod, "powf": torch.pow,
    "shli": torch.bitwise_left_shift, "shrsi": torch.bitwise_right_shift,
}
MATH = {"exp": torch.exp, "exp2": torch.exp2, "log": torch.log, "log2": torch.log2, "log10": torch.log10,
        "log1p": torch.log1p, "expm1": torch.expm1, "sqrt": torch.sqrt, "rsqrt": torch.rsqrt, "sin": torch.sin,
        "cos": torch.cos, "tan": torch.tan, "tanh": torch.tanh, "erf": torch.erf, "atan": torch.atan,
        "absf": torch.abs, "absi": torch.abs, "floor": torch.floor, "ceil": torch.ceil, "roundeven": torch.round,
        "trunc": torch.trunc}


def _dtype(t: ir.Type) -> torch.dtype | None:
    elem = t.element_type if isinstance(t, (ir.RankedTensorType, ir.MemRefType)) else t
    return DTYPES.get(str(elem))


class Interpreter:
    def __init__(self) -> None:
        self.env: dict[ir.Value, Any] = {}

    def get(self, v: ir.Value) -> Any:
        return self.env[v]

    def run_block(self, block: ir.Block) -> list[Any]:
        for op in block.operations:
            op = op.operation
            if op.name in ("scf.yield", "tile.yield", "func.return"):
                return [self.get(v) for v in op.operands]
            self.run_op(op)
        return []

    def run_op(self, op: ir.Operation) -> None:
        name = op.name
        a = [self.get(v) for v in op.operands] if name not in ("scf.for", "tile.launch") else []
        dialect, _, short = name.partition(".")
        out: Any = None
        if name == "arith.constant":
            attr = op.attributes["value"]
            out = attr.value if isinstance(attr, (ir.IntegerAttr, ir.FloatAttr)) else None
            if isinstance(attr, ir.IntegerAttr) and str(attr.type) == "i1":
                out = bool(out)
            if out is None:
                raise NotImplementedError(f"constant {attr}")
        elif dialect == "arith" and short in BINARY:
            out = BINARY[short](*(self._t(x) for x in a)) if any(isinstance(x, torch.Tensor) for x in a) else \
                self._scalar_binary(short, a[0], a[1])
        elif name in ("arith.divsi", "arith.divui"):
            out = torch.div(a[0], a[1], rounding_mode="trunc") if isinstance(a[0], torch.Tensor) else int(a[0] / a[1])
        elif name == "arith.floordivsi":
            out = torch.div(a[0], a[1], rounding_mode="floor") if isinstance(a[0], torch.Tensor) else a[0] // a[1]
        elif name == "arith.ceildivsi":
            out = -((-a[0]) // a[1])
        elif name in ("arith.cmpf", "arith.cmpi"):
            pred = ir.IntegerAttr(op.attributes["predicate"]).value
            kind = (CMPF if name == "arith.cmpf" else CMPI)[pred]
            x, y = self._t(a[0]), self._t(a[1])
            out = getattr(torch, kind)(x, y)
            if name == "arith.cmpf" and pred in (8, 9, 10, 11, 12, 13):  # unordered: NaN compares true
                out = out | torch.isnan(x) | torch.isnan(y)
        elif name == "arith.select":
            out = torch.where(self._t(a[0]), self._t(a[1]), self._t(a[2]))
        elif name == "arith.negf":
            out = -self._t(a[0])
        elif name in ("arith.extf", "arith.truncf", "arith.sitofp", "arith.uitofp", "arith.fptosi", "arith.fptoui",
                      "arith.extsi", "arith.extui", "arith.trunci", "arith.index_cast", "arith.bitcast"):
            out = self._cast(a[0], op.results[0].type)
        elif dialect == "math" and short in MATH:
            out = MATH[short](self._t(a[0]))
        elif name == "math.fma":
            out = self._t(a[0]) * self._t(a[1]) + self._t(a[2])
        elif name == "memref.dim":
            out = a[0].shape[a[1]]
        elif name == "tile.make_tile":
            begin, bound, bs = a
            out = (begin, max(min(bs, bound - begin), 0))
        elif name == "tile.begin":
            out = a[0][0]
        elif name == "tile.end":
            out = a[0][0] + a[0][1]
        elif name == "tile.index":
            out = torch.arange(a[0][0], a[0][0] + a[0][1], dtype=_dtype(op.results[0].type))
        elif name in ("tile.load", "tile.store"):
            self._memory(op, a)
            return
        elif name in ("tile.full", "tile.broadcast", "tile.reshape"):
            shape = self._shape(op.results[0].type, a[1:])
            if name == "tile.full":
                out = torch.full(shape, float(a[0]) if isinstance(a[0], torch.Tensor) else a[0],
                                 dtype=_dtype(op.results[0].type))
            elif name == "tile.broadcast":
                out = a[0].expand(shape)
            else:
                out = a[0].reshape(shape)
        elif name == "tile.permute":
            out = a[0].permute(*ir.DenseI64ArrayAttr(op.attributes["perm"]))
        elif name == "tile.reduce":
            out = self._reduce(op, a[0])
        elif name == "tile.dot":
            rtype = _dtype(op.results[0].type)
            out = torch.matmul(a[0].to(rtype), a[1].to(rtype))
            if len(a) == 3:
                out = out + a[2]
        elif name == "scf.for":
            self._for(op)
            return
        elif name == "tile.launch":
            n = self.get(op.operands[0])
            for pid in range(n):
                self.env["pid"] = pid
                self.run_block(op.regions[0].blocks[0])
            return
        elif name == "tile.program_id":
            out = self.env["pid"]
        else:
            raise NotImplementedError(f"the interpreter cannot run '{name}'")
        rt = op.results[0].type
        if isinstance(out, torch.Tensor) and _dtype(rt) is not None and out.dtype != _dtype(rt):
            out = out.to(_dtype(rt))
        self.env[op.results[0]] = out

    def _t(self, x: Any) -> Any:
        return x if isinstance(x, torch.Tensor) else torch.tensor(x)

    def _scalar_binary(self, short: str, x: Any, y: Any) -> Any:
        if isinstance(x, int) and isinstance(y, int) and short in ("addi", "subi", "muli", "maxsi", "minsi", "remsi"):
            ops = {"addi": lambda: x + y, "subi": lambda: x - y, "muli": lambda: x * y, "maxsi": lambda: max(x, y),
                   "minsi": lambda: min(x, y), "remsi": lambda: int(math.fmod(x, y))}
            return ops[short]()
        return BINARY[short](self._t(x), self._t(y))

    def _cast(self, x: Any, t: ir.Type) -> Any:
        if isinstance(t, ir.IndexType):
            return int(x)
        dtype = _dtype(t)
        if isinstance(x, torch.Tensor):
            return x.to(dtype)
        return torch.tensor(x).to(dtype)

    def _shape(self, t: ir.Type, handles: list[Any]) -> list[int]:
        rt = ir.RankedTensorType(t)
        it = iter(handles)
        return [next(it)[1] if rt.is_dynamic_dim(i) else 1 for i in range(rt.rank)]

    def _memory(self, op: ir.Operation, a: list[Any]) -> None:
        view = op.opview
        layout = ir.StringAttr(op.attributes["layout"]).value
        tensor = a[0]
        tiles = [self.get(v) for v in view.tiles]
        scalars = [self.get(v) for v in view.scalars]
        ti, si = iter(tiles), iter(scalars)
        index = tuple(slice(t[0], t[0] + t[1]) if c == "t" else next(si) for c in layout for t in
                      ([next(ti)] if c == "t" else [None]))
        if op.name == "tile.load":
            self.env[op.results[0]] = tensor[index].clone()
        else:
            tensor[index] = self.get(view.value)

    def _reduce(self, op: ir.Operation, x: torch.Tensor) -> Any:
        kind = ir.StringAttr(op.attributes["kind"]).value
        dim = ir.IntegerAttr(op.attributes["dim"]).value
        keep = ir.BoolAttr(op.attributes["keepdim"]).value
        fn = {"sum": torch.sum, "prod": torch.prod, "max": torch.amax, "min": torch.amin, "argmax": torch.argmax,
              "argmin": torch.argmin}[kind]
        return fn(x, dim=dim, keepdim=keep)

    def _for(self, op: ir.Operation) -> None:
        lb, ub, step, *inits = (self.get(v) for v in op.operands)
        block = op.regions[0].blocks[0]
        values = list(inits)
        for iv in range(lb, ub, step):
            self.env[block.arguments[0]] = iv
            for arg, v in zip(list(block.arguments)[1:], values):
                self.env[arg] = v
            values = self.run_block(block)
        for r, v in zip(op.results, values):
            self.env[r] = v


def run_kernel(module: ir.Module, args: list[Any]) -> None:
    for op in module.body.operations:
        fn = op.operation
        if fn.name == "func.func" and "tile.kernel" in fn.attributes:
            interp = Interpreter()
            block = fn.regions[0].blocks[0]
            for arg, value in zip(block.arguments, args):
                interp.env[arg] = value
            interp.run_block(block)
