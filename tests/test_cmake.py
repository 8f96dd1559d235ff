"""CMakeLists.txt exposes check-tegula (the lit suite), the way MLIR projects expose check-*."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("cmake") is None, reason="cmake is not installed")
def test_check_tegula_target_exists(tmp_path: Path) -> None:
    subprocess.run(["cmake", "-S", str(ROOT), "-B", str(tmp_path), f"-DPython3_EXECUTABLE={sys.executable}"],
                   check=True, capture_output=True)
    targets = subprocess.run(["cmake", "--build", str(tmp_path), "--target", "help"], check=True,
                             capture_output=True, text=True).stdout
    assert "check-tegula" in targets
