"""The host side of a tiled kernel as Python: what a backend's launcher computes before each launch.

``host_function(fn, launch, name, arg_names, outputs)`` writes
``def <name>(<kernel args>)`` returning ``(programs, fits)``, or
``(programs, fits, (outputs...))`` when ``outputs`` names values, and then
``(divisible...)`` when ``divisible`` names ``(bound, start, block)`` triples
(each ``(bound - start) % block == 0``; False where the host lacks a value), followed by one flag per
``aligned`` ``(argument, element bytes)``: whether that tensor's base and strides but the last are multiples of
16 bytes (what TMA tensor descriptors need): the number
of programs of ``launch`` (its operand), whether every ``:`` extent fits the
block it was compiled for (``tile.make_tile`` of the prologue with a constant
block, or ``tileir.host_bound``), and the host values a backend passes to its kernel (kernel arguments
or the prologue's index arithmetic on them). Only the arithmetic the tile
pipeline puts on the host is understood (``memref.dim``, integer ``arith``);
an output it cannot compute raises ``HostCodeError`` naming the op.
``load_generated`` imports a backend's generated module from a file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import keyword
import os
import re
import sys
from pathlib import Path
from typing import Any

from tegula.compiler.mlir import ir

_TABLE = {"arith.addi": "({0} + {1})", "arith.subi": "({0} - {1})", "arith.muli": "({0} * {1})",
          "arith.maxsi": "max({0}, {1})", "arith.minsi": "min({0}, {1})", "arith.ceildivsi": "(-(-{0} // {1}))",
          "arith.floordivsi": "({0} // {1})", "arith.divsi": "int({0} / {1})",
          "arith.remsi": "int(math.fmod({0}, {1}))", "arith.index_cast": "int({0})"}


class HostCodeError(Exception):
    """A value the launcher needs that the host cannot compute (names the op)."""


def arg_identifiers(fn: ir.Operation, reserved: tuple[str, ...] = ()) -> list[str]:
    """Python identifiers for the kernel's arguments, from ``tile.arg_names`` (unique, no keyword or ``reserved``)."""
    names = [ir.StringAttr(a).value for a in ir.ArrayAttr(fn.attributes["tile.arg_names"])] \
        if "tile.arg_names" in fn.attributes else []
    out: list[str] = []
    seen: dict[str, int] = {}
    for i in range(len(fn.regions[0].blocks[0].arguments)):
        s = re.sub(r"\W", "_", names[i] if i < len(names) else f"arg{i}")
        if not s or s[0].isdigit() or keyword.iskeyword(s) or s in reserved or s == "math":
            s = "a_" + s
        if s in seen:
            seen[s] += 1
            s = f"{s}_{seen[s]}"
        else:
            seen[s] = 0
        out.append(s)
    return out


def _const_int(v: ir.Value) -> int | None:
    owner = v.owner
    op = owner.operation if isinstance(owner, ir.OpView) else owner
    if isinstance(op, ir.Operation) and op.name == "arith.constant":
        attr = op.attributes["value"]
        if isinstance(attr, ir.IntegerAttr):
            return ir.IntegerAttr(attr).value
    return None


def host_expr(op: ir.Operation, values: dict[Any, str]) -> str | None:
    """Python for the host op ``op`` over the names in ``values``, or None if it is not host arithmetic."""
    a = [values.get(v) for v in op.operands]
    if any(x is None for x in a):
        return None
    name = op.name
    if name == "arith.constant":
        attr = op.attributes["value"]
        return str(ir.IntegerAttr(attr).value) if isinstance(attr, ir.IntegerAttr) else None
    if name == "memref.dim":
        return f"{a[0]}.shape[{a[1]}]"
    if name in _TABLE:
        return _TABLE[name].format(*a)
    return None


def _fit_block(op: ir.Operation, values: dict[Any, str]) -> int | None:
    """The block of a prologue bound the host checks (``tile.make_tile`` with a constant block, or the tileir
    lowering's ``tileir.host_bound``) over host-known begin and bound; else None."""
    if op.name == "tile.make_tile":
        block = _const_int(op.operands[2])
    elif op.name == "tileir.host_bound":
        block = ir.IntegerAttr(op.attributes["block"]).value
    else:
        return None
    return block if block is not None and all(o in values for o in op.operands[:2]) else None


