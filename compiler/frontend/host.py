"""The host side of a kernel: split device loops from host code, run the host code.

A kernel function is Python whose top-level ``for ... in tl.tile(...)`` (or
``tl.grid(...)``) loops are device code. ``HostFunction`` parses the source,
finds those loops, and builds a plain Python function in which each device
loop is replaced by a call that *records* the loop's inputs (the host values
its body reads and its evaluated ``tl.tile`` arguments). Host code runs
eagerly (allocations, shape arithmetic); the recorded loops run, in order,
as one compiled kernel when the host function returns. Host code after a
device loop therefore cannot read what the loop writes: that is checked here
and reported with the line.
"""

from __future__ import annotations

import ast
import builtins
import copy
import functools
import inspect
import textwrap
import threading
import types
from dataclasses import dataclass, field
from typing import Any, Callable

import tegula.language as tl
from tegula.compiler.errors import TegulaCompileError
from tegula.compiler.output_cache import REPLACED, allocate

LAUNCH_NAME = "__tegula_launch__"
ALLOC_NAME = "__tegula_alloc__"
DEVICE_ITERATORS = {id(tl.tile): "tile", id(tl.grid): "grid"}


@dataclass
class Recorded:
    """One device loop reached by the host code, with what it reads."""

    index: int
    values: dict[str, Any]
    args: tuple
    kwargs: dict[str, Any]


@dataclass
class DeviceLoop:
    index: int
    node: ast.For
    kind: str  # "tile" or "grid"
    reads: tuple[str, ...]  # names the loop reads, in first-use order
    writes: frozenset[str]  # names of tensors the loop stores into

    @functools.cached_property
    def read_paths(self) -> tuple[tuple[str, tuple], ...]:
        """(name, spec path) of each name the loop reads (made once: the spec of every call uses them)."""
        return tuple((name, (self.index, "var", name)) for name in self.reads)


@dataclass
class HostFunction:
    """A kernel function, parsed and split into host code and device loops."""

    fn: Callable
    filename: str
    first_line: int
    tree: ast.FunctionDef
    loops: list[DeviceLoop]
    host: Callable = field(repr=False)
    source: str = ""
    indent: int = 0  # columns the source was dedented by
    #: host names bound to tensors the kernel allocates and never returns (device-only intermediates)
    scratch: frozenset = frozenset()

    def location(self, node: ast.AST) -> tuple[int, int]:
        """Absolute (line, column) of an AST node, 1-based."""
        return self.first_line + getattr(node, "lineno", 1) - 1, getattr(node, "col_offset", 0) + 1 + self.indent

    @property
    def name(self) -> str:
        return self.fn.__name__

    @property
    def globals(self) -> dict[str, Any]:
        return self.fn.__globals__

    def closure_values(self) -> dict[str, Any]:
        code = self.fn.__code__
        out = {}
        for name, cell in zip(code.co_freevars, self.fn.__closure__ or ()):
            try:
                out[name] = cell.cell_contents
            except ValueError:
                pass
        return out

    def resolve_global(self, name: str) -> Any:
        """A name the device code reads that is not a host local."""
        closure = self.closure_values()
        if name in closure:
            return closure[name]
        if name in self.fn.__globals__:
            return self.fn.__globals__[name]
        if hasattr(builtins, name):
            return getattr(builtins, name)
        raise KeyError(name)


class _Recorder(threading.local):
    def __init__(self) -> None:
        self.stack: list[list[Recorded]] = []


_recorder = _Recorder()


def _launch(index: int, frame_locals: dict[str, Any], args: tuple, kwargs: dict[str, Any]) -> None:
    if not _recorder.stack:
        raise RuntimeError("a Tegula device loop ran outside of a kernel call")
    _recorder.stack[-1].append(Recorded(index, frame_locals, args, kwargs))


def run_host(host: HostFunction, args: tuple, kwargs: dict[str, Any]) -> tuple[Any, list[Recorded]]:
    """Runs the host code; returns its result and the device loops it reached."""
    _recorder.stack.append([])
    try:
        result = host.host(*args, **kwargs)
    finally:
        recorded = _recorder.stack.pop()
    return result, recorded


def _error(host_file: str, first_line: int, node: ast.AST, message: str, indent: int = 0) -> TegulaCompileError:
    return TegulaCompileError(message, host_file, first_line + getattr(node, "lineno", 1) - 1,
                              getattr(node, "col_offset", 0) + 1 + indent)


