"""Who, where and when a report is about: region, unit and year.

Resolved against reference tables (`data/regions.csv`, `data/unit_aliases.csv`)
that the caller loads and passes in as `Reference`; this module does no I/O.

Year rule (the issue's order): an explicit header wins, then a year in the text,
then a project code (6-digit region code + 2 year digits). We record which, and
the evidence. Years inside document numbers (〔2021〕9号, [2019]18号) are citations,
not the evaluated year, and are ignored.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from budgetperf.reading.blocks import SourceDocument, compact


@dataclass(frozen=True)
class Region:
    name: str
    level: str
    city: str
    province: str
    code: str


@dataclass(frozen=True)
class UnitAlias:
    long_form: str
    short_form: str
    is_party_organ: bool


@dataclass
class Reference:
    """Reference tables, loaded once by the caller (see `budgetperf.reference`)."""

    regions: list[Region]
    unit_aliases: list[UnitAlias] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_name: dict[str, list[Region]] = {}
        for region in self.regions:
            self.by_name.setdefault(region.name, []).append(region)
        # The short name everyone writes for an autonomous prefecture, county or
        # banner (红河哈尼族彝族自治州 → 红河州): a name of the same region, when no
        # other region has or shares it.
        shorts: dict[str, list[Region]] = {}
        for region in self.regions:
            if (short := autonomous_short_name(region.name)) and short not in self.by_name:
                shorts.setdefault(short, []).append(region)
        for short, regions in shorts.items():
            if len(regions) == 1:
                self.by_name[short] = regions
        self.by_code = {r.code: r for r in self.regions}
        suffixes = "".join(sorted({name[-1] for name in self.by_name}))
        self._suffix_re = re.compile(f"[{re.escape(suffixes)}]" if suffixes else r"(?!)")
        self._lengths = sorted({len(n) for n in self.by_name}, reverse=True)


# ---------------------------------------------------------------------------
# region

@dataclass(frozen=True)
class RegionMatch:
    region: Region
    line: int
    evidence: str


SHORT_NAME_WEIGHT = 0.25


def find_region_mentions(lines: list[str], ref: Reference) -> Counter:
    """Count mentions of every known region name, scanning for suffix characters
    (县区市旗州盟) and checking the few names that can end there: linear in the text,
    with no 3,000-way regex."""
    counts: Counter = Counter()
    text = "\n".join(lines)
    for match in ref._suffix_re.finditer(text):
        i = match.start()
        # Longest name ending here only: 滦南县 also ends with the name 南县.
        for length in ref._lengths:
            if length > i + 1:
                continue
            name = text[i - length + 1 : i + 1]
            if name in ref.by_name:
                # Two-character names (南区, 城区, 郊区, 雄县) also occur inside other
                # words (滦南区, 城区广场): weak evidence unless nothing else is named.
                counts[name] += 1 if length > 2 else SHORT_NAME_WEIGHT
                break
    return counts


def resolve_region(doc: SourceDocument, ref: Reference, hints: list[str] = (), codes: list[str] = ()) -> Region | None:
    """The region a report is about.

    Evidence, strongest first: region codes in project codes, names in `hints` (unit
    names, titles), names in the first lines, then mentions in the text. A parent
    (city, province) is usually context in a child's report (the parent city in a county's
    report), but a city's report lists its counties: the child wins over its parent
    only when it is mentioned at least half as often. Names shared by several
    regions (鼓楼区) are settled by which parent is mentioned.
    """
    for code in codes:
        if code in ref.by_code:
            return ref.by_code[code]
    counts = find_region_mentions(doc.lines, ref)
    hint_counts = find_region_mentions(list(hints), ref)
    head_counts = find_region_mentions([line for line in doc.lines[:8]], ref)
    mentioned = set(counts) | set(hint_counts)
    if not mentioned:
        return None
    head = "".join(doc.lines[:50])
    scored: dict[str, tuple[float, Region]] = {}
    for name in mentioned:
        for region in ref.by_name[name]:
            score = counts[name] + 10 * hint_counts[name] + 3 * head_counts[name]
            context = (region.city in mentioned and region.city != region.name) + (region.province in mentioned or region.province[:2] in head)
            best = scored.get(name)
            if best is None or context > best[1] or (context == best[1] and _level_rank(region.level) < _level_rank(best[0].level)):
                scored[name] = (region, context, score)
    # A two-character name without its city or province in sight is likely part of
    # another word (滦南区 ⊃ 南区): keep it only when nothing else is named.
    weak = {n for n, (region, context, _) in scored.items() if len(n) == 2 and not context}
    if len(weak) < len(scored):
        scored = {n: t for n, t in scored.items() if n not in weak}
    ranked = sorted(scored.values(), key=lambda t: (-t[2], _level_rank(t[0].level)))
    winner = ranked[0]
    for region, _context, score in ranked[1:]:
        is_child = region.name != winner[0].name and winner[0].name in (region.city, region.province)
        if is_child and score * 2 >= winner[2]:
            winner = (region, _context, score)
            break
    return winner[0]


def _level_rank(level: str) -> int:
    return {"county": 0, "district": 0, "city": 1, "province": 2}.get(level, 3)


# ---------------------------------------------------------------------------
# unit

_UNIT_CODE_PREFIX = re.compile(r"^\s*(\d{3,9})\s*[-_ ]?\s*")
_UNIT_TRAILERS = re.compile(r"(（公章）|\(公章\)|公章|（盖章）|本级|机关)$")


def split_unit_code(text: str) -> tuple[str | None, str]:
    """"224001 中共某县委网信办本级" -> ("224001", "中共某县委网信办本级")."""
    match = _UNIT_CODE_PREFIX.match(text)
    if match and not re.match(r"^\s*\d{4}年", text):
        return match.group(1), text[match.end():]
    return None, text


def clean_unit_name(raw: str) -> str:
    """The reporting unit as the report writes it, minus what is not part of the name:
    a budget code (224001, 422001-), 中共/中国共产党 before a party organ's region, 本级 and
    (公章), an alternate name in parentheses (某局（某某局）), and the other units of
    "某局及各县（市、区）某局"."""
    _, name = split_unit_code(compact(raw))
    name = re.sub(r"^[-－—_]+", "", name)
    name = re.sub(r"单位[:：].*$", "", name)
    name = re.sub(r"[（(](?:公章|盖章|签章|本级)[)）]$", "", name)
    name = re.sub(r"(?:本级|机关)$", "", name)
    name = re.sub(r"^(?:中共|中国共产党)(?=[\u4e00-\u9fff]{2,})", "", name)
    name = re.split(r"及各|及其|和各|及所属", name)[0]
    name = re.sub(r"[（(][^（）()]{2,12}(?:局|委|办|中心|所|站)[)）]$", "", name)
    return name.strip("：:，,。 ")


def region_from_unit(unit: str, ref: Reference) -> Region | None:
    """The region a unit's own name places it in: the most local region it names
    (某市某区某街道办事处 -> 某区; a township's unit -> its county), a parent it also
    names settling names shared by several regions."""
    counts = find_region_mentions([unit], ref)
    best = None
    for name in counts:
        for region in ref.by_name[name]:
            if len(name) <= 2 and region.city not in unit and region.province[:2] not in unit:
                continue  # 南区 inside another word
            parent_named = (region.city and region.city != region.name and region.city in unit) or region.province[:2] in unit
            rank = (_level_rank(region.level), -parent_named, -len(name))
            if best is None or rank < best[0]:
                best = (rank, region)
    return best[1] if best else None


def canonical_unit(raw: str, region: Region | None, ref: Reference) -> str:
    """A unit name in its canonical short form: budget-code prefix, 中共, 本级 and
    (公章) removed, long forms abbreviated (网络安全和信息化委员会办公室 -> 网信办),
    a redundant parent city dropped (某市某区委… -> 某区委…), and the region
    prefixed to a bare name (网信办 in a 某县 report -> 某县委网信办)."""
    _, name = split_unit_code(compact(raw))
    name = re.sub(r"单位[:：].*$", "", name)
    name = _UNIT_TRAILERS.sub("", name)
    name = re.sub(r"^中共", "", name)
    party = False
    for alias in sorted(ref.unit_aliases, key=lambda a: -len(a.long_form)):
        if name.endswith(alias.long_form) or name.endswith(alias.short_form):
            stem = name[: -len(alias.long_form)] if name.endswith(alias.long_form) else name[: -len(alias.short_form)]
            name = stem + alias.short_form
            party = alias.is_party_organ
            break
    if region is not None:
        if region.city and region.city != region.name and name.startswith(region.city + region.name):
            name = name[len(region.city):]
        short = _short_region_name(region.name)
        starts_with_region = name.startswith(region.name) or (short and name.startswith(short))
        if not starts_with_region and not find_region_mentions([name], ref):
            name = region.name + ("委" if party and not name.startswith("委") else "") + name
    return name


# The peoples whose names autonomous regions carry (民族自治地方), longest first
# so that 哈萨克 is not read as 哈 + …; a fixed vocabulary, not data of a report.
_PEOPLES = sorted("""壮 回 满 维吾尔 苗 彝 土家 藏 蒙古 侗 布依 瑶 白 朝鲜 哈尼 黎 哈萨克 傣 畲 傈僳 东乡 仡佬 拉祜 佤 水 纳西
羌 土 仫佬 锡伯 柯尔克孜 景颇 达斡尔 撒拉 布朗 毛南 塔吉克 普米 阿昌 怒 鄂温克 京 基诺 德昂 保安 俄罗斯 裕固
乌孜别克 门巴 鄂伦春 独龙 赫哲 高山 珞巴 塔塔尔""".split(), key=len, reverse=True)
_AUTONOMOUS = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,4}?)(?:(?:" + "|".join(_PEOPLES) + r")族?)+自治(?P<kind>州|县|旗)$")


def autonomous_short_name(name: str) -> str | None:
    """红河哈尼族彝族自治州 → 红河州, 围场满族蒙古族自治县 → 围场县; None for other names."""
    m = _AUTONOMOUS.match(name)
    return m.group("place") + m.group("kind") if m else None


def _short_region_name(name: str) -> str | None:
    for suffix in ("自治县", "自治旗", "县", "区", "市", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


_UNIT_WORDS = r"(?:委员会|办公室|局|中心|院|所|站|队|馆|部|委|办)"


def find_unit_in_text(lines: list[str], region: Region | None) -> tuple[str, int] | None:
    """Fallback when no label names the unit: the most frequent "<region>…局/委/中心"
    phrase outside book titles 《…》 (those cite rules, not the unit). Returns
    (name, line number)."""
    if region is None:
        return None
    pattern = re.compile(re.escape(region.name) + r"[\u4e00-\u9fff]{1,14}?" + _UNIT_WORDS)
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for i, line in enumerate(lines):
        for m in pattern.finditer(re.sub(r"《[^》]*》", "", line)):
            counts[m.group(0)] += 1
            first.setdefault(m.group(0), i + 1)
    if not counts:
        return None
    name = max(counts, key=lambda n: (counts[n], -first[n]))
    return name, first[name]


# ---------------------------------------------------------------------------
# year

@dataclass(frozen=True)
class YearMatch:
    year: int
    is_explicit: bool
    evidence: str
    line: int


_CITATION = re.compile(r"[〔\[【（(]\s*(?:19|20)\d\d\s*[〕\]】）)]")
_HEADER_YEAR = re.compile(r"^[（(]?\s*((?:19|20)\d\d)\s*年度?\s*[)）]?$")
_TITLE_YEAR = re.compile(r"^((?:19|20)\d\d)\s*年度?[^，。,；;]{0,60}(报告|评价表|自评表|目标表|绩效目标)")
_FISCAL_YEAR = re.compile(r"((?:19|20)\d\d)\s*年度(?:申请|批复|预算|部门|项目|.{0,8}(?:经费|资金|预算))")
_ANY_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_PROJECT_CODE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{2})[A-Z][0-9A-Z]{6,}")
# All-digit project codes look like ID or phone numbers, so only after a label.
_LABELLED_DIGIT_CODE = re.compile(r"(?:项目编码|项目代码|项目编号)[:：\s]*(\d{6})(\d{2})\d{6,}(?![0-9A-Za-z])")


def _project_codes(text: str):
    """(region code, two year digits, whole code, position) of project codes in `text`."""
    for pattern in (_PROJECT_CODE, _LABELLED_DIGIT_CODE):
        for m in pattern.finditer(text):
            yield m.group(1), m.group(2), m.group(0), m.start()


_TITLE_WORDS = re.compile(r"报告|自评表|评价表|目标表|情况表|评分表|绩效目标|结果公示|的通知|绩效自评|绩效评价")
_DATE = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月")
_FISCAL_YEAR_SHORT = re.compile(r"((?:19|20)\d\d)\s*年(?:部门预算|部门决算|部门整体)")
_NAME_YEAR = re.compile(r"^((?:19|20)\d\d)\s*年?度?(?=[\u4e00-\u9fff])")


def _title_lines(lines: list[str]) -> list[tuple[int, str]]:
    """The report's title block: the first non-empty lines before the body, short
    and not sentences (a title may wrap over two or three lines)."""
    out = []
    for i, line in enumerate(lines[:12]):
        t = compact(line).lstrip("#")
        if not t:
            if out:
                break
            continue
        if len(t) > 80 or t.endswith(("。", "；", "，")) or len(out) >= 4:
            break
        out.append((i, t))
    return out


def resolve_year(doc: SourceDocument, ref: Reference | None = None, project_names: list[str] = ()) -> YearMatch | None:
    """The evaluated (or, for target sheets, planned) year with its evidence.

    Explicit: a header "（2021年度）", a title naming the year (at its start, in the
    middle "某馆2018年度整体支出…", or at its end "…自评表（2023年度）"), or a fiscal
    statement in the text ("2021年部门预算…"). Inferred, in order: a year a project
    is named with (2020某某经费), the year the text names most (dates such as a
    signature 2021年9月 count least), a project code.
    """
    lines = doc.lines
    # 1. A header: "（ 2021 年度）" on its own, or a title that starts with the year.
    for i, line in enumerate(lines):
        if "年" not in line:
            continue
        # A table row rendered as a line has its cells tab-separated: "（2023年度）<TAB>单位：元".
        for cell in line.split("\t"):
            t = compact(cell)
            if _HEADER_YEAR.match(t) or (_TITLE_YEAR.match(t) and len(t) <= 80):
                year = int(re.search(r"(?:19|20)\d\d", t).group(0))
                return YearMatch(year, True, cell.strip(), i + 1)
    # 1b. The title block names the year anywhere in it.
    block = _title_lines(lines)
    joined = "".join(t for _, t in block)
    if block and _TITLE_WORDS.search(joined):
        for i, t in block:
            m = re.search(r"((?:19|20)\d\d)\s*年", _CITATION.sub("", t))
            if m and not _DATE.search(t[m.start():]):
                return YearMatch(int(m.group(1)), True, t, i + 1)
    # 2. A fiscal-year statement in the text ("本部门2021年度申请预算资金…", "2021年部门预算…").
    fiscal: Counter = Counter()
    first_line: dict[int, int] = {}
    for i, line in enumerate(lines):
        if "年" not in line:
            continue
        clean = _CITATION.sub("", line)
        for m in (*_FISCAL_YEAR.finditer(clean), *_FISCAL_YEAR_SHORT.finditer(clean)):
            year = int(m.group(1))
            fiscal[year] += 1
            first_line.setdefault(year, i)
    if fiscal:
        year = max(fiscal, key=lambda y: (fiscal[y], y))
        return YearMatch(year, True, _sentence_around(lines[first_line[year]], str(year)), first_line[year] + 1)
    # 3. A project named with its year ("2020某某经费资金").
    for name in project_names:
        if m := _NAME_YEAR.match(compact(name)):
            line = next((i for i, text in enumerate(lines) if compact(name) in compact(text)), 0)
            return YearMatch(int(m.group(1)), False, f"项目名称「{name}」中的年份", line + 1)
    # 4. Any other year in the text, citations excluded; dates (a signature, a
    #    publication date) are the year after the one reported, so they count least.
    mentions: Counter = Counter()
    first_line.clear()
    for i, line in enumerate(lines):
        if "年" not in line:
            continue
        clean = _CITATION.sub("", line)
        for m in _ANY_YEAR.finditer(clean):
            year = int(m.group(1))
            mentions[year] += 0.25 if _DATE.match(clean[m.start():]) else 1
            first_line.setdefault(year, i)
    if mentions:
        year = max(mentions, key=lambda y: (mentions[y], y))
        return YearMatch(year, False, _sentence_around(lines[first_line[year]], str(year)), first_line[year] + 1)
    # 5. Project codes: 13022525P… = region code 130225 + year 25.
    for i, line in enumerate(lines):
        for region_code, year_digits, code, _ in _project_codes(line):
            if ref is None or region_code in ref.by_code:
                return YearMatch(2000 + int(year_digits), False,
                                 f"项目编码 {code}：地区代码 {region_code} 后的 {year_digits} 为年份", i + 1)
    return None


def project_code_regions(doc: SourceDocument, ref: Reference) -> list[str]:
    """Region codes found at the start of project codes."""
    return [code for code, _, _, _ in _project_codes("\n".join(doc.lines)) if code in ref.by_code]


def _sentence_around(line: str, needle: str) -> str:
    """The sentence of `line` that contains `needle`."""
    for sentence in re.split(r"(?<=[。；！？])", line):
        if needle in sentence:
            return sentence.strip()
    return line.strip()
