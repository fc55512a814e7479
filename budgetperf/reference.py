"""Loading the reference tables (regions, unit aliases) from CSV files.

Users extend `data/regions.csv` with a row for a region the bundled table lacks;
extraction then resolves that region in every report that mentions it.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from budgetperf import settings
from budgetperf.parsers.context import Reference, Region, UnitAlias


@lru_cache(maxsize=4)
def load_reference(regions_path: str | None = None, aliases_path: str | None = None) -> Reference:
    """Read regions.csv and unit_aliases.csv (paths default to the settings)."""
    regions_file = Path(regions_path or settings.get("BUDGETPERF_REGIONS"))
    aliases_file = Path(aliases_path or settings.get("BUDGETPERF_UNIT_ALIASES"))
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
    return Reference(regions, aliases)
