"""``tegula-opt``: run Tegula's passes and lowerings on IR or kernels, like ``mlir-opt``.

Input is a ``.mlir`` file in the tile dialect (or ``-`` for stdin), or a
Python file with ``@tegula.kernel`` functions, compiled for the arguments its
``example_args()`` returns (``--kernel`` picks one). The output is the IR
after ``--pass-pipeline`` (default: none for ``.mlir``), or the stage that
``--emit`` names: ``tile`` (the frontend's output), ``tiled`` (after the
backend's own tile pipeline, or ``--pass-pipeline``), or one of the backend's
stages (``cpu-linalg``, ``cpu-llvm``, ...). Diagnostics go to stderr as
``file:line:col: error: message`` and the exit code is 1; there is never a
Python traceback for bad input.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
import traceback
from pathlib import Path
from typing import Any

from tegula.compiler.backend import get_backend
from tegula.compiler.errors import PipelineError, TegulaCompileError, TegulaError
from tegula.compiler.mlir import MLIRError, ir
from tegula.compiler.pipeline import PassFailure, format_pipeline, parse_pipeline, registered_passes, run_pipeline

SPLIT_MARKER = "// -----"
_LOC = re.compile(r'loc\("(?P<file>[^"]*)":(?P<line>\d+):(?P<col>\d+)\)')
_EXPECTED = re.compile(r"expected-(?P<kind>error|warning|note|remark)(?:@(?P<rel>[+-]\d+|above|below))?\s*\{\{(?P<msg>.*?)\}\}")


class Diagnostics:
    """Collects a context's diagnostics as (file, line, col, severity, message)."""

    SEVERITY = {0: "error", 1: "warning", 2: "note", 3: "remark"}

    def __init__(self, ctx: ir.Context, filename: str, line_offset: int = 0) -> None:
        self.items: list[tuple[str, int, int, str, str]] = []
        self.filename = filename
        self.line_offset = line_offset
        ctx.emit_error_diagnostics = True
        self.handle = ctx.attach_diagnostic_handler(self._on)

    def _on(self, d: Any) -> bool:
        self._add(d)
        return True

    def _add(self, d: Any) -> None:
        sev = d.severity
        name = self.SEVERITY.get(getattr(sev, "value", sev), str(sev).split(".")[-1].lower())
        self.items.append((*self.locate(str(d.location)), name, d.message))
        for note in getattr(d, "notes", []) or []:
            if "see current operation" not in note.message:
                self.items.append((*self.locate(str(note.location)), "note", note.message))

    def locate(self, loc: str) -> tuple[str, int, int]:
        m = _LOC.search(loc)
        if not m:
            return self.filename, 0, 0
        f = m["file"]
        line = int(m["line"])
        if f == "-":
            return self.filename, line + self.line_offset, int(m["col"])
        return f, line, int(m["col"])

    def render(self) -> str:
        return "".join(f"{f}:{line}:{col}: {sev}: {msg}\n" for f, line, col, sev, msg in self.items)

    def detach(self) -> None:
        self.handle.detach()


def _context() -> ir.Context:
    from tegula.dialects import tileir
    from tegula.dialects.tile import new_context

    ctx = new_context()
    tileir.load_dialect(ctx)  # IR files may hold the tileir backend's dialect too
    return ctx


