"""The truth of a synthetic corpus: which documents exist and what each one says.

Pure and deterministic: `plan_documents` draws regions, units and shapes from one
`random.Random(seed)`; `make_document` draws one document's figures from its own
`random.Random(f"{seed}:{index}")`, so documents can be made in any order and in
parallel processes and still come out the same. Which projects a document tells of
are drawn from its unit's programmes running that year (`synth.programmes`: a
timeline per unit, so a programme keeps its name, or its rename, across documents).

The truth follows the answer-key conventions (`tests/fixtures/devset/README.md`,
"Key conventions"): amounts in 万元 whatever unit the document writes, one stated
budget in the field its column names, `grade` only where the report states one, a
county-level city at level county, a 州/盟 at level city, a province-administered
county-level city without a city.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from budgetperf.synth import SYNTH_FILE_PREFIX
from budgetperf.synth.programmes import (  # noqa: F401  (COMMON_PROJECTS: kept importable from here)
    COMMON_PROJECTS,
    DEPARTMENTS,
    programmes_of,
    rename_note,
)
from budgetperf.understanding.parsers.context import Reference, Region

# ---------------------------------------------------------------------------
# records of the truth


@dataclass
class SynthIndicator:
    level1: str
    level2: str
    name: str
    target: str
    actual: str | None
    weight: float | None
    score: float | None
    is_met: bool = True
    is_qualitative: bool = False


@dataclass
class SynthProject:
    name: str
    kind: str  # evaluation | department | target
    code: str | None = None
    budget_initial: float | None = None
    budget_adjusted: float | None = None
    executed: float | None = None
    execution_rate: float | None = None
    budget_weight: float | None = None
    budget_score: float | None = None
    total_score: float | None = None
    grade: str | None = None
    grade_as_written: str | None = None
    indicators: list[SynthIndicator] = field(default_factory=list)
    section_scores: list[dict] = field(default_factory=list)
    expense_items: list[dict] = field(default_factory=list)
    spending_plan: list[dict] = field(default_factory=list)
    funding_source: str | None = None
    goal: str = ""
    programme: int | None = None  # the unit's programme (`synth.programmes`); None: the department as a whole
    rename_note: str | None = None  # the report's sentence on the programme's former name


@dataclass
class SynthDocument:
    index: int
    file: str
    shape: str
    fmt: str
    region: Region
    region_level: str
    city: str | None
    unit: str
    department: str
    year: int
    year_is_explicit: bool
    doc_kinds: list[str]
    projects: list[SynthProject]
    layout: dict
    planted: list[str] = field(default_factory=list)
    encoding: str = "utf-8"


# ---------------------------------------------------------------------------
# regions

# Target share of each kind of region in a corpus.
REGION_MIX = (("county", 0.42), ("district", 0.26), ("county_city", 0.14), ("prefecture", 0.09),
              ("zhou_meng", 0.06), ("province_direct", 0.03))


def region_category(r: Region) -> str | None:
    """county | district | county_city | prefecture | zhou_meng | province_direct, or
    None for rows a corpus does not use (provinces, municipalities as cities).

    regions.csv writes a county-level city at level county (a prefecture above it,
    or no city when the province administers it directly) and a prefecture, 州 or
    盟 at level city with itself as city."""
    if not r.province or r.name == r.province or r.level == "province":
        return None
    if r.level == "district":
        return "district"
    if r.level == "county":
        # no city: administered by the province (an older table wrote the province
        # itself; a municipality's counties have the municipality as their city)
        if not r.city or (r.city == r.province and not r.province.endswith("市")):
            return "province_direct"
        return "county_city" if r.name.endswith("市") else "county"
    if r.level == "city":
        if r.city and r.city != r.name:
            return "county_city"  # an older table listing county-level cities as cities
        return "zhou_meng" if r.name.endswith(("州", "盟", "地区")) else "prefecture"
    return None


def key_level(r: Region) -> tuple[str, str | None]:
    """(region_level, city) as the answer key writes them."""
    cat = region_category(r)
    if cat == "county_city":
        return "county", r.city
    if cat == "province_direct":
        return "county", None
    return r.level, r.city or None


def eligible_regions(ref: Reference) -> dict[str, list[Region]]:
    """Regions a synthetic report can name without ambiguity, by category: the name
    appears once in the table, has at least three characters, and contains no other
    region's name (so resolving it has one answer)."""
    names = set(ref.by_name)
    out: dict[str, list[Region]] = {}
    for r in ref.regions:
        if len(ref.by_name[r.name]) != 1 or len(r.name) < 3 or not r.code:
            continue
        if r.code[:2] in ("71", "81", "82"):
            continue  # Taiwan, Hong Kong, Macao: outside the budget-performance system
        cat = region_category(r)
        if cat is None:
            continue
        inner = {r.name[i:j] for i in range(len(r.name)) for j in range(i + 2, len(r.name) + 1)} - {r.name}
        if inner & names:
            continue
        out.setdefault(cat, []).append(r)
    return out


