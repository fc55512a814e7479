"""Accuracy of an extraction against an answer key, field by field.

The rules are the project's answer-key scorer's, so the figures here agree with the
ones extraction is judged by: text compared after NFKC and punctuation folding,
numbers within 0.006, a key's null counted too (a value where the report says
nothing is a miss), one stated budget accepted in either budget field, a unit
accepted as written in full or as an in-order abbreviation of the key's.

Projects are paired as the scorer pairs them: by name, then a department with a
department, then by the most alike remaining name (bigram likeness ≥ 0.5), so a
wrong name costs one field, not the whole project; an output project that stands for
none of the report's projects is one more miss. A miss is *silent* when neither its
document nor its project carries a needs_review reason: a user would see the wrong
value with nothing saying it may be wrong.

On top of the total it keeps every check with its document and *field kind*
(region, unit, year, project, budget, score, grade, indicator, …), so a report can
say where extraction misses, not only how often.

Pure: dicts in (the shape of `extract --json` and of the keys), a `Score` out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

_FOLD = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "％": "%", "＞": ">", "＜": "<",
                       "、": ",", "“": '"', "”": '"', " ": "", "\t": "", "\n": "", "\u3000": ""})


def norm_text(value) -> str | None:
    if value is None:
        return None
    s = unicodedata.normalize("NFKC", str(value)).translate(_FOLD)
    s = s.replace(">=", "≥").replace("<=", "≤").replace("≧", "≥").replace("≦", "≤").replace("═", "=").replace("万元", "万")
    return s.strip()


def norm_name(value) -> str:
    s = norm_text(value) or ""
    s = re.sub(r"^指标\d+[:：]", "", s)
    s = re.sub(r"\((%|万元|万|人|场|条|个|次)\)$", "", s)
    return re.sub(r"项目$", "", s)


def section_name(value) -> str:
    """决策 and 决策指标 name the same section."""
    return re.sub(r"指标$", "", norm_name(value))


def to_number(value) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return float(value)
    m = re.search(r"-?\d+(\.\d+)?", str(value))
    return float(m.group()) if m else None


def bare_number_of(bare, full) -> bool:
    """'95' for '95%': the unit sat in its own column, so either form is the cell as written."""
    b, f = norm_text(bare), norm_text(full)
    return bool(b and f and re.fullmatch(r"-?\d+(\.\d+)?", b) and re.fullmatch(re.escape(b) + r"[^\d.]{1,4}", f))


def same(expected, actual, kind: str = "text") -> bool:
    if expected is None:
        return actual in (None, "", [])
    if kind == "num":
        actual = to_number(actual)
        return actual is not None and abs(actual - float(expected)) <= 0.006
    if kind == "bool":
        return bool(actual) == bool(expected)
    if kind == "name":
        return norm_name(actual) == norm_name(expected)
    if kind == "measure":
        return norm_text(actual) == norm_text(expected) or bare_number_of(actual, expected) or bare_number_of(expected, actual)
    return norm_text(actual) == norm_text(expected)


def abbreviates(short: str | None, full: str | None) -> bool:
    """A short unit name whose characters appear in order in the full one, with the
    same last character (某市医保局 for 某市医疗保障局)."""
    if not short or not full or len(short) < 4 or short[-1] != full[-1]:
        return False
    it = iter(full)
    return all(ch in it for ch in short)


def normalize_shape(doc: dict) -> dict:
    """Accept older key field names (execution_weight, department_budget)."""
    doc = dict(doc)
    doc["file"] = str(doc.get("file", "")).split("/")[-1]
    projects = []
    for p in doc.get("projects") or []:
        p = dict(p)
        if p.get("name") == "部门整体支出":
            p.setdefault("kind", "department")
        for old, new in (("execution_weight", "budget_weight"), ("execution_score", "budget_score")):
            if old in p and new not in p:
                p[new] = p[old]
        projects.append(p)
    if doc.get("department_budget") is not None and not any(p.get("name") == "部门整体支出" for p in projects):
        projects.append({"name": "部门整体支出", "kind": "department", "budget_initial": doc["department_budget"],
                         "executed": doc.get("department_executed"), "indicators": []})
    doc["projects"] = projects
    return doc


def documents_of(data) -> list[dict]:
    """The documents of a key or an extraction: a list, or {"documents": [...]}."""
    if isinstance(data, dict):
        data = data.get("documents", [data])
    return [normalize_shape(d) for d in data]


@dataclass(frozen=True)
class Check:
    file: str
    kind: str  # field kind: region, unit, year, project, budget, score, grade, indicator, …
    where: str
    expected: object
    actual: object
    ok: bool
    flagged: bool = False  # the document or project carries a needs_review reason

    @property
    def is_silent(self) -> bool:
        return not self.ok and not self.flagged


@dataclass
class Score:
    checks: list[Check] = field(default_factory=list)

    @property
    def correct(self) -> int:
        return sum(c.ok for c in self.checks)

    @property
    def total(self) -> int:
        return len(self.checks)

    @property
    def pct(self) -> float:
        return 100.0 * self.correct / max(self.total, 1)

    def by(self, attribute: str) -> dict[str, tuple[int, int]]:
        """correct, total per document (`file`) or per field kind (`kind`)."""
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for c in self.checks:
            out[getattr(c, attribute)][0] += c.ok
            out[getattr(c, attribute)][1] += 1
        return {k: (ok, n) for k, (ok, n) in out.items()}

    def misses(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def silent(self) -> int:
        return sum(c.is_silent for c in self.checks)


class _Tally:
    def __init__(self, score: Score, file: str):
        self.score, self.file = score, file
        self.flagged = False

    def check(self, kind, where, expected, actual, how="text", ok=None):
        ok = same(expected, actual, how) if ok is None else ok
        self.score.checks.append(Check(self.file, kind, where, expected, actual, ok, self.flagged))


def _bigrams(s: str) -> set[str]:
    s = norm_name(s)
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def likeness(a, b) -> float:
    """How alike two project names are: 1 when one contains the other, else the
    bigram overlap (Jaccard)."""
    x, y = norm_name(a), norm_name(b)
    if not x or not y:
        return 0.0
    if x in y or y in x:
        return 1.0
    p, q = _bigrams(x), _bigrams(y)
    return len(p & q) / len(p | q)


def _is_department(p: dict) -> bool:
    return p.get("kind") == "department" or p.get("name") == "部门整体支出"


def align_projects(expected: list[dict], actual: list[dict]) -> tuple[dict[int, dict], list[dict]]:
    """Pair each expected project with one output project: the same name first, then
    a department with a department, then the most alike remaining name (likeness ≥
    0.5). Returns {index of expected: output project} and the unpaired outputs."""
    actual = list(actual or [])
    free = set(range(len(actual)))
    pairs: dict[int, dict] = {}
    for i, ep in enumerate(expected):
        j = next((j for j in sorted(free) if norm_name(actual[j].get("name")) == norm_name(ep["name"])), None)
        if j is not None:
            pairs[i] = actual[j]
            free.discard(j)
    for i, ep in enumerate(expected):
        if i in pairs or not _is_department(ep):
            continue
        j = next((j for j in sorted(free) if actual[j].get("kind") == "department"), None)
        if j is not None:
            pairs[i] = actual[j]
            free.discard(j)
    candidates = sorted(((likeness(ep["name"], actual[j].get("name")), i, j)
                         for i, ep in enumerate(expected) if i not in pairs for j in free), reverse=True)
    for like, i, j in candidates:
        if like >= 0.5 and i not in pairs and j in free:
            pairs[i] = actual[j]
            free.discard(j)
    return pairs, [actual[j] for j in sorted(free)]


def _find(items, key, name):
    return next((it for it in items or [] if norm_name(it.get(key)) == norm_name(name)), None)


_NUMERIC_KINDS = {"executed": "budget", "execution_rate": "budget", "budget_weight": "score",
                  "budget_score": "score", "total_score": "score"}


def score_documents(expected: list[dict], actual: list[dict]) -> Score:
    """Compare extracted documents with the key's, matched by file name."""
    score = Score()
    by_file: dict[str, dict] = {}
    for doc in actual:
        by_file.setdefault(str(doc.get("file", "")).split("/")[-1], doc)
    for e in expected:
        found = by_file.get(e["file"])
        start = len(score.checks)
        _score_document(e, found or {}, _Tally(score, e["file"]))
        if not found:  # a document missing from the output (refused) scores nothing
            score.checks[start:] = [Check(c.file, c.kind, c.where, c.expected, "(no document)", False)
                                    for c in score.checks[start:]]
    return score


