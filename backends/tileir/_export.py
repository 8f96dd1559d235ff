"""The bytecode export, run in its own process (see ``bytecode``): this module imports neither torch_mlir nor the
rest of Tegula, so cuTile's compiler runs alone.

    python -m tegula.backends.tileir._export DIR     # DIR/kernels.py, DIR/launches.json -> DIR/<kernel>.tileirbc
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from pathlib import Path


def main(folder: str) -> int:
    import cuda.tile as ct
    import cuda.tile.compilation as comp

    d = Path(folder)
    spec = importlib.util.spec_from_file_location("tegula_cutile_kernels", d / "kernels.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    for ln in json.loads((d / "launches.json").read_text()):
        params = []
        for p in ln["params"]:
            dtype = getattr(ct, p["dtype"])
            if p["kind"] == "array":
                params.append(comp.ArrayConstraint(dtype, p["rank"], index_dtype=ct.int32, stride_lower_bound_incl=0,
                                                   alias_groups=[], may_alias_internally=False))
            else:
                params.append(comp.ScalarConstraint(dtype))
        sig = comp.KernelSignature(params, comp.CallingConvention.cutile_python_v1())
        buf = io.BytesIO()
        comp.export_kernel(getattr(module, ln["kernel"]), [sig], buf, gpu_code=None, output_format="tileir_bytecode",
                           bytecode_version=ln["bytecode_version"])
        (d / f"{ln['kernel']}.tileirbc").write_bytes(buf.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
