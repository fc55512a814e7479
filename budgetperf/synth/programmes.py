"""The programmes a synthetic unit runs across the years, under which name each year,
and which of its projects are the same programme as an earlier one (the truth behind
地区对比's same-project comparison).

Each (region, department) has a timeline drawn from its own random stream (seed,
region code, department) over a fixed span of years, so a corpus of 2023-2025 names
a programme exactly as one of 2019-2025 does. Most programmes run every year; some
end, some start later, and some are renamed once, the way reports rename them:

- a suffix change (…经费 → …专项资金 / …补助资金 / …项目);
- a scope word (县级…, …提标扩面…);
- a new name, which the report then states where it describes the project
  (本项目原名“…”，自20XX年起更名为“…”。 / …（原…项目）… / 该项目由原“…”更名而来。).

A programme that ends may be followed by a different programme with a close name
(农村公路养护专项资金, then 农村公路建设专项资金): the same words, not the same
programme, so no link. Pure and deterministic; no I/O.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

# (department long form, is party organ, project names)
DEPARTMENTS = (
    ("教育局", False, ("学前教育发展资金", "义务教育薄弱环节改善", "学生资助补助经费", "教师培训经费", "校舍维修改造")),
    ("卫生健康局", False, ("基本公共卫生服务", "家庭医生签约服务经费", "疾病预防控制经费", "妇幼健康服务", "医疗设备购置")),
    ("农业农村局", False, ("高标准农田建设", "农业技术推广经费", "动物防疫补助", "农村人居环境整治", "耕地地力保护补贴")),
    ("水利局", False, ("农村饮水安全维修养护经费", "河道清淤整治", "水土保持治理", "防汛抗旱经费", "小型水库除险加固")),
    ("民政局", False, ("城乡低保资金", "特困人员供养经费", "养老服务体系建设", "临时救助资金", "社区服务站运行经费")),
    ("人力资源和社会保障局", False, ("就业补助资金", "职业技能培训补贴", "公益性岗位补贴", "创业担保贷款贴息")),
    ("住房和城乡建设局", False, ("老旧小区改造", "城市道路维护经费", "农村危房改造", "园林绿化养护经费")),
    ("交通运输局", False, ("农村公路养护专项资金", "公路安全生命防护工程", "客运站运营补助", "桥梁维修加固")),
    ("文化和旅游局", False, ("公共文化服务体系建设", "非物质文化遗产保护", "文化惠民演出经费", "图书馆免费开放补助")),
    ("市场监督管理局", False, ("食品安全抽检经费", "特种设备安全监察", "计量检定经费")),
    ("统计局", False, ("人口抽样调查经费", "统计调查工作经费", "经济普查经费")),
    ("医疗保障局", False, ("医疗救助资金", "城乡居民医保经办经费", "医保基金监管经费")),
    ("应急管理局", False, ("安全生产执法检查经费", "应急救援物资储备", "森林防火经费")),
    ("生态环境局", False, ("大气污染防治", "农村环境综合整治", "环境监测能力建设")),
    ("司法局", False, ("法律援助经费", "人民调解工作经费", "社区矫正工作经费")),
    ("宣传部", True, ("新时代文明实践中心建设", "宣传文化工作经费", "融媒体中心运行经费")),
)

# Projects any department runs besides its own line of work.
COMMON_PROJECTS = ("部门信息化建设经费", "业务工作经费", "办公设备购置", "人员培训经费", "政府购买服务经费", "档案数字化建设")

# New names a programme may take, as policy renames them: a name that shares few or
# no words with the old one, so only the report's own statement links the two.
NEW_NAMES = {
    "学前教育发展资金": "普惠性幼儿园扶持资金", "义务教育薄弱环节改善": "义务教育学校办学条件提升",
    "学生资助补助经费": "家庭经济困难学生资助", "教师培训经费": "教师队伍能力提升经费", "校舍维修改造": "校园安全设施改造",
    "基本公共卫生服务": "基层卫生健康服务", "家庭医生签约服务经费": "家庭医生履约补助",
    "疾病预防控制经费": "重大传染病防控经费", "妇幼健康服务": "母婴安全保障经费", "医疗设备购置": "医疗卫生装备更新",
    "高标准农田建设": "农田建设补助", "农业技术推广经费": "基层农技推广体系改革与建设", "动物防疫补助": "重大动物疫病防控",
    "农村人居环境整治": "美丽乡村建设", "耕地地力保护补贴": "种粮农民综合补贴",
    "农村饮水安全维修养护经费": "农村供水工程运行管护经费", "河道清淤整治": "河湖长制工作经费",
    "水土保持治理": "水土流失综合防治", "防汛抗旱经费": "水旱灾害防御经费", "小型水库除险加固": "小型水库安全运行管护",
    "城乡低保资金": "最低生活保障资金", "特困人员供养经费": "特困人员救助供养资金",
    "养老服务体系建设": "居家和社区养老服务提升", "临时救助资金": "困难群众救助补助资金",
    "社区服务站运行经费": "城乡社区服务中心运行经费",
    "就业补助资金": "就业创业扶持资金", "职业技能培训补贴": "职业技能提升行动资金",
    "公益性岗位补贴": "就业困难人员岗位补贴", "创业担保贷款贴息": "创业担保贷款奖补",
    "老旧小区改造": "城镇老旧小区综合整治", "城市道路维护经费": "市政设施维护经费",
    "农村危房改造": "农村低收入群体住房安全保障", "园林绿化养护经费": "城市绿地管护经费",
    "农村公路养护专项资金": "四好农村路管护资金", "公路安全生命防护工程": "公路安全隐患整治",
    "客运站运营补助": "城乡客运一体化补助", "桥梁维修加固": "危旧桥梁改造",
    "公共文化服务体系建设": "基层综合性文化服务中心建设", "非物质文化遗产保护": "非遗传承发展经费",
    "文化惠民演出经费": "送戏下乡经费", "图书馆免费开放补助": "公共图书馆运行保障",
    "食品安全抽检经费": "食品安全监督抽检", "特种设备安全监察": "特种设备安全监管", "计量检定经费": "计量技术服务经费",
    "人口抽样调查经费": "人口变动情况调查经费", "统计调查工作经费": "统计业务工作经费", "经济普查经费": "全国经济普查经费",
    "医疗救助资金": "城乡医疗救助补助资金", "城乡居民医保经办经费": "医保经办服务能力建设",
    "医保基金监管经费": "医疗保障基金监督检查",
    "安全生产执法检查经费": "安全生产监管执法经费", "应急救援物资储备": "应急物资保障体系建设",
    "森林防火经费": "森林草原防灭火经费",
    "大气污染防治": "蓝天保卫战", "农村环境综合整治": "农村生活污水治理", "环境监测能力建设": "生态环境监测运行",
    "法律援助经费": "法律援助案件补贴", "人民调解工作经费": "人民调解以案定补", "社区矫正工作经费": "社区矫正执法经费",
    "新时代文明实践中心建设": "新时代文明实践所站建设", "宣传文化工作经费": "意识形态宣传工作经费",
    "融媒体中心运行经费": "融媒体中心建设",
    "部门信息化建设经费": "政务信息系统运维经费", "业务工作经费": "重点业务保障经费", "办公设备购置": "办公设备更新",
    "人员培训经费": "干部教育培训经费", "政府购买服务经费": "购买第三方服务经费", "档案数字化建设": "档案信息化管理",
}

# A different programme that may follow one that ended: close words, other work.
SUCCESSORS = {
    "农村公路养护专项资金": "农村公路建设专项资金", "城市道路维护经费": "城市道路改造经费",
    "老旧小区改造": "老旧小区物业管理补助", "校舍维修改造": "校舍新建工程", "医疗设备购置": "医疗设备维修经费",
    "办公设备购置": "办公用房维修", "河道清淤整治": "河道采砂管理经费", "人员培训经费": "人员招录经费",
    "环境监测能力建设": "环境执法能力建设", "森林防火经费": "森林资源管护经费", "档案数字化建设": "档案库房改造",
    "桥梁维修加固": "桥梁检测经费", "动物防疫补助": "动物检疫监督经费", "特种设备安全监察": "特种设备检验检测",
}

# Suffixes a rename swaps (longest first, so 补助经费 is taken before 经费).
RENAME_SUFFIXES = ("专项资金", "补助资金", "补助经费", "工作经费", "专项经费", "经费", "资金")
NEW_SUFFIXES = ("经费", "专项资金", "补助资金", "专项经费")

# The years a programme's events (start, end, rename) fall in: where corpora are.
# The timeline itself covers any year: before the span a programme is as at its
# start, after it as at its end.
EVENT_YEARS = (2016, 2026)


@dataclass(frozen=True)
class Programme:
    """One programme of a unit: its first name, the years it runs (inclusive), and
    its one rename, if any (the new name from `renamed_in` on, and how)."""

    key: int
    name: str
    start: int | None  # None: since before any corpus year
    end: int | None  # None: still running
    is_own_line: bool
    renamed_in: int | None = None
    new_name: str | None = None
    style: str | None = None  # suffix | scope | new

    def runs_in(self, year: int) -> bool:
        return (self.start is None or year >= self.start) and (self.end is None or year <= self.end)

    def name_in(self, year: int) -> str:
        return self.new_name if self.renamed_in is not None and year >= self.renamed_in else self.name

    def former_name(self, year: int) -> str | None:
        """The name it had before `year`'s, when it was renamed by then."""
        return self.name if self.renamed_in is not None and year >= self.renamed_in else None


