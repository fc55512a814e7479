"""Shared fixtures: reference tables, and paths to the bundled reports and fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetperf.reference import load_reference

ROOT = Path(__file__).resolve().parent.parent
REPORTS_DIR = ROOT / "data" / "reports"
FIXTURES_DIR = ROOT / "tests" / "fixtures" / "reports"


@pytest.fixture(scope="session")
def ref():
    """The bundled reference tables (data/regions.csv, data/unit_aliases.csv)."""
    return load_reference(str(ROOT / "data" / "regions.csv"), str(ROOT / "data" / "unit_aliases.csv"))
