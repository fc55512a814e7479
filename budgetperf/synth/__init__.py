"""A synthetic corpus with its truth: reports at a province's scale for speed and
accuracy measurements (`python -m budgetperf synth`).

- `model`: the truth. Regions drawn from `data/regions.csv` (every level, several
  provinces), units, projects, indicators and figures from one `random.Random`
  per document, with the variety real self-evaluations show (scores clustered
  high, execution mostly 85-100% with a tail, undisclosed execution, qualitative
  targets) and planted inconsistencies the audit should find.
- `text`, `office`: render a document's truth in one of the shapes the readers
  take (pipe tables, Word tables flattened one cell per line, narrative
  self-reports, 专项资金 reports, 绩效目标表; .txt, .docx, .xlsx, .pdf), with small
  layout changes (column order, 全年预算数 vs 调整后预算数, amounts in 元 or 万元).
- `corpus`: plan, render in parallel, write the files and `truth.json` (the
  answer-key shape of `tests/seed_facts.json`), deterministically for a seed.

Synthetic data is never real: every file name starts with `SYNTH_FILE_PREFIX`,
every document carries `MARKER` (the store flags such documents `is_synthetic`),
and nothing here writes into `data/reports`.
"""

from budgetperf.vocabulary import SYNTHETIC_MARKER

MARKER = SYNTHETIC_MARKER  # the store recognises it through the vocabulary
SYNTH_FILE_PREFIX = "synth-"
# Bumped whenever the same arguments would render different files: the benchmark's
# cached corpora are keyed by it.
GENERATOR_VERSION = 4
