"""Compiling generated Triton kernels for a GPU target without a GPU (lit tests, CI checks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from tegula.compiler.hostcode import load_generated


TL_POINTER = {"f32": "*fp32", "f16": "*fp16", "bf16": "*bf16", "f64": "*fp64", "i64": "*i64", "i32": "*i32",
              "i16": "*i16", "i8": "*i8", "i1": "*i1"}


def compile_for_target(source: str, launches: list[dict[str, Any]], arg_types: list[str], stage: str,
                       arch: int = 90, options: dict[str, Any] | None = None) -> str:
    """Compiles the generated kernels for ``cuda:sm_<arch>`` (no GPU needed) and returns ``stage``
    (ttir, ttgir, llir, ptx) of every launch: how lit tests check what Triton makes of the code.
    Pointers and ints are taken as 16-aligned, the common case Triton's JIT specializes for, and the even
    flags as True (sizes that are multiples of the blocks: no masks)."""
    import triton
    from triton.backends.compiler import GPUTarget
    from triton.compiler import ASTSource

    import triton.language as tl
    from triton.runtime.jit import JITFunction

    if not isinstance(tl.sum, JITFunction):
        # Triton was imported under TRITON_INTERPRET=1: its own library kernels are interpreter objects
        # that cannot be compiled, so compile in a clean process.
        return _in_subprocess(source, launches, arg_types, stage, arch, options)
    saved = os.environ.get("TRITON_INTERPRET")
    os.environ["TRITON_INTERPRET"] = "0"
    try:
        # written atomically: lit runs tests in parallel, and two of them may generate the same source
        module = load_generated(source, "triton-target")
        out = []
        for ln in launches:
            signature, attrs = {}, {}
            for pos, (name, kind, i, _) in enumerate(ln["signature"]):
                t = arg_types[i]
                float_scalar = kind == "scalar" and t == "f32"
                signature[name] = TL_POINTER[t] if kind == "ptr" else "fp32" if float_scalar else "i32"
                if not float_scalar:  # as Triton's JIT specializes 16-aligned pointers and ints
                    attrs[(pos,)] = [["tt.divisibility", 16]]
            evens = {name: True for name in ln.get("evens", ())}
            signature.update({name: "constexpr" for name in evens})
            compiled = triton.compile(ASTSource(getattr(module, ln["kernel"]), signature=signature,
                                                constexprs=evens, attrs=attrs),
                                      target=GPUTarget("cuda", arch, 32), options=options)
            out.append(f"// {ln['kernel']} for sm_{arch}\n{compiled.asm[stage]}")
        return "\n".join(out)
    finally:
        if saved is None:
            os.environ.pop("TRITON_INTERPRET", None)
        else:
            os.environ["TRITON_INTERPRET"] = saved


def _in_subprocess(source: str, launches: list[dict[str, Any]], arg_types: list[str], stage: str, arch: int,
                   options: dict[str, Any] | None) -> str:
    payload = json.dumps({"source": source, "launches": launches, "arg_types": arg_types, "stage": stage,
                          "arch": arch, "options": options})
    env = dict(os.environ, TRITON_INTERPRET="0")
    done = subprocess.run([sys.executable, "-m", "tegula.backends.triton.target"], input=payload, text=True,
                          capture_output=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "target compile failed")
    return done.stdout


if __name__ == "__main__":
    req = json.loads(sys.stdin.read())
    sys.stdout.write(compile_for_target(req["source"], req["launches"], req["arg_types"], req["stage"], req["arch"],
                                        req["options"]))
