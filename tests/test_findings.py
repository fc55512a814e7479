"""The words the 审核 page shows: every audit rule and severity is explained, in
Chinese, without developer commands."""

import re

from budgetperf.understanding import findings
from budgetperf.understanding.audit import RULES


def test_every_rule_has_a_title_and_an_explanation():
    kinds = {kind for kind, *_ in RULES}
    assert kinds == set(findings.RULE_HELP)
    for kind in kinds:
        assert findings.rule_title(kind) and re.search(r"[\u4e00-\u9fff]", findings.rule_help(kind))


def test_severities_and_review_are_explained_without_commands():
    texts = [*findings.SEVERITY_HELP.values(), *findings.RULE_HELP.values(), findings.REVIEW_HELP]
    assert set(findings.SEVERITY_HELP) == {"错误", "警告", "提示"}
    assert not [t for t in texts if re.search(r"python|make |\.csv|`", t)]


def test_unknown_codes_fall_back_to_themselves():
    assert findings.rule_title("new_rule") == "new_rule" and findings.rule_help("new_rule") == ""
    assert findings.review_label("year_inferred") == "年度为推断"
