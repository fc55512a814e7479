"""The same report in another file (issue 18): the facts' fingerprint across layouts
and encodings, the near misses that are not duplicates, which copy counts
(`changes.duplicates.assign`) and the verdicts people give."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from budgetperf.changes import duplicates
from budgetperf.changes.duplicates import Copy, Decision, DecisionError
from budgetperf.storing.extracting import extract_file
from budgetperf.synth.layouts import LAYOUTS, Facts, render_pipe
from budgetperf.synth.model import SynthIndicator
from budgetperf.understanding.duplicates import figure, fingerprint, plain_text
from budgetperf.understanding.records import DocumentFacts, Project, Provenance, Value
from tests.conftest import ROOT, REPORTS_DIR
from tests.test_layouts import _facts

DEVSET = ROOT / "tests" / "fixtures" / "devset"
FORMATS = (".txt", ".docx", ".xlsx", ".pdf")


def _fingerprint_of(tmp_path: Path, ref, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return fingerprint(extract_file(path, ref).facts)


@pytest.fixture(scope="module")
def layout_prints(tmp_path_factory, ref) -> dict:
    """The fingerprint of one project's facts rendered in every layout (txt, docx,
    xlsx, pdf: pipes, aligned columns, merged cells, text boxes, rotated pages…)."""
    folder = tmp_path_factory.mktemp("layouts")
    facts = _facts()
    return {name: _fingerprint_of(folder, ref, f"{name}{suffix}", render(facts))
            for name, (suffix, render) in LAYOUTS.items()}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_same_facts_in_every_layout_have_one_fingerprint(layout_prints, layout):
    assert layout_prints[layout] is not None
    assert layout_prints[layout] == layout_prints["pipe"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_another_encoding_has_the_same_fingerprint(tmp_path, ref, layout_prints, encoding):
    text = render_pipe(_facts()).decode("utf-8")
    assert _fingerprint_of(tmp_path, ref, "copy.txt", text.encode(encoding)) == layout_prints["pipe"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_a_real_report_in_another_encoding_has_the_same_fingerprint(tmp_path, ref, encoding):
    seed = REPORTS_DIR / "000_c45d5bc83af97699.txt"
    original = fingerprint(extract_file(seed, ref).facts)
    copy = _fingerprint_of(tmp_path, ref, "copy.txt", seed.read_text(encoding="utf-8").encode(encoding))
    assert original is not None and copy == original


def _changed(**changes) -> Facts:
    facts = _facts()
    project = facts.project
    if "indicators" in changes:
        project = dataclasses.replace(project, indicators=changes.pop("indicators"))
    project = dataclasses.replace(project, **{k: v for k, v in changes.items() if k in ("name", "executed",
                                                                                        "total_score")})
    return dataclasses.replace(facts, project=project, **{k: v for k, v in changes.items() if k in ("unit", "year")})


# near miss -> (is the same report, is another version of it): the key / report key agree
NEAR_MISSES = {
    "another_year": (_changed(year=2024), False, False),
    "another_project": (_changed(name="某某农村饮水安全维修经费"), False, False),
    "another_unit": (_changed(unit="某某县水利局"), False, False),
    "corrected_resubmission_other_executed": (_changed(executed=82.3), False, True),
    "corrected_resubmission_other_score": (_changed(total_score=91), False, True),
    "an_indicator_more": (_changed(indicators=[*_facts().project.indicators, SynthIndicator(
        "效益指标", "社会效益指标", "安全事故", "0起", "0起", 0, 0)]), False, True),
}


@pytest.mark.parametrize("case", sorted(NEAR_MISSES))
def test_near_misses_are_not_duplicates(tmp_path, ref, layout_prints, case):
    facts, same_report, another_version = NEAR_MISSES[case]
    other = _fingerprint_of(tmp_path, ref, "other.txt", render_pipe(facts))
    assert other is not None
    assert (other.key == layout_prints["pipe"].key) is same_report
    assert (other.report_key == layout_prints["pipe"].report_key) is another_version


def test_real_reports_are_not_taken_for_one_another(ref):
    """The seeds and the devset's real reports (two of one county, one unit's report and
    its target sheet): different reports, so no two share a fingerprint."""
    files = sorted(REPORTS_DIR.glob("*.txt")) + sorted(p for p in DEVSET.iterdir() if p.suffix in FORMATS)
    keys = [fp.key for f in files if (fp := fingerprint(extract_file(f, ref).facts)) is not None]
    assert len(keys) >= len(files) - 2 and len(set(keys)) == len(keys)


# ---------------------------------------------------------------------------
# the fingerprint's rules, on facts made by hand

P = Provenance("x.txt", 1, 1)


def _facts_by_hand(**changes) -> DocumentFacts:
    project = Project("某项目", "evaluation", P, budget_initial=Value(100.0), executed=Value(95.0),
                      total_score=Value(92.0))
    facts = DocumentFacts("x.txt", "txt", region=Value("某县"), unit=Value("某县财政局"), unit_short="某县财政局",
                          year=Value(2021), doc_kinds=["project_evaluation"], projects=[project])
    for name, value in changes.items():
        setattr(facts, name, value)
    return facts


@pytest.mark.parametrize("changes, why", [
    ({"year": None}, "no year: nothing tells two such documents apart"),
    ({"unit": None, "unit_short": None, "region": None}, "no unit or region"),
    ({"projects": [Project("某项目", "target", P)]}, "not a single figure"),
    ({"projects": []}, "no project at all"),
    ({"is_excluded": True}, "a person marked it 不是绩效报告"),
])
def test_too_little_to_tell_apart_has_no_fingerprint(changes, why):
    assert fingerprint(_facts_by_hand(**changes)) is None, why


def test_the_budget_counted_is_the_same_under_either_heading():
    """A layout may put the one budget under 年初 or under 调整后 (tabs that shift)."""
    a = _facts_by_hand()
    b = _facts_by_hand()
    b.projects[0].budget_adjusted, b.projects[0].budget_initial = Value(100.0), None
    assert fingerprint(a) == fingerprint(b)


@pytest.mark.parametrize("a, b, equal", [
    (86.5, 86.5, True),
    (86.5, 865000 / 10000, True),  # 元 → 万元
    (12.345678, 12.35, True),  # an amount in 元 read to the 万元 the other file rounds to
    (12.344, 12.35, False),
    (None, 0, False),  # not stated is not zero
])
def test_figures_compare_to_two_decimals(a, b, equal):
    assert (figure(a) == figure(b)) is equal


@pytest.mark.parametrize("a, b", [
    ("某某乡村道路养护经费（2021年）", "某某乡村道路养护经费(2021年)"),  # full-width brackets
    ("某某乡村道路\n养护经费", "某某乡村道路养护经费"),  # wrapped by a PDF
    ("ＡＢＣ平台运维", "abc平台运维"),
])
def test_names_compare_as_a_reader_reads_them(a, b):
    assert plain_text(a) == plain_text(b)


# ---------------------------------------------------------------------------
# which copy counts, and people's verdicts

def _copy(doc_id: str, order: int, fp: str = "F") -> Copy:
    return Copy(doc_id, f"hash-{doc_id}", fp, (False, order, f"{doc_id}.txt"))


def _decision(copy: str, original: str, verdict: str, at: str = "2026-01-01T00:00:00+08:00") -> Decision:
    return Decision(f"hash-{copy}", f"hash-{original}", verdict, "核对", "张三", at=at)


def _pairs(copies, *decisions) -> set[tuple[str, str, str]]:
    return {(p.doc_id, p.original_doc_id, p.status)
            for p in duplicates.assign(copies, duplicates.current(decisions))}


@pytest.mark.parametrize("copies, decisions, expected", [
    # the earliest counts, each later copy repeats it
    ([_copy("b", 2), _copy("a", 1), _copy("c", 3)], [], {("b", "a", "probable"), ("c", "a", "probable")}),
    # other fingerprints are other reports
    ([_copy("a", 1), _copy("b", 2, "G")], [], set()),
    # 同一份报告: still left out, now decided
    ([_copy("a", 1), _copy("b", 2)], [_decision("b", "a", "same")], {("b", "a", "same")}),
    # a decision names the pair in either order (a rebuild may swap which one is first)
    ([_copy("a", 1), _copy("b", 2)], [_decision("a", "b", "same")], {("b", "a", "same")}),
    # 不是同一份: both count, the pair stays listed
    ([_copy("a", 1), _copy("b", 2)], [_decision("b", "a", "distinct")], {("b", "a", "distinct")}),
    # a third copy repeats the first copy no one has told it apart from
    ([_copy("a", 1), _copy("b", 2), _copy("c", 3)],
     [_decision("b", "a", "distinct"), _decision("c", "a", "distinct")],
     {("b", "a", "distinct"), ("c", "a", "distinct"), ("c", "b", "probable")}),
    # the latest verdict on a pair wins
    ([_copy("a", 1), _copy("b", 2)],
     [_decision("b", "a", "distinct", "2026-01-01T00:00:00+08:00"), _decision("b", "a", "same", "2026-01-02T00:00:00+08:00")],
     {("b", "a", "same")}),
])
def test_which_copy_counts(copies, decisions, expected):
    assert _pairs(copies, *decisions) == expected


def test_a_copy_repeats_the_one_a_person_called_the_same_report():
    copies = [_copy("a", 1), _copy("b", 2), _copy("c", 3)]
    decisions = [_decision("b", "a", "distinct"), _decision("c", "b", "same")]
    assert ("c", "b", "same") in _pairs(copies, *decisions)


@pytest.mark.parametrize("word, verdict", [("同一份报告", "same"), ("不是同一份", "distinct"), ("same", "same"),
                                           ("distinct", "distinct"), (" 同一份 ", "same")])
def test_verdict_words(word, verdict):
    assert duplicates.verdict_of(word) == verdict


@pytest.mark.parametrize("args, message", [
    (("h1", "h2", "也许", "核对"), "判定只能是「同一份报告」或「不是同一份」"),
    (("h1", "h2", "same", "  "), "请写明判定理由"),
    (("h1", "h1", "same", "核对"), "判定需要两份不同的文档"),
])
def test_a_bad_verdict_is_refused_in_chinese(args, message):
    with pytest.raises(DecisionError) as raised:
        duplicates.make(*args)
    assert message in raised.value.message_zh


def test_the_log_keeps_verdicts_and_skips_torn_lines(tmp_path):
    log = tmp_path / "decisions.jsonl"
    first = duplicates.make("h1", "h2", "同一份报告", "核对", editor="张三", file="b.pdf", original_file="a.docx")
    duplicates.append([first], log)
    with log.open("a", encoding="utf-8") as f:
        f.write('{"doc_hash": "h3", "original')  # a crash while appending
    assert duplicates.load(log) == [first]
