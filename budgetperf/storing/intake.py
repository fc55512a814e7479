"""Adding and deleting reports as a user does it, from the CLI or the 数据管理 page.

The reports folder (``BUDGETPERF_REPORTS_DIR``) is the source of truth and the store
is built from it, so every write keeps the two in step:

- `prepare_one` reads and extracts one incoming file (upload bytes or a path) under
  a sanitized name (`sanitize_filename`: no folders, no control characters, a
  bounded length), without touching the store: the page shows it as a preview; a
  .zip batch is unpacked first (`unpack`, `prepare_all`): each member is one
  incoming file with its own result, under the limits of a single upload;
- `add_reports` publishes the prepared files in one write (`publish.publish`, via
  `loading.add_extractions`): each becomes 新增 (added), 重复 (unchanged: same content
  already stored), 替换 (replaced: a new version of a stored file name) or 失败
  (failed, with a Chinese reason). The originals of added and replaced files are
  staged in the reports folder before the store is published and moved into place
  after it (the old version of a replaced file to the archive), as one journaled
  step with the write log entries (`journal`), so folder, log and store agree
  even when the writer is killed half-way;
- `delete_reports` deletes documents with all their rows and moves their originals
  to ``BUDGETPERF_ARCHIVE_DIR`` (time-stamped), journaled the same way, so a
  rebuild does not bring them back and an operator can still restore one by
  moving it back;
- `rebuild` rebuilds the store from the folder.

Every write appends to the write log (`writelog`) with the editor's name. No
streamlit here: `app.manage` and `cli` call these functions.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from budgetperf import settings
from budgetperf.changes import duplicates, writelog
from budgetperf.reading import ReadError, batches, formats, limits
from budgetperf.storing import building, extracting, journal, loading, publish, schema
from budgetperf.storing.extracting import IngestResult
from budgetperf.storing.reference import load_reference
from budgetperf.understanding.duplicates import fingerprint, reason_zh
from budgetperf.understanding.extract import Extraction
from budgetperf.understanding.parsers.context import Reference
from budgetperf.understanding.records import v
from budgetperf.vocabulary import OUTCOME_ZH

# A stored name stays well under the 255-byte limit of common file systems, with room
# for the archive's time prefix and the staging suffix.
MAX_NAME_BYTES = 150
_UNSAFE_CHARS = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
_STAGING_GLOB = ".*.part"


# ---------------------------------------------------------------------------
# incoming files and names

def sanitize_filename(name: str) -> str:
    """A harmless file name for an upload: the last path part only (``../../app.py``
    → ``app.py``), NFC-normalized, without control or reserved characters, leading
    dots or surrounding spaces, the extension lower-cased, at most MAX_NAME_BYTES
    bytes. Chinese names are kept as they are."""
    name = unicodedata.normalize("NFC", str(name))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = _UNSAFE_CHARS.sub("_", name).strip().lstrip(".").strip()
    stem, suffix = os.path.splitext(name)
    if not re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix or "."):
        stem, suffix = name, ""
    suffix = suffix.lower()
    stem = stem.strip() or "上传文件"
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem + suffix


@dataclass
class Incoming:
    """A file to add: upload bytes (`data`) or a file on disk (`path`); a member of a
    .zip batch names the batch it came from (`batch`)."""

    name: str
    data: bytes | None = None
    path: Path | None = None
    batch: str | None = None

    @property
    def shown(self) -> str:
        """How a result line names it: the file, or the batch and the file in it."""
        return f"{self.batch} › {self.name}" if self.batch else self.name

    @classmethod
    def from_path(cls, path: str | Path) -> Incoming:
        path = Path(path)
        return cls(path.name, path=path)

    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size

    def read_bytes(self) -> bytes:
        return self.data if self.data is not None else self.path.read_bytes()


@dataclass(frozen=True)
class SameReport:
    """A stored document an incoming file's facts match: the same report in another
    file (``duplicate``: the file is stored but counted once, until a person
    decides), or the same unit, year, kind and projects with other figures
    (``version``: perhaps a corrected resubmission; both count)."""

    kind: str  # duplicate | version
    file: str
    reason_zh: str | None = None

    @property
    def message_zh(self) -> str:
        if self.kind == "duplicate":
            return (f"可能与已入库的《{self.file}》为同一份报告（{self.reason_zh}），"
                    "暂不计入统计，请到「数据管理」页判定")
        return f"与已入库的《{self.file}》单位、年度、类型和项目相同，但数字不同：如是修订版本，请删除旧版本"


@dataclass
class Prepared:
    """One incoming file after reading: its stored name, extraction and (provisional)
    result. After `add_reports`, `result.status` is the outcome and `same_report`
    names a stored document it repeats, if any."""

    incoming: Incoming
    stored_as: str
    extraction: Extraction | None
    result: IngestResult
    same_report: SameReport | None = None

    @property
    def status_zh(self) -> str:
        return OUTCOME_ZH[self.result.status]

    @property
    def message_zh(self) -> str:
        """The outcome in one Chinese sentence (the CLI prints it, the page shows it)."""
        r = self.result
        renamed = f"（保存为 {self.stored_as}）" if self.stored_as != self.incoming.name else ""
        if r.status == "failed":
            return f"{r.reason_zh}{renamed}"
        counts = f"{r.projects} 个项目，{r.indicators} 个指标，{r.checks} 条审核发现"
        if r.needs_review:
            counts += f"；需复核：{'；'.join(r.needs_review)}"
        if r.status == "unchanged":
            return f"与已入库的「{r.duplicate_of}」内容相同，未改动" if r.duplicate_of else "内容已在库中，未改动"
        same = f"{self.same_report.message_zh}；" if self.same_report else ""
        if r.status == "replaced":
            return f"已替换旧版本：{same}{counts}{renamed}"
        return f"{same}{counts}{renamed}"


def _failed(incoming: Incoming, stored_as: str, zh: str, en: str) -> Prepared:
    return Prepared(incoming, stored_as, None, IngestResult(stored_as, "failed", reason_en=en, reason_zh=zh))


def prepare_one(incoming: Incoming, ref: Reference, corrections: dict | None = None) -> Prepared:
    """Read and extract one file under its sanitized name, with the corrections
    people made to the same content before (`extracting.current_corrections`; read here
    unless given). Never raises for bad input: a file that cannot be taken comes
    back failed with a Chinese reason."""
    if corrections is None:
        corrections = extracting.current_corrections()
    stored_as = sanitize_filename(incoming.name)
    suffix = Path(stored_as).suffix
    if formats.format_for(suffix) is None:
        problem = formats.unsupported(suffix)
        return _failed(incoming, stored_as, problem.message_zh, problem.message_en)
    if formats.is_batch(suffix):  # a .zip inside a batch, or handed here directly
        return _failed(incoming, stored_as, "压缩包请整体上传或导入：其中每个文件分别读取（压缩包中的压缩包不解开）",
                       "a .zip is unpacked only at the top level of an upload or ingest")
    try:
        limits.check_file_size(incoming.size())
    except ReadError as exc:
        return _failed(incoming, stored_as, exc.message_zh, exc.message_en)
    except OSError as exc:
        return _failed(incoming, stored_as, f"无法读取文件：{exc.strerror or exc}", f"cannot read: {exc}")
    # In a child process with memory and time limits: a hostile file costs one refusal.
    if incoming.data is None:
        ex, result = extracting.extract_isolated(incoming.path, ref, display_name=stored_as, corrections=corrections)
    else:
        with tempfile.TemporaryDirectory(prefix="budgetperf-upload-") as folder:
            staged = Path(folder) / f"upload{suffix}"
            staged.write_bytes(incoming.data)
            ex, result = extracting.extract_isolated(staged, ref, display_name=stored_as, corrections=corrections)
    return Prepared(incoming, stored_as, ex, result)


def unpack(incoming: Incoming) -> tuple[list[Incoming], list[Prepared]]:
    """A .zip batch as its members (each then goes through `prepare_one`, so every
    member meets the limits of a single upload and gets its own result line), and
    the members refused while unpacking (nested archives, unsafe paths, bombs …) as
    failed results. Any other file comes back as it is."""
    if not formats.is_batch(Path(incoming.name).suffix):
        return [incoming], []
    batch = incoming.name
    try:
        found = batches.members(incoming.read_bytes(), batch)
    except ReadError as exc:
        return [], [_failed(incoming, sanitize_filename(batch), exc.message_zh, exc.message_en)]
    except OSError as exc:
        return [], [_failed(incoming, sanitize_filename(batch), f"无法读取文件：{exc.strerror or exc}",
                            f"cannot read: {exc}")]
    members, refused = [], []
    for m in found:
        item = Incoming(m.name, data=m.data, batch=batch)
        if m.problem is not None:
            refused.append(_failed(item, sanitize_filename(m.name), m.problem.message_zh, m.problem.message_en))
        else:
            members.append(item)
    return members, refused


def prepare_all(incoming: Incoming, ref: Reference, corrections: dict | None = None) -> list[Prepared]:
    """`prepare_one` for a file, or for each member of a .zip batch (`unpack`)."""
    members, refused = unpack(incoming)
    return refused + [prepare_one(item, ref, corrections) for item in members]


def prepare(incoming: list[Incoming], ref: Reference | None = None) -> list[Prepared]:
    """`prepare_all` for each file (the page calls prepare_one itself for its progress bar)."""
    ref = ref or load_reference()
    corrections = extracting.current_corrections()
    return [p for item in incoming for p in prepare_all(item, ref, corrections)]


# ---------------------------------------------------------------------------
# preview

def predict_status(prepared: Prepared, stored: pd.DataFrame) -> str:
    """What committing would do, judged against the store's documents (`file`,
    `content_hash` columns) as they are now: added, unchanged, replaced or failed."""
    if prepared.extraction is None:
        return "failed"
    digest = prepared.extraction.facts.content_hash
    if digest in set(stored["content_hash"]):
        return "unchanged"
    return "replaced" if prepared.stored_as in set(stored["file"]) else "added"


def predict_same_report(prepared: Prepared, stored: pd.DataFrame) -> SameReport | None:
    """The stored document (`file`, `content_hash`, `fingerprint`, `report_key`,
    `duplicate_of` columns) an incoming file would repeat once committed: one that
    counts with the same facts (a probable duplicate), else one with the same unit,
    year, kind and projects but other figures (another version). A file of the same
    name is left aside: committing replaces it."""
    if prepared.extraction is None or stored.empty or "fingerprint" not in stored:
        return None
    same = fingerprint(prepared.extraction.facts)
    if same is None:
        return None
    others = stored[(stored["file"] != prepared.stored_as) & stored["duplicate_of"].isna()
                    & (stored["content_hash"] != prepared.extraction.facts.content_hash)]
    facts = prepared.extraction.facts
    twins = others[others["fingerprint"] == same.key]
    if len(twins):
        reason = reason_zh(facts.unit_short or v(facts.unit) or v(facts.region), v(facts.year), len(facts.projects))
        return SameReport("duplicate", twins.iloc[0]["file"], reason)
    versions = others[others["report_key"] == same.report_key]
    return SameReport("version", versions.iloc[0]["file"]) if len(versions) else None


def preview_row(prepared: Prepared, stored: pd.DataFrame) -> dict:
    """One row of the upload preview: the facts a user checks before committing
    (typed values; `app.manage` gives the Chinese headers and formats)."""
    status = predict_status(prepared, stored)
    row = {"file": prepared.incoming.shown, "stored_as": prepared.stored_as, "status": status,
           "status_zh": OUTCOME_ZH[status], "region": None, "unit": None, "year": None, "projects": None,
           "budget_wan": None, "indicators": None, "warnings": None, "review": None, "note": None}
    if prepared.extraction is None:
        row["note"] = prepared.result.reason_zh
        return row
    facts, checks = prepared.extraction.facts, prepared.extraction.checks
    budgets = [_budget(p) for p in facts.projects]
    budgets = [b for b in budgets if isinstance(b, (int, float))]
    reasons = [r.message_zh for r in facts.review_reasons] + [
        f"{p.name}：{r.message_zh}" for p in facts.projects for r in p.review_reasons]
    row.update({
        "region": v(facts.region), "unit": v(facts.unit), "year": v(facts.year), "projects": len(facts.projects),
        "budget_wan": sum(budgets) if budgets else None,
        "indicators": sum(len(p.indicators) for p in facts.projects),
        "warnings": sum(1 for c in checks if c.severity in ("error", "warning")),
        "review": "；".join(reasons) or None,
        "note": ("与已入库文件内容相同，不会重复入库" if status == "unchanged"
                 else "将替换库中同名文件的旧版本" if status == "replaced" else None),
    })
    same = predict_same_report(prepared, stored) if status in ("added", "replaced") else None
    if same is not None:
        row["note"] = "；".join(n for n in (row["note"], same.message_zh) if n)
    return row


def _budget(p):
    """A project's budget as the dashboard counts it: adjusted if stated, else initial."""
    return v(p.budget_adjusted) if v(p.budget_adjusted) is not None else v(p.budget_initial)


