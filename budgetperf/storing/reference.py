"""Loading the reference tables (regions, unit aliases) from CSV files, with the
edits made from the app (`changes.reference_edits`) laid over them.

Users extend `data/regions.csv` with a row for a region the bundled table lacks (or
add it on the 数据校对 page); extraction then resolves that region in every report
that mentions it.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from budgetperf import settings
from budgetperf.changes import reference_edits
from budgetperf.understanding.parsers.context import Reference, Region, UnitAlias


def load_reference(regions_path: str | None = None, aliases_path: str | None = None,
                   edits_path: str | None = None) -> Reference:
    """Read regions.csv and unit_aliases.csv (paths default to the settings) and lay
    the app's edits over them. Cached until one of the three files changes."""
    files = [Path(regions_path or settings.get("BUDGETPERF_REGIONS")),
             Path(aliases_path or settings.get("BUDGETPERF_UNIT_ALIASES")),
             Path(edits_path or settings.get("BUDGETPERF_REFERENCE_EDITS"))]
    stamps = tuple(f.stat().st_mtime_ns if f.is_file() else None for f in files)
    return _load(*map(str, files), stamps)


@lru_cache(maxsize=4)
def _load(regions_path: str, aliases_path: str, edits_path: str, _stamps: tuple) -> Reference:
    regions_file, aliases_file = Path(regions_path), Path(aliases_path)
    with regions_file.open(encoding="utf-8-sig", newline="") as fh:
        regions = [
            Region(row["region"].strip(), row["level"].strip(), (row.get("city") or "").strip(),
                   (row.get("province") or "").strip(), (row.get("code") or "").strip())
            for row in csv.DictReader(fh) if row.get("region")
        ]
    aliases: list[UnitAlias] = []
    if aliases_file.is_file():
        with aliases_file.open(encoding="utf-8-sig", newline="") as fh:
            aliases = [
                UnitAlias(row["long_form"].strip(), row["short_form"].strip(), row.get("party_organ", "0").strip() == "1")
                for row in csv.DictReader(fh) if row.get("long_form")
            ]
    regions, aliases = reference_edits.apply_edits(regions, aliases, reference_edits.load(edits_path))
    return Reference(regions, aliases)
