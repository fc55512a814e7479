import sys
from pathlib import Path
from budgetperf.bench import generality as g
layouts = sys.argv[1].split(",") if len(sys.argv) > 1 and sys.argv[1] else None
cells = g.run([Path('tests/seed_facts.json'), Path('tests/fixtures/devset/expected.json')], layouts=layouts)
print(g.format_matrix(cells, worst=int(sys.argv[2]) if len(sys.argv) > 2 else 12))