def _quotas(n: int) -> list[tuple[str, int]]:
    """How many regions of each category for `n` (largest remainders; the first
    categories first when `n` is smaller than the number of categories)."""
    exact = [(cat, n * share) for cat, share in REGION_MIX]
    counts = {cat: int(x) for cat, x in exact}
    for cat, x in sorted(exact, key=lambda cx: -(cx[1] - int(cx[1])))[: n - sum(counts.values())]:
        counts[cat] += 1
    return [(cat, counts[cat]) for cat, _ in REGION_MIX]


def pick_regions(ref: Reference, n: int, rng: random.Random) -> list[Region]:
    """`n` regions across several provinces and every category of REGION_MIX, taken
    round-robin over the chosen provinces."""
    pool = eligible_regions(ref)
    provinces = sorted({r.province for rs in pool.values() for r in rs})
    # Several provinces, more with more regions; provinces holding the rarer
    # categories (州/盟, province-administered cities) first so they appear at all.
    k = max(3, min(len(provinces), round(math.sqrt(n) * 0.8)))
    chosen: list[str] = []
    for cat in ("zhou_meng", "province_direct"):
        if pool.get(cat):
            chosen.append(rng.choice(sorted({r.province for r in pool[cat]})))
    rest = [p for p in provinces if p not in chosen]
    rng.shuffle(rest)
    chosen = list(dict.fromkeys(chosen + rest))[:k]
    picked: list[Region] = []
    taken: set[str] = set()
    turn = [0]  # which chosen province starts the next round, so small quotas spread too

    def take(cands: list[Region], want: int) -> None:
        by_province: dict[str, list[Region]] = {}
        for r in cands:
            by_province.setdefault(r.province, []).append(r)
        start = turn[0] % len(chosen)
        rotated = chosen[start:] + chosen[:start]
        turn[0] += max(1, want)
        order = [p for p in rotated if p in by_province] + sorted(p for p in by_province if p not in chosen)
        for p in order:
            rng.shuffle(by_province[p])
        got = 0
        while got < want and any(by_province[p] for p in order):
            for p in order:
                if got == want:
                    break
                while by_province[p] and by_province[p][-1].name in taken:
                    by_province[p].pop()
                if by_province[p]:
                    r = by_province[p].pop()
                    picked.append(r)
                    taken.add(r.name)
                    got += 1

    for cat, want in _quotas(n):
        take(list(pool.get(cat, [])), want)
    if len(picked) < n:  # a small table lacks some category: fill from any
        take([r for rs in pool.values() for r in rs], n - len(picked))
    picked.sort(key=lambda r: (r.province, r.code))
    return picked[:n]


# ---------------------------------------------------------------------------
# units and projects (generic, invented)

