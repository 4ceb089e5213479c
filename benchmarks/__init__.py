"""Benchmark of the set-based pipeline against a row-by-row port of the seed's workers and
against the physical floor (issue 7). `python -m benchmarks --help`."""
