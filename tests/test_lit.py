"""Runs the lit suite (tests/lit) as part of pytest, so that one command runs every test.

lit runs in a subprocess (it parallelizes on its own); on failure the assertion shows lit's report.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RUNNER = Path(__file__).parent / "run_lit.py"


def test_lit_suite() -> None:
    done = subprocess.run([sys.executable, str(RUNNER), "-sv"], capture_output=True, text=True, timeout=1800)
    report = done.stdout[-6000:] + done.stderr[-3000:]
    assert done.returncode == 0, report
    assert "Passed:" in done.stdout and "Failed" not in done.stdout, report
