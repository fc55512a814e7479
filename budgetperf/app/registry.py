"""The app's pages: one list that the router, the navigation between pages, the
review links and the export command all read.

Pure data, no streamlit: the export command (`budgetperf export --page …`) resolves
a page here without starting an app. A page added to `PAGES` appears in the sidebar
(app.py), can be linked to by key (`path_of`), and, when ``is_exportable``, can be
exported from the command line; a test checks that every ``pages/*.py`` file is
listed here and every listed path exists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """One page: its key (the English name the CLI and links use), its script path
    relative to app.py, its Chinese title and icon, and its sidebar section."""

    key: str
    path: str
    title: str
    icon: str
    section: str
    is_default: bool = False
    is_exportable: bool = True  # charts a meeting pack can hold (the CLI's --page)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "pages/overview.py", "总览", ":material/dashboard:", "看板", is_default=True),
    PageSpec("execution", "pages/execution.py", "预算执行", ":material/account_balance_wallet:", "看板"),
    PageSpec("indicators", "pages/indicators.py", "指标完成", ":material/checklist:", "看板"),
    PageSpec("scores", "pages/scores.py", "得分分布", ":material/leaderboard:", "看板"),
    PageSpec("regions", "pages/regions.py", "地区对比", ":material/compare_arrows:", "看板"),
    PageSpec("sources", "pages/sources.py", "数据来源", ":material/description:", "核查"),
    PageSpec("audit", "pages/audit.py", "审核", ":material/rule:", "核查"),
    PageSpec("review", "pages/review.py", "数据校对", ":material/fact_check:", "核查", is_exportable=False),
    PageSpec("manage", "pages/manage.py", "数据管理", ":material/upload_file:", "管理", is_exportable=False),
    PageSpec("trail", "pages/trail.py", "修改记录", ":material/history:", "管理", is_exportable=False),
)

_BY_KEY = {p.key: p for p in PAGES}

# Where a page run records the charts and tables it showed (`frame.record_export`),
# read by the 导出 panel and by a headless run (`headless.collect_page_charts`).
EXPORTS_KEY = "ui.exports"
# Where a page run records its headline and key figures (`frame.record_headline`,
# `frame.record_figures`), for the deck's headline slide.
SUMMARY_KEY = "ui.summary"


def page(key: str) -> PageSpec:
    """The page with this key (KeyError for an unknown one: a developer's typo)."""
    return _BY_KEY[key]


def path_of(key: str) -> str:
    """The script path of the page with this key, for st.switch_page/st.page_link."""
    return _BY_KEY[key].path


def sections() -> dict[str, list[PageSpec]]:
    """Pages grouped by sidebar section, in order."""
    out: dict[str, list[PageSpec]] = {}
    for p in PAGES:
        out.setdefault(p.section, []).append(p)
    return out


def exportable() -> list[PageSpec]:
    """Pages whose charts the export command can render."""
    return [p for p in PAGES if p.is_exportable]


def find(name: str) -> PageSpec | None:
    """A page by its key or its Chinese title (the CLI accepts both)."""
    return _BY_KEY.get(name) or next((p for p in PAGES if p.title == name), None)