def same_unit(expected_doc: dict, actual_unit: str | None) -> bool:
    """The key's unit as written, one of the names the key lists for it
    (`unit_aliases`), or an in-order abbreviation of it."""
    eu = expected_doc["unit"]
    aliases = [norm_text(x) for x in expected_doc.get("unit_aliases", [])]
    ua = norm_text(actual_unit) if actual_unit else None
    return bool(ua) and (ua == norm_text(eu) or ua in aliases or abbreviates(ua, norm_text(eu)))


def _score_document(e: dict, a: dict, t: _Tally) -> None:
    w = e["file"][:12]
    doc_flagged = bool(a.get("needs_review")) or not a  # a refused report: its user was told why
    t.flagged = doc_flagged
    for k in ("region", "region_level", "city", "province"):
        if k in e:  # a key that leaves a field out does not judge it
            t.check("region", f"{w}.{k}", e.get(k), a.get(k))
    t.check("unit", f"{w}.unit", e["unit"], a.get("unit"), ok=same_unit(e, a.get("unit")))
    t.check("year", f"{w}.year", e.get("year"), a.get("year"), "num")
    t.check("year", f"{w}.year_is_explicit", e.get("year_is_explicit"), a.get("year_is_explicit"), "bool")
    pairs, spurious = align_projects(e.get("projects", []), a.get("projects") or [])
    if e.get("projects"):
        # every output project that stands for none of the report's is one field wrong
        for x in spurious:
            t.flagged = doc_flagged or bool(x.get("needs_review"))
            t.check("project", f"{w}.spurious", None, x.get("name"), ok=False)
    for i, ep in enumerate(e.get("projects", [])):
        ap = pairs.get(i) or {}
        t.flagged = doc_flagged or bool(ap.get("needs_review"))
        _score_project(ep, ap, f"{w}.{ep['name']}", t)


