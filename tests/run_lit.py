"""Runs Tegula's lit suite with the running Python: ``python tests/run_lit.py [lit options]``.

(``python -m lit`` does not exist; the ``lit`` script may not be on PATH right after ``pip install``.)
"""

import os
import sys
from pathlib import Path

import lit.main

if __name__ == "__main__":
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    args = sys.argv[1:] or ["-sv"]
    sys.argv = ["lit", *args, str(Path(__file__).parent / "lit")]
    lit.main.main()
