"""Finding statuses: an editor's verdict on an audit finding (已核实, 忽略, or back to
未处理), kept apart from the corrections of facts.

A status changes no extracted value, so it never re-extracts a document: it is a
line in its own log (``BUDGETPERF_FINDING_STATUSES``), and every write lays the
current statuses over the stored findings (`storing.schema.apply_finding_statuses`),
so they survive rebuilds and follow a finding by its stable key (rule, project,
statement). The records share the shape of corrections (`corrections.Correction`
with field ``finding_status``: who, when, why, undo), so the trail, the export and
the undo work alike; statuses written before this log existed sit in the
corrections file and are read from there too.
"""

from __future__ import annotations

from pathlib import Path

from budgetperf import settings
from budgetperf.changes import corrections
from budgetperf.changes.corrections import Correction

FIELD = "finding_status"


def log_path() -> Path:
    return Path(settings.get("BUDGETPERF_FINDING_STATUSES"))


def is_status(record: Correction) -> bool:
    return record.field == FIELD


def load() -> list[Correction]:
    """Every status record, fixes and undos, oldest first: the ones an older version
    kept among the corrections, then the log's."""
    legacy = [c for c in corrections.load() if is_status(c)]
    return legacy + corrections.load(log_path())


def append(records: list[Correction]) -> None:
    """Append status records durably (whole lines under a lock, fsynced)."""
    corrections.append(records, log_path())


def current(records: list[Correction] | None = None) -> dict[tuple[str, str], Correction]:
    """(document content hash, finding key) → the latest active status record."""
    return corrections.finding_statuses(load() if records is None else records)
