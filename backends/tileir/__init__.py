"""The tileir backend (in progress, issue 7): tile dialect -> ``tileir`` dialect -> cuTile Python -> Tile IR.

Done so far: ``passes/tegula_to_tileir.py`` (launch bodies to the ``tileir``
dialect), ``cutile.py`` (the dialect to cuTile Python, one ``@ct.kernel`` per
launch) and ``bytecode.py`` (cuTile compiles that source to Tile IR bytecode,
without a GPU: what the tests check). Not yet: the launcher (grid from the
host values, ``ct.launch`` on CUDA tensors), the backend class and its
tunables, so it is not registered as a backend.
"""