FUNDING_SOURCES = ("财政拨款", "上级转移支付", "本级财政资金", "中央和省级补助资金")
EXPENSE_ITEMS = ("劳务费", "办公费", "维修费", "设备购置费", "培训费", "差旅费", "印刷费", "委托业务费",
                 "材料费", "其他商品和服务支出")

# Indicator templates: (level2, name, kind, unit, low, high)
# kind: count (≥n), pct (≥p% or 100%), cost (≤ budget share), qual (text).
QUANT = (
    ("数量指标", "开展{act}次数", "count", "次", 4, 60),
    ("数量指标", "受益人数", "count", "人", 200, 20000),
    ("数量指标", "完成{obj}数量", "count", "个", 3, 120),
    ("数量指标", "培训人次", "count", "人次", 50, 3000),
    ("数量指标", "覆盖行政村数", "count", "个", 10, 300),
    ("数量指标", "建设面积", "count", "平方米", 500, 30000),
    ("质量指标", "验收合格率", "pct", "%", 95, 100),
    ("质量指标", "资金使用合规率", "pct", "%", 100, 100),
    ("质量指标", "服务达标率", "pct", "%", 90, 100),
    ("时效指标", "资金拨付及时率", "pct", "%", 95, 100),
    ("时效指标", "任务按期完成率", "pct", "%", 90, 100),
    ("成本指标", "项目总成本", "cost", "万元", 0, 0),
    ("成本指标", "人均补助标准", "count", "元/人", 100, 3000),
    ("经济效益指标", "带动群众增收", "count", "万元", 10, 500),
    ("社会效益指标", "群众知晓率", "pct", "%", 80, 95),
    ("满意度指标", "服务对象满意度", "pct", "%", 85, 95),
    ("满意度指标", "群众满意度", "pct", "%", 85, 95),
)
QUALITATIVE = (
    ("时效指标", "项目完成时间", "12月底前", ("按时完成", "12月底前完成")),
    ("社会效益指标", "社会影响力", "明显提升", ("明显提升", "有所提升")),
    ("社会效益指标", "公共服务水平", "有效提升", ("有效提升", "显著提升")),
    ("生态效益指标", "人居环境改善情况", "明显改善", ("明显改善", "有所改善")),
    ("可持续影响指标", "长效管理机制", "健全", ("已建立", "基本健全")),
    ("可持续影响指标", "项目持续发挥作用", "长期", ("长期", "持续发挥作用")),
)
ACTS = ("宣传", "督导检查", "培训", "巡查", "应急演练", "业务指导")
OBJS = ("设施维护", "设备购置", "站点建设", "档案整理", "监测点位", "宣传品制作")
LEVEL1_OF = {"数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标", "成本指标": "产出指标",
             "经济效益指标": "效益指标", "社会效益指标": "效益指标", "生态效益指标": "效益指标",
             "可持续影响指标": "效益指标", "满意度指标": "满意度指标"}
SATISFACTION_LEVEL2 = "服务对象满意度指标"

GRADES = ((90, "优", ("优", "优秀")), (80, "良", ("良", "良好")), (60, "中", ("中", "中")), (0, "差", ("差", "差")))

# Document shapes and formats with their share of a corpus.
# A 部门整体 report carries three to eight project evaluations, so it holds most of
# the indicator rows (about 23 per document on average over this mix).
SHAPES = (
    ("selfeval_pipe", "txt", 0.15),
    ("selfeval_cells", "txt", 0.10),
    ("department_report", "txt", 0.25),
    ("narrative", "txt", 0.10),
    ("special_fund", "txt", 0.08),
    ("target_sheet", "txt", 0.10),
    ("selfeval_docx", "docx", 0.08),
    ("selfeval_xlsx", "xlsx", 0.08),
    ("target_pdf", "pdf", 0.06),
)
FORMATS = ("txt", "docx", "xlsx", "pdf")


# ---------------------------------------------------------------------------
# numbers as written


