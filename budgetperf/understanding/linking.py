"""Which projects of a region are the same programme in different years (地区对比's
same-project comparison). Pure functions; the store side is `storing.linking`.

A link is decided only on evidence a reviewer would accept, never on text or
template likeness (a unit writes every report from one template, so two unrelated
programmes of one unit read alike):

- **the report says so** (`renamed`): the later project's section names the earlier
  name as its former one: 原名“…”, （原…项目）, 由原“…”更名, “…”更名为;
- **the names share their core** (`same_core`): equal once the words any programme
  may add or drop are set aside: suffixes (经费, 专项资金, 补助资金, 项目…), level and
  scope words (县级, 提标扩面…), a year, a funding document's number, 及/与;
- **the later section quotes the earlier name in full** (`quoted`), when the name is
  long enough not to be a passing mention (a platform named after the county).

Guards: only the same region and unit; the earlier name must have stopped before
the later one started (two names seen in one year are two programmes); and the
best earlier programme must stand above every other by a whole kind of evidence,
or a unit with two similar programmes would be guessed at: then no link. Links are
made per name, so a renamed programme's every later report links to the latest
year its former name was reported, whether or not that report repeats the story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetperf.reading.blocks import SourceDocument, compact
from budgetperf.understanding.extract import Extraction
from budgetperf.understanding.records import Project, v

# ---------------------------------------------------------------------------
# the core of a programme's name

# Words at a name's end that say what kind of money it is, not which programme
# (stripped repeatedly, longest first: 补助经费 before 经费).
_END_WORDS = tuple(sorted((
    "专项资金", "补助资金", "补贴资金", "奖补资金", "转移支付资金", "专项经费", "工作经费", "补助经费", "项目经费",
    "经费", "资金", "项目", "补助", "补贴", "专项", "工作", "支出",
), key=len, reverse=True))
# Level and scope words a programme gains or loses when it is extended or moved.
_LEVEL_WORDS = ("省级", "市级", "州级", "盟级", "县级", "区级", "旗级", "乡级", "镇级", "本级",
                "全省", "全市", "全州", "全县", "全区", "全旗")
_SCOPE_WORDS = ("提标扩面", "提质增效", "提标", "扩面")
# Joining words and a generic noun that one year writes and another leaves out
# (网络强军工程建设与宣传 / 网络强军建设及网络宣传经费).
_JOINERS = ("以及", "及", "与", "暨", "工程")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{0,8}[〔\[（(【]\s*(?:19|20)\d{2}\s*[〕\]）)】]\s*\d+\s*号")
_YEAR = re.compile(r"(?:19|20)\d{2}(?:[-—~至到](?:19|20)?\d{2})?年度?")
_NOT_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")
# Shorter cores are compared as written only, never as a set of characters.
_MIN_SET_CORE = 3


def name_core(name: str, prefixes: tuple[str, ...] = ()) -> str:
    """A programme name without what any programme may add or drop: a funding
    document's number, a year, the region or unit written before it (`prefixes`),
    level and scope words, joining words and money-kind suffixes. Stripping stops
    before fewer than two characters are left (专项资金 → 专项)."""
    text = _YEAR.sub("", _DOC_NUMBER.sub("", compact(name)))
    text = _NOT_WORD.sub("", text)
    for prefix in sorted((compact(p) for p in prefixes if p), key=len, reverse=True):
        if text.startswith(prefix) and len(text) > len(prefix) + 1:
            text = text[len(prefix):]
    for word in _LEVEL_WORDS:
        if text.startswith(word):
            text = text[len(word):]
    for word in _SCOPE_WORDS + _JOINERS:
        text = text.replace(word, "")
    stripped = True
    while stripped:
        stripped = False
        for word in _END_WORDS:
            if text.endswith(word) and len(text) - len(word) >= 2:
                text = text[: -len(word)]
                stripped = True
                break
    return text or compact(name)[-2:]


def same_core(a: str, b: str) -> bool:
    """Two cores of one programme: equal, or (long enough) the same characters in
    another order or repeated (网络强军建设宣传 / 网络强军建设网络宣传)."""
    if a == b:
        return True
    return min(len(a), len(b)) >= _MIN_SET_CORE and set(a) == set(b)


# ---------------------------------------------------------------------------
# what a report says about a former name

_OPEN, _CLOSE = "[“\"「『‘]", "[”\"」』’]"
_NAME = r"[^“”\"「」『』‘’，。；;,、：:（）()]{2,40}?"
_RENAMED = (
    re.compile(rf"原名(?:称)?(?:为|是|叫)?[：:]?{_OPEN}?(?P<old>{_NAME}){_CLOSE}?(?:项目)?(?=[，。；,;）)]|自|于|现|已|后|更名)"),
    re.compile(rf"[（(]原(?P<old>{_NAME})[）)]"),
    re.compile(rf"由原?{_OPEN}?(?P<old>{_NAME}){_CLOSE}?(?:项目)?(?:调整|整合)?更名"),
    re.compile(rf"{_OPEN}(?P<old>{_NAME}){_CLOSE}(?:项目)?(?:已|现|自\d{{4}}年起?|于\d{{4}}年)?更名为"),
)
_MAY_RENAME = re.compile(r"更名|原名|[（(]原")
# A full earlier name found in the later section counts from this length: shorter
# ones (网信乐亭, a platform named after the county) turn up in passing.
MIN_QUOTED_NAME = 6


def former_names(text: str) -> set[str]:
    """Names the text states as a former name (原名“…” / （原…项目） / 由原“…”更名 /
    “…”更名为), compacted."""
    text = compact(text)
    if not _MAY_RENAME.search(text):
        return set()
    out = set()
    for pattern in _RENAMED:
        for m in pattern.finditer(text):
            old = m.group("old")
            out.add(old[:-2] if old.endswith("项目") and len(old) > 4 else old)
    return out


# ---------------------------------------------------------------------------
# linking

# Evidence kinds, weakest first; a link needs its best candidate a whole kind above
# the next. The strength stands in for the stored `similarity`.
QUOTED, SAME_CORE, RENAMED = 1, 2, 3
EVIDENCE_ZH = {RENAMED: "报告写明原名", SAME_CORE: "名称核心相同", QUOTED: "项目说明引用原名称"}
STRENGTH = {RENAMED: 1.0, SAME_CORE: 0.9, QUOTED: 0.8}


@dataclass
class LinkDocument:
    """What linking takes of one document: where and when, and per project its name,
    kind and section text."""

    region: str | None
    unit: str | None
    year: int | None
    projects: list[tuple[str, str, str]]  # (name, kind, section text)


@dataclass
class _Name:
    """One name of a unit's projects across its reports."""

    name: str
    core: str
    years: set[int] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)
    written: dict[int, str] = field(default_factory=dict)  # year -> the name as that year's first report writes it

    @property
    def first(self) -> int:
        return min(self.years)

    @property
    def last(self) -> int:
        return max(self.years)


