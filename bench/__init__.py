"""The benchmark harness behind `make bench` (see bench/README.md)."""
