"""The autotuner: search the tunables of a kernel's pipeline and backend, check, time, cache.

``space`` (the search space from declared tunables and constraints), ``search``
(strategies), ``workers`` (crash-proof parallel compiles), ``timing`` (device
timers), ``cache`` (disk cache and shipped config files), ``tuner`` (what a
first call runs; ``tune`` for a report). See docs/autotuning.md.
"""
