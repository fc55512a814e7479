"""A province-sized corpus from the seed reports: each seed copied under other
county/district names from data/regions.csv, years shifted, for trying the
dashboard at scale (issue 9: "400 reports, the seeds copied under about 250
other county names").

Each copy is the seed's text with its region's names replaced inside the text
(full name, short stem, administrative code, parent city and province) and every
year 20xx shifted, so extraction resolves the copy to its new region and year,
exactly as it would a real report from there. Deterministic (`random.Random(seed)`).

Test helper, also a script for manual checks:

    python -m tests.province --copies 100 --out /tmp/province      # ~400 reports
    python -m budgetperf build --reports /tmp/province --db /tmp/province.duckdb

For a store far larger than extraction can build quickly (a million indicator
rows), grow a built store in SQL with `scripts/grow_store.py`.

Never used at run time: synthetic copies never go into data/reports.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS_DIR = ROOT / "data" / "reports"
REGIONS_CSV = ROOT / "data" / "regions.csv"


@dataclass(frozen=True)
class Place:
    """A region as the text names it: full name, stem, code, parent city, province."""

    name: str
    stem: str
    code: str
    city: str
    province: str


# The seeds' own places: which names, in which file (file stem → place).
SEED_PLACES = {
    "000_c45d5bc83af97699": Place("乐亭县", "乐亭", "130225", "唐山市", "河北省"),
    "001_4f47e40a9e3722bd": Place("三门峡市", "三门峡", "411200", "三门峡市", "河南省"),
    "002_4541b7eb62b4645a": Place("丰南区", "丰南", "130207", "唐山市", "河北省"),
    "003_5e5af2f25a3e5b2d": Place("乐亭县", "乐亭", "130225", "唐山市", "河北省"),
}
_SUFFIXES = ("自治县", "县", "区", "旗")
_YEAR = re.compile(r"(?<!\d)(20[0-3]\d)(?!\d)")


def candidate_places(path: Path = REGIONS_CSV) -> list[Place]:
    """Counties and districts whose name is unique in the table and whose stem has
    at least two characters (so replacing the stem in text cannot hit other words),
    excluding the seeds' own regions."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["region"]] = counts.get(row["region"], 0) + 1
    seeds = {p.name for p in SEED_PLACES.values()} | {p.stem for p in SEED_PLACES.values()}
    stems_seen: set[str] = set()
    out = []
    for row in rows:
        name = row["region"]
        if row["level"] not in ("county", "district") or counts[name] > 1 or name == "市辖区":
            continue
        suffix = next((s for s in _SUFFIXES if name.endswith(s)), None)
        stem = name[: -len(suffix)] if suffix else None
        if not stem or len(stem) < 2 or stem in stems_seen or name in seeds or stem in seeds:
            continue
        if any(stem in other for other in ("网信", "网络", "项目", "预算", "绩效")):
            continue
        stems_seen.add(stem)
        out.append(Place(name, stem, row["code"], row["city"], row["province"]))
    return out


def relocate(text: str, old: Place, new: Place, year_shift: int) -> str:
    """`text` as if written in `new` and `year_shift` years later (negative: earlier)."""
    # Codes with their year digits first (13022525P…), then names longest first.
    def shift_code(match: re.Match) -> str:
        return new.code + f"{(int(match.group(1)) + year_shift) % 100:02d}"

    text = re.sub(re.escape(old.code) + r"(\d\d)", shift_code, text)
    # One pass over every name, longest first, so a replacement is never replaced again.
    names: dict[str, str] = {}
    for before, after in ((old.name, new.name), (old.stem, new.stem), (old.city, new.city),
                          (old.city.removesuffix("市"), new.city.removesuffix("市")), (old.province, new.province)):
        if len(before) >= 2 and before not in names:
            names[before] = after
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    text = pattern.sub(lambda m: names[m.group(0)], text)
    return _YEAR.sub(lambda m: str(int(m.group(1)) + year_shift), text) if year_shift else text


def write_corpus(out: Path, copies: int = 100, *, seed: int = 42, regions: int = 250,
                 year_shifts: tuple[int, ...] = (0, -1, -2, -3), reports_dir: Path = REPORTS_DIR) -> list[Path]:
    """Write `copies` relocated copies of every seed report into `out` (plus the
    seeds themselves). The seeds' regions are drawn from `regions` candidate places,
    so with the defaults ~400 reports cover ~250 regions over years 2018–2025.
    Returns the files written."""
    rng = random.Random(seed)
    places = candidate_places()
    rng.shuffle(places)
    places = places[:regions]
    out.mkdir(parents=True, exist_ok=True)
    seeds = {stem: (reports_dir / f"{stem}.txt").read_text(encoding="utf-8") for stem in SEED_PLACES}
    written = []
    for stem, text in seeds.items():
        target = out / f"{stem}.txt"
        target.write_text(text, encoding="utf-8")
        written.append(target)
    for k in range(copies):
        shift = year_shifts[k % len(year_shifts)]
        # One new place per seed region in this copy (the two 乐亭县 reports stay together).
        # Places taken in turn from the shuffled list, so every one of them is used.
        chosen: dict[str, Place] = {}
        for stem, old in SEED_PLACES.items():
            if old.name not in chosen:
                chosen[old.name] = places[(k * 3 + len(chosen)) % len(places)]
            target = out / f"c{k:04d}_{stem}.txt"
            target.write_text(relocate(seeds[stem], old, chosen[old.name], shift), encoding="utf-8")
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a province-sized corpus of relocated seed copies.")
    parser.add_argument("--copies", type=int, default=100, help="copies of the four seeds (100 ≈ 400 reports)")
    parser.add_argument("--regions", type=int, default=250, help="how many other regions to spread them over")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    files = write_corpus(args.out, args.copies, seed=args.seed, regions=args.regions)
    print(f"{len(files)} reports written to {args.out}")


if __name__ == "__main__":
    main()