def project_rows(prepared: Prepared) -> pd.DataFrame:
    """The projects a prepared file holds (name, kind, budgets, score, grade, indicators)."""
    if prepared.extraction is None:
        return pd.DataFrame()
    return pd.DataFrame([{
        "项目": p.name, "预算_万元": _budget(p),
        "执行数_万元": v(p.executed), "执行率_pct": v(p.execution_rate), "总分": v(p.total_score),
        "等级": v(p.grade) or p.grade_derived, "指标数": len(p.indicators),
        "需复核": "；".join(r.message_zh for r in p.review_reasons) or None,
    } for p in prepared.extraction.facts.projects])


# ---------------------------------------------------------------------------
# writes

@dataclass
class WriteReport:
    """What a write did: one item per file, and a problem with the write log if any
    (the write itself stands)."""

    items: list = field(default_factory=list)
    log_problem: str | None = None

    @property
    def has_failures(self) -> bool:
        return any(getattr(i, "result", i).status == "failed" for i in self.items)


def _paths(db_path, reports_dir, archive_dir) -> tuple[Path, Path, Path]:
    return (Path(db_path or settings.get("BUDGETPERF_DB")),
            Path(reports_dir or settings.get("BUDGETPERF_REPORTS_DIR")),
            Path(archive_dir or settings.get("BUDGETPERF_ARCHIVE_DIR")))


