"""Which projects of a region are the same programme in different years (地区对比's
same-project comparison): name and text similarity of projects of the same unit.
Pure functions over extractions; the store side is `storing.linking`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from budgetperf.reading.blocks import SourceDocument, compact
from budgetperf.understanding.extract import Extraction
from budgetperf.understanding.records import Project, v


# Linking a province compares every pair of a region's projects: each text's
# bigram set is computed once (the sets are only read).
@lru_cache(maxsize=65536)
def _bigrams(text: str) -> frozenset[str]:
    t = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)
    return frozenset(t[i : i + 2] for i in range(len(t) - 1))


def _dice(a: set, b: set) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def program_similarity(later: Project, earlier: Project, later_text: str, earlier_text: str) -> float:
    """How likely two projects are one programme under two names: name likeness,
    the earlier name quoted in the later description, and shared indicator names."""
    name_score = _dice(_bigrams(later.name), _bigrams(earlier.name))
    # A long earlier name quoted verbatim in the new description ("通过购买某某服务，…")
    # is strong evidence; a short one (a platform named after the county) may be incidental.
    earlier_name = compact(earlier.name)
    quoted = 0.8 * min(1.0, len(earlier_name) / 8) if earlier_name in compact(later_text) else 0.0
    indicators_later = _bigrams("".join(i.name for i in later.indicators))
    indicators_earlier = _bigrams("".join(i.name for i in earlier.indicators))
    text_score = _dice(_bigrams(later_text), _bigrams(earlier_text))
    return name_score + quoted + 0.5 * _dice(indicators_later, indicators_earlier) + 0.5 * text_score


SAME_PROGRAM_THRESHOLD = 0.55


def link_programs(extractions: list[Extraction]) -> None:
    """Fill `same_program_as`: projects of the same region and unit in an earlier year
    that are the same programme under another name. One-to-one, best pairs first."""
    for later in extractions:
        lf = later.facts
        if lf.year is None or lf.region is None:
            continue
        pairs = []
        for earlier in extractions:
            ef = earlier.facts
            if ef is lf or ef.year is None or v(ef.year) >= v(lf.year) or v(ef.region) != v(lf.region):
                continue
            if (lf.unit_short or v(lf.unit)) and (ef.unit_short or v(ef.unit)) \
                    and (lf.unit_short or v(lf.unit)) != (ef.unit_short or v(ef.unit)):
                continue  # the short form groups 中共某县委网信办 and 某县委网络安全和信息化委员会办公室
            for lp in lf.projects:
                if lp.kind == "department":
                    continue
                for ep in ef.projects:
                    if ep.kind == "department" or compact(ep.name) == compact(lp.name):
                        continue
                    score = program_similarity(lp, ep, project_text(later.source, lp), project_text(earlier.source, ep))
                    if score >= SAME_PROGRAM_THRESHOLD:
                        pairs.append((score, lp, ep, v(ef.year)))
        used_later, used_earlier = set(), set()
        lf.same_program_as = []
        for score, lp, ep, year in sorted(pairs, key=lambda p: -p[0]):
            if id(lp) in used_later or id(ep) in used_earlier:
                continue
            used_later.add(id(lp))
            used_earlier.add(id(ep))
            lf.same_program_as.append({"this": lp.name, "earlier": ep.name, "earlier_year": year, "similarity": round(score, 3)})
        order = {p.name: i for i, p in enumerate(lf.projects)}
        lf.same_program_as.sort(key=lambda link: order.get(link["this"], 0))


def project_text(source: SourceDocument, project: Project) -> str:
    """The text a project's section spans (its title to the end of its last indicator)."""
    start = project.prov.line_start
    ends = [i.prov.line_end for i in project.indicators] + [project.prov.line_end]
    return "".join(source.lines[start - 1 : max(ends)])

