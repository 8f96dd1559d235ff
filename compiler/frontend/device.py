"""Device code: the Python AST of the tile loops -> the tile dialect.

``compile_kernel`` takes a parsed kernel (``HostFunction``), the device loops
one call reached (with the host values they read) and that call's ``Spec``,
and emits one ``func.func`` with ``tile.kernel``: one top-level ``tile.for``
per device loop, in program order. Every op carries the ``FileLineColLoc``
of the Python expression it came from. Anything outside the language raises
``TegulaCompileError`` with file, line, column and the source line.

Statements are handled here; calls of torch / ``tl`` functions and methods
are in ``torch_ops``; IR building blocks in ``emit``.
"""

from __future__ import annotations

import ast
import contextlib
import math as pymath
import operator
from dataclasses import dataclass, field
from typing import Any, Iterator

import torch

from tegula.compiler import dtypes as dt
from tegula.compiler.errors import TegulaCompileError
from tegula.compiler.frontend import emit
from tegula.compiler.frontend.emit import ShapeError
from tegula.compiler.frontend.host import HostFunction, Recorded, device_iterator
from tegula.compiler.frontend.spec import Guard, Path, Spec
from tegula.compiler.frontend.values import TV, TensorArg, Tile
from tegula.compiler.mlir import func, ir, scf
from tegula.dialects import tile as tiled
from tegula.language import BlockSize


class OpError(Exception):
    """An error in a call or expression; the caller adds the location."""


@dataclass
class Binding:
    """How to fetch one kernel argument from a call's ``Spec``."""

    kind: str  # "tensor" | "int" | "float"
    item: int  # index into Spec.items
    name: str
    sub: tuple[int, ...] = ()  # position inside a list/tuple item

    def fetch(self, spec: Spec) -> Any:
        value = spec.items[self.item][1]
        for i in self.sub:
            value = value[i]
        return value


@dataclass
class BoundsCheck:
    """``tensor.size(dim) >= bound`` must hold: a tile loop indexes ``tensor`` up to ``bound``."""

    tensor_item: int
    tensor: str
    dim: int
    bound: tuple  # ("arg", Binding) | ("dim", item, d) | ("const", n)
    tile: str
    line: int

    def bound_value(self, spec: Spec) -> int:
        kind = self.bound[0]
        if kind == "arg":
            return int(self.bound[1].fetch(spec))
        if kind == "dim":
            return int(spec.items[self.bound[1]][1].shape[self.bound[2]])
        return int(self.bound[1])

    def violation(self, spec: Spec) -> str | None:
        size = spec.items[self.tensor_item][1].shape[self.dim]
        bound = self.bound_value(spec)
        if bound <= size:
            return None
        return (f"`{self.tensor}` has size {size} in dimension {self.dim}, but the tile `{self.tile}` of the loop "
                f"at line {self.line} goes up to {bound}: the kernel would access it out of bounds")


@dataclass
class CompiledModule:
    module: ir.Module
    bindings: list[Binding]
    guards: list[Guard]
    #: tunable block-size symbols: id -> (name, hint)
    block_sizes: dict[int, tuple[str, int]] = field(default_factory=dict)
    #: per top-level loop: {"symbols": [ids of its dims], "inner": [ids of nested loops],
    #: "reductions": [size hints of the ':' extents it uses], "reduction_ids": [their symbol ids],
    #: "line": source line}
    loops: list[dict] = field(default_factory=list)
    #: ':' (reduction) symbols: id -> size hint
    reductions: dict[int, int] = field(default_factory=dict)
    #: host-side bounds checks run before every launch (see DeviceCompiler.check_bounds)
    checks: list[BoundsCheck] = field(default_factory=list)


class _Dead:
    """A name assigned inside a nested loop, read after it."""

    def __init__(self, line: int) -> None:
        self.line = line


_BINOPS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.FloorDiv: "floordiv",
           ast.Mod: "mod", ast.Pow: "pow", ast.BitAnd: "and", ast.BitOr: "or", ast.BitXor: "xor",
           ast.LShift: "shl", ast.RShift: "shr", ast.MatMult: "matmul"}
_PYOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
          ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
          ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor,
          ast.LShift: operator.lshift, ast.RShift: operator.rshift}
_CMPOPS = {ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge"}
_PYCMP = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
          ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not}
_UNSUPPORTED_STMTS = {
    ast.While: "`while` loops", ast.Return: "`return`", ast.Break: "`break`", ast.Continue: "`continue`",
    ast.With: "`with` blocks", ast.Try: "`try` blocks", ast.Raise: "`raise`", ast.Import: "`import`",
    ast.ImportFrom: "`import`", ast.FunctionDef: "nested `def`", ast.ClassDef: "`class`",
    ast.Global: "`global`", ast.Nonlocal: "`nonlocal`", ast.Delete: "`del`", ast.AsyncFor: "`async for`",
    ast.AsyncWith: "`async with`", ast.AnnAssign: "annotated assignments",
}
_UNSUPPORTED_EXPRS = {
    ast.Lambda: "`lambda`", ast.ListComp: "list comprehensions", ast.SetComp: "set comprehensions",
    ast.DictComp: "dict comprehensions", ast.GeneratorExp: "generator expressions", ast.Await: "`await`",
    ast.Yield: "`yield`", ast.YieldFrom: "`yield from`", ast.JoinedStr: "f-strings", ast.Starred: "`*` unpacking",
    ast.Set: "set literals", ast.Dict: "dict literals", ast.NamedExpr: "`:=`",
}


