"""Tegula's benchmarks (separate from the tests): ``python -m benchmarks.cpu`` here."""
