"""The benchmark's stores: the seed store and stores at about 100× and 10,000× the
seeds, built from synthetic corpora and cached between runs under `.bench/`
(gitignored; setting BUDGETPERF_BENCH_DIR). A cached store gets the current schema and views on every run
(`create_schema` is idempotent), so a new query can run on an old store; pass
`--rebuild` to build it again after extraction changed.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from budgetperf import settings
from budgetperf.bench.timing import run_measured
from budgetperf.storing.schema import create_schema
from budgetperf.synth import GENERATOR_VERSION
from budgetperf.synth.corpus import write_corpus

ROOT = Path(__file__).resolve().parents[2]


def cache_dir() -> Path:
    """Setting BUDGETPERF_BENCH_DIR (default .bench/, gitignored)."""
    return Path(settings.get("BUDGETPERF_BENCH_DIR"))


@dataclass(frozen=True)
class Tier:
    """A store size: the seed reports, or a synthetic corpus (`synth` arguments)."""

    name: str
    label: str
    regions: int = 0  # 0: the seed reports in data/reports
    years: tuple[int, int] = (2019, 2025)
    units: int = 3
    seed: int = 1
    formats: tuple[str, ...] = ("txt", "docx", "xlsx", "pdf")

    @property
    def is_seed(self) -> bool:
        return self.regions == 0

    @property
    def corpus(self) -> Path:
        return cache_dir() / "corpora" / self.key

    @property
    def key(self) -> str:
        import hashlib

        # the corpus is drawn from regions.csv: another table, another corpus
        regions = hashlib.sha256(Path(settings.get("BUDGETPERF_REGIONS")).read_bytes()).hexdigest()[:6]
        return (f"{self.name}-r{self.regions}-y{self.years[0]}{self.years[1]}-u{self.units}-s{self.seed}-"
                + "".join(f[0] for f in self.formats) + f"-g{GENERATOR_VERSION}-{regions}")

    @property
    def reports(self) -> Path:
        return ROOT / "data" / "reports" if self.is_seed else self.corpus / "reports"

    @property
    def truth(self) -> Path | None:
        return None if self.is_seed else self.corpus / "truth.json"

    @property
    def db(self) -> Path:
        return cache_dir() / "stores" / f"{self.key}.duckdb"


SEED = Tier("seed", "seeds (4 reports)")
# About 100× the seeds: ~400 reports, as in the trial.
X100 = Tier("x100", "~100× (400 reports)", regions=20)
# About 10,000× the seeds: ~45,000 reports and about a million indicator rows,
# every one of 2,250 regions with three units over seven years.
X10K = Tier("x10k", "~10,000× (45,000 reports)", regions=2250)
# The smoke run's tiny synthetic corpus (seconds).
SMOKE = Tier("smoke", "smoke (synthetic, ~17 reports)", regions=3, years=(2024, 2025))


def ensure_corpus(tier: Tier, log=print) -> None:
    """Write the tier's synthetic corpus unless it is cached."""
    if tier.is_seed or (tier.truth and tier.truth.exists()):
        return
    log(f"  writing synthetic corpus {tier.key} …")
    write_corpus(tier.corpus, tier.regions, tier.years, tier.seed, tier.units, tier.formats)


def build_measured(reports: Path, db: Path, *, fresh: bool = True) -> dict:
    """Build a store with the CLI in a subprocess, as a user would; wall time and the
    peak memory of the process tree (the build and its workers). `fresh` removes
    the previous store first, so nothing is reused."""
    if fresh and db.exists():
        db.unlink()
    db.parent.mkdir(parents=True, exist_ok=True)
    run = run_measured([sys.executable, "-m", "budgetperf", "build", "--reports", str(reports), "--db", str(db)],
                       cli_env())
    if run.returncode not in (0, 1):  # 1: some files failed, the store is still written
        raise RuntimeError(f"build failed ({run.returncode}): {run.stderr[-2000:]}")
    failed = sum(1 for line in run.stdout.splitlines() if line.startswith("失败"))
    return {"seconds": round(run.seconds, 2), "cpu_s": round(run.cpu_seconds, 1), "peak_rss_mb": round(run.peak_rss_mb),
            "failed": failed, "size_mb": round(db.stat().st_size / 2**20, 1), "loadavg": _load()}


def _load() -> float | None:
    """The 1-minute load average after a run: the machine is shared, so a wall time
    means little without it."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def cli_env() -> dict:
    """The environment of a benchmarked CLI run: its write log and archive stay in
    the benchmark's cache, never in data/."""
    work = cache_dir() / "cli"
    return dict(os.environ, PYTHONPATH=str(ROOT), BUDGETPERF_WRITE_LOG=str(work / "write_log.jsonl"),
                BUDGETPERF_ARCHIVE_DIR=str(work / "archive"))


def ensure_store(tier: Tier, rebuild: bool = False, log=print) -> dict | None:
    """The tier's store, built (and timed) unless cached; the schema and views are
    refreshed either way. Returns the build figures when it built."""
    ensure_corpus(tier, log)
    figures = None
    if rebuild or not tier.db.exists():
        log(f"  building store {tier.db.name} …")
        figures = build_measured(tier.reports, tier.db)
    con = duckdb.connect(str(tier.db))
    try:
        create_schema(con)
    finally:
        con.close()
    return figures


def store_counts(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {t: con.execute(f"select count(*) from {t}").fetchone()[0]
               for t in ("documents", "projects", "indicators", "source_lines", "checks")}
        out["regions"] = con.execute("select count(distinct region) from documents").fetchone()[0]
        return out
    finally:
        con.close()


def subset_folder(source: Path, target: Path, n: int) -> Path:
    """A folder of symlinks to the first `n` reports of `source` (sorted by name: whole
    regions with all their years), for timing a build of exactly `n` reports."""
    if target.exists() and len(list(target.iterdir())) == n:
        return target
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for path in sorted(source.iterdir())[:n]:
        (target / path.name).symlink_to(path)
    return target
