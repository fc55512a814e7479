"""intake: sanitized names, outcomes per file, originals kept with the store, deletion
archives originals (a rebuild does not bring them back), every write logged."""

from __future__ import annotations

import errno
import shutil

import pytest

from budgetperf.changes import writelog
from budgetperf.storing import intake, journal, publish, store
from tests.conftest import FIXTURES_DIR, REPORTS_DIR

NEW = FIXTURES_DIR / "special_fund_expenses_mismatch.txt"
OTHER = FIXTURES_DIR / "pipe_table.txt"


@pytest.mark.parametrize("given, expected", [
    ("report.txt", "report.txt"),
    ("../../app.py", "app.py"),
    ("..\\..\\windows\\报告.docx", "报告.docx"),
    ("/etc/passwd", "passwd"),
    ("..", "上传文件"),
    (".hidden.txt", "hidden.txt"),
    ("  报告 (终稿).TXT  ", "报告 (终稿).txt"),
    ("a<b>c:d|e?f*.pdf", "a_b_c_d_e_f_.pdf"),
    ("line\nbreak\x00.txt", "linebreak.txt"),
    ("zero\u200bwidth.txt", "zerowidth.txt"),
    ("长" * 100 + ".xlsx", "长" * 48 + ".xlsx"),  # at most 150 bytes in UTF-8
    ("报告.tar.gz", "报告.tar.gz"),
    ("没有扩展名", "没有扩展名"),
])
def test_sanitize_filename(given, expected):
    assert intake.sanitize_filename(given) == expected


def test_sanitized_names_stay_short_and_plain():
    name = intake.sanitize_filename("../" * 50 + "年度" * 200 + ".txt")
    assert len(name.encode("utf-8")) <= intake.MAX_NAME_BYTES and "/" not in name and name.endswith(".txt")


def add(paths, write_env, editor="张三"):
    prepared = intake.prepare([intake.Incoming.from_path(p) for p in paths])
    return intake.add_reports(prepared, editor, via="cli")


def documents(db):
    with store.connect(db) as con:
        return dict(con.execute("select file, content_hash from documents").fetchall())


