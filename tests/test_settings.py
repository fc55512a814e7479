"""Settings: documented in the README and overridable from the environment.

Follows datasette tests/test_docs.py: a setting the README does not mention is a bug.
"""

from pathlib import Path

import pytest

from budgetperf import settings

README = settings.ROOT / "README.md"


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_setting_documented_in_readme(setting):
    assert README.is_file(), "README.md is missing at the repo root"
    assert setting.name in README.read_text(encoding="utf-8"), f"{setting.name} is not documented in README.md"


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_setting_has_bilingual_help(setting):
    assert any("\u4e00" <= ch <= "\u9fff" for ch in setting.help), "help needs Chinese text"
    assert any("a" <= ch.lower() <= "z" for ch in setting.help), "help needs English text"


def test_setting_names_unique():
    names = [s.name for s in settings.SETTINGS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    "name, expected",
    [
        ("BUDGETPERF_DB", settings.ROOT / "data" / "budgetperf.duckdb"),
        ("BUDGETPERF_REPORTS_DIR", settings.ROOT / "data" / "reports"),
        ("BUDGETPERF_REGIONS", settings.ROOT / "data" / "regions.csv"),
        ("BUDGETPERF_UNIT_ALIASES", settings.ROOT / "data" / "unit_aliases.csv"),
    ],
)
def test_path_defaults_resolve_against_repo_root(monkeypatch, tmp_path, name, expected):
    monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # the working directory must not matter
    assert settings.get(name) == str(expected)


def test_chromium_default(monkeypatch):
    monkeypatch.delenv("BUDGETPERF_CHROMIUM", raising=False)
    assert settings.get("BUDGETPERF_CHROMIUM") == "/usr/bin/chromium"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("/srv/store/x.duckdb", Path("/srv/store/x.duckdb")),  # absolute: as given
        ("tmp/x.duckdb", settings.ROOT / "tmp" / "x.duckdb"),  # relative: against the repo root
        ("", settings.ROOT / "data" / "budgetperf.duckdb"),  # empty: unset
    ],
)
def test_env_overrides_path_setting(monkeypatch, value, expected):
    monkeypatch.setenv("BUDGETPERF_DB", value)
    assert settings.get("BUDGETPERF_DB") == str(expected)


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_env_overrides_every_setting(monkeypatch, tmp_path, setting):
    value = str(tmp_path / "override")
    monkeypatch.setenv(setting.name, value)
    assert settings.get(setting.name) == value


def test_chromium_command_name_not_made_a_path(monkeypatch):
    monkeypatch.setenv("BUDGETPERF_CHROMIUM", "chromium")
    assert settings.get("BUDGETPERF_CHROMIUM") == "chromium"


def test_unknown_setting_raises():
    with pytest.raises(KeyError, match="BUDGETPERF_NOPE"):
        settings.get("BUDGETPERF_NOPE")
