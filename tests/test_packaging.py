"""``pip install .`` (not only ``-e``) installs every package, the console scripts and the entry points."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_the_whole_package(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(tmp_path), str(ROOT)], check=True)
    wheel = next(tmp_path.glob("tegula-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for module in ("tegula/__init__.py", "tegula/language.py", "tegula/compiler/opt.py",
                   "tegula/compiler/frontend/device.py", "tegula/dialects/tile.py", "tegula/passes/tegula_tile.py",
                   "tegula/backends/cpu/lower.py", "tegula/backends/triton/codegen.py", "tegula/examples/softmax.py"):
        assert module in names, module
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "tegula-opt = tegula.compiler.opt:main" in text and "tegula = tegula.compiler.cli:main" in text