def test_outcomes_new_duplicate_replaced_failed(write_env, tmp_path):
    reports = write_env["BUDGETPERF_REPORTS_DIR"]
    first = add([NEW, OTHER], write_env)
    assert [p.result.status for p in first.items] == ["added", "added"]
    assert sorted(p.name for p in reports.iterdir()) == sorted([NEW.name, OTHER.name])  # originals kept
    copy = tmp_path / "copy.txt"
    shutil.copy(NEW, copy)
    changed = tmp_path / OTHER.name
    changed.write_text(OTHER.read_text(encoding="utf-8").replace("97", "96", 1), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    second = add([copy, changed, empty], write_env)
    assert [p.result.status for p in second.items] == ["unchanged", "replaced", "failed"]
    assert [p.status_zh for p in second.items] == ["重复", "替换", "失败"]
    assert second.items[0].result.duplicate_of == NEW.name and "内容相同" in second.items[0].message_zh
    assert (reports / OTHER.name).read_bytes() == changed.read_bytes()
    assert not (reports / "copy.txt").exists() and not (reports / "empty.txt").exists()
    (archived,) = write_env["BUDGETPERF_ARCHIVE_DIR"].iterdir()
    assert archived.read_bytes() == OTHER.read_bytes() and archived.name.endswith("_" + OTHER.name)
    assert len(documents(write_env["BUDGETPERF_DB"])) == 2
    log = writelog.read()
    assert [(e.action, e.outcome, e.file) for e in log] == [
        ("add", "added", NEW.name), ("add", "added", OTHER.name),
        ("add", "unchanged", "copy.txt"), ("add", "replaced", OTHER.name), ("add", "failed", "empty.txt")]
    assert all(e.editor == "张三" and e.via == "cli" for e in log)


def test_the_store_can_always_be_rebuilt_from_the_reports_folder(write_env, tmp_path):
    """After adds, a replace and a delete, `build` from the folder gives the same documents."""
    db = write_env["BUDGETPERF_DB"]
    add([NEW, OTHER, FIXTURES_DIR / "gb18030_report.txt"], write_env)
    changed = tmp_path / NEW.name
    changed.write_text(NEW.read_text(encoding="utf-8").replace("78分", "79分"), encoding="utf-8")
    add([changed], write_env)
    gone = next(d for d in store.run_query("manage/documents", con=store.connect(db)).itertuples()
                if d.file == OTHER.name)
    report = intake.delete_reports([gone.doc_id], "张三")
    assert [d.status for d in report.items] == ["deleted"] and report.items[0].archived_to
    before = documents(db)
    intake.rebuild("张三", via="cli")
    assert documents(db) == before and OTHER.name not in before


def test_an_unrelated_file_with_the_same_name_is_archived_not_overwritten(write_env, tmp_path):
    reports = write_env["BUDGETPERF_REPORTS_DIR"]
    (reports / NEW.name).write_text("运维人员放在这里的笔记", encoding="utf-8")  # not in the store
    add([NEW], write_env)
    (kept,) = write_env["BUDGETPERF_ARCHIVE_DIR"].iterdir()
    assert kept.read_text(encoding="utf-8") == "运维人员放在这里的笔记"
    assert (reports / NEW.name).read_bytes() == NEW.read_bytes()


def test_ingesting_a_file_already_in_the_reports_folder_keeps_it_in_place(write_env):
    reports = write_env["BUDGETPERF_REPORTS_DIR"]
    shutil.copy(NEW, reports)
    (result,) = add([reports / NEW.name], write_env).items
    assert result.result.status == "added"
    assert [p.name for p in reports.iterdir()] == [NEW.name] and not write_env["BUDGETPERF_ARCHIVE_DIR"].exists()


def test_two_files_of_a_batch_with_one_name(write_env, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(NEW, tmp_path / "a" / "报告.txt")
    shutil.copy(OTHER, tmp_path / "b" / "报告.txt")
    report = add([tmp_path / "a" / "报告.txt", tmp_path / "b" / "报告.txt"], write_env)
    assert [p.result.status for p in report.items] == ["added", "failed"]
    assert "同名文件" in report.items[1].result.reason_zh


def test_originals_are_put_back_when_publishing_fails(write_env, tmp_path, monkeypatch):
    add([OTHER], write_env)
    db, reports = write_env["BUDGETPERF_DB"], write_env["BUDGETPERF_REPORTS_DIR"]
    before = db.read_bytes()
    changed = tmp_path / OTHER.name
    changed.write_text(OTHER.read_text(encoding="utf-8").replace("97", "95", 1), encoding="utf-8")
    real_replace = publish.os.replace

    def failing_replace(src, dst):
        if str(dst) == str(db):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(publish.os, "replace", failing_replace)
    report = add([NEW, changed], write_env)
    monkeypatch.undo()
    assert [p.result.status for p in report.items] == ["failed", "failed"]
    assert "磁盘空间不足" in report.items[0].result.reason_zh
    assert db.read_bytes() == before
    # the folder is as before: no new original, the replaced one back in place, nothing staged
    assert sorted(p.name for p in reports.iterdir()) == [OTHER.name]
    assert (reports / OTHER.name).read_bytes() == OTHER.read_bytes()
    assert not list(write_env["BUDGETPERF_ARCHIVE_DIR"].glob("*"))


def test_a_reports_folder_that_cannot_be_written_fails_the_write(write_env, monkeypatch):
    db = write_env["BUDGETPERF_DB"]
    add([OTHER], write_env)
    before = db.read_bytes()

    def refuse(self, data, target):
        raise PermissionError(errno.EACCES, "Permission denied", str(target))

    monkeypatch.setattr(journal.Intent, "stage", refuse)
    (item,) = add([NEW], write_env).items
    assert item.result.status == "failed" and "没有写入权限" in item.result.reason_zh
    assert str(write_env["BUDGETPERF_REPORTS_DIR"]) in item.result.reason_zh
    assert db.read_bytes() == before


def test_deleting_what_is_not_there(write_env):
    add([NEW], write_env)
    report = intake.delete_reports(["0000000000000000"], "张三")
    assert [d.status for d in report.items] == ["missing"]
    assert len(documents(write_env["BUDGETPERF_DB"])) == 1


def test_a_write_log_that_cannot_be_written_is_reported_then_caught_up(write_env, monkeypatch):
    log = write_env["BUDGETPERF_WRITE_LOG"]
    log.mkdir()  # a folder where the log file should be: appending fails
    report = add([NEW], write_env)
    assert report.items[0].result.status == "added" and "写入记录未能保存" in report.log_problem
    # the next write waits for it rather than lose the entry …
    (item,) = add([OTHER], write_env).items
    assert item.result.status == "failed" and "上一次写入的收尾还未完成" in item.result.reason_zh
    # … and once the log can be written, the entry is caught up before it
    log.rmdir()
    (item,) = add([OTHER], write_env).items
    assert item.result.status == "added"
    assert [(e.file, e.outcome) for e in writelog.read(log)] == [(NEW.name, "added"), (OTHER.name, "added")]
    assert not journal.journal_path(write_env["BUDGETPERF_DB"]).exists()


def test_preview_rows_predict_without_writing(write_env, dash_store):
    shutil.copy(dash_store, write_env["BUDGETPERF_DB"])
    with store.connect(write_env["BUDGETPERF_DB"]) as con:
        stored = store.run_query("manage/documents", con=con)
    prepared = intake.prepare([intake.Incoming("新.txt", data=NEW.read_bytes()),
                               intake.Incoming("旧.txt", data=(REPORTS_DIR / "001_4f47e40a9e3722bd.txt").read_bytes()),
                               intake.Incoming("001_4f47e40a9e3722bd.txt", data=NEW.read_bytes() + b"\n")])
    rows = [intake.preview_row(p, stored) for p in prepared]
    assert [r["status_zh"] for r in rows] == ["新增", "重复", "替换"]
    assert rows[0]["region"] == "迁西县" and rows[0]["budget_wan"] == 50 and rows[0]["projects"] == 1
    assert intake.project_rows(prepared[0])["项目"].tolist() == ["农村公路养护专项资金"]
    assert not write_env["BUDGETPERF_WRITE_LOG"].exists()


# The settings naming what writes keep: everything a rebuild cannot recreate. The
# bundled reference tables (regions, unit aliases) ship with the image and are read only.
WRITTEN_SETTINGS = ("BUDGETPERF_DB", "BUDGETPERF_REPORTS_DIR", "BUDGETPERF_ARCHIVE_DIR", "BUDGETPERF_WRITE_LOG",
                    "BUDGETPERF_CORRECTIONS", "BUDGETPERF_FINDING_STATUSES", "BUDGETPERF_DUPLICATE_DECISIONS",
                    "BUDGETPERF_REFERENCE_EDITS",
                    "BUDGETPERF_OCR_CACHE_DIR")  # recreated only by OCR again: minutes a scanned report


def test_the_image_keeps_every_written_file_on_the_data_volume():
    """A setting left at its default would write inside the container, so the edits
    it keeps fail (no permission) or vanish with the container."""
    import re

    from budgetperf import settings
    from tests.conftest import ROOT

    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    env = dict(re.findall(r"\b(BUDGETPERF_[A-Z_]+)=(\S+)", text))
    assert "VOLUME /data" in text
    for name in WRITTEN_SETTINGS:
        assert env.get(name, "").startswith("/data/"), f"{name} is not on the /data volume"
    # any later setting of a file a write keeps joins the list above
    kept_beside_the_store = {s.name for s in settings.SETTINGS
                             if s.is_path and s.default.startswith("data/") and not s.default.endswith(".csv")}
    assert kept_beside_the_store <= set(WRITTEN_SETTINGS)
