"""The 数据管理 page under AppTest: who may write, upload → preview → commit (新增,
重复, 替换, 失败), deletion, and a CLI ingest in another process while a page is open."""

from __future__ import annotations

import subprocess
import sys

from streamlit.testing.v1 import AppTest

from budgetperf.changes import editors, writelog
from tests.conftest import (
    EDITOR,
    FIXTURES_DIR,
    PASSWORD,
    REPORTS_DIR,
    ROOT,
    login,
    open_manage,
    preview_table,
)

NEW = FIXTURES_DIR / "special_fund_expenses_mismatch.txt"  # 迁西县, not in the seed store
SEED = REPORTS_DIR / "000_c45d5bc83af97699.txt"


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("info", "warning", "error", "success", "caption", "markdown")
                     for e in getattr(at, kind))


def outcome_table(at: AppTest):
    return next(df.value for df in at.dataframe if "结果" in df.value.columns).set_index("文件")


def upload(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, "application/octet-stream") for name, data in files])
    return at.run()


def commit(at: AppTest) -> AppTest:
    at.button(key="admin.commit").click()
    return at.run()


def documents(at: AppTest):
    return next(df.value for df in at.dataframe if "文档编号" in df.value.columns)


# ---------------------------------------------------------------------------
# who may write

def test_without_editors_writing_is_off_and_the_page_says_how(write_env, dash_store):
    import shutil

    shutil.copy(dash_store, write_env["BUDGETPERF_DB"])
    at = open_manage()
    assert not at.exception
    assert "写入功能未开启" in texts(at) and "budgetperf editor-hash" in texts(at)
    assert not at.file_uploader and "admin.delete.docs" not in [m.key for m in at.multiselect]
    assert len(documents(at)) == 4  # viewing needs no login


def test_a_plain_text_password_is_refused_not_used(write_env, dash_store, monkeypatch):
    import shutil

    shutil.copy(dash_store, write_env["BUDGETPERF_DB"])
    monkeypatch.setenv("BUDGETPERF_EDITORS", f"{EDITOR}={PASSWORD}")
    at = open_manage()
    assert "不接受明文密码" in texts(at) and "写入功能未开启" in texts(at)
    assert "admin.login.name" not in [t.key for t in at.text_input]  # no login form: nobody to log in as


def test_editors_from_secrets_toml(write_env, dash_store, editor_hash):
    import shutil

    shutil.copy(dash_store, write_env["BUDGETPERF_DB"])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["editors"] = {"李四": editor_hash}
    at.switch_page("pages/manage.py")
    at.run()
    login(at, "李四")
    assert "已登录编辑：李四" in texts(at) and at.file_uploader


def test_wrong_password_is_refused_and_rate_limited(editor_env):
    at = open_manage()
    login(at, EDITOR, "wrong password")
    assert "编辑名或密码不正确" in texts(at) and not at.file_uploader
    for _ in range(editors.LoginLimiter.FREE_ATTEMPTS - 1):
        login(at, EDITOR, "wrong password")
    # now even the right password waits, in this session …
    login(at)
    assert "登录失败次数过多" in texts(at) and not at.file_uploader
    # … but never the editor in another browser: failures count per client, not per name
    other = open_manage()
    login(other)
    assert f"已登录编辑：{EDITOR}" in texts(other) and other.file_uploader
    # an unknown name gets the same answer as a wrong password (names cannot be probed)
    third = open_manage()
    login(third, "王五", PASSWORD)
    assert "编辑名或密码不正确" in texts(third)


def test_login_and_logout(editor_env):
    at = login(open_manage())
    assert f"已登录编辑：{EDITOR}" in texts(at) and at.file_uploader
    at.button(key="admin.logout").click()
    at.run()
    assert not at.file_uploader and "admin.login.name" in [t.key for t in at.text_input]


# ---------------------------------------------------------------------------
# upload → preview → commit

def test_upload_preview_then_commit_new_duplicate_and_failed(editor_env):
    at = login(open_manage())
    upload(at, [("迁西县专项资金.txt", NEW.read_bytes()), ("另一个名字.txt", SEED.read_bytes()), ("坏文件.docx", b"oops")])
    assert not at.exception
    preview = preview_table(at).set_index("文件")
    assert list(preview["预计结果"]) == ["新增", "重复", "失败"]
    row = preview.loc["迁西县专项资金.txt"]
    assert (row["地区"], row["单位"], row["项目数"], row["预算合计"]) == ("迁西县", "迁西县交通运输局", 1, 50)
    assert "年度未识别" in row["需复核"]  # review reasons are shown before committing
    assert row["审核警告"] >= 1
    assert "Word 文件已损坏" in preview.loc["坏文件.docx", "说明"]
    assert len(documents(at)) == 4  # nothing written by the preview
    commit(at)
    assert not at.exception
    outcome = outcome_table(at)
    assert list(outcome["结果"]) == ["新增", "重复", "失败"]
    assert "000_c45d5bc83af97699.txt" in outcome.loc["另一个名字.txt", "说明"]
    assert len(documents(at)) == 5 and not at.file_uploader[0].value  # the list is emptied
    reports = editor_env["BUDGETPERF_REPORTS_DIR"]
    assert sorted(p.name for p in reports.iterdir()) == ["迁西县专项资金.txt"]  # the duplicate is not kept twice
    log = writelog.read()
    assert [(e.editor, e.outcome) for e in log] == [(EDITOR, "added"), (EDITOR, "unchanged"), (EDITOR, "failed")]
    # a viewer's page shows the new data on its next run
    viewer = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    viewer.query_params["regions"] = ["迁西县"]
    viewer.run()
    assert not viewer.exception and "迁西县" in viewer.multiselect(key="regions").options