def fmt_num(x: float | None) -> str:
    """A number as a report writes it: no trailing zeros (2.0 -> 2, 98.690 -> 98.69)."""
    if x is None:
        return ""
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def fmt_yuan(wan: float) -> str:
    """万元 as 元 with thousands separators (12.3456 -> 123,456.00)."""
    return f"{round(wan * 10000, 2):,.2f}"


def grade_of(score: float) -> tuple[str, str, str]:
    for low, grade, written in GRADES:
        if score >= low:
            return grade, written[0], written[1]
    return GRADES[-1][1], "差", "差"


# ---------------------------------------------------------------------------
# planning


@dataclass(frozen=True)
class PlannedDocument:
    index: int
    region: Region
    department: int  # index into DEPARTMENTS
    year: int
    shape: str
    fmt: str


def plan_documents(ref: Reference, regions: int, years: tuple[int, int], seed: int, units: int = 3,
                   formats: tuple[str, ...] = FORMATS) -> list[PlannedDocument]:
    """Which documents the corpus holds: for each picked region, `units` departments
    that report every year (a few years missing, as in real collections), each
    report in a shape drawn from SHAPES (limited to `formats`)."""
    rng = random.Random(seed)
    picked = pick_regions(ref, regions, rng)
    shapes = [(s, f, w) for s, f, w in SHAPES if f in formats]
    if not shapes:
        raise ValueError(f"no document shape for formats {formats}")
    weights = [w for _, _, w in shapes]
    plan: list[PlannedDocument] = []
    for region in picked:
        depts = rng.sample(range(len(DEPARTMENTS)), min(units, len(DEPARTMENTS)))
        for dept in depts:
            for year in range(years[0], years[1] + 1):
                if rng.random() < 0.04:
                    continue  # this unit's report for this year was not collected
                shape, fmt, _ = rng.choices(shapes, weights)[0]
                plan.append(PlannedDocument(len(plan), region, dept, year, shape, fmt))
    return plan


# ---------------------------------------------------------------------------
# one document


def _money(rng: random.Random) -> float:
    """A project budget in 万元: log-normal around 80万元, two decimals."""
    return round(min(8000.0, max(1.0, math.exp(rng.gauss(math.log(80), 1.1)))), 2)


def _rate(rng: random.Random) -> float:
    """An execution rate: a third at 100%, most of the rest 85-100%, a tail below."""
    u = rng.random()
    if u < 0.35:
        return 100.0
    if u < 0.85:
        return rng.uniform(85, 99.9)
    return rng.uniform(30, 85)


