"""Edits of the reference tables made from the app: a region row (name, level,
parent city, province, code) or a unit alias (long form, short form, party organ).

They are kept like corrections (`changes.corrections`): appended to a JSON-lines
file beside the store (``BUDGETPERF_REFERENCE_EDITS``) with who, when and why, undone
by an undo record, and laid over the bundled CSV files whenever the reference is
loaded (`budgetperf.reference.load_reference`), so they survive a rebuild and a new
version of the CSV files. A region edit replaces the row with the same code, else
the row with the same name in the same province (a corrected code), else adds one;
an alias edit replaces the row with the same long form. No streamlit here.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from budgetperf import settings
from budgetperf.changes.jsonlines import append_lines, read_lines, records_of
from budgetperf.errors import UserError
from budgetperf.understanding.parsers.context import Region, UnitAlias

LEVELS_ZH = {"province": "省级", "city": "地级（市、州、盟、地区）", "district": "市辖区", "county": "县级（县、县级市、旗）"}


class ReferenceEditError(UserError, ValueError):
    """A reference-table edit that cannot be made (missing name, unknown level …)."""


@dataclass(frozen=True)
class ReferenceEdit:
    table: str  # regions | unit_aliases
    values: dict
    reason: str = ""
    editor: str = ""
    at: str = field(default_factory=lambda: dt.datetime.now().astimezone().isoformat(timespec="seconds"))
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    undoes: str | None = None

    @property
    def key(self) -> str:
        if self.table == "regions":
            return self.values.get("code") or self.values["region"]
        return self.values["long_form"]

    @property
    def summary_zh(self) -> str:
        if self.table == "regions":
            v = self.values
            return f"地区 {v['region']}（{LEVELS_ZH.get(v['level'], v['level'])}，{v.get('city') or '—'}，{v['province']}，{v.get('code') or '无代码'}）"
        return f"单位简称 {self.values['long_form']} → {self.values['short_form']}"


def _need_reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise ReferenceEditError("an edit needs a reason", "请写明修改原因")
    return reason.strip()


def make_region(region: str, level: str, city: str, province: str, code: str, *, reason: str, editor: str) -> ReferenceEdit:
    """A checked region row."""
    region, city, province, code = (x.strip() if x else "" for x in (region, city, province, code))
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,20}", region or ""):
        raise ReferenceEditError("region name: 2-20 Chinese characters", "地区名称应为 2–20 个汉字")
    if level not in LEVELS_ZH:
        raise ReferenceEditError(f"unknown level {level!r}", "请选择地区级别：省级、地级、市辖区或县级")
    if not province:
        raise ReferenceEditError("province is required", "请填写所属省份")
    if code and not re.fullmatch(r"\d{6}", code):
        raise ReferenceEditError("code: 6 digits", "行政区划代码应为 6 位数字（可留空）")
    return ReferenceEdit("regions", {"region": region, "level": level, "city": city, "province": province, "code": code},
                         _need_reason(reason), editor)


def make_alias(long_form: str, short_form: str, party_organ: bool, *, reason: str, editor: str) -> ReferenceEdit:
    """A checked unit alias: the short form must keep the long form's last character,
    so a short name still reads as the same kind of body (局, 委, 办)."""
    long_form, short_form = (long_form or "").strip(), (short_form or "").strip()
    if len(long_form) < 2 or len(short_form) < 2:
        raise ReferenceEditError("long and short forms are required", "请填写单位全称和简称（各至少 2 个字）")
    return ReferenceEdit("unit_aliases", {"long_form": long_form, "short_form": short_form, "party_organ": bool(party_organ)},
                         _need_reason(reason), editor)


def edits_path() -> Path:
    return Path(settings.get("BUDGETPERF_REFERENCE_EDITS"))


def load(path: str | Path | None = None) -> list[ReferenceEdit]:
    return records_of(ReferenceEdit, read_lines(path or edits_path()))


def append(records: list[ReferenceEdit], path: str | Path | None = None) -> None:
    append_lines(path or edits_path(), [asdict(r) for r in records])


def undo(edit: ReferenceEdit, editor: str, reason: str = "撤销") -> ReferenceEdit:
    return replace(edit, id=uuid.uuid4().hex[:12], undoes=edit.id, editor=editor, reason=reason,
                   at=dt.datetime.now().astimezone().isoformat(timespec="seconds"))


def active(edits: list[ReferenceEdit]) -> list[ReferenceEdit]:
    undone = {e.undoes for e in edits if e.undoes}
    return sorted((e for e in edits if not e.undoes and e.id not in undone), key=lambda e: e.at)


def apply_edits(regions: list[Region], aliases: list[UnitAlias],
                edits: list[ReferenceEdit]) -> tuple[list[Region], list[UnitAlias]]:
    """The tables with the active edits laid over them (a later edit of a key wins)."""
    region_rows = {(r.code or r.name): r for r in regions}
    alias_rows = {a.long_form: a for a in aliases}
    for e in active(edits):
        v = e.values
        if e.table == "regions":
            key = e.key
            if key not in region_rows:  # a new code for a known region (same name and province) fixes its row
                key = next((k for k, r in region_rows.items()
                            if r.name == v["region"] and r.province == v["province"]), key)
            region_rows[key] = Region(v["region"], v["level"], v.get("city") or "", v["province"], v.get("code") or "")
        else:
            alias_rows[e.key] = UnitAlias(v["long_form"], v["short_form"], bool(v.get("party_organ")))
    return list(region_rows.values()), list(alias_rows.values())