def _score_project(ep: dict, ap: dict, pw: str, t: _Tally) -> None:
    if _is_department(ep):
        t.check("project", f"{pw}.kind", "department", ap.get("kind"))
    else:
        t.check("project", f"{pw}.name", ep["name"], ap.get("name"), "name")
    t.check("project", f"{pw}.code", ep.get("code"), ap.get("code"))
    bi, ba = ep.get("budget_initial"), ep.get("budget_adjusted")
    if (bi is None) != (ba is None):
        # one budget figure stated: accept it in either field, the other empty or equal
        one = bi if bi is not None else ba
        got = [x for x in (ap.get("budget_initial"), ap.get("budget_adjusted")) if x not in (None, "")]
        t.check("budget", f"{pw}.budget", one, got, ok=bool(got) and all(same(one, x, "num") for x in got))
    else:
        t.check("budget", f"{pw}.budget_initial", bi, ap.get("budget_initial"), "num")
        t.check("budget", f"{pw}.budget_adjusted", ba, ap.get("budget_adjusted"), "num")
    for k, kind in _NUMERIC_KINDS.items():
        t.check(kind, f"{pw}.{k}", ep.get(k), ap.get(k), "num")
    t.check("grade", f"{pw}.grade", ep.get("grade"), ap.get("grade"))
    for ei in ep.get("indicators", []):
        cands = [i for i in ap.get("indicators") or [] if norm_name(i.get("name")) == norm_name(ei["name"])]
        ai = next((i for i in cands if norm_text(i.get("level2")) == norm_text(ei["level2"])), cands[0] if cands else {})
        iw = f"{pw}.{ei['name']}"
        for k in ("name", "level1", "level2"):
            t.check(f"indicator.{k}", f"{iw}.{k}", ei[k], ai.get(k), "name" if k == "name" else "text")
        for k in ("target", "actual"):
            t.check(f"indicator.{k}", f"{iw}.{k}", ei.get(k), ai.get(k), "measure")
        for k in ("weight", "score"):
            t.check(f"indicator.{k}", f"{iw}.{k}", ei.get(k), ai.get(k), "num")
    extra = len(ap.get("indicators") or []) - len(ep.get("indicators", []))
    t.check("indicator.count", f"{pw}.extra_indicators", 0, max(extra, 0),
            ok=extra <= 0 or not ep.get("indicators"))
    for ex in ep.get("expense_items", []):
        ax = _find(ap.get("expense_items"), "item", ex["item"]) or {}
        t.check("expense", f"{pw}.expense.{ex['item']}", ex["amount"], ax.get("amount"), "num")
    for sp in ep.get("spending_plan", []):
        asp = next((x for x in ap.get("spending_plan") or [] if str(x.get("by", "")).endswith(sp["by"])), {})
        t.check("spending_plan", f"{pw}.plan.{sp['by']}", sp["share"], asp.get("share"), "num")
    for ss in ep.get("section_scores", []):
        a_ss = next((x for x in ap.get("section_scores") or []
                     if section_name(x.get("section")) == section_name(ss["section"])), {})
        t.check("section", f"{pw}.section.{ss['section']}.max", ss["max"], a_ss.get("max"), "num")
        t.check("section", f"{pw}.section.{ss['section']}.score", ss["score"], a_ss.get("score"), "num")


def format_report(score: Score, verbose: bool = True) -> str:
    """Per-document and per-field-kind accuracy, then every miss; the last line reads
    `fields correct: K/N (P%)` like the project's scorer."""
    lines = ["per document:"]
    for file, (ok, n) in sorted(score.by("file").items()):
        lines.append(f"  {file:<40} {ok:>5}/{n:<5} {100 * ok / max(n, 1):6.1f}%")
    lines.append("per field kind:")
    for kind, (ok, n) in sorted(score.by("kind").items(), key=lambda kv: kv[1][0] / max(kv[1][1], 1)):
        lines.append(f"  {kind:<22} {ok:>5}/{n:<5} {100 * ok / max(n, 1):6.1f}%")
    if verbose and score.misses():
        lines.append("misses:")
        lines.extend(f"  MISS {c.where}: expected {c.expected!r}, got {c.actual!r}{'  [silent]' if c.is_silent else ''}"
                     for c in score.misses())
    lines.append(f"silent misses (wrong, with no needs_review reason on the document or project): "
                 f"{score.silent} of {len(score.misses())} ({100.0 * score.silent / max(score.total, 1):.1f}% of fields)")
    lines.append(f"fields correct: {score.correct}/{score.total} ({score.pct:.1f}%)")
    return "\n".join(lines)