def _resolve(expr: ast.expr, namespace: dict[str, Any]) -> Any:
    """Evaluates a dotted name (``tl.tile``) in the kernel's namespace, or None."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name) or expr.id not in namespace:
        return None
    obj = namespace[expr.id]
    for p in reversed(parts):
        obj = getattr(obj, p, None)
        if obj is None:
            return None
    return obj


def device_iterator(node: ast.AST, namespace: dict[str, Any]) -> str | None:
    """``"tile"``/``"grid"`` if ``node`` is a call of ``tl.tile``/``tl.grid``."""
    if not isinstance(node, ast.Call):
        return None
    return DEVICE_ITERATORS.get(id(_resolve(node.func, namespace)))


def _names_read(node: ast.AST) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
            seen.setdefault(n.id, None)
    return tuple(seen)


def _tensors_written(node: ast.AST) -> frozenset[str]:
    out = set()
    for n in ast.walk(node):
        targets = n.targets if isinstance(n, ast.Assign) else [n.target] if isinstance(n, ast.AugAssign) else []
        for t in targets:
            if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                out.add(t.value.id)
    return frozenset(out)


#: tensor methods that return a view and read no data (so they may run before the device loops do)
VIEW_METHODS = frozenset({"view", "view_as", "transpose", "permute", "unsqueeze", "squeeze", "t", "expand",
                          "expand_as", "narrow", "select", "unflatten", "as_strided", "detach"})


def _view_only(e: ast.expr | None, written: dict) -> bool:
    """``out``, ``out.view(...)``, ``out.transpose(1, 2).T``...: no data of a written tensor is read."""
    if e is None or isinstance(e, (ast.Name, ast.Constant)):
        return True
    if isinstance(e, ast.Attribute) and e.attr in ("T", "mT"):
        return _view_only(e.value, written)
    if isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr in VIEW_METHODS:
        args_ok = all(not (set(_names_read(a)) & set(written)) for a in [*e.args, *(k.value for k in e.keywords)])
        return args_ok and _view_only(e.func.value, written)
    return False


def _check_after_loops(filename: str, first_line: int, body: list[ast.stmt], loops: dict[int, DeviceLoop],
                       indent: int) -> None:
    """Host statements after a device loop may not read what it writes."""
    written: dict[str, DeviceLoop] = {}
    for stmt in body:
        if id(stmt) in loops:
            loop = loops[id(stmt)]
            for name in loop.writes:
                written.setdefault(name, loop)
            continue
        if not written:
            continue
        if isinstance(stmt, ast.Return):
            value = stmt.value
            elts = value.elts if isinstance(value, (ast.Tuple, ast.List)) else [value]
            if all(_view_only(e, written) for e in elts):
                continue
        for name in _names_read(stmt):
            if name in written:
                loop = written[name]
                raise _error(
                    filename, first_line, stmt,
                    f"host code reads `{name}`, which the device loop at line "
                    f"{first_line + loop.node.lineno - 1} writes; device loops run when the kernel returns, "
                    "so host code after them cannot see their results (return the tensor and use it outside)",
                    indent,
                )


ALLOCATORS = frozenset({"empty", "empty_like", "zeros", "zeros_like", "ones", "ones_like", "full", "full_like",
                        "new_empty", "new_zeros", "new_ones", "new_full", "empty_strided"})


def _scratch_names(tree: ast.FunctionDef, loop_ids: set[int]) -> frozenset:
    """Names bound once, by a torch allocation, that host code never reads: only device loops use them.

    Their contents never leave the kernel, so passes may drop stores to them that no load reads.
    """
    params = {a.arg for a in tree.args.args + tree.args.kwonlyargs + tree.args.posonlyargs}
    if tree.args.vararg or tree.args.kwarg:
        return frozenset()
    allocated: set[str] = set()
    uses: dict[str, int] = {}
    for stmt in tree.body:
        if id(stmt) in loop_ids:
            continue
        call = stmt.value if isinstance(stmt, ast.Assign) else None
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr in ALLOCATORS):
            allocated.add(stmt.targets[0].id)
            uses[stmt.targets[0].id] = uses.get(stmt.targets[0].id, 0) - 1  # the allocation itself
        for leaf in ast.walk(stmt):
            if isinstance(leaf, ast.Name):
                uses[leaf.id] = uses.get(leaf.id, 0) + 1
    return frozenset(n for n in allocated if uses.get(n) == 0 and n not in params)


def parse_kernel(fn: Callable) -> HostFunction:
    """Parses ``fn`` and builds its host function."""
    if not inspect.isfunction(fn):
        raise TypeError(f"@tegula.kernel expects a Python function, got {type(fn).__name__}")
    try:
        lines, first_line = inspect.getsourcelines(fn)
        filename = inspect.getsourcefile(fn) or fn.__code__.co_filename
    except (OSError, TypeError) as e:
        raise TegulaCompileError(f"cannot read the source of kernel `{fn.__name__}`: {e}",
                                 fn.__code__.co_filename, fn.__code__.co_firstlineno) from None
    source = textwrap.dedent("".join(lines))
    indent = len(lines[0]) - len(lines[0].lstrip())
    try:
        module = ast.parse(source)
    except SyntaxError:  # e.g. a lambda inside a longer expression: its source is not a statement
        module = None
    tree = module.body[0] if module is not None and module.body else None
    if not isinstance(tree, ast.FunctionDef):
        where = tree if isinstance(tree, ast.AsyncFunctionDef) else ast.Pass(lineno=1, col_offset=0)
        raise _error(filename, first_line, where,
                     f"@tegula.kernel must decorate a `def` function, not "
                     f"{'an `async def`' if isinstance(tree, ast.AsyncFunctionDef) else 'a lambda'}", indent)
    tree.decorator_list = []
    namespace = dict(fn.__globals__)
    code = fn.__code__
    for name, cell in zip(code.co_freevars, fn.__closure__ or ()):
        try:
            namespace[name] = cell.cell_contents
        except ValueError:
            pass

    loops: list[DeviceLoop] = []
    by_id: dict[int, DeviceLoop] = {}
    new_body: list[ast.stmt] = []
    for stmt in tree.body:
        kind = device_iterator(stmt.iter, namespace) if isinstance(stmt, (ast.For, ast.AsyncFor)) else None
        if kind is None:
            for inner in ast.walk(stmt):
                if isinstance(inner, ast.For) and device_iterator(inner.iter, namespace):
                    raise _error(filename, first_line, inner,
                                 "device loops (`for ... in tl.tile(...)`) must be at the top level of the kernel "
                                 "body, not inside host control flow", indent)
            new_body.append(stmt)
            continue
        if isinstance(stmt, ast.AsyncFor) or stmt.orelse:
            raise _error(filename, first_line, stmt, "a device loop cannot be `async for` or have an `else` clause",
                         indent)
        loop = DeviceLoop(len(loops), stmt, kind, _names_read(stmt), _tensors_written(stmt))
        loops.append(loop)
        by_id[id(stmt)] = loop
        call = stmt.iter
        launch = ast.Expr(ast.Call(
            func=ast.Name(LAUNCH_NAME, ast.Load()),
            args=[
                ast.Constant(loop.index),
                ast.Call(ast.Name("locals", ast.Load()), [], []),
                ast.Tuple(list(call.args), ast.Load()),
                ast.Dict([ast.Constant(k.arg) for k in call.keywords], [k.value for k in call.keywords]),
            ],
            keywords=[],
        ))
        new_body.append(ast.copy_location(launch, stmt))
    if not loops:
        raise _error(filename, first_line, tree,
                     f"kernel `{fn.__name__}` has no device loop: write at least one top-level "
                     "`for tile in tl.tile(...)` loop", indent)
    _check_after_loops(filename, first_line, tree.body, by_id, indent)

    host_fn = _build_host(fn, tree, new_body, filename, first_line)
    return HostFunction(fn, filename, first_line, tree, loops, host_fn, source, indent, _scratch_names(tree, set(by_id)))


class _CachedAllocations(ast.NodeTransformer):
    """``torch.empty(...)``, ``x.new_zeros(...)``... (the names of ``output_cache.REPLACED``) become
    ``__tegula_alloc__(torch.empty, ...)``: large CPU tensors then take their memory from the output cache."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Attribute) and node.func.attr in REPLACED:
            return ast.copy_location(ast.Call(ast.Name(ALLOC_NAME, ast.Load()), [node.func, *node.args],
                                              node.keywords), node)
        return node