def scope_word(region_name: str) -> str:
    """The level word a renamed programme may take (县级, 区级, 市级, …)."""
    return {"县": "县级", "区": "区级", "市": "市级", "旗": "旗级", "州": "州级", "盟": "盟级"}.get(region_name[-1:], "本级")


def _split_suffix(name: str) -> tuple[str, str]:
    for suffix in RENAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)], suffix
    return name, ""


def _renamed(name: str, style: str, region_name: str, rng: random.Random) -> str:
    core, suffix = _split_suffix(name)
    if style == "new":
        return NEW_NAMES[name]
    if style == "suffix":
        return core + rng.choice([s for s in NEW_SUFFIXES if s != suffix])
    if rng.random() < 0.5:
        return scope_word(region_name) + name
    return f"{core}提标扩面{suffix}"


@lru_cache(maxsize=4096)
def programmes_of(seed: int, region_code: str, region_name: str, department: int) -> tuple[Programme, ...]:
    """The unit's programmes over the years: its own line of work first, then the
    projects any department runs, then successors of programmes that ended. The
    first programme runs every year, so every report has one to tell of."""
    rng = random.Random(f"{seed}:programmes:{region_code}:{department}")
    _, _, own = DEPARTMENTS[department]
    bases = [(n, True) for n in own] + [(n, False) for n in COMMON_PROJECTS]
    taken = {n for n, _ in bases}
    out: list[Programme] = []
    successors: list[tuple[str, bool, int]] = []
    first, last = EVENT_YEARS
    for key, (name, own_line) in enumerate(bases):
        start = end = None
        u = rng.random()
        if key > 0 and u < 0.12:
            start = rng.randint(first, last)
        elif key > 0 and u < 0.28:
            end = rng.randint(first, last)
        renamed_in = new_name = style = None
        lo, hi = max(first, (start or first) + 1), min(last, end or last)
        if rng.random() < 0.4 and lo <= hi:
            style = rng.choice(("new", "new", "suffix", "suffix", "scope"))
            candidate = _renamed(name, style, region_name, rng)
            if candidate not in taken:
                renamed_in, new_name = rng.randint(lo, hi), candidate
                taken.add(candidate)
            else:
                style = None
        out.append(Programme(key, name, start, end, own_line, renamed_in, new_name, style))
        follower = SUCCESSORS.get(name)
        if end is not None and new_name is None and follower and follower not in taken and rng.random() < 0.7:
            taken.add(follower)
            successors.append((follower, own_line, end + 1))
    for name, own_line, start in successors:
        out.append(Programme(len(out), name, start, None, own_line))
    return tuple(out)


