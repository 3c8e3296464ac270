"""Benchmarks, run on demand (`bash bench/run`), never part of the test suite."""