def test_a_new_version_replaces_the_old_and_the_old_original_is_archived(editor_env):
    at = login(open_manage())
    upload(at, [("迁西县专项资金.txt", NEW.read_bytes())])
    commit(at)
    changed = NEW.read_text(encoding="utf-8").replace("评价结果78分", "评价结果80分").encode("utf-8")
    upload(at, [("迁西县专项资金.txt", changed)])
    assert preview_table(at)["预计结果"].tolist() == ["替换"]
    commit(at)
    assert outcome_table(at)["结果"].tolist() == ["替换"]
    assert len(documents(at)) == 5  # replaced, not added
    assert (editor_env["BUDGETPERF_REPORTS_DIR"] / "迁西县专项资金.txt").read_bytes() == changed
    (archived,) = editor_env["BUDGETPERF_ARCHIVE_DIR"].iterdir()
    assert archived.read_bytes() == NEW.read_bytes()


def test_an_upload_named_like_a_path_lands_inside_the_reports_folder(editor_env):
    at = login(open_manage())
    upload(at, [("../../app.py", b"print('x')"), ("../../迁西县.txt", NEW.read_bytes())])
    preview = preview_table(at).set_index("文件")
    assert preview.loc["../../app.py", "保存为"] == "app.py" and preview.loc["../../app.py", "预计结果"] == "失败"
    assert preview.loc["../../迁西县.txt", "保存为"] == "迁西县.txt"
    commit(at)
    assert sorted(p.name for p in editor_env["BUDGETPERF_REPORTS_DIR"].iterdir()) == ["迁西县.txt"]
    assert (ROOT / "app.py").read_text(encoding="utf-8").startswith('"""The dashboard')


def test_delete_a_document_and_its_rows(editor_env):
    at = login(open_manage())
    upload(at, [("迁西县专项资金.txt", NEW.read_bytes())])
    commit(at)
    docs = documents(at)
    doc_id = docs.set_index("文件").loc["迁西县专项资金.txt", "文档编号"]
    at.multiselect(key="admin.delete.docs").set_value([doc_id])
    at.run()
    at.checkbox(key="admin.delete.confirm").check()
    at.run()
    at.button(key="admin.delete").click()
    at.run()
    assert not at.exception
    assert outcome_table(at)["结果"].tolist() == ["已删除"]
    assert "迁西县专项资金.txt" not in set(documents(at)["文件"]) and len(documents(at)) == 4
    assert not (editor_env["BUDGETPERF_REPORTS_DIR"] / "迁西县专项资金.txt").exists()
    assert [p.name.split("_", 1)[1] for p in editor_env["BUDGETPERF_ARCHIVE_DIR"].iterdir()] == ["迁西县专项资金.txt"]
    assert writelog.read()[-1].action == "delete" and writelog.read()[-1].editor == EDITOR


def test_a_viewer_cannot_delete(editor_env):
    at = open_manage()  # not logged in
    assert "admin.delete.docs" not in [m.key for m in at.multiselect] and not at.file_uploader


# ---------------------------------------------------------------------------
# the CLI writes while a page is open

def test_cli_ingest_in_another_process_while_a_page_reruns(editor_env, tmp_path):
    """The app's snapshot stays open and the page reruns during the write, also while
    the writer's draft exists and when it is published: no error, and the new data
    shows on the rerun after it."""
    from budgetperf.storing import publish
    from tests.test_publish import _many_reports

    db = editor_env["BUDGETPERF_DB"]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()  # 总览, its snapshot now cached in this process
    assert not at.exception
    assert "迁西县" not in at.multiselect(key="regions").options
    reports = _many_reports(tmp_path / "incoming", 30)  # a write long enough to rerun during it
    proc = subprocess.Popen([sys.executable, "-m", "budgetperf", "ingest", *reports], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reruns = during_draft = 0
    while proc.poll() is None:
        drafting = bool(publish.draft_paths(db))
        at.run()
        reruns += 1
        during_draft += drafting
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
    out, err = proc.communicate()
    print(f"page reruns during the write: {reruns}, while the draft existed: {during_draft}")
    assert proc.returncode == 0 and out.startswith("新增"), err
    assert during_draft >= 1
    at.run()
    assert not at.exception and "迁西县" in at.multiselect(key="regions").options