def _archive_name(archive_dir: Path, name: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = archive_dir / f"{stamp}_{name}"
    n = 2
    while target.exists():
        target = archive_dir / f"{stamp}-{n}_{name}"
        n += 1
    return target


def _same_file(a: Path | None, b: Path) -> bool:
    try:
        return a is not None and a.resolve() == b.resolve()
    except OSError:
        return False


def _log_records(entries: list[writelog.WriteEntry]) -> list[dict]:
    return [asdict(e) for e in entries]


def add_reports(prepared: list[Prepared], editor: str, *, via: str = "app", db_path=None, reports_dir=None,
                archive_dir=None, ref: Reference | None = None) -> WriteReport:
    """Publish prepared files in one journaled write: the store, the originals in the
    reports folder (an old version of a replaced file archived) and the write log
    change together or not at all (`journal`).

    Two files of the batch with the same stored name: the later one fails (the user
    renames it). A write that cannot be published (store busy, disk full, no
    permission) fails every file with that reason and changes nothing.
    """
    db_path, reports_dir, archive_dir = _paths(db_path, reports_dir, archive_dir)
    ref = ref or load_reference()
    names: set[str] = set()
    for p in prepared:
        if p.extraction is not None and p.stored_as in names:
            p.extraction = None
            p.result.status = "failed"
            p.result.reason_zh = f"本批次已有同名文件「{p.stored_as}」，请改名后再上传"
            p.result.reason_en = f"another file of this batch is also named {p.stored_as!r}"
        names.add(p.stored_as)
    items = [(p.extraction, p.result) for p in prepared if p.extraction is not None]

    def apply(con) -> bool:
        schema.prepare_draft(con, ref)
        changed = loading.add_extractions(con, items)
        if changed:  # worked out again by the publish; here to say so in each file's result
            schema.apply_duplicates(con)
            for p in prepared:
                p.same_report = _same_report(con, p)
        return changed

    def entries() -> list[writelog.WriteEntry]:
        return [writelog.WriteEntry(
            "add", editor, p.result.status, file=p.stored_as, doc_id=p.result.doc_id, via=via,
            detail=p.result.reason_zh if p.result.status == "failed" else p.message_zh,
            extra={**({"uploaded_as": p.incoming.name} if p.incoming.name != p.stored_as else {}),
                   **({"batch": p.incoming.batch} if p.incoming.batch else {})},
        ) for p in prepared]

    def plan(changed: bool, intent: journal.Intent) -> None:
        # Staged beside their targets before the commit point, moved in after it.
        try:
            reports_dir.mkdir(parents=True, exist_ok=True)
            for stale in reports_dir.glob(_STAGING_GLOB):  # staged by a writer killed before it journaled
                stale.unlink(missing_ok=True)
            for p in prepared:
                if p.extraction is None or p.result.status not in ("added", "replaced"):
                    continue
                target = reports_dir / p.stored_as
                if _same_file(p.incoming.path, target):
                    continue  # ingesting a file already in the reports folder
                if target.exists():  # the old version, or a stray file of that name
                    archive_dir.mkdir(parents=True, exist_ok=True)
                    intent.archive(target, _archive_name(archive_dir, target.name))
                intent.stage(p.incoming.read_bytes(), target)
        except OSError as exc:
            raise publish.os_error(exc, reports_dir) from exc
        intent.append(writelog.log_path(), _log_records(entries()))

    if items:
        try:
            intent = _published(db_path, apply, plan)
            if intent is not None:  # published: the journal logged it
                return WriteReport(list(prepared), intent.problem)
        except publish.StoreWriteError as exc:
            for p in prepared:
                if p.extraction is not None:
                    p.result.status, p.result.reason_zh, p.result.reason_en = "failed", exc.message_zh, exc.message_en
    return WriteReport(list(prepared), writelog.append_or_problem(entries()))


def _same_report(con, prepared: Prepared) -> SameReport | None:
    """The stored document a just-added file repeats (in the draft, duplicates worked
    out): the copy that counts for it, or another version of it that counts."""
    if prepared.extraction is None or prepared.result.status not in ("added", "replaced"):
        return None
    doc_id = prepared.extraction.facts.content_hash[:16]
    row = con.execute("""select o.file, p.reason_zh from duplicate_pairs p join documents o on o.doc_id = p.original_doc_id
                         where p.doc_id = ? and p.status <> ?""", [doc_id, duplicates.DISTINCT]).fetchone()
    if row:
        return SameReport("duplicate", row[0], row[1])
    row = con.execute("""select o.file from documents d join documents o
                         on o.report_key = d.report_key and o.fingerprint <> d.fingerprint and o.doc_id <> d.doc_id
                         where d.doc_id = ? and o.duplicate_of is null
                         order by o.ingested_at desc, o.file limit 1""", [doc_id]).fetchone()
    return SameReport("version", row[0]) if row else None


def _published(db_path: Path, apply, plan) -> journal.Intent | None:
    """Publish `apply` journaling `plan`; the intent (None when nothing changed)."""
    kept: list[journal.Intent] = []

    def planned(result, intent: journal.Intent) -> None:
        plan(result, intent)
        kept.append(intent)

    publish.publish(db_path, apply, plan=planned, is_changed=bool)
    return kept[0] if kept else None


@dataclass
class Deletion:
    """One document asked to be deleted, and what happened."""

    doc_id: str
    file: str | None = None
    status: str = "missing"  # deleted | missing | failed
    archived_to: str | None = None
    reason_zh: str | None = None

    @property
    def result(self):  # WriteReport.has_failures reads .result.status
        return self

    @property
    def status_zh(self) -> str:
        return OUTCOME_ZH[self.status]


def delete_reports(doc_ids: list[str], editor: str, *, via: str = "app", db_path=None, reports_dir=None,
                   archive_dir=None) -> WriteReport:
    """Delete documents (and all their rows) in one journaled write; their originals
    move to the archive so a rebuild does not bring them back."""
    db_path, reports_dir, archive_dir = _paths(db_path, reports_dir, archive_dir)
    wanted = {d: Deletion(d) for d in dict.fromkeys(doc_ids)}

    def entries() -> list[writelog.WriteEntry]:
        return [writelog.WriteEntry(
            "delete", editor, d.status, file=d.file, doc_id=d.doc_id, via=via,
            detail=d.reason_zh or (f"原件已移到 {d.archived_to}" if d.archived_to else None),
        ) for d in wanted.values()]

    def plan(found, intent: journal.Intent) -> None:
        try:
            for doc_id, file in found:
                wanted[doc_id].file, wanted[doc_id].status = file, "deleted"
                original = reports_dir / file
                if original.is_file():
                    archive_dir.mkdir(parents=True, exist_ok=True)
                    target = _archive_name(archive_dir, original.name)
                    intent.archive(original, target)
                    wanted[doc_id].archived_to = str(target)
        except OSError as exc:
            raise publish.os_error(exc, archive_dir) from exc
        intent.append(writelog.log_path(), _log_records(entries()))

    if wanted and db_path.exists():
        try:
            intent = _published(db_path, lambda con: loading.delete_documents(con, list(wanted)), plan)
            if intent is not None:
                return WriteReport(list(wanted.values()), intent.problem)
        except publish.StoreWriteError as exc:
            for d in wanted.values():
                d.status, d.reason_zh, d.archived_to = "failed", exc.message_zh, None
    return WriteReport(list(wanted.values()), writelog.append_or_problem(entries()))


def rebuild(editor: str, *, via: str = "cli", db_path=None, reports_dir=None,
            ref: Reference | None = None) -> tuple[list[IngestResult], str | None]:
    """Rebuild the store from the reports folder (`building.build_store`), its write
    log entry journaled with it. Returns the per-file results and a write-log
    problem, if any."""
    db_path, reports_dir, _ = _paths(db_path, reports_dir, None)

    kept: list[journal.Intent] = []

    def plan(results: list[IngestResult], intent: journal.Intent) -> None:
        ok = sum(r.status != "failed" for r in results)
        entry = writelog.WriteEntry("build", editor, "built", via=via,
                                    detail=f"从 {reports_dir} 重建：{ok} 个文件入库，{len(results) - ok} 个失败")
        intent.append(writelog.log_path(), _log_records([entry]))
        kept.append(intent)

    results = building.build_store(reports_dir, db_path, ref, plan=plan)
    return results, kept[0].problem if kept else None


def cli_editor() -> str:
    """The editor name the CLI records: 命令行:<login name>."""
    import getpass

    try:
        user = getpass.getuser()
    except Exception:  # no login name in a bare container
        user = str(os.getuid())
    return f"命令行:{user}"
