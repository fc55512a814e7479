"""Editor accounts: scrypt hashes, no plain text, constant-time checks, the login limiter."""

from __future__ import annotations

import pytest

from budgetperf.changes import editors

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def stored() -> str:
    return editors.hash_password(PASSWORD)


def test_hash_format_and_verify(stored):
    scheme, n, r, p, salt, key = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert editors.is_password_hash(stored)
    assert editors.verify_password(PASSWORD, stored)
    assert not editors.verify_password(PASSWORD + " ", stored)
    assert not editors.verify_password("", stored)


def test_same_password_different_salt(stored):
    assert editors.hash_password(PASSWORD) != stored


@pytest.mark.parametrize("value", [
    "correct horse battery",  # plain text
    "scrypt$16384$8$1$c2FsdA",  # cut short
    "scrypt$1000$8$1$c2FsdHNhbHRzYWx0$" + "A" * 43,  # n not a power of two
    "pbkdf2$16384$8$1$c2FsdHNhbHRzYWx0$" + "A" * 43,  # another scheme
    "",
])
def test_not_a_hash(value):
    assert not editors.is_password_hash(value)
    assert not editors.verify_password(value, value)


def test_load_editors_from_secrets_and_env(stored):
    config = editors.load_editors({"张三": stored, "李四": "明文密码"}, env=f"王五={stored}; 赵六=plain\n")
    assert sorted(config.hashes) == ["张三", "王五"]
    assert config.is_enabled
    assert len(config.problems) == 2 and all("不接受明文密码" in p for p in config.problems)
    assert not editors.load_editors({}, env="").is_enabled


def test_check_login(stored):
    config = editors.EditorConfig({"张三": stored})
    assert editors.check_login(config, "张三", PASSWORD)
    assert editors.check_login(config, " 张三 ", PASSWORD)
    assert not editors.check_login(config, "张三", "wrong")
    assert not editors.check_login(config, "王五", PASSWORD)  # unknown name: same work, same answer


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_limiter_lets_a_few_tries_then_waits_doubling():
    clock = Clock()
    limiter = editors.LoginLimiter(clock)
    keys = editors.client_keys("s1")
    for _ in range(editors.LoginLimiter.FREE_ATTEMPTS - 1):
        limiter.failed(keys)
        assert limiter.wait_seconds(keys) == 0
    limiter.failed(keys)
    assert limiter.wait_seconds(keys) == editors.LoginLimiter.FIRST_WAIT
    assert limiter.wait_seconds(editors.client_keys("s2")) == 0  # another browser tries now
    clock.now += editors.LoginLimiter.FIRST_WAIT
    assert limiter.wait_seconds(keys) == 0
    limiter.failed(keys)
    assert limiter.wait_seconds(keys) == 2 * editors.LoginLimiter.FIRST_WAIT
    for _ in range(20):
        limiter.failed(keys)
    assert limiter.wait_seconds(keys) == editors.LoginLimiter.MAX_WAIT


def test_someone_elses_failures_never_lock_the_editor_out():
    """Five wrong tries under an editor's name from another browser: the editor, in
    their own browser, logs in at once (a name is never a limiter key)."""
    limiter = editors.LoginLimiter(Clock())
    stranger = editors.client_keys("stranger-session", "10.0.0.9")
    for _ in range(3 * editors.LoginLimiter.FREE_ATTEMPTS):
        limiter.failed(stranger)
    assert limiter.wait_seconds(stranger) > 0
    assert limiter.wait_seconds(editors.client_keys("editor-session", "10.0.0.7")) == 0
    assert limiter.wait_seconds(editors.client_keys("editor-session")) == 0  # on localhost: no address


def test_a_script_opening_a_session_per_try_is_throttled_by_its_address():
    limiter = editors.LoginLimiter(Clock())
    for n in range(editors.LoginLimiter.ADDRESS_FREE_ATTEMPTS):
        assert limiter.wait_seconds(editors.client_keys(f"s{n}", "10.0.0.9")) == 0
        limiter.failed(editors.client_keys(f"s{n}", "10.0.0.9"))
    assert limiter.wait_seconds(editors.client_keys("fresh", "10.0.0.9")) == editors.LoginLimiter.FIRST_WAIT
    assert limiter.wait_seconds(editors.client_keys("fresh", "10.0.0.7")) == 0


def test_limiter_forgets_after_success_and_after_an_hour():
    clock = Clock()
    limiter = editors.LoginLimiter(clock)
    keys = editors.client_keys("s1")
    for _ in range(4):
        limiter.failed(keys)
    limiter.succeeded(keys)
    limiter.failed(keys)
    assert limiter.wait_seconds(keys) == 0  # a fresh streak
    for _ in range(3):
        limiter.failed(keys)
    clock.now += editors.LoginLimiter.FORGET_AFTER + 1
    limiter.failed(keys)
    assert limiter.wait_seconds(keys) == 0


def test_the_write_log_shows_editor_names_to_editors_only(editor_env):
    from budgetperf.changes import writelog
    from tests.conftest import EDITOR, login, open_manage

    writelog.append([writelog.WriteEntry("add", EDITOR, "added", file="报告.txt")])

    def who(at) -> list[str]:
        return list(next(df.value for df in at.dataframe if "操作" in df.value.columns)["编辑"])

    at = open_manage()
    assert who(at) == ["（登录后可见）"]
    assert who(login(at)) == [EDITOR]
