"""Benchmarks of skbalance; run them all with ``python -m benchmarks [--quick]``."""