def link_documents(docs: list[LinkDocument]) -> list[list[dict]]:
    """Per document, its projects that are an earlier year's programme of the same
    region and unit under another name: {"this", "earlier", "earlier_year",
    "similarity", "evidence"}, in the document's project order."""
    units: dict[tuple[str, str], list[int]] = {}
    for k, d in enumerate(docs):
        if d.region and d.unit and d.year is not None:
            units.setdefault((d.region, d.unit), []).append(k)
    out: list[list[dict]] = [[] for _ in docs]
    for (region, unit), members in units.items():
        names = _names_of([docs[k] for k in members], (region, unit))
        chosen = _choose(names)
        for k in members:
            d = docs[k]
            for name, kind, _ in d.projects:
                pick = chosen.get(compact(name)) if kind != "department" else None
                if pick is None:
                    continue
                earlier, evidence = pick
                out[k].append({"this": name, "earlier": earlier.written[earlier.last], "earlier_year": earlier.last,
                               "similarity": STRENGTH[evidence], "evidence": EVIDENCE_ZH[evidence]})
    return out


def _names_of(docs: list[LinkDocument], prefixes: tuple[str, ...]) -> dict[str, _Name]:
    names: dict[str, _Name] = {}
    for d in docs:
        for name, kind, text in d.projects:
            if kind == "department":
                continue
            key = compact(name)
            n = names.get(key)
            if n is None:
                n = names[key] = _Name(name, name_core(name, prefixes))
            n.years.add(d.year)
            n.written.setdefault(d.year, name)
            if text:
                n.texts.append(compact(text))
    return names


