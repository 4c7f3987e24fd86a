"""Loopback fake platforms for sync tests, the demo snapshots and the benchmark."""
