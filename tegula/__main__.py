"""``python -m tegula ...`` is the ``tegula`` command (``python -m tegula examples``)."""

import sys

from tegula.compiler.cli import main

sys.exit(main())