def _evidence(later: _Name, earlier: _Name, stated: set[str]) -> int:
    """The strongest kind of evidence that `earlier` is `later` under its former name (0: none)."""
    key = compact(earlier.name)
    if key in stated or any(same_core(name_core(s), earlier.core) for s in stated):
        return RENAMED
    if same_core(later.core, earlier.core):
        return SAME_CORE
    if len(key) >= MIN_QUOTED_NAME and any(key in t for t in later.texts):
        return QUOTED
    return 0


def _choose(names: dict[str, _Name]) -> dict[str, tuple[_Name, int]]:
    """The earlier name each later name continues, with its evidence, where one
    stands clearly above the rest and no other later name claims it as strongly."""
    picks: dict[str, tuple[_Name, int]] = {}
    for key, later in names.items():
        stated = {s for t in later.texts for s in former_names(t)}
        scored = [(e, _evidence(later, e, stated)) for k, e in names.items()
                  if k != key and e.last < later.first]
        scored = [(e, s) for e, s in scored if s]
        if not scored:
            continue
        best = max(s for _, s in scored)
        top = sorted((e for e, s in scored if s == best), key=lambda e: e.last)
        if len(top) > 1 and not _one_programme(top):
            continue  # two earlier programmes answer equally well: ambiguous
        picks[key] = (top[-1], best)
    # An earlier name continues in one later name: two claiming it equally is ambiguous.
    claims: dict[int, list[str]] = {}
    for key, (earlier, _) in picks.items():
        claims.setdefault(id(earlier), []).append(key)
    for keys in claims.values():
        if len(keys) < 2:
            continue
        strengths = sorted((picks[k][1] for k in keys), reverse=True)
        keep = max(keys, key=lambda k: picks[k][1]) if strengths[0] > strengths[1] else None
        for k in keys:
            if k != keep:
                del picks[k]
    return picks


def _one_programme(earlier: list[_Name]) -> bool:
    """Earlier names (ordered by last year) that are one programme renamed along the
    way: each stopped before the next began, and all share their core."""
    return all(a.last < b.first and same_core(a.core, b.core) for a, b in zip(earlier, earlier[1:]))


# ---------------------------------------------------------------------------
# extractions


def project_sections(source: SourceDocument, projects: list[Project]) -> list[str]:
    """Each project's section text: from its first line (its title, or its first
    indicator when that comes earlier) to the line before the next project's section,
    the last one to the end of the document. A narrative report describes its
    project below the title, in lines no indicator marks."""
    starts = [min([p.prov.line_start] + [i.prov.line_start for i in p.indicators]) for p in projects]
    order = sorted(range(len(projects)), key=lambda k: (starts[k], k))
    out = [""] * len(projects)
    for n, k in enumerate(order):
        end = starts[order[n + 1]] - 1 if n + 1 < len(order) else len(source.lines)
        out[k] = "".join(source.lines[max(starts[k], 1) - 1 : max(end, starts[k])])
    return out


def link_document_of(ex: Extraction) -> LinkDocument:
    f = ex.facts
    sections = project_sections(ex.source, f.projects)
    return LinkDocument(v(f.region), f.unit_short or v(f.unit), v(f.year),
                        [(p.name, p.kind, text if p.kind != "department" else "")
                         for p, text in zip(f.projects, sections)])


def link_programs(extractions: list[Extraction]) -> None:
    """Fill each extraction's `same_program_as` (see `link_documents`)."""
    for ex, links in zip(extractions, link_documents([link_document_of(ex) for ex in extractions])):
        ex.facts.same_program_as = links