def bucketed(fn: ir.Operation) -> bool:
    """Whether the host functions of ``fn`` check any ':' extent against its block (else a compiled kernel
    serves every size and its launcher's ``accepts`` need not run)."""
    values: dict[Any, str] = {a: "" for a in fn.regions[0].blocks[0].arguments}
    for op in fn.regions[0].blocks[0].operations:
        op = op.operation
        if _fit_block(op, values) is not None:
            return True
        if len(op.results) == 1 and host_expr(op, values) is not None:
            values[op.results[0]] = ""
    return False


def host_function(fn: ir.Operation, launch: ir.Operation, name: str, arg_names: list[str],
                  outputs: list[ir.Value] | None = None,
                  divisible: list[tuple[ir.Value, Any, int]] | None = None,
                  aligned: list[tuple[int, int]] | None = None) -> str:
    """The Python source of the host function of ``launch`` (see the module docstring)."""
    args = list(fn.regions[0].blocks[0].arguments)
    values: dict[Any, str] = {a: n for a, n in zip(args, arg_names)}
    lines, fits = [], []
    for op in fn.regions[0].blocks[0].operations:
        op = op.operation
        block = _fit_block(op, values)
        if block is not None:
            fits.append(f"({values[op.operands[1]]} - {values[op.operands[0]]}) <= {block}")
            continue
        if len(op.results) != 1:
            continue
        expr = host_expr(op, values)
        if expr is None:
            continue
        n = f"h{len(lines) + 1}"
        lines.append(f"    {n} = {expr}")
        values[op.results[0]] = n
    programs = values[launch.operands[0]]
    ok = " and ".join(fits) if fits else "True"
    ret = f"{programs}, ({ok})"
    if outputs is not None:
        outs = []
        for v in outputs:
            if v not in values:
                owner = v.owner
                what = owner.operation.name if isinstance(owner, ir.OpView) else type(owner).__name__
                raise HostCodeError(f"the host cannot compute a kernel parameter (made by `{what}`)")
            outs.append(values[v])
        ret += f", ({', '.join(outs)}{',' if len(outs) == 1 else ''})"
    if divisible is not None:
        tests = []
        for bound, start, block in divisible:
            s = "0" if isinstance(start, int) else values.get(start)
            b = values.get(bound)
            tests.append(f"(({b} - {s}) % {block} == 0)" if b is not None and s is not None else "False")
        for arg, nbytes in aligned or ():  # TMA: a 16-byte aligned base, and strides (but the last) of 16 bytes
            t = arg_names[arg]
            rank = ir.MemRefType(args[arg].type).rank
            tests.append("(" + " and ".join([f"{t}.data_ptr() % 16 == 0"] + [
                f"{t}.stride({d}) * {nbytes} % 16 == 0" for d in range(rank - 1)]) + ")")
        ret += f", ({', '.join(tests)}{',' if len(tests) == 1 else ''})"
    body = "\n".join(lines)
    return f"def {name}({', '.join(arg_names)}):\n{body}\n    return {ret}\n"


def cache_dir(folder: str) -> Path:
    """``$TEGULA_CACHE_DIR/<folder>`` (default ``~/.cache/tegula``), made if missing."""
    root = Path(os.environ.get("TEGULA_CACHE_DIR", Path.home() / ".cache" / "tegula"))
    path = root / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_generated(source: str, folder: str) -> Any:
    """Imports generated Python from a file named by its hash (``@triton.jit`` and ``@ct.kernel`` read their
    kernels' source from it), written atomically; the same source is imported once per process."""
    digest = hashlib.sha256(source.encode()).hexdigest()[:24]
    path = cache_dir(folder) / f"tegula_{digest}.py"
    if not path.exists() or path.read_text() != source:
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(source)
        os.replace(tmp, path)
    name = f"tegula_{folder}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