def rename_note(seed: int, region_code: str, department: int, programme: Programme, year: int,
                year_is_explicit: bool) -> str | None:
    """The sentence a report writes about a programme's former name, where it
    describes the project, or None. A new name is stated in the first two years
    it is used and in half the reports after; a suffix or scope change only now
    and then. A report whose year must be inferred names no year here."""
    former = programme.former_name(year)
    if former is None:
        return None
    rng = random.Random(f"{seed}:note:{region_code}:{department}:{programme.key}:{year}")
    recent = year - programme.renamed_in <= 1
    says = rng.random() < ((1.0 if recent else 0.5) if programme.style == "new" else (0.25 if recent else 0.0))
    if not says:
        return None
    new = programme.name_in(year)
    form = rng.choice(("since", "bracket", "from"))
    if form == "since" and year_is_explicit:
        return f"本项目原名“{former}”，自{programme.renamed_in}年起更名为“{new}”。"
    if form == "bracket":
        return f"{new}（原{former}项目）为延续性项目。"
    return f"该项目由原“{former}”更名而来。"


def link_truth(sightings: list[tuple[str, tuple, int, list[tuple[str, int | None]]]]) -> dict[str, list[dict]]:
    """`same_program_as` per file, from (file, unit, year, [(project name, programme
    key or None)]) of every document: a project links to its programme's name in
    the latest earlier year the corpus holds it under another name (the same
    region and unit; a department's overall spending, keyed None, never links)."""
    by_unit: dict[tuple, list[tuple[int, str, int]]] = {}
    for _, unit, year, projects in sightings:
        for name, key in projects:
            if key is not None:
                by_unit.setdefault(unit, []).append((year, name, key))
    out: dict[str, list[dict]] = {}
    for file, unit, year, projects in sightings:
        links = []
        for name, key in projects:
            if key is None:
                continue
            earlier = [(y, n) for y, n, k in by_unit.get(unit, []) if k == key and y < year and n != name]
            if earlier:
                y, n = max(earlier)
                links.append({"this": name, "earlier": n, "earlier_year": y})
        out[file] = links
    return out