def _load_python(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"_tegula_input_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise TegulaError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as e:
        raise TegulaCompileError(e.msg, str(path), e.lineno or 0, e.offset or 0) from None
    return module


def _kernels(module: Any, name: str | None) -> list[tuple[str, Any]]:
    from tegula.compiler.kernel import Kernel

    found = [(n, v) for n, v in vars(module).items() if isinstance(v, Kernel) and v.fn.__module__ == module.__name__]
    if name is not None:
        found = [(n, v) for n, v in found if n == name]
        if not found:
            raise TegulaError(f"no kernel named '{name}' in {module.__file__}")
    if not found:
        raise TegulaError(f"no @tegula.kernel function in {module.__file__}")
    return found


def _example_args(module: Any, kernel_name: str) -> tuple:
    fn = getattr(module, f"example_args_{kernel_name}", None) or getattr(module, "example_args", None)
    if fn is None:
        raise TegulaError(f"{module.__file__} needs an example_args() function returning the kernel's arguments")
    args = fn()
    return tuple(args) if isinstance(args, (tuple, list)) else (args,)


def run_python(path: Path, opts: argparse.Namespace, config: dict) -> str:
    module = _load_python(path)
    out = []
    for name, kernel in _kernels(module, opts.kernel):
        args = _example_args(module, name)
        stage = opts.emit or "tile"
        if opts.pass_pipeline and stage in ("tile", "tiled"):
            text = kernel.emit(*args, stage="tile", debug_info=True)
            out.append(run_mlir_text(text, str(path), opts, config))
        else:
            backend = opts.backend or (None if stage in ("tile", "tiled") else _backend_for_stage(stage))
            out.append(kernel.emit(*args, stage=stage, config=config, backend=backend,
                                   debug_info=not opts.no_debuginfo))
    return "\n".join(out)


def run_mlir_text(text: str, filename: str, opts: argparse.Namespace, config: dict, line_offset: int = 0) -> str:
    """Parses, runs ``--pass-pipeline``, and emits; raises _Failed with diagnostics on error."""
    ctx = _context()
    diags = Diagnostics(ctx, filename, line_offset)
    try:
        with ctx:
            try:
                module = ir.Module.parse(text)
            except MLIRError:
                raise _Failed(diags) from None
            if opts.pass_pipeline:
                steps = parse_pipeline(opts.pass_pipeline)
                try:
                    run_pipeline(module, steps, print_ir_after_all=opts.print_ir_after_all,
                                 print_ir_before_all=opts.print_ir_before_all, debug_info=opts.mlir_print_debuginfo)
                except PassFailure:
                    raise _Failed(diags) from None
                except PipelineError:  # an unknown upstream pass or bad options: not a failure of the input
                    raise
                except Exception as e:  # a pass raised: report it located at the module
                    diags.items.append((filename, 0, 0, "error", f"pass failed: {e}"))
                    raise _Failed(diags) from None
            stage = opts.emit or "tile"
            if stage in ("tile", "tiled"):
                if stage == "tiled" and not opts.pass_pipeline:
                    backend = get_backend(opts.backend or "cpu", check=False)
                    run_pipeline(module, parse_pipeline(backend.pipeline(config)))
                if diags.items and not opts.verify_diagnostics:
                    sys.stderr.write(diags.render())
                return module.operation.get_asm(enable_debug_info=opts.mlir_print_debuginfo)
            backend = get_backend(opts.backend or _backend_for_stage(stage), check=False)  # text needs no device
            return backend.lower(module, config, stage)
    finally:
        diags.detach()


def _backend_for_stage(stage: str) -> str:
    from tegula.compiler.backend import backend_names

    stages = ["tile", "tiled"]
    for name in backend_names():
        try:
            own = get_backend(name, check=False).stages
        except TegulaError:
            continue
        if stage in own:
            return name
        stages += own
    raise TegulaError(f"no backend has a stage named '{stage}'; stages: {', '.join(stages)}")


class _Failed(Exception):
    def __init__(self, diags: Diagnostics) -> None:
        super().__init__("failed")
        self.diags = diags


def verify_diagnostics(text: str, diags: list[tuple[str, int, int, str, str]], line_offset: int) -> list[str]:
    """Checks ``// expected-error@+1 {{...}}`` annotations; returns the problems."""
    expected = []
    for i, line in enumerate(text.splitlines(), start=1):
        for m in _EXPECTED.finditer(line):
            rel = m["rel"]
            target = i + (int(rel) if rel and rel[0] in "+-" else -1 if rel == "above" else 1 if rel == "below" else 0)
            expected.append([target + line_offset, m["kind"], m["msg"], False])
    problems = []
    for f, line, col, sev, msg in diags:
        for e in expected:
            if not e[3] and e[0] == line and e[1] == sev and e[2] in msg:
                e[3] = True
                break
        else:
            if sev != "note":
                problems.append(f"{f}:{line}:{col}: unexpected {sev}: {msg}")
    for line, kind, msg, seen in expected:
        if not seen:
            problems.append(f"line {line}: expected {kind} \"{msg}\" was not produced")
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="tegula-opt", description=__doc__.split("\n\n")[0])
    p.add_argument("input", nargs="?", default="-", help=".mlir file, .py file with kernels, or - for stdin")
    p.add_argument("--pass-pipeline", default=None, help="e.g. 'canonicalize,tegula-tile{block-sizes=64},cse'")
    p.add_argument("--emit", default=None, help="tile | tiled | a backend stage (cpu-linalg, cpu-llvm, ...)")
    p.add_argument("--backend", default=None, help="backend for --emit stages and 'tiled' (default: by stage)")
    p.add_argument("--config", default=None, help="config as JSON, or @file.json")
    p.add_argument("--kernel", default=None, help="which kernel of a Python input")
    p.add_argument("--print-ir-after-all", action="store_true")
    p.add_argument("--print-ir-before-all", action="store_true")
    p.add_argument("--mlir-print-debuginfo", action="store_true", help="print locations")
    p.add_argument("--no-debuginfo", action="store_true", help="Python inputs: do not print locations")
    p.add_argument("--split-input-file", action="store_true", help=f"process chunks separated by '{SPLIT_MARKER}'")
    p.add_argument("--verify-diagnostics", action="store_true",
                   help="check diagnostics against // expected-error@+N {{...}} annotations")
    p.add_argument("--list-passes", action="store_true", help="list Tegula's passes, options and tunables")
    p.add_argument("--list-backends", action="store_true", help="list backends and whether they run here")
    p.add_argument("-o", "--output", default="-")
    opts = p.parse_args(argv)

    if opts.list_passes:
        print("Tegula passes (any upstream MLIR pass name also works in --pass-pipeline):\n")
        for cls in registered_passes().values():
            print(cls.help() + "\n")
        return 0
    if opts.list_backends:
        from tegula.compiler.backend import available_backends

        for name, why in available_backends().items():
            stages = ", ".join(get_backend(name, check=False).stages)
            print(f"{name}: {'available' if not why else 'unavailable: ' + why}; stages: tile, tiled, {stages}")
        return 0
    try:
        config = _config(opts.config)
        if opts.pass_pipeline:
            format_pipeline(parse_pipeline(opts.pass_pipeline))  # reject bad pipelines early
        text_out = _run(opts, config)
    except _Failed as f:
        sys.stderr.write(f.diags.render())
        return 1
    except TegulaCompileError as e:  # already `file:line:col: error: ...` with the source line
        sys.stderr.write(f"{e}\n")
        return 1
    except (TegulaError, ValueError, OSError) as e:
        located = None if isinstance(e, TegulaError) else _in_input(e, opts)  # e.g. a ValueError of host code
        sys.stderr.write(f"{located or _where(opts)}: error: {e}\n")
        return 1
    except Exception as e:
        located = _in_input(e, opts)
        if located is None:  # not the input's fault: a bug in Tegula, keep the traceback
            raise
        sys.stderr.write(f"{located}: error: {type(e).__name__}: {e}\n")
        return 1
    if opts.output == "-":
        sys.stdout.write(text_out if text_out.endswith("\n") else text_out + "\n")
    else:
        Path(opts.output).write_text(text_out)
    return 0


