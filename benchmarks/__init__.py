"""Benchmarks that print speed and memory figures (never timed unit tests)."""
