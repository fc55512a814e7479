"""The words the 审核 page shows: every check kind of the vocabulary and every severity
is explained, in Chinese, without developer commands."""

import json
import re
from pathlib import Path

from budgetperf.understanding import findings
from budgetperf.understanding.audit import KINDS, RULES

VOCABULARY = Path(__file__).resolve().parent / "fixtures" / "audit" / "check_kinds.json"


def test_every_kind_has_a_title_and_an_explanation():
    assert set(KINDS) == set(findings.RULE_HELP) == set(findings.RULE_TITLES)
    for kind in KINDS:
        assert re.search(r"[\u4e00-\u9fff]", findings.rule_title(kind)) and re.search(r"[\u4e00-\u9fff]", findings.rule_help(kind))
    assert {rule.kind for rule in RULES} <= set(KINDS)


def test_the_kinds_are_the_shared_vocabulary_with_its_severities():
    """A copy of the answer keys' check_kinds.json: the same kinds, each with the same severity."""
    shared = {k["kind"]: k["severity"] for k in json.loads(VOCABULARY.read_text(encoding="utf-8"))["kinds"]}
    assert KINDS == shared


def test_severities_and_review_are_explained_without_commands():
    texts = [*findings.SEVERITY_HELP.values(), *findings.RULE_HELP.values(), findings.REVIEW_HELP]
    assert set(findings.SEVERITY_HELP) == {"错误", "警告", "提示"}
    assert not [t for t in texts if re.search(r"python|make |\.csv|`", t)]
    assert findings.severity_of("total_vs_parts") == "错误" and findings.severity_of("rounding") == "提示"


def test_unknown_codes_fall_back_to_themselves():
    assert findings.rule_title("new_rule") == "new_rule" and findings.rule_help("new_rule") == ""
    assert findings.severity_of("new_rule") is None
    assert findings.review_label("year_inferred") == "年度为推断"
