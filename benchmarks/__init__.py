"""Benchmarks of numdesk at scale: `run.py` measures, `probe.py` runs the apps."""
