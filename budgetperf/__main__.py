"""`python -m budgetperf ...`: see budgetperf.cli."""

import sys

from budgetperf.cli.main import main

if __name__ == "__main__":  # worker processes may import this module
    sys.exit(main())