def _in_input(e: BaseException, opts: argparse.Namespace) -> str | None:
    """``file:line:col`` of the innermost frame of a Python input that raised ``e``, if any."""
    if not opts.input.endswith(".py"):
        return None
    target = os.path.realpath(opts.input)
    where = None
    for frame in traceback.extract_tb(e.__traceback__):
        if os.path.realpath(frame.filename) == target:
            where = f"{opts.input}:{frame.lineno}:{(frame.colno or 0) + 1}"
    return where


def _where(opts: argparse.Namespace) -> str:
    return "<stdin>" if opts.input == "-" else opts.input


def _config(text: str | None) -> dict:
    if not text:
        return {}
    if text.startswith("@"):
        text = Path(text[1:]).read_text()
    try:
        cfg = json.loads(text)
    except json.JSONDecodeError as e:
        raise TegulaError(f"--config is not valid JSON: {e}") from None
    if not isinstance(cfg, dict):
        raise TegulaError("--config must be a JSON object")
    return cfg


def _run(opts: argparse.Namespace, config: dict) -> str:
    if opts.input.endswith(".py"):
        return run_python(Path(opts.input), opts, config)
    filename = _where(opts)
    text = sys.stdin.read() if opts.input == "-" else Path(opts.input).read_text()
    chunks = [(text, 0)]
    if opts.split_input_file:
        chunks, offset = [], 0
        for part in text.split(SPLIT_MARKER):
            chunks.append((part, offset))
            offset += part.count("\n")
    outputs, failed = [], []
    for chunk, offset in chunks:
        try:
            out = run_mlir_text(chunk, filename, opts, config, offset)
            outputs.append(out)
            if opts.verify_diagnostics:
                failed += verify_diagnostics(chunk, [], offset)
        except _Failed as f:
            if opts.verify_diagnostics:
                failed += verify_diagnostics(chunk, f.diags.items, offset)
            elif opts.split_input_file:
                failed.append(f.diags.render().rstrip("\n"))
            else:
                raise
    if failed:
        sys.stderr.write("\n".join(failed) + "\n")
        raise SystemExit(1)
    return f"\n{SPLIT_MARKER}\n".join(outputs)


if __name__ == "__main__":
    sys.exit(main())
