"""`make soak`: nothing lost under load and faults (see bench/README.md)."""
