"""Pass pipelines as data: parse, print, and run them.

A pipeline is a string in MLIR's textual syntax, ``"canonicalize,
tegula-tile{block-sizes=64,16},cse"``: the same string appears in logs, cache
keys and ``tegula-opt --pass-pipeline``. Tegula's own passes (``TegulaPass``
subclasses, one per file under ``passes/``) run as Python passes inside an
MLIR ``PassManager``; any other name goes to MLIR's pass registry, so every
upstream pass is available too.

A pass is a frozen dataclass: its fields are its options, declared with
``option()``; an option that carries a ``Tunable`` is exposed to the
autotuner under that tunable's name. ``from_config`` builds a pass from a
config dict; ``spec()`` prints it back.
"""

from __future__ import annotations

import dataclasses
import traceback
from dataclasses import dataclass
from typing import Any, ClassVar

from tegula.compiler.errors import PipelineError
from tegula.compiler.mlir import MLIRError, PassManager, ir
from tegula.compiler.tunables import Tunable

_REGISTRY: dict[str, type[TegulaPass]] = {}


def option(default: Any, doc: str, tunable: Tunable | None = None) -> Any:
    """A pass option (a dataclass field) with its help text and tunable."""
    meta = {"doc": doc, "tunable": tunable}
    if isinstance(default, (list, dict)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def _flag(field_name: str) -> str:
    return field_name.replace("_", "-")


@dataclass(frozen=True)
class TegulaPass:
    """Base class of Tegula's passes: subclass, set ``name``/``summary``, implement ``run``."""

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            _REGISTRY[cls.name] = cls

    def run(self, module: ir.Operation) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- options
    @classmethod
    def options(cls) -> list[dataclasses.Field]:
        return list(dataclasses.fields(cls))

    @classmethod
    def tunables(cls) -> list[Tunable]:
        return [f.metadata["tunable"] for f in cls.options() if f.metadata.get("tunable") is not None]

    @classmethod
    def from_options(cls, opts: dict[str, str]) -> TegulaPass:
        fields = {_flag(f.name): f for f in cls.options()}
        values = {}
        for key, text in opts.items():
            if key not in fields:
                known = ", ".join(sorted(fields)) or "none"
                raise PipelineError(f"pass '{cls.name}' has no option '{key}' (options: {known})")
            f = fields[key]
            values[f.name] = _parse_value(text, f, cls.name)
            t = f.metadata.get("tunable")
            why = t.check(values[f.name]) if t is not None else None
            if why:
                raise PipelineError(f"pass '{cls.name}': option '{key}': {why}")
        return cls(**values)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> TegulaPass:
        """This pass with its tunable options taken from ``config``."""
        values = {}
        for f in cls.options():
            t = f.metadata.get("tunable")
            if t is not None and t.name in config:
                why = t.check(config[t.name])
                if why:
                    raise PipelineError(f"config: {why}")
                values[f.name] = list(config[t.name]) if isinstance(config[t.name], tuple) else config[t.name]
        return cls(**values)

    def spec(self) -> str:
        parts = []
        for f in self.options():
            v = getattr(self, f.name)
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
            if v != default:
                parts.append(f"{_flag(f.name)}={_format_value(v)}")
        return f"{self.name}{{{' '.join(parts)}}}" if parts else self.name

    @classmethod
    def help(cls) -> str:
        lines = [f"{cls.name}: {cls.summary}"]
        for f in cls.options():
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
            lines.append(f"    {_flag(f.name)}={_format_value(default)}  {f.metadata.get('doc', '')}")
            t = f.metadata.get("tunable")
            if t is not None:
                lines.append(f"        tunable {t.describe()}")
        return "\n".join(lines)


def _parse_value(text: str, f: dataclasses.Field, pass_name: str) -> Any:
    default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
    try:
        if isinstance(default, bool):
            if text not in ("true", "false", "1", "0"):
                raise ValueError(text)
            return text in ("true", "1")
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        if isinstance(default, list):
            return [None if x in ("", "none") else int(x) for x in text.split(",")] if text else []
        return text
    except ValueError:
        raise PipelineError(f"pass '{pass_name}': bad value '{text}' for option '{_flag(f.name)}'") from None


def _format_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return ",".join("none" if x is None else str(x) for x in v)
    return str(v)


def registered_passes() -> dict[str, type[TegulaPass]]:
    import tegula.passes  # noqa: F401 - registers the in-tree passes

    return dict(sorted(_REGISTRY.items()))


# ------------------------------------------------------------ parsing


@dataclass(frozen=True)
class Step:
    """One pipeline element: a Tegula pass (``tegula``) or upstream MLIR text."""

    text: str
    tegula: TegulaPass | None = None

    @property
    def name(self) -> str:
        return self.tegula.name if self.tegula is not None else self.text.split("{", 1)[0].split("(", 1)[0]


def split_top_level(text: str) -> list[str]:
    """Splits on commas outside of braces and parentheses."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in "{(":
            depth += 1
        elif ch in "})":
            depth -= 1
            if depth < 0:
                raise PipelineError(f"unbalanced '{ch}' in pipeline '{text}'")
        if ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if depth:
        raise PipelineError(f"unbalanced braces in pipeline '{text}'")
    parts.append("".join(cur).strip())
    return [p for p in parts if p]


def _parse_options(body: str, pass_name: str) -> dict[str, str]:
    opts = {}
    for token in body.split():
        if "=" not in token:
            opts[token] = "true"
            continue
        k, v = token.split("=", 1)
        opts[k] = v
    return opts


def parse_pipeline(text: str) -> list[Step]:
    """Parses ``a,b{opt=1},c`` (an outer ``builtin.module(...)`` is accepted too)."""
    text = text.strip()
    if text.startswith("builtin.module(") and text.endswith(")"):
        text = text[len("builtin.module("):-1]
    passes = registered_passes()
    steps = []
    for part in split_top_level(text):
        name = part.split("{", 1)[0].split("(", 1)[0].strip()
        if name in passes:
            body = part[len(name):].strip()
            if body and not (body.startswith("{") and body.endswith("}")):
                raise PipelineError(f"bad options for pass '{name}': {body}")
            steps.append(Step(part, passes[name].from_options(_parse_options(body[1:-1], name) if body else {})))
        else:
            steps.append(Step(part))
    return steps


def format_pipeline(steps: list[Step]) -> str:
    return ",".join(s.tegula.spec() if s.tegula is not None else s.text for s in steps)


# ------------------------------------------------------------ running


class PassFailure(Exception):
    """A pass failed; ``diagnostics`` holds the located messages."""

    def __init__(self, message: str, diagnostics: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []


def _python_pass(step: TegulaPass, errors: list[BaseException]) -> Any:
    def run(op: ir.Operation, pass_: Any) -> None:
        try:
            step.run(op)
        except Exception as e:  # noqa: BLE001 - reported as a pass failure with its traceback
            errors.append(e)
            e.__tegula_traceback__ = traceback.format_exc()
            pass_.signal_pass_failure()

    run.__name__ = step.name
    return run


def run_pipeline(module: ir.Module, steps: list[Step], *, verify: bool = True, print_ir_after_all: bool = False,
                 print_ir_before_all: bool = False, debug_info: bool = False) -> None:
    """Runs ``steps`` on ``module`` in one PassManager (the verifier runs after each pass)."""
    with module.context:
        pm = PassManager("builtin.module")
        pm.enable_verifier(verify)
        if print_ir_after_all or print_ir_before_all:
            pm.enable_ir_printing(print_before_all=print_ir_before_all, print_after_all=print_ir_after_all,
                                  print_module_scope=True, enable_debug_info=debug_info)
        errors: list[BaseException] = []
        for step in steps:
            if step.tegula is not None:
                pm.add(_python_pass(step.tegula, errors), name=step.name, argument=step.name,
                       description=type(step.tegula).summary)
            else:
                try:
                    pm.add(step.text)
                except (ValueError, MLIRError) as e:
                    raise PipelineError(f"unknown pass or bad options in '{step.text}': {e}") from None
        try:
            pm.run(module.operation)
        except MLIRError as e:
            if errors:
                raise errors[0]
            diags = [(str(d.location), d.message) for d in e.error_diagnostics]
            raise PassFailure(str(e), diags) from None
        if errors:
            raise errors[0]
