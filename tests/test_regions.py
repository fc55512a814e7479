"""data/regions.csv, the reference table region names are resolved against."""

import csv

import pytest

from budgetperf import settings

COLUMNS = ["region", "level", "city", "province", "code"]
LEVELS = {"province", "city", "district", "county"}


@pytest.fixture(scope="module")
def rows():
    with open(settings.ROOT / "data" / "regions.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def test_codes_unique_and_six_digits(rows):
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    assert all(len(c) == 6 and c.isdigit() for c in codes)


@pytest.mark.parametrize(
    "line",
    [
        "乐亭县,county,唐山市,河北省,130225",
        "丰南区,district,唐山市,河北省,130207",
        "三门峡市,city,三门峡市,河南省,411200",
    ],
)
def test_seed_regions(rows, line):
    expected = dict(zip(COLUMNS, line.split(",")))
    assert expected in rows


def test_levels_allowed(rows):
    assert {r["level"] for r in rows} <= LEVELS


def test_counties_and_districts_have_city_and_province(rows):
    """Only a division directly under a province (code digits 3-4 == 90) has no city."""
    bad = [r for r in rows if r["level"] in ("county", "district") and not r["province"]]
    no_city = [r for r in rows if r["level"] in ("county", "district") and not r["city"] and r["code"][2:4] != "90"]
    assert bad == [] and no_city == []


@pytest.mark.parametrize("line", [
    "阜康市,county,昌吉回族自治州,新疆维吾尔自治区,652302",  # county-level city: county level
    "五指山市,county,,海南省,469001",  # directly under the province: no city
    "楚雄彝族自治州,city,楚雄彝族自治州,云南省,532300",  # a 州 is prefecture-level
])
def test_levels_follow_the_administrative_rank(rows, line):
    assert dict(zip(COLUMNS, line.split(","))) in rows


def test_provinces_have_no_city(rows):
    provinces = [r for r in rows if r["level"] == "province"]
    assert provinces and all(r["city"] == "" and r["province"] == r["region"] for r in provinces)


def test_parents_exist(rows):
    """Every province named is a province row; every parent city is a city row or,
    for municipalities and divisions directly under a province, the province."""
    province_names = {r["region"] for r in rows if r["level"] == "province"}
    city_names = {r["region"] for r in rows if r["level"] == "city"}
    assert {r["province"] for r in rows} <= province_names
    assert {r["city"] for r in rows if r["level"] != "province"} <= city_names | province_names | {""}
