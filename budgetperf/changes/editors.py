"""Editor accounts: who may write (upload, delete) in the app.

Viewing needs no login. The operator lists editors as name → password hash, either
in ``.streamlit/secrets.toml``::

    [editors]
    张三 = "scrypt$16384$8$1$<salt>$<hash>"

or in the environment, ``BUDGETPERF_EDITORS="张三=scrypt$…;李四=scrypt$…"``. A hash
comes from ``budgetperf editor-hash``. Passwords are never stored or accepted in
plain text: an entry that is not a hash is ignored and reported. With no editor
configured, writing is off.

- `hash_password` / `verify_password`: scrypt (n=2**14, r=8, p=1, 16-byte salt),
  compared with ``hmac.compare_digest``. An unknown name is checked against a dummy
  hash, so the answer takes as long as for a known one.
- `LoginLimiter`: failed logins per client, shared by every session of the server
  process (a module-level instance, guarded by a lock). A client is its browser
  session, and its network address when the server sees one (`client_keys`):
  after `FREE_ATTEMPTS` failures in one session, or `ADDRESS_FREE_ATTEMPTS` from
  one address (a script that opens a new session per try), that client waits,
  30 s doubling per further failure up to 15 minutes. A name is never a key: five
  wrong passwords typed under an editor's name elsewhere must not lock that editor
  out of their own browser. Guessing stays slow anyway: each try costs a scrypt.
  Known limitation: people behind one NAT share an address (a reverse proxy on
  the same host shows none, so it does not merge everyone into one client).

No streamlit here (`app.login` is the glue).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from budgetperf import settings

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1
SALT_BYTES = 16
KEY_BYTES = 32
MAX_NAME_CHARS = 40


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES,
                          maxmem=2 * 128 * r * n + 1024 * 1024)


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """The stored form of a password: ``scrypt$n$r$p$salt$key`` (URL-safe base64)."""
    if not password:
        raise ValueError("password is empty")
    salt = salt or os.urandom(SALT_BYTES)
    return "$".join([SCHEME, str(N), str(R), str(P), _b64(salt), _b64(_scrypt(password, salt, N, R, P))])


def is_password_hash(text: str) -> bool:
    """Whether `text` looks like `hash_password` output (not a plain-text password)."""
    parts = str(text).split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return False
    try:
        n, r, p = (int(x) for x in parts[1:4])
        return n > 1 and n & (n - 1) == 0 and 0 < r <= 64 and 0 < p <= 16 and len(_unb64(parts[5])) == KEY_BYTES \
            and len(_unb64(parts[4])) >= 8
    except (ValueError, TypeError):
        return False


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches the stored hash (constant-time comparison)."""
    if not is_password_hash(stored):
        return False
    _, n, r, p, salt, key = stored.split("$")
    candidate = _scrypt(password, _unb64(salt), int(n), int(r), int(p))
    return hmac.compare_digest(candidate, _unb64(key))


_DUMMY_HASH = "$".join([SCHEME, str(N), str(R), str(P), _b64(b"\0" * SALT_BYTES), _b64(b"\0" * KEY_BYTES)])


@dataclass(frozen=True)
class EditorConfig:
    """Editors the operator configured, and entries that were refused (with why)."""

    hashes: dict[str, str]
    problems: tuple[str, ...] = ()

    @property
    def is_enabled(self) -> bool:
        return bool(self.hashes)


def parse_env(value: str) -> dict[str, str]:
    """``name=hash;name=hash`` (newlines also separate) → {name: hash}."""
    out = {}
    for item in value.replace("\n", ";").split(";"):
        if "=" in item:
            name, _, hashed = item.partition("=")
            out[name.strip()] = hashed.strip()
        elif item.strip():
            out[item.strip()] = ""
    return out


def load_editors(secrets: Mapping[str, object] | None = None, env: str | None = None) -> EditorConfig:
    """Editors from the secrets' ``[editors]`` table and BUDGETPERF_EDITORS (the
    environment wins for a name in both). Entries whose value is not a password hash
    are refused and listed in `problems`, never used."""
    merged: dict[str, object] = dict(secrets or {})
    merged.update(parse_env(settings.get("BUDGETPERF_EDITORS") if env is None else env))
    hashes, problems = {}, []
    for name, value in merged.items():
        name = str(name).strip()
        if not name or len(name) > MAX_NAME_CHARS:
            problems.append(f"编辑账号名「{name[:MAX_NAME_CHARS]}…」为空或过长，已忽略")
        elif not isinstance(value, str) or not is_password_hash(value):
            problems.append(f"编辑账号「{name}」的密码不是哈希值（不接受明文密码），已忽略；"
                            "请用 `budgetperf editor-hash` 生成哈希后填入")
        else:
            hashes[name] = value
    return EditorConfig(hashes, tuple(problems))


def check_login(config: EditorConfig, name: str, password: str) -> bool:
    """Whether `name`/`password` is a configured editor. Takes the same time for an
    unknown name (a dummy hash is checked) so names cannot be probed by timing."""
    stored = config.hashes.get(name.strip())
    ok = verify_password(password, stored or _DUMMY_HASH)
    return ok and stored is not None


def client_keys(session: str, address: str | None = None) -> list[str]:
    """The limiter keys of one client: its session, and its address if known."""
    return [f"session:{session}"] + ([f"address:{address}"] if address else [])


class LoginLimiter:
    """Failed-login counting per client key ("session:…", "address:…"), thread-safe.

    `wait_seconds(keys)` is how long the caller must wait before trying again (0 =
    may try now); `failed(keys)` records a failure; `succeeded(keys)` clears the
    session's streak (an address's streak runs out on its own: it may be shared).
    """

    FREE_ATTEMPTS = 5
    ADDRESS_FREE_ATTEMPTS = 20
    FIRST_WAIT = 30.0
    MAX_WAIT = 15 * 60.0
    FORGET_AFTER = 60 * 60.0

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        # key -> (failures in the streak, blocked until, time of the last failure)
        self._state: dict[str, tuple[int, float, float]] = {}

    def _free(self, key: str) -> int:
        return self.ADDRESS_FREE_ATTEMPTS if key.startswith("address:") else self.FREE_ATTEMPTS

    def wait_seconds(self, keys: list[str]) -> float:
        now = self._clock()
        with self._lock:
            return max([0.0] + [self._state[k][1] - now for k in keys if k in self._state])

    def failed(self, keys: list[str]) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                failures, until, last = self._state.get(key, (0, 0.0, now))
                if now - last > self.FORGET_AFTER:
                    failures, until = 0, 0.0  # an old streak is forgotten
                failures += 1
                over = failures - self._free(key)
                if over >= 0:
                    until = now + min(self.MAX_WAIT, self.FIRST_WAIT * 2 ** over)
                self._state[key] = (failures, until, now)

    def succeeded(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                if not key.startswith("address:"):
                    self._state.pop(key, None)


# One limiter per server process: every session's failures count against its client.
LIMITER = LoginLimiter()
