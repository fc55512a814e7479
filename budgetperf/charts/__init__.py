"""Chart builders: pure ``DataFrame -> go.Figure`` functions, one per chart.

The package owns how the dashboard looks. `common` holds what every chart shares:
the region→colour mapping and status colours, Chinese labels for query columns
(`LABELS`), 万元 and % formatting, the common layout with its Chinese title and
one-line source note. One module per page family holds that page's builders:
`overview`, `execution`, `indicators`, `scores`, `regions`, `audit`; `safe` escapes
a report's or a user's words for each way of showing them (Markdown, Plotly).

Nothing here imports streamlit or runs SQL: builders take the DataFrame a named
query returned (columns named with their unit, e.g. ``budget_wan``,
``execution_rate_pct``), so they are unit-tested without a server;
`app.display.show_chart` displays them. A figure whose data is missing says so
in the figure (`empty_figure`); an amount a report does not disclose is drawn as
the words 未披露, never as 0 or 100%.

Everything public is re-exported here, so pages write ``charts.execution_rate``.
"""

from budgetperf.charts.audit import findings_by_region, findings_by_rule
from budgetperf.charts.common import *  # noqa: F403  (the shared vocabulary, re-exported)
from budgetperf.charts.common import __all__ as _common_all
from budgetperf.charts.execution import (
    budget_vs_executed,
    execution_rate,
    expense_items,
    expense_treemap,
    rate_histogram,
    spending_plan,
    spending_plan_summary,
)
from budgetperf.charts.indicators import (
    attainment_by_level2,
    attainment_mix,
    indicator_heatmap,
    indicator_heatmap_by_region,
    quantified_rate,
)
from budgetperf.charts.overview import overview_small_multiples
from budgetperf.charts.rankings import (
    MEASURES,
    fmt_value,
    region_ranking,
    region_year_heatmap,
    value_color,
)
from budgetperf.charts.regions import (
    indicator_mix,
    program_comparison,
    region_measures,
    region_pair,
    region_trend,
)
from budgetperf.charts.scores import (
    grade_counts,
    lost_items,
    lost_points,
    score_histogram,
    score_strip,
    section_rates,
)

# One table of builders, for tests and the bench: name → function.
BUILDERS = {
    "overview_small_multiples": overview_small_multiples,
    "region_ranking": region_ranking,
    "region_year_heatmap": region_year_heatmap,
    "budget_vs_executed": budget_vs_executed,
    "execution_rate": execution_rate,
    "rate_histogram": rate_histogram,
    "spending_plan": spending_plan,
    "spending_plan_summary": spending_plan_summary,
    "expense_treemap": expense_treemap,
    "expense_items": expense_items,
    "indicator_heatmap": indicator_heatmap,
    "indicator_heatmap_by_region": indicator_heatmap_by_region,
    "quantified_rate": quantified_rate,
    "attainment_mix": attainment_mix,
    "attainment_by_level2": attainment_by_level2,
    "score_strip": score_strip,
    "score_histogram": score_histogram,
    "grade_counts": grade_counts,
    "section_rates": section_rates,
    "lost_points": lost_points,
    "lost_items": lost_items,
    "region_measures": region_measures,
    "region_pair": region_pair,
    "indicator_mix": indicator_mix,
    "region_trend": region_trend,
    "program_comparison": program_comparison,
    "findings_by_rule": findings_by_rule,
    "findings_by_region": findings_by_region,
}

__all__ = [*_common_all, *BUILDERS, "BUILDERS", "MEASURES", "fmt_value", "value_color"]
