"""The command line (`budgetperf …`, also `python -m budgetperf …`): `main` parses
the arguments and loads each command's module only when it runs (so `--help` starts
without pandas or DuckDB); `corrections` and `export` are the larger command groups.
Writes go through `storing`, the same functions the app uses.
"""
