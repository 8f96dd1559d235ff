"""Tegula's compiler core: frontend, pass pipeline, backend interface, kernels.

Nothing here imports a backend's code: backends are found through
``tegula.compiler.backend`` by name or entry point.
"""
