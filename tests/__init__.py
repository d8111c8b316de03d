"""The test suite; tests/pgcluster.py is also used by the benchmarks in bench/."""
