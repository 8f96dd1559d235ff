"""Tegula's passes, one per file; importing this package registers them.

Each module states its contract in its docstring and has a lit test under
``tests/lit/passes/<pass-name>.mlir``. ``tegula-opt --list-passes`` prints
every pass with its options and tunables.
"""

from tegula.passes import tegula_roll, tegula_tile  # noqa: F401
