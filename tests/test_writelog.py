"""The write log: appended lines survive, a torn line is skipped, unknown actions read back."""

from __future__ import annotations

import json

from budgetperf.changes import writelog


def test_append_and_read(tmp_path):
    path = tmp_path / "log.jsonl"
    writelog.append([writelog.WriteEntry("add", "张三", "added", file="a.txt", doc_id="abc")], path)
    writelog.append([writelog.WriteEntry("correct", "李四", "done", extra={"field": "budget_wan"})], path)
    entries = writelog.read(path)
    assert [(e.action, e.editor, e.outcome) for e in entries] == [("add", "张三", "added"), ("correct", "李四", "done")]
    assert entries[1].extra == {"field": "budget_wan"} and entries[0].at[:2] == "20"
    assert "张三" in path.read_text(encoding="utf-8")  # readable UTF-8, not \\u escapes
    assert [e.editor for e in writelog.read(path, limit=1)] == ["李四"]


def test_torn_and_foreign_lines_are_skipped(tmp_path):
    path = tmp_path / "log.jsonl"
    writelog.append([writelog.WriteEntry("add", "张三", "added")], path)
    with path.open("a", encoding="utf-8") as f:
        f.write('{"action": "add", "editor": "半行')  # a crash mid-line
        f.write("\n" + json.dumps({"hello": 1}) + "\n")
    writelog.append([writelog.WriteEntry("delete", "张三", "deleted")], path)
    assert [e.action for e in writelog.read(path)] == ["add", "delete"]


def test_missing_log_reads_empty(tmp_path):
    assert writelog.read(tmp_path / "nope.jsonl") == []


def test_default_path_is_the_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDGETPERF_WRITE_LOG", str(tmp_path / "w.jsonl"))
    writelog.append([writelog.WriteEntry("build", "命令行:root", "built")])
    assert (tmp_path / "w.jsonl").is_file() and writelog.read()[0].action == "build"