class DeviceCompiler:
    """Emits the tile dialect for the device loops of one kernel call."""

    def __init__(self, host: HostFunction, recorded: list[Recorded], spec: Spec) -> None:
        self.host = host
        self.recorded = recorded
        self.spec = spec
        self.bindings: list[Binding] = []
        self.guards: dict[Path, Guard] = {}
        self.arg_types: list[ir.Type] = []
        self.arg_names: list[str] = []
        self.tensors: dict[int, TensorArg] = {}  # first item index -> arg
        self.ints: dict[str, TV] = {}  # size class -> index argument
        self.floats: dict[tuple, TV] = {}
        self.full_tiles: dict[str, Tile] = {}
        self.block_symbols: dict[int, tuple[ir.Value, int]] = {}  # BlockSize uid -> (value, id)
        self.block_sizes: dict[int, tuple[str, int]] = {}
        self.n_reduction = 0
        self.reduction_hints: dict[int, int] = {}
        self.scratch_args: set[int] = set()
        self.loops: list[dict] = []
        self.checks: list[BoundsCheck] = []
        self.scopes: list[dict[str, Any]] = []
        self.loop_index = 0
        self.node: ast.AST = host.tree

    # ------------------------------------------------------------ plumbing

    def error(self, node: ast.AST | None, message: str) -> TegulaCompileError:
        line, col = self.host.location(node if node is not None else self.node)
        return TegulaCompileError(message, self.host.filename, line, col)

    def loc(self, node: ast.AST) -> ir.Location:
        line, col = self.host.location(node)
        return ir.Location.file(self.host.filename, line, col)

    @contextlib.contextmanager
    def at(self, node: ast.AST) -> Iterator[None]:
        """Emits under ``node``'s location; turns op errors into located errors."""
        saved = self.node
        self.node = node
        try:
            with self.loc(node):
                yield
        except (OpError, ShapeError) as e:
            raise self.error(node, str(e)) from None
        except TegulaCompileError:
            raise
        except Exception as e:  # a bug in Tegula: still report where in the kernel it happened
            raise self.error(node, f"internal compiler error while compiling this code "
                                   f"({type(e).__name__}: {e}); please report it") from e
        finally:
            self.node = saved

    @contextlib.contextmanager
    def prologue(self) -> Iterator[None]:
        """Emits at the kernel's entry, before every loop (for hoisted values)."""
        with ir.InsertionPoint(self.anchor):
            yield

    # ------------------------------------------------------------ arguments

    def _add_arg(self, t: ir.Type, name: str, kind: str, item: int, sub: tuple[int, ...] = ()) -> ir.Value:
        self.arg_types.append(t)
        self.arg_names.append(name)
        self.bindings.append(Binding(kind, item, name, sub))
        return self.entry.add_argument(t, ir.Location.name(name, self.loc(self.host.tree)))

    def guard(self, path: Path | None, value: Any) -> None:
        if path is not None:
            self.guards[path] = Guard(path, value)

    def capture(self, path: Path, name: str) -> Any:
        """The device value of a host value (tensor, int, float or constant)."""
        item = self.spec.index[path]
        key = self.spec.key[2 + item][1]
        return self._convert(self.spec.items[item][1], key, item, name, path, ())

    def _convert(self, value: Any, desc: tuple, item: int, name: str, path: Path, sub: tuple[int, ...]) -> Any:
        kind = desc[0]
        if kind == "alias":  # the same tensor as an earlier item, which the device code may not have used yet
            if desc[1] not in self.tensors:
                first = self.spec.items[desc[1]][0]
                return self.capture(first, first[-1] if isinstance(first[-1], str) else name)
            return self.tensors[desc[1]]
        if kind == "T":
            if item not in self.tensors:
                if sub:
                    raise OpError(f"`{name}`: tensors inside lists or tuples cannot be passed to device code")
                _, dtype, _device, sizes, contiguous_last = desc
                self.tensors[item] = self._tensor_arg(name, dtype, sizes, contiguous_last, item)
            return self.tensors[item]
        if kind == "I":
            cls = desc[1]
            if cls == 1:
                return 1
            if cls not in self.ints:
                arg = self._add_arg(ir.IndexType.get(), name, "int", item, sub)
                self.ints[cls] = TV(arg, torch.int64, (), True, int(value), cls, path, ("arg", self.bindings[-1]))
            tv = self.ints[cls]
            return TV(tv.value, tv.dtype, (), True, int(value), cls, path, tv.source)
        if kind == "F":
            key = (item, sub)
            if key not in self.floats:
                arg = self._add_arg(ir.F32Type.get(), name, "float", item, sub)
                self.floats[key] = TV(arg, torch.float32, (), True)
            return self.floats[key]
        if kind == "L":
            names = name if isinstance(name, list) and len(name) == len(value) else \
                [f"{name}[{i}]" for i in range(len(value))]
            return (list if isinstance(value, list) else tuple)(
                self._convert(v, d, item, names[i], path, sub + (i,)) for i, (v, d) in enumerate(zip(value, desc[2])))
        return value  # bools, dtypes, None, block-size symbols and other constants

    def _tensor_arg(self, name: str, dtype: torch.dtype, sizes: tuple, contiguous_last: bool, item: int) -> TensorArg:
        shape = "x".join("1" if s == 1 else "?" for s in sizes)
        strides = ", ".join(["?"] * (len(sizes) - 1) + (["1" if contiguous_last else "?"] if sizes else []))
        elem = dt.mlir_name(dtype)
        text = f"memref<{shape + 'x' if sizes else ''}{elem}, strided<[{strides}], offset: ?>>"

        def make() -> ir.Value:
            arg = self._add_arg(ir.Type.parse(text), name, "tensor", item)
            if name in self.host.scratch:
                self.scratch_args.add(len(self.arg_types) - 1)
            return arg

        return TensorArg(name, make, dtype, tuple(sizes))

    def dim_value(self, t: TensorArg, d: int) -> TV:
        """``t.size(d)`` as a device index (hoisted to the kernel's entry)."""
        if t.sizes[d] == 1:
            return emit.to_tv(1)
        if d not in t.dim_values:
            with self.prologue():
                t.dim_values[d] = emit.op("memref.dim", [t.memref, emit.index_const(d)], ir.IndexType.get())
        actual = self._tensor_value(t).shape[d]
        item = next(i for i, a in self.tensors.items() if a is t)
        return TV(t.dim_values[d], torch.int64, (), True, actual, t.sizes[d], None, ("dim", item, d))

    def _tensor_value(self, t: TensorArg) -> torch.Tensor:
        for item, arg in self.tensors.items():
            if arg is t:
                return self.spec.items[item][1]
        raise KeyError(t.name)

    # ------------------------------------------------------------ tiles and block sizes

    def block_symbol(self, kind: str, hint: int, name: str, extent: ir.Value | None = None) -> tuple[ir.Value, int]:
        with self.prologue():
            if kind == "tile":
                bid = len(self.block_sizes)
                self.block_sizes[bid] = (name, hint)
            else:
                bid = self.n_reduction
                self.n_reduction += 1
                self.reduction_hints[bid] = hint
            op = tiled.BlockSizeOp([extent] if extent is not None else [], emit.i64_attr(bid),
                                   ir.StringAttr.get(kind), emit.i64_attr(hint))
            return op.result, bid

    def full_tile(self, extent: TV | int, name: str) -> Tile:
        """The ``:`` handle over a whole extent (shared by equal extents)."""
        if isinstance(extent, int):
            cls = f"c{extent}"
        else:
            cls = extent.size_class or f"v{id(extent.value)}"
        if cls not in self.full_tiles:
            with self.prologue():
                bound = emit.index_const(extent) if isinstance(extent, int) else extent.value
                hint = extent if isinstance(extent, int) else (extent.hint or -1)
                bs, rid = self.block_symbol("reduction", hint, name, bound)
                handle = tiled.MakeTileOp(emit.index_const(0), bound, bs).result
            source = ("const", extent) if isinstance(extent, int) else extent.source
            self.full_tiles[cls] = Tile(handle, bs, name, full=True, block_id=rid, hint=hint, bound_source=source,
                                        bound_class=cls, line=self.host.location(self.node)[0])
        tile = self.full_tiles[cls]
        if self.loops and cls not in self.loops[-1].setdefault("_classes", []):
            self.loops[-1]["_classes"].append(cls)
            self.loops[-1]["reductions"].append(tile.hint)
            self.loops[-1].setdefault("reduction_ids", []).append(tile.block_id)
        return tile

    def static_int(self, v: Any, what: str) -> int:
        """A compile-time int: a literal, or a captured int (guarded)."""
        if isinstance(v, bool):
            raise OpError(f"{what} must be an int, got a bool")
        if isinstance(v, int):
            return v
        if isinstance(v, TV) and v.hint is not None and v.path is not None and not v.dims:
            self.guard(v.path, v.hint)
            return v.hint
        raise OpError(f"{what} must be a compile-time int (a literal or an int from the host), "
                      f"got {describe(v)}")

    def shape_dims(self, shape: Any, what: str) -> tuple:
        """Dims of a tile shape given as tiles, sizes and ints (``tl.zeros([tile_m, n])``)."""
        if isinstance(shape, (Tile, TV, int)) and not isinstance(shape, bool):
            shape = (shape,)
        if not isinstance(shape, (tuple, list)):
            raise OpError(f"{what} must be a list of tiles and sizes, got {describe(shape)}")
        dims = []
        for s in shape:
            if isinstance(s, Tile):
                dims.append(s)
            elif isinstance(s, int) and not isinstance(s, bool):
                if s < 0:
                    raise OpError(f"{what}: size {s} is negative")
                dims.append(1 if s == 1 else self.full_tile(s, f"size{s}"))
            elif isinstance(s, TV) and not s.dims and not s.dtype.is_floating_point:
                if s.hint == 1 and s.path is not None:
                    dims.append(1)
                else:
                    dims.append(self.full_tile(s if s.is_index else TV(emit.index_value(s), torch.int64, (), True),
                                               "size"))
            else:
                raise OpError(f"{what}: {describe(s)} is not a tile or a size")
        return tuple(dims)

    # ------------------------------------------------------------ names

    def lookup(self, name: str, node: ast.AST) -> Any:
        for scope in reversed(self.scopes):
            if name in scope:
                v = scope[name]
                if isinstance(v, _Dead):
                    raise self.error(node, f"`{name}` is assigned inside the loop at line {v.line} and is not "
                                           "defined after it; assign it before the loop to carry it through")
                return v
        path = (self.loop_index, "var", name)
        if path in self.spec.index:
            value = self.capture(path, name)
            self.scopes[0][name] = value
            return value
        try:
            return self.host.resolve_global(name)
        except KeyError:
            raise self.error(node, f"name `{name}` is not defined") from None

    def assign(self, name: str, value: Any) -> None:
        self.scopes[-1][name] = value

    # ------------------------------------------------------------ kernel

    def compile(self) -> CompiledModule:
        module = ir.Module.create(self.loc(self.host.tree))
        with ir.InsertionPoint(module.body), self.loc(self.host.tree):
            fn = func.FuncOp(self.host.name, ([], []))
            fn.attributes["tile.kernel"] = ir.UnitAttr.get()
            self.entry = fn.add_entry_block()
            with ir.InsertionPoint(self.entry):
                self.anchor = emit.index_const(0).owner
                ret = func.ReturnOp([])
        for rec in self.recorded:
            self.loop_index = rec.index
            loop = self.host.loops[rec.index]
            self.scopes = [{}]
            with ir.InsertionPoint(ret), self.at(loop.node):
                self.top_level_loop(loop.node, loop.kind, rec)
        self.anchor.erase()
        fn.attributes["function_type"] = ir.TypeAttr.get(ir.FunctionType.get(self.arg_types, []))
        fn.attributes["tile.arg_names"] = ir.ArrayAttr.get([ir.StringAttr.get(n) for n in self.arg_names])
        if self.scratch_args:  # tensors only the device code uses: passes may drop stores nothing reads
            fn.attributes["arg_attrs"] = ir.ArrayAttr.get([
                ir.DictAttr.get({"tile.scratch": ir.UnitAttr.get()} if i in self.scratch_args else {})
                for i in range(len(self.arg_types))])
        for lp in self.loops:
            lp.pop("_classes", None)
        return CompiledModule(module, self.bindings, list(self.guards.values()), self.block_sizes, self.loops,
                              self.reduction_hints, self.checks)

    def top_level_loop(self, node: ast.For, kind: str, rec: Recorded) -> None:
        self.loops.append({"symbols": [], "inner": [], "reductions": [], "line": self.host.location(node)[0]})
        call = node.iter
        args = [self.capture((rec.index, "arg", i), _arg_name(a)) for i, a in enumerate(call.args)]
        kwargs = {k.arg: self.capture((rec.index, "kw", k.arg), k.arg) for k in call.keywords}
        self.emit_loop(node, kind, args, kwargs, top_level=True)

    # ------------------------------------------------------------ loops

    def loop_header(self, kind: str, args: list, kwargs: dict) -> tuple[list, list, list, bool]:
        """(begins, ends, block sizes, is_multi) from ``tl.tile``/``tl.grid`` arguments."""
        unknown = set(kwargs) - {"block_size"}
        if unknown or (kind == "grid" and "block_size" in kwargs):
            raise OpError(f"tl.{kind} got unexpected keyword argument(s) {sorted(unknown or {'block_size'})}")
        if not 1 <= len(args) <= (3 if kind == "tile" else 2):
            raise OpError(f"tl.{kind} takes (end), (begin, end){' or (begin, end, block_size)' if kind == 'tile' else ''}")
        block = kwargs.get("block_size")
        if kind == "tile" and len(args) == 3:
            block = args.pop()
        multi = isinstance(args[0], (list, tuple))
        if len(args) == 1:
            ends = list(args[0]) if multi else [args[0]]
            begins = [0] * len(ends)
        else:
            begins = list(args[0]) if multi else [args[0]]
            ends = list(args[1]) if multi else [args[1]]
            if len(begins) != len(ends):
                raise OpError(f"tl.{kind}: begin and end lists differ in length")
        if not ends:
            raise OpError(f"tl.{kind} needs at least one dimension")
        blocks = list(block) if isinstance(block, (list, tuple)) else [block] * len(ends)
        if len(blocks) != len(ends):
            raise OpError(f"tl.{kind}: {len(ends)} dimensions but {len(blocks)} block sizes")
        return begins, ends, blocks, multi

    def _bound(self, v: Any, what: str) -> tuple[ir.Value, int | None]:
        if isinstance(v, bool) or not isinstance(v, (int, TV)):
            raise OpError(f"{what} must be an int or a size, got {describe(v)}")
        try:
            value = emit.index_value(v)
        except TypeError as e:
            raise OpError(f"{what}: {e}") from None
        return value, (v if isinstance(v, int) else v.hint)

    def _block_size(self, b: Any, kind: str, hint: int, name: str) -> tuple[ir.Value, int | None]:
        if kind == "grid":
            return emit.index_const(1), None
        if b is None:
            with self.prologue():
                return self.block_symbol("tile", hint, name)
        if isinstance(b, BlockSize):
            if (b.min is not None and b.min < 1) or (b.max is not None and b.max < 1) or \
                    (b.min is not None and b.max is not None and b.min > b.max):
                raise OpError(f"block_size: tl.register_block_size({b.min}, {b.max}) needs 1 <= min <= max")
            if b.uid not in self.block_symbols:
                self.block_symbols[b.uid] = self.block_symbol("tile", hint, name)
            value, bid = self.block_symbols[b.uid]
            old_name, old_hint = self.block_sizes[bid]
            self.block_sizes[bid] = (old_name, max(old_hint, hint))
            return value, bid
        size = self.static_int(b, "block_size")
        if size < 1:
            raise OpError(f"block_size must be positive, got {size}")
        return emit.index_const(size), None

    def emit_loop(self, node: ast.For, kind: str, args: list, kwargs: dict, top_level: bool) -> None:
        begins, ends, blocks, multi = self.loop_header(kind, list(args), kwargs)
        targets = self._loop_targets(node.target, len(ends), multi)
        lbs, ubs, steps, meta, sources = [], [], [], [], []
        line = self.host.location(node)[0]
        for d, (b, e, blk) in enumerate(zip(begins, ends, blocks)):
            if isinstance(e, int) and not isinstance(e, bool):
                sources.append((("const", e), 1 if e == 1 else f"c{e}"))
            elif isinstance(e, TV) and e.source is not None:
                sources.append((e.source, e.size_class))
            else:
                sources.append((None, None))
            lb, lb_hint = self._bound(b, f"tl.{kind} begin")
            ub, ub_hint = self._bound(e, f"tl.{kind} end")
            hint = (ub_hint - (lb_hint or 0)) if ub_hint is not None else -1
            step, bid = self._block_size(blk, kind, hint, targets[d])
            lbs.append(lb)
            ubs.append(ub)
            steps.append(step)
            meta.append(bid)
            if bid is not None:
                self.loops[-1]["symbols" if top_level else "inner"].append(bid)
        if top_level:
            loop = tiled.ForOp(lbs, ubs, steps)
            block = loop.body.blocks.append(*([tiled.TileType.get()] * len(ends)))
            with ir.InsertionPoint(block):
                tiles = [Tile(block.arguments[d], steps[d], targets[d], block_id=meta[d], bound_source=sources[d][0],
                              bound_class=sources[d][1], line=line) for d in range(len(ends))]
                self._loop_body(node, kind, targets, multi, tiles, [], [])
                tiled.YieldOp()
            return
        carried = self._carried(node)
        inits = [self._carry_value(self.lookup(n, node)) for n in carried]
        self._sources = sources
        results = self._nested(node, kind, targets, multi, lbs, ubs, steps, meta, carried, inits, 0, [])
        for name, v, r in zip(carried, inits, results):
            self.assign(name, TV(r, v.dtype, v.dims, v.weak))
        line = self.host.location(node)[0]
        for name in self._assigned(node):
            if name not in carried:
                self.assign(name, _Dead(line))

    def _nested(self, node: ast.For, kind: str, targets: list[str], multi: bool, lbs: list, ubs: list, steps: list,
                meta: list, carried: list[str], values: list[TV], d: int, ivs: list) -> list[ir.Value]:
        """One ``scf.for`` per dimension of a nested tile loop; the innermost holds the body."""
        loop = scf.ForOp(lbs[d], ubs[d], steps[d], [v.value for v in values])
        with ir.InsertionPoint(loop.body):
            inner = [TV(a, v.dtype, v.dims, v.weak) for a, v in zip(loop.inner_iter_args, values)]
            ivs = ivs + [loop.induction_variable]
            if d + 1 < len(lbs):
                outs = self._nested(node, kind, targets, multi, lbs, ubs, steps, meta, carried, inner, d + 1, ivs)
            else:
                sources, line = self._sources, self.host.location(node)[0]
                tiles = [Tile(tiled.MakeTileOp(ivs[i], ubs[i], steps[i]).result, steps[i], targets[i],
                              block_id=meta[i], bound_source=sources[i][0], bound_class=sources[i][1], line=line)
                         for i in range(len(lbs))]
                outs = [o.value for o in self._loop_body(node, kind, targets, multi, tiles, carried, inner)]
            scf.YieldOp(outs)
        return list(loop.results)

    def _loop_body(self, node: ast.For, kind: str, targets: list[str], multi: bool, tiles: list[Tile],
                   carried: list[str], inner: list[TV]) -> list[TV]:
        """Binds the loop variables and carried values, emits the body, returns the carried values' next values."""
        values: list[Any] = tiles
        if kind == "grid":  # a grid loop's variables are the (scalar) indices
            values = [emit.tile_begin(t) for t in tiles]
        scope: dict[str, Any] = {}
        if isinstance(node.target, ast.Name) and (len(targets) > 1 or multi):
            scope[node.target.id] = tuple(values)
        else:
            for name, v in zip(targets, values):
                scope[name] = v
        for name, v in zip(carried, inner):
            scope[name] = v
        self.scopes.append(scope)
        try:
            self.body(node.body)
            return [self._carry_back(self.lookup(n, node), v, n, self._last_assignment(node, n))
                    for n, v in zip(carried, inner)]
        finally:
            self.scopes.pop()

    def _assigned(self, node: ast.For) -> list[str]:
        names: dict[str, None] = {}
        for n in ast.walk(ast.Module(node.body, [])):
            targets = n.targets if isinstance(n, ast.Assign) else [n.target] if isinstance(n, (ast.AugAssign, ast.For)) \
                else []
            for t in targets:
                for leaf in ast.walk(t):
                    if isinstance(leaf, ast.Name) and isinstance(leaf.ctx, ast.Store):
                        names.setdefault(leaf.id, None)
        return list(names)

    def _last_assignment(self, node: ast.For, name: str) -> ast.AST:
        """The last statement of a loop body that assigns ``name`` (where a carried value's error points)."""
        found: ast.AST = node
        for n in ast.walk(ast.Module(node.body, [])):
            targets = n.targets if isinstance(n, ast.Assign) else [n.target] if isinstance(n, ast.AugAssign) else []
            if any(isinstance(leaf, ast.Name) and leaf.id == name and isinstance(leaf.ctx, ast.Store)
                   for t in targets for leaf in ast.walk(t)):
                if found is node or (n.lineno, n.col_offset) > (found.lineno, found.col_offset):
                    found = n
        return found

    def _loop_targets(self, target: ast.expr, n: int, multi: bool) -> list[str]:
        if isinstance(target, ast.Name) and (n == 1 and not multi):
            return [target.id]
        if isinstance(target, ast.Name):  # `for tile in tl.tile([m, n])`: a tuple of tiles
            return [f"{target.id}[{i}]" for i in range(n)]
        if isinstance(target, (ast.Tuple, ast.List)) and all(isinstance(t, ast.Name) for t in target.elts):
            if len(target.elts) != n:
                raise self.error(target, f"the loop has {n} dimension(s) but unpacks {len(target.elts)}")
            return [t.id for t in target.elts]
        raise self.error(target, "a tile loop's target must be a name or a tuple of names")

    def _carried(self, node: ast.For) -> list[str]:
        """Names assigned in the loop body that already hold a device value."""
        out = []
        for name in self._assigned(node):
            for scope in reversed(self.scopes):
                if name in scope:
                    if not isinstance(scope[name], _Dead) and not isinstance(scope[name], (Tile, TensorArg)):
                        out.append(name)
                    break
        return out

    def _carry_value(self, v: Any) -> TV:
        if isinstance(v, (int, float, bool)) or (isinstance(v, TV)):
            return emit.to_tv(v) if not isinstance(v, TV) else v
        raise OpError(f"a loop can only carry device values (tiles and scalars), not {describe(v)}")

    def _carry_back(self, new: Any, old: TV, name: str, node: ast.AST) -> TV:
        try:
            new = emit.to_tv(new) if not isinstance(new, TV) else new
            if new.dims != old.dims:
                new = emit.broadcast_to(new, old.dims)
            if new.dtype != old.dtype or new.value.type != old.value.type:
                new = emit.cast(new, old.dtype)
                if new.value.type != old.value.type:  # index vs i64 scalars
                    new = TV(emit.index_value(new), old.dtype, (), old.weak) if old.is_index else new
        except (ShapeError, TypeError) as e:
            raise self.error(node, f"loop-carried `{name}` changes shape or type in the loop: {e}") from None
        return new

    # ------------------------------------------------------------ statements

    def body(self, stmts: list[ast.stmt]) -> None:
        for s in stmts:
            with self.at(s):
                self.stmt(s)

    def stmt(self, s: ast.stmt) -> None:
        if isinstance(s, ast.Assign):
            value = self.expr(s.value)
            for target in s.targets:
                self.store_target(target, value, s)
        elif isinstance(s, ast.AugAssign):
            self.aug_assign(s)
        elif isinstance(s, ast.Expr):
            if not isinstance(s.value, ast.Constant):  # docstrings
                self.expr(s.value)
        elif isinstance(s, ast.Pass):
            pass
        elif isinstance(s, ast.For):
            self.for_stmt(s)
        elif isinstance(s, ast.If):
            cond = self.static_condition(s.test)
            self.body(s.body if cond else s.orelse)
        elif isinstance(s, ast.Assert):
            if not self.static_condition(s.test):
                raise self.error(s, "assertion failed at compile time")
        else:
            what = _UNSUPPORTED_STMTS.get(type(s), f"`{type(s).__name__}` statements")
            raise self.error(s, f"{what} are not supported in device code" if what.endswith("s") or what.endswith("blocks")
                             else f"{what} is not supported in device code")

    def static_condition(self, test: ast.expr) -> bool:
        v = self.expr(test)
        if isinstance(v, (TV, Tile, TensorArg)):
            raise self.error(test, "data-dependent control flow is not supported: this condition depends on a "
                                   "device value; use torch.where(cond, a, b) instead")
        return bool(v)

    def for_stmt(self, s: ast.For) -> None:
        kind = device_iterator(s.iter, _Namespace(self))
        if kind is not None:
            if s.orelse:
                raise self.error(s, "a tile loop cannot have an `else` clause")
            args = [self.expr(a) for a in s.iter.args]
            kwargs = {k.arg: self.expr(k.value) for k in s.iter.keywords}
            with self.at(s.iter):
                self.emit_loop(s, kind, args, kwargs, top_level=False)
            return
        it = self.expr(s.iter)
        if isinstance(it, range) or (isinstance(it, (tuple, list)) and not any(isinstance(x, TV) for x in it)):
            for value in it:
                self.store_target(s.target, value, s)
                self.body(s.body)
            return
        raise self.error(s.iter, "device code can only loop over tl.tile(...), tl.grid(...) or a range of "
                                 "compile-time ints")

    def store_target(self, target: ast.expr, value: Any, node: ast.AST) -> None:
        if isinstance(target, ast.Name):
            self.assign(target.id, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            if not isinstance(value, (tuple, list)) or len(value) != len(target.elts):
                raise self.error(target, f"cannot unpack {describe(value)} into {len(target.elts)} names")
            for t, v in zip(target.elts, value):
                self.store_target(t, v, node)
        elif isinstance(target, ast.Subscript):
            base = self.expr(target.value)
            if not isinstance(base, TensorArg):
                raise self.error(target, "assignment to a slice of a device value is not supported; only global "
                                         "tensors can be stored into (`out[tile] = value`)")
            with self.at(target):
                self.store(base, target.slice, value)
        else:
            raise self.error(target, f"cannot assign to `{ast.unparse(target)}` in device code: only names, tuples "
                                     "of names and slices of global tensors (`out[tile] = ...`) can be assigned")

    def aug_assign(self, s: ast.AugAssign) -> None:
        kind = _BINOPS.get(type(s.op))
        if isinstance(s.target, ast.Subscript):
            base = self.expr(s.target.value)
            if not isinstance(base, TensorArg):
                raise self.error(s.target, "augmented assignment to a slice of a device value is not supported")
            old = self.load(base, s.target.slice)
            new = self.binop(kind, old, self.expr(s.value), s)
            self.store(base, s.target.slice, new)
            return
        if not isinstance(s.target, ast.Name):
            raise self.error(s.target, "augmented assignment needs a name or a tensor slice")
        old = self.lookup(s.target.id, s.target)
        new = self.binop(kind, old, self.expr(s.value), s)
        if isinstance(old, TV) and isinstance(new, TV):  # in place: keep dtype and shape
            new = self._carry_back(new, old, s.target.id, s)
        self.assign(s.target.id, new)

    # ------------------------------------------------------------ loads and stores

    def index_list(self, t: TensorArg, index: ast.expr) -> list[tuple[str, Any]]:
        """Normalizes ``x[...]``: a list of ("tile", Tile) / ("scalar", index, keep) / ("new", None)."""
        elts = index.elts if isinstance(index, ast.Tuple) else [index]
        parts: list[Any] = []
        for e in elts:
            if isinstance(e, ast.Slice):
                if e.lower is not None or e.upper is not None or e.step is not None:
                    raise OpError("slices with bounds (`a:b`) are not supported; index with a tile or `:`")
                parts.append(slice(None))
            elif isinstance(e, ast.Constant) and e.value is Ellipsis:
                parts.append(Ellipsis)
            else:
                v = self.expr(e)
                if isinstance(v, tuple) and all(isinstance(x, Tile) for x in v):
                    parts.extend(v)  # a multi-dimensional tile
                else:
                    parts.append(v)
        if sum(1 for p in parts if p is Ellipsis) > 1:
            raise OpError("an index can only have one `...`")
        used = sum(1 for p in parts if p is not None and p is not Ellipsis)
        if used > t.rank:
            raise OpError(f"too many indices for `{t.name}`: {used} for a rank-{t.rank} tensor")
        if Ellipsis in parts:
            i = parts.index(Ellipsis)
            parts[i:i + 1] = [slice(None)] * (t.rank - used)
        else:
            parts += [slice(None)] * (t.rank - used)
        out: list[tuple[str, Any]] = []
        d = 0
        for p in parts:
            if p is None:
                out.append(("new", None))
                continue
            if d >= t.rank:
                break
            if isinstance(p, slice):
                if t.sizes[d] == 1:
                    out.append(("scalar", emit.index_const(0), True))
                else:
                    out.append(("tile", self.full_tile(self.dim_value(t, d), f"{t.name}.size({d})")))
            elif isinstance(p, Tile):
                self._check_bounds(t, d, p)
                out.append(("tile", p))
            elif isinstance(p, TV) and p.dims:
                raise OpError("indexing with a tensor (gather/scatter) is not supported; index with tiles")
            elif isinstance(p, (int, TV)) and not isinstance(p, bool):
                if isinstance(p, int) and p < 0:  # torch's negative indices count from the end
                    p = emit.binary("add", self.dim_value(t, d), emit.to_tv(p))
                try:
                    out.append(("scalar", emit.index_value(p), False))
                except TypeError as e:
                    raise OpError(f"bad index: {e}") from None
            else:
                raise OpError(f"cannot index a tensor with {describe(p)}")
            d += 1
        return out

    def _check_bounds(self, t: TensorArg, d: int, tile: Tile) -> None:
        """Records a host-side check when a tile's bound is not provably within ``t``'s dimension ``d``."""
        if tile.bound_source is None or tile.bound_class == t.sizes[d]:
            return
        item = next(i for i, a in self.tensors.items() if a is t)
        key = (item, d, tile.bound_source[0], str(tile.bound_source[1:]))
        if any((c.tensor_item, c.dim, c.bound[0], str(c.bound[1:])) == key for c in self.checks):
            return
        self.checks.append(BoundsCheck(item, t.name, d, tile.bound_source, tile.name, tile.line))

    def load(self, t: TensorArg, index: ast.expr) -> TV:
        parts = self.index_list(t, index)
        tiles = tuple(p[1] for p in parts if p[0] == "tile")
        result = tiled.LoadOp(t.memref, [x.handle for x in tiles], [p[1] for p in parts if p[0] == "scalar"],
                              ir.StringAttr.get(_layout(parts)), emit.tensor_type(t.dtype, tiles)).result
        v = TV(result, t.dtype, tiles)
        dims = tuple(p[1] if p[0] == "tile" else 1 for p in parts if p[0] == "tile" or p[0] == "new"
                     or (p[0] == "scalar" and p[2]))
        return emit.reshape(v, dims) if dims != tiles else v

    def store(self, t: TensorArg, index: ast.expr, value: Any) -> None:
        parts = self.index_list(t, index)
        if any(p[0] == "new" for p in parts):
            raise OpError("`None` is not allowed in the index of a store")
        tiles = tuple(p[1] for p in parts if p[0] == "tile")
        full = tuple(p[1] if p[0] == "tile" else 1 for p in parts if p[0] == "tile" or p[2])
        v = value if isinstance(value, TV) else emit.to_tv(value, t.dtype) if isinstance(value, (int, float, bool)) \
            else None
        if v is None:
            raise OpError(f"cannot store {describe(value)} into `{t.name}`")
        while v.rank > len(full) and v.dims[0] == 1:  # torch drops leading unit dims on setitem
            v = emit.reshape(v, v.dims[1:])
        try:
            v = emit.broadcast_to(emit.cast(v, t.dtype), full)
        except ShapeError as e:
            where = ", ".join(map(ast.unparse, index.elts)) if isinstance(index, ast.Tuple) else ast.unparse(index)
            raise OpError(f"cannot store {describe(v)} into `{t.name}[{where}]`: {e}") from None
        v = emit.reshape(v, tiles) if full != tiles else v
        tiled.StoreOp(t.memref, [x.handle for x in tiles], [p[1] for p in parts if p[0] == "scalar"], v.value,
                      ir.StringAttr.get(_layout(parts)))

    # ------------------------------------------------------------ expressions

    def expr(self, e: ast.expr) -> Any:
        with self.at(e):
            return self._expr(e)

    def _expr(self, e: ast.expr) -> Any:
        from tegula.compiler.frontend import torch_ops

        if isinstance(e, ast.Constant):
            return e.value
        if isinstance(e, ast.Name):
            return self.lookup(e.id, e)
        if isinstance(e, (ast.Tuple, ast.List)):
            return tuple(self.expr(x) for x in e.elts)
        if isinstance(e, ast.Attribute):
            base = self.expr(e.value)
            return torch_ops.attribute(self, base, e.attr)
        if isinstance(e, ast.Subscript):
            base = self.expr(e.value)
            if isinstance(base, TensorArg):
                return self.load(base, e.slice)
            if isinstance(base, TV):
                return torch_ops.index_value(self, base, e.slice)
            if isinstance(base, (tuple, list, dict, str)):
                key = self.expr(e.slice)
                if isinstance(key, TV):
                    raise OpError("indexing a Python sequence needs a compile-time index")
                return base[key]
            raise OpError(f"cannot index {describe(base)}")
        if isinstance(e, ast.BinOp):
            kind = _BINOPS[type(e.op)]
            return self.binop(kind, self.expr(e.left), self.expr(e.right), e)
        if isinstance(e, ast.UnaryOp):
            return torch_ops.unary(self, e.op, self.expr(e.operand))
        if isinstance(e, ast.Compare):
            return self.compare(e)
        if isinstance(e, ast.BoolOp):
            values = [self.expr(v) for v in e.values]
            if any(isinstance(v, (TV, Tile, TensorArg)) for v in values):
                raise OpError("`and`/`or` on device values would be data-dependent control flow; use `&` and `|`")
            out = values[0]
            for v in values[1:]:
                out = (out and v) if isinstance(e.op, ast.And) else (out or v)
            return out
        if isinstance(e, ast.IfExp):
            return self.expr(e.body) if self.static_condition(e.test) else self.expr(e.orelse)
        if isinstance(e, ast.Call):
            return torch_ops.call(self, e)
        what = _UNSUPPORTED_EXPRS.get(type(e), f"`{type(e).__name__}` expressions")
        raise OpError(f"{what} are not supported in device code" if what.endswith("s")
                      else f"{what} is not supported in device code")

    def binop(self, kind: str, a: Any, b: Any, node: ast.AST) -> Any:
        from tegula.compiler.frontend import torch_ops

        if not isinstance(a, (TV, Tile, TensorArg)) and not isinstance(b, (TV, Tile, TensorArg)):
            try:
                return _PYOPS[_kind_to_ast(kind)](a, b)
            except Exception as ex:  # noqa: BLE001 - a Python error in constant folding
                raise OpError(f"cannot compute `{kind}` of {describe(a)} and {describe(b)}: {ex}") from None
        return torch_ops.binary(self, kind, a, b)

    def compare(self, e: ast.Compare) -> Any:
        from tegula.compiler.frontend import torch_ops

        left = self.expr(e.left)
        result: Any = None
        for cmp_op, right_node in zip(e.ops, e.comparators):
            right = self.expr(right_node)
            if not isinstance(left, (TV, Tile, TensorArg)) and not isinstance(right, (TV, Tile, TensorArg)):
                if type(cmp_op) not in _PYCMP:
                    raise OpError(f"`{type(cmp_op).__name__}` comparisons are not supported")
                r = _PYCMP[type(cmp_op)](left, right)
            else:
                if type(cmp_op) not in _CMPOPS:
                    word = {ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}.get(type(cmp_op))
                    raise OpError(f"`{word or type(cmp_op).__name__}` is not supported on device values")
                r = torch_ops.compare(self, _CMPOPS[type(cmp_op)], left, right)
            result = r if result is None else torch_ops.binary(self, "and", result, r) \
                if isinstance(r, TV) or isinstance(result, TV) else (result and r)
            left = right
        return result


def _layout(parts: list[tuple]) -> str:
    return "".join("t" if p[0] == "tile" else "s" for p in parts if p[0] != "new")


def _arg_name(node: ast.expr) -> Any:
    """A readable name for a loop-header argument (``n``, ``x.size(0)``)."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_arg_name(e) for e in node.elts]
    return ast.unparse(node)


def _kind_to_ast(kind: str) -> type:
    return next(k for k, v in _BINOPS.items() if v == kind)


class _Namespace(dict):
    """Resolves dotted names for ``device_iterator`` without capturing values."""

    def __init__(self, c: DeviceCompiler) -> None:
        super().__init__()
        self.c = c

    def __contains__(self, name: object) -> bool:
        try:
            self[name]
            return True
        except KeyError:
            return False

    def __getitem__(self, name: Any) -> Any:
        for scope in reversed(self.c.scopes):
            if name in scope:
                return scope[name]
        try:
            return self.c.host.resolve_global(name)
        except KeyError:
            raise KeyError(name) from None


def describe(v: Any) -> str:
    if isinstance(v, TV):
        if not v.dims:
            return f"a {str(v.dtype).removeprefix('torch.')} scalar"
        return f"a {str(v.dtype).removeprefix('torch.')} tile [{', '.join(d if isinstance(d, str) else ('1' if isinstance(d, int) else d.name) for d in v.dims)}]"
    if isinstance(v, Tile):
        return f"the tile `{v.name}`"
    if isinstance(v, TensorArg):
        return f"the tensor `{v.name}`"
    if isinstance(v, float) and pymath.isnan(v):
        return "nan"
    return f"`{v!r}`" if isinstance(v, (int, float, bool, str)) or v is None else f"a {type(v).__name__}"


def compile_kernel(host: HostFunction, recorded: list[Recorded], spec: Spec) -> CompiledModule:
    """Emits the tile dialect for one call's device loops (a context must be current)."""
    tiled.load_dialect(ir.Context.current)
    compiler = DeviceCompiler(host, recorded, spec)
    try:
        return compiler.compile()
    finally:  # the compiler ends in reference cycles: the call's tensors must not wait for the collector there
        compiler.recorded, compiler.spec = [], None
