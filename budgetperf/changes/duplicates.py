"""Probable duplicates and people's verdicts on them: which copy counts.

Documents with the same facts (`understanding.duplicates.fingerprint`) are one
report in several files. Until a person decides, the earliest copy counts (the
first ingested; a build that stamps them alike takes the first by file name) and
each later copy is a *probable duplicate* of it: stored, listed with its
original, in no figure (`assign`).

An editor settles a pair with a `Decision`: 「同一份报告」 (``same``: the copy stays
out) or 「不是同一份」 (``distinct``: both count, and the copy is compared with the
other copies only). A decision names both documents by content hash, so it
follows them through rebuilds and re-ingests whichever of the two is taken as the
original, and the latest decision on a pair wins (a person may change their
mind). Decisions change no extracted value: they are lines in their own log
(``BUDGETPERF_DUPLICATE_DECISIONS``), laid over the store at every write
(`storing.schema.apply_duplicates`), like finding statuses. A decision whose pair
no longer shares a fingerprint (one copy deleted or corrected) is kept and shown
as no longer applying.

Pure functions plus an append-only file; no DuckDB, no streamlit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from budgetperf import settings
from budgetperf.changes.jsonlines import append_lines, read_lines, records_of
from budgetperf.errors import UserError

SAME, DISTINCT = "same", "distinct"
PROBABLE = "probable"
VERDICT_ZH = {SAME: "同一份报告", DISTINCT: "不是同一份"}
# How a pair stands: not decided yet, or decided either way.
STATUS_ZH = {PROBABLE: "可能重复，待判定", SAME: "已判定为同一份报告", DISTINCT: "已判定不是同一份"}
# Words a person may type for a verdict (CLI, forms).
_VERDICT_WORDS = {SAME: SAME, DISTINCT: DISTINCT, "同一份报告": SAME, "同一份": SAME, "是": SAME,
                  "不是同一份": DISTINCT, "不是同一份报告": DISTINCT, "不是": DISTINCT, "否": DISTINCT}


class DecisionError(UserError, ValueError):
    """A verdict that cannot be recorded (unknown word, no reason, no pair)."""


@dataclass(frozen=True)
class Decision:
    """An editor's verdict on a pair: copy `doc_hash` and original `original_hash`."""

    doc_hash: str
    original_hash: str
    verdict: str  # same | distinct
    reason: str
    editor: str = ""
    at: str = field(default_factory=lambda: dt.datetime.now().astimezone().isoformat(timespec="seconds"))
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    file: str | None = None  # for people: which files they were
    original_file: str | None = None

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.doc_hash, self.original_hash))

    @property
    def verdict_zh(self) -> str:
        return VERDICT_ZH[self.verdict]


def verdict_of(word: str) -> str:
    """``same`` or ``distinct`` for what a person typed (English or Chinese)."""
    verdict = _VERDICT_WORDS.get(str(word or "").strip())
    if verdict is None:
        raise DecisionError(f"unknown verdict {word!r}: same or distinct",
                            f"判定只能是「{VERDICT_ZH[SAME]}」或「{VERDICT_ZH[DISTINCT]}」，收到「{word}」")
    return verdict


def make(doc_hash: str, original_hash: str, verdict: str, reason: str, *, editor: str = "",
         file: str | None = None, original_file: str | None = None) -> Decision:
    """A checked `Decision`: a known verdict, a reason, two different documents."""
    verdict = verdict_of(verdict)
    if not reason or not str(reason).strip():
        raise DecisionError("a decision needs a reason", "请写明判定理由（例如：两份文件的正文与表格逐项核对一致）")
    if not doc_hash or not original_hash or doc_hash == original_hash:
        raise DecisionError("a decision needs two different documents", "判定需要两份不同的文档")
    return Decision(doc_hash, original_hash, verdict, str(reason).strip(), editor, file=file,
                    original_file=original_file)


def log_path() -> Path:
    return Path(settings.get("BUDGETPERF_DUPLICATE_DECISIONS"))


def load(path: str | Path | None = None) -> list[Decision]:
    """Every decision in the log, oldest first; a torn last line is skipped."""
    return [d for d in records_of(Decision, read_lines(path or log_path())) if d.verdict in VERDICT_ZH]


def append(records: list[Decision], path: str | Path | None = None) -> None:
    """Append decisions durably (whole lines under a lock, fsynced)."""
    append_lines(path or log_path(), [asdict(r) for r in records])


def current(records: Iterable[Decision]) -> dict[frozenset[str], Decision]:
    """The latest decision per pair of documents (either order)."""
    out: dict[frozenset[str], Decision] = {}
    for d in sorted(records, key=lambda r: r.at):  # stable: a log's order breaks ties
        out[d.pair] = d
    return out


# ---------------------------------------------------------------------------
# which copy counts

@dataclass(frozen=True)
class Copy:
    """A stored document as `assign` needs it; `order` sorts copies earliest first."""

    doc_id: str
    content_hash: str
    fingerprint: str
    order: tuple


@dataclass(frozen=True)
class Pair:
    """A copy and the document it repeats, as things stand: probable (not decided),
    same (decided: left out) or distinct (decided: both count)."""

    doc_id: str
    original_doc_id: str
    status: str
    decision: Decision | None = None

    @property
    def is_left_out(self) -> bool:
        return self.status != DISTINCT


def assign(copies: Iterable[Copy], decisions: dict[frozenset[str], Decision]) -> list[Pair]:
    """Every pair that matters, per fingerprint, earliest copy first: a copy repeats
    the first counted copy before it that no one has called 「不是同一份」 (it is
    then left out: probable, or same when so decided); one with no such copy
    counts. Pairs decided 「不是同一份」 are listed too, so a person can see and
    change the verdict."""
    groups: dict[str, list[Copy]] = {}
    for c in copies:
        groups.setdefault(c.fingerprint, []).append(c)
    pairs: list[Pair] = []
    for group in groups.values():
        counted: list[Copy] = []
        for c in sorted(group, key=lambda c: (c.order, c.doc_id)):
            candidates = []
            for o in counted:
                decision = decisions.get(frozenset((c.content_hash, o.content_hash)))
                if decision is not None and decision.verdict == DISTINCT:
                    pairs.append(Pair(c.doc_id, o.doc_id, DISTINCT, decision))
                else:
                    candidates.append((o, decision))
            if not candidates:
                counted.append(c)
                continue
            # the copy a person called the same report, else the earliest
            original, decision = next(((o, d) for o, d in candidates if d is not None), candidates[0])
            pairs.append(Pair(c.doc_id, original.doc_id, SAME if decision is not None else PROBABLE, decision))
    return pairs


def applied_ids(pairs: Iterable[Pair]) -> set[str]:
    """Ids of the decisions some pair rests on now (the others no longer apply)."""
    return {p.decision.id for p in pairs if p.decision is not None}
