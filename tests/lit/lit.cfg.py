"""lit configuration for Tegula's IR tests.

RUN lines use ``tegula-opt``, ``%python`` and ``filecheck`` (the PyPI
FileCheck, run with --dump-input=fail). Run with ``lit -sv tests/lit`` or
``cmake --build build --target check-tegula``.
"""

import os
import shutil
import sys

import lit.formats

config.name = "Tegula"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".py"]
config.excludes = ["lit.cfg.py", "lit.local.cfg", "Inputs", "Output"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.test_source_root, "Output")

python = sys.executable
opt = shutil.which("tegula-opt", path=os.path.dirname(python) + os.pathsep + os.environ.get("PATH", ""))
filecheck = shutil.which("filecheck", path=os.path.dirname(python) + os.pathsep + os.environ.get("PATH", ""))
if opt is None or filecheck is None:
    lit_config.fatal("tegula-opt and filecheck must be installed: pip install -e '.[test]'")

config.substitutions.append(("%python", python))
config.substitutions.append(("tegula-opt", opt))
config.substitutions.append(("filecheck", f"{filecheck} --dump-input=fail"))
config.substitutions.append(("%examples", os.path.join(os.path.dirname(os.path.dirname(config.test_source_root)),
                                                      "examples")))
config.environment["PYTHONUNBUFFERED"] = "1"
for var in ("HOME", "PATH", "TMPDIR", "TRITON_INTERPRET", "TEGULA_CACHE_DIR"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
