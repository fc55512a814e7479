"""Data tests of the store's models, as dbt's schema tests do: every model file is
built, each table's declared grain (`-- grain:` in its file) is unique, and no row
points at a document, project or indicator that is not there. Run on the seed store
and on a store of the whole devset (38 reports of many layouts)."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from budgetperf.storing import schema
from budgetperf.storing.building import build_store
from tests.conftest import REPORTS_DIR, ROOT

DEVSET = ROOT / "tests" / "fixtures" / "devset"
MODELS = {f"{p.parent.name}/{p.stem}": p for p in (schema.SQL_DIR).glob("*/*.sql")}


def test_every_model_file_is_built_in_order_and_every_built_model_has_a_file():
    listed = {f"staging/{n}" for n in schema.STAGING} | {f"marts/{n}" for n in schema.MARTS}
    assert listed == set(MODELS)


def _grain(path) -> list[str] | None:
    m = re.match(r"-- grain: ([\w, ]+)$", path.read_text(encoding="utf-8").splitlines()[0])
    return [c.strip() for c in m.group(1).split(",")] if m else None


def test_every_table_model_declares_its_grain():
    tables = [name for name, path in MODELS.items()
              if re.search(r"create or replace (table|view)", path.read_text(encoding="utf-8"))]
    assert tables and all(path.read_text(encoding="utf-8").startswith("-- grain:") for name, path in MODELS.items()
                          if name in tables)


@pytest.fixture(scope="module", params=["seeds", "devset"])
def built(request, tmp_path_factory, ref):
    folder = tmp_path_factory.mktemp(request.param)
    reports = folder / "reports"
    reports.mkdir()
    source = REPORTS_DIR if request.param == "seeds" else DEVSET
    for f in source.iterdir():
        if f.is_file() and f.suffix in (".txt", ".docx", ".xlsx", ".pdf"):
            shutil.copy(f, reports / f.name)
    db = folder / "store.duckdb"
    build_store(reports, db, ref)
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("model", sorted(n for n, p in MODELS.items() if _grain(p)))
def test_grain_is_unique(built, model):
    grain = _grain(MODELS[model])
    name = model.split("/")[1]
    columns = ", ".join(grain)
    duplicates = built.execute(
        f"select {columns}, count(*) from {name} group by all having count(*) > 1 limit 5").fetchall()
    assert duplicates == [], f"{name}: rows repeat its grain ({columns})"


# (table, column, the table and column it must point at)
REFERENCES = [
    ("projects", "doc_id", "documents", "doc_id"),
    ("indicators", "project_id", "projects", "project_id"),
    ("indicators", "doc_id", "documents", "doc_id"),
    ("checks", "doc_id", "documents", "doc_id"),
    ("review_reasons", "doc_id", "documents", "doc_id"),
    ("provenance", "doc_id", "documents", "doc_id"),
    ("source_lines", "doc_id", "documents", "doc_id"),
    ("section_scores", "project_id", "projects", "project_id"),
    ("expense_items", "project_id", "projects", "project_id"),
    ("spending_plans", "project_id", "projects", "project_id"),
    ("budget_lines", "project_id", "projects", "project_id"),
    ("program_links", "project_id", "projects", "project_id"),
    ("program_links", "earlier_project_id", "projects", "project_id"),
    ("mart_projects", "project_id", "projects", "project_id"),
    ("mart_indicators", "indicator_id", "indicators", "indicator_id"),
    ("mart_checks", "check_id", "checks", "check_id"),
    ("mart_review_items", "doc_id", "documents", "doc_id"),
]


@pytest.mark.parametrize(("table", "column", "target", "key"), REFERENCES, ids=[f"{t}.{c}" for t, c, _, _ in REFERENCES])
def test_no_orphan_rows(built, table, column, target, key):
    orphans = built.execute(f"select count(*) from {table} where {column} is not null "
                            f"and {column} not in (select {key} from {target})").fetchone()[0]
    assert orphans == 0


def test_marts_hold_every_stored_row(built):
    for table, mart, key in (("projects", "mart_projects", "project_id"), ("indicators", "mart_indicators", "indicator_id"),
                             ("checks", "mart_checks", "check_id"), ("documents", "mart_documents", "doc_id")):
        assert built.execute(f"select count(*) from {table}").fetchone() == \
            built.execute(f"select count(*) from {mart}").fetchone(), mart