def _build_host(fn: Callable, tree: ast.FunctionDef, body: list[ast.stmt], filename: str, first_line: int) -> Callable:
    """Compiles the host body as a function with ``fn``'s globals and closure; its allocations go through
    ``output_cache.allocate``."""
    body = [_CachedAllocations().visit(copy.deepcopy(stmt)) for stmt in body]  # the kernel's own tree stays
    host_def = ast.FunctionDef(
        name=tree.name, args=tree.args, body=body, decorator_list=[], returns=None, type_comment=None,
        **({"type_params": []} if hasattr(ast.FunctionDef, "_field_types") and "type_params" in ast.FunctionDef._fields
           else {}),
    )
    freevars = list(fn.__code__.co_freevars)
    outer = ast.FunctionDef(
        name="__tegula_outer__",
        args=ast.arguments(posonlyargs=[], args=[ast.arg(n) for n in [LAUNCH_NAME, ALLOC_NAME, *freevars]], vararg=None,
                           kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
        body=[host_def, ast.Return(ast.Name(tree.name, ast.Load()))],
        decorator_list=[], returns=None, type_comment=None,
        **({"type_params": []} if "type_params" in ast.FunctionDef._fields else {}),
    )
    module = ast.Module([outer], type_ignores=[])
    ast.fix_missing_locations(module)
    ast.increment_lineno(module, first_line - 1)
    code = compile(module, filename, "exec")
    outer_code = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    inner_code = next(c for c in outer_code.co_consts if isinstance(c, types.CodeType) and c.co_name == tree.name)
    cells = {name: cell for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ())}
    cells[LAUNCH_NAME] = types.CellType(_launch)
    cells[ALLOC_NAME] = types.CellType(allocate)
    closure = tuple(cells[name] for name in inner_code.co_freevars)
    host = types.FunctionType(inner_code, fn.__globals__, fn.__name__, fn.__defaults__, closure)
    host.__kwdefaults__ = fn.__kwdefaults__
    return host
