"""`python -m budgetperf ...`: see budgetperf.cli."""

import sys

from budgetperf.cli import main

sys.exit(main())