def _split(total: int, parts: int, rng: random.Random, step: int = 5) -> list[int]:
    """`total` points in `parts` positive multiples of `step` (or of 1 when too few)."""
    if parts <= 0:
        return []
    unit = step if total // step >= parts else 1
    slots = total // unit
    cuts = sorted(rng.sample(range(1, slots), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, slots]
    return [(bounds[i + 1] - bounds[i]) * unit for i in range(parts)]


def _indicators(rng: random.Random, budget: float, executed: float | None, scored: bool,
                with_actual: bool, doc: dict) -> list[SynthIndicator]:
    """Six to twelve indicators under 产出/效益/满意度 with weights summing to 90
    (the budget row holds the other 10) and scores mostly full."""
    n_out = rng.randint(4, 8)
    n_eff = rng.randint(3, 5)
    n_sat = rng.randint(1, 2)
    out_w, eff_w, sat_w = rng.choice(((50, 30, 10), (40, 40, 10), (60, 20, 10), (50, 20, 20)))
    quant_by = {}
    for t in QUANT:
        quant_by.setdefault(t[0], []).append(t)
    qual_by = {}
    for t in QUALITATIVE:
        qual_by.setdefault(t[0], []).append(t)
    used: set[str] = set()

    def take(level2s: tuple[str, ...], count: int, qual_share: float) -> list[tuple[str, tuple]]:
        got = []
        for k in range(count * 6):
            if len(got) == count:
                break
            level2 = level2s[k % len(level2s)] if k < len(level2s) else rng.choice(level2s)
            is_qual = rng.random() < qual_share and qual_by.get(level2)
            pool = qual_by.get(level2) if is_qual else quant_by.get(level2)
            if not pool:
                continue
            t = rng.choice(pool)
            name = t[1].replace("{act}", rng.choice(ACTS)).replace("{obj}", rng.choice(OBJS))
            if name in used:
                continue
            used.add(name)
            got.append(("qual" if is_qual else "quant", (t, name)))
        return sorted(got, key=lambda g: level2s.index(g[1][0][0]))  # a table groups rows by 二级指标

    out = take(("数量指标", "质量指标", "时效指标", "成本指标"), n_out, 0.15)
    eff = take(("社会效益指标", "经济效益指标", "生态效益指标", "可持续影响指标"), n_eff, 0.7)
    sat = take(("满意度指标",), n_sat, 0.0)
    result: list[SynthIndicator] = []
    for group, weight_total in ((out, out_w), (eff, eff_w), (sat, sat_w)):
        weights = _split(weight_total, len(group), rng) if scored else [None] * len(group)
        for (kind, (t, name)), w in zip(group, weights):
            result.append(_indicator(rng, kind, t, name, w, budget, executed, with_actual, doc))
    return result


def _indicator(rng, kind, t, name, weight, budget, executed, with_actual, doc) -> SynthIndicator:
    level2 = t[0]
    level1 = LEVEL1_OF[level2]
    if level2 == "满意度指标":
        level2 = SATISFACTION_LEVEL2
    if kind == "qual":
        _, _, target, actuals = t
        actual = rng.choice(actuals) if with_actual else None
        met = True
        ind = SynthIndicator(level1, level2, name, target, actual, weight, None, met, True)
    else:
        _, _, vkind, unit, low, high = t
        if vkind == "pct":
            if high == 100 and low == 100 or rng.random() < 0.2:
                tv, comp = 100, rng.choice(("", "="))
            else:
                tv, comp = rng.randint(low, min(high, 98)), "≥"
            met = rng.random() < 0.88
            av = (tv + rng.randint(0, max(0, 100 - tv))) if met else max(0, tv - rng.randint(1, 8))
            target = f"{comp}{tv}%"
            actual = f"{av}%"
        elif vkind == "cost":
            cap = budget
            if rng.random() < 0.05:
                cap = round(budget * rng.uniform(1.1, 1.5), 2)  # planted: cap above the budget
                doc["planted"].add("cost_cap_over_budget")
            spent = executed if executed is not None else budget
            target, actual, met = f"≤{fmt_num(cap)}万元", f"{fmt_num(spent)}万元", spent <= cap
        else:
            tv = rng.randint(low, high)
            if unit in ("平方米", "人", "人次") and tv > 100:
                tv = round(tv, -1)
            met = rng.random() < 0.88
            av = tv + rng.randint(0, max(1, tv // 5)) if met else max(0, tv - rng.randint(1, max(1, tv // 5)))
            if unit == "元/人":
                target, actual, met = f"≤{tv}{unit}", f"{min(tv, av)}{unit}", True
            else:
                target, actual = f"≥{tv}{unit}", f"{av}{unit}"
        ind = SynthIndicator(level1, level2, name, target, actual if with_actual else None, weight, None, met, False)
    if weight is not None and with_actual:
        if ind.is_met or rng.random() < 0.06:
            ind.score = weight  # a miss still given full marks now and then, as self-evaluations do
            if not ind.is_met:
                doc["planted"].add("actual_below_target")
        else:
            ind.score = max(0.0, math.floor(weight * rng.uniform(0.6, 0.95) * 2) / 2)
    return ind


def _project_code(region: Region, year: int, rng: random.Random) -> str:
    letters = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(2))
    return f"{region.code}{year % 100:02d}P00{letters}{rng.randint(0, 99999999):08d}"


def _evaluation_project(rng: random.Random, name: str, doc: dict, kind: str = "evaluation",
                        with_indicators: bool = True) -> SynthProject:
    p = SynthProject(name=name, kind=kind)
    p.budget_initial = _money(rng) if kind == "evaluation" else round(_money(rng) * rng.uniform(4, 12), 2)
    p.budget_adjusted = p.budget_initial if rng.random() < 0.6 else round(p.budget_initial * rng.uniform(0.8, 1.2), 2)
    base = p.budget_adjusted
    if rng.random() < 0.06:
        p.executed = p.execution_rate = None  # execution not disclosed
        doc["planted"].add("execution_missing")
    else:
        rate = _rate(rng)
        p.executed = round(base * rate / 100, 2)
        p.execution_rate = round(p.executed / base * 100, 2) if base else None
    p.budget_weight = 10
    if p.execution_rate is not None:
        p.budget_score = round(10 * min(p.execution_rate, 100) / 100, 2)
    if with_indicators:
        p.indicators = _indicators(rng, base, p.executed, True, True, doc)
    parts = (p.budget_score or 0) + sum(i.score or 0 for i in p.indicators)
    total = round(parts, 2)
    if with_indicators and rng.random() < 0.04:
        total = round(total + rng.choice((-2, -1, 1, 2)), 2)  # planted: the total is not the sum
        if total > 100:
            total = round(parts - 1, 2)
        doc["planted"].add("total_vs_parts")
    p.total_score = total
    if rng.random() < 0.85:
        p.grade, short, long_ = grade_of(total)
        p.grade_as_written = short if rng.random() < 0.5 else long_
    p.funding_source = rng.choice(FUNDING_SOURCES)
    return p


def _target_project(rng: random.Random, name: str, region: Region, year: int, doc: dict) -> SynthProject:
    p = SynthProject(name=name, kind="target", code=_project_code(region, year, rng))
    p.budget_initial = _money(rng)
    p.indicators = _indicators(rng, p.budget_initial, None, False, False, doc)
    plan = rng.choice(((25, 50, 75, 100), (20, 45, 70, 100), (30, 60, 80, 100), (10, 40, 70, 100)))
    p.spending_plan = [{"by": by, "share": s} for by, s in zip(("03-31", "06-30", "09-30", "12-31"), plan)]
    return p


def make_document(planned: PlannedDocument, seed: int) -> SynthDocument:
    """The truth of one planned document, from its own random stream."""
    rng = random.Random(f"{seed}:{planned.index}")
    region = planned.region
    dept_name, is_party, _ = DEPARTMENTS[planned.department]
    unit = f"中共{region.name}委{dept_name}" if is_party else f"{region.name}{dept_name}"
    level, city = key_level(region)
    doc = {"planted": set()}
    shape, year = planned.shape, planned.year
    # Year stated in a title or header for most; about one in eight must be inferred.
    explicit = rng.random() >= 0.12 or shape in ("selfeval_docx", "selfeval_xlsx", "department_report",
                                                 "selfeval_cells", "target_pdf")
    # The programmes the unit runs this year (`synth.programmes`), own line of work first.
    running = [p for p in programmes_of(seed, region.code, region.name, planned.department) if p.runs_in(year)]
    own = [p for p in running if p.is_own_line]
    rng.shuffle(own)
    common = [p for p in running if not p.is_own_line]
    rng.shuffle(common)
    chosen = own + common
    names = [p.name_in(year) for p in chosen]
    layout = {
        "amount_unit": "元" if rng.random() < 0.2 else "万元",
        "budget_header": rng.choice(("全年预算数", "调整后预算数", "调整预算数")),
        "indicator_order": rng.choice(("target_first", "target_first", "weight_first")),
        "with_reason": rng.random() < 0.5,
        "grade_in_table": rng.random() < 0.3,
        "table_style": rng.choice(("pipe", "pipe", "aligned")),  # selfeval_pipe: markdown or space-aligned
        "name_line": rng.random() < 0.4,  # narrative: the project named again on its own line
    }
    kinds: list[str]
    if shape == "department_report":
        k = rng.randint(3, 8)
        projects = [_evaluation_project(rng, n, doc) for n in names[:k]]
        dept = SynthProject(name="部门整体支出", kind="department")
        dept.budget_initial = round(sum(p.budget_initial for p in projects), 2)
        if rng.random() < 0.05:
            dept.budget_initial = round(dept.budget_initial + rng.choice((1, 2, 5, 10)), 2)
            doc["planted"].add("projects_vs_department")
        rate = _rate(rng)
        dept.executed = round(dept.budget_initial * rate / 100, 2)
        dept.execution_rate = round(dept.executed / dept.budget_initial * 100, 2)
        projects = [dept, *projects]
        kinds = ["department_overall", "project_evaluation"]
        layout["amount_unit"] = "万元"
    elif shape == "selfeval_cells" and rng.random() < 0.5:
        dept = _evaluation_project(rng, "部门整体支出", doc, kind="department")
        projects = [dept]
        kinds = ["department_overall"]
        layout["amount_unit"] = "万元"
    elif shape in ("target_sheet", "target_pdf"):
        projects = [_target_project(rng, names[0], region, year, doc)]
        if shape == "target_pdf":
            projects[0].spending_plan = []  # the PDF template has no spending-plan rows
        kinds = ["targets"]
        layout["amount_unit"] = "万元"
    elif shape == "narrative":
        p = _evaluation_project(rng, names[0], doc, with_indicators=False)
        # A narrative states one budget, the year's scores by dimension and a total.
        p.budget_adjusted = None
        if p.executed is not None:
            p.executed = round(p.budget_initial * p.execution_rate / 100, 2)
            p.execution_rate = round(p.executed / p.budget_initial * 100, 2)
            p.budget_score = round(10 * min(p.execution_rate, 100) / 100, 1)
        weights = rng.choice(((50, 30, 10), (40, 40, 10), (30, 40, 20)))
        sections = [{"section": "预算执行率", "max": 10, "score": p.budget_score}]
        for name, w in zip(("产出指标", "效益指标", "满意度指标"), weights):
            got = w if rng.random() < 0.6 else math.floor(w * rng.uniform(0.75, 1.0))
            sections.append({"section": name, "max": w, "score": got})
        p.section_scores = sections if p.budget_score is not None else sections[1:]
        if p.budget_score is None:
            p.budget_weight = None  # no execution, no execution row
        p.total_score = round(sum(s["score"] for s in p.section_scores), 2)
        if p.grade is not None:
            p.grade, short, long_ = grade_of(p.total_score)
            p.grade_as_written = rng.choice((short, long_))
        projects = [p]
        kinds = ["project_evaluation"]
        layout["amount_unit"] = "万元"
    elif shape == "special_fund":
        p = _evaluation_project(rng, names[0], doc, with_indicators=False)
        p.budget_adjusted = None
        p.budget_weight = p.budget_score = None
        if p.executed is not None:
            p.executed = round(p.budget_initial * p.execution_rate / 100, 2)
            p.execution_rate = round(p.executed / p.budget_initial * 100, 2)
        p.total_score = float(rng.choice((78, 82, 85, 88, 90, 92, 95, 96, 98, 100)))
        if p.grade is not None:
            p.grade, short, long_ = grade_of(p.total_score)
            p.grade_as_written = long_
        items = rng.sample(EXPENSE_ITEMS, rng.randint(2, 5))
        shares = _split(100, len(items), rng, step=1)
        amounts = [round(p.budget_initial * s / 100, 2) for s in shares]
        amounts[-1] = round(p.budget_initial - sum(amounts[:-1]), 2)
        if amounts[-1] <= 0:
            amounts = [round(p.budget_initial / len(items), 2)] * len(items)
            amounts[-1] = round(p.budget_initial - sum(amounts[:-1]), 2)
        if rng.random() < 0.1:
            amounts[0] = round(amounts[0] + rng.choice((0.5, 1, 2)), 2)  # planted: items ≠ budget
            doc["planted"].add("expenses_vs_budget")
        p.expense_items = [{"item": it, "amount": a} for it, a in zip(items, amounts)]
        projects = [p]
        kinds = ["special_fund_evaluation"]
        layout["amount_unit"] = rng.choice(("万元", "万元", "元"))
    else:
        projects = [_evaluation_project(rng, names[0], doc)]
        kinds = ["project_evaluation"]
    if not explicit:
        doc["planted"].add("year_inferred")
    for p, programme in zip([p for p in projects if p.kind != "department"], chosen):
        p.programme = programme.key
        p.rename_note = rename_note(seed, region.code, planned.department, programme, year, explicit)
    fmt = planned.fmt
    encoding = "gb18030" if fmt == "txt" and shape == "narrative" and rng.random() < 0.4 else "utf-8"
    file = f"{SYNTH_FILE_PREFIX}{planned.index:06d}-{region.code}-{year}-{shape.split('_')[0]}.{fmt}"
    return SynthDocument(
        index=planned.index, file=file, shape=shape, fmt=fmt, region=region, region_level=level, city=city,
        unit=unit, department=dept_name, year=year, year_is_explicit=explicit, doc_kinds=kinds,
        projects=projects, layout=layout, planted=sorted(doc["planted"]), encoding=encoding,
    )


# ---------------------------------------------------------------------------
# the answer-key shape


def _clean(x):
    if isinstance(x, float) and x == int(x):
        return int(x)
    return x


def project_to_key(p: SynthProject) -> dict:
    out = {
        "name": p.name, "code": p.code, "kind": p.kind,
        "budget_initial": _clean(p.budget_initial), "budget_adjusted": _clean(p.budget_adjusted),
        "executed": _clean(p.executed), "execution_rate": _clean(p.execution_rate),
        "budget_weight": _clean(p.budget_weight), "budget_score": _clean(p.budget_score),
        "total_score": _clean(p.total_score), "grade": p.grade, "grade_as_written": p.grade_as_written,
        "indicators": [
            {"level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target, "actual": i.actual,
             "weight": _clean(i.weight), "score": _clean(i.score)}
            for i in p.indicators
        ],
    }
    if p.section_scores:
        out["section_scores"] = [{k: _clean(v) for k, v in s.items()} for s in p.section_scores]
    if p.expense_items:
        out["expense_items"] = [{"item": e["item"], "amount": _clean(e["amount"])} for e in p.expense_items]
    if p.spending_plan:
        out["spending_plan"] = p.spending_plan
    return out


SEVERITY = {"total_vs_parts": "error", "cost_cap_over_budget": "warning", "actual_below_target": "warning",
            "execution_missing": "warning", "projects_vs_department": "warning", "expenses_vs_budget": "warning",
            "year_inferred": "warning"}


def document_to_key(d: SynthDocument) -> dict:
    return {
        "file": d.file, "synthetic": True,
        "region": d.region.name, "region_level": d.region_level, "city": d.city, "province": d.region.province,
        "unit": d.unit, "year": d.year, "year_is_explicit": d.year_is_explicit, "doc_kinds": d.doc_kinds,
        "projects": [project_to_key(p) for p in d.projects],
        "checks": [{"kind": k, "severity": SEVERITY[k]} for k in d.planted],
        "_notes": [f"[合成] shape {d.shape}, format {d.fmt}, layout {d.layout}"],
    }
