"""Helpers that the tests and the benchmarks (``bench/``) share: no tests and no fixtures here,
so a benchmark can import them (with ``tests/`` on ``sys.path``) without importing test files."""
