"""The console's local users: a TOML file of names, roles and Argon2id password hashes.

Passwords are hashed with argon2-cffi (the maintained binding of the reference Argon2 implementation,
already the service's token hasher) — never stored, never logged.  The file is written mode 0600 and
re-read when it changes, so ``idncheck console user add`` takes effect without a restart.

.. code-block:: toml

    [[user]]
    name = "amira"
    role = "clerk"            # viewer | clerk | admin
    hash = "$argon2id$v=19$m=65536,t=3,p=4$..."
"""

from __future__ import annotations

import enum
import os
import re
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import IdnkitError


class ConsoleRole(enum.StrEnum):
    """``viewer``: the read-only pages; ``clerk``: also review decisions and audits; ``admin``: also users."""

    VIEWER = "viewer"
    CLERK = "clerk"
    ADMIN = "admin"

    def may(self, needed: ConsoleRole) -> bool:
        """Whether this role holds ``needed`` (each role holds the ones before it)."""
        order = list(ConsoleRole)
        return order.index(self) >= order.index(needed)


class UsersFileError(IdnkitError):
    """A users file that cannot be used: names the file and the entry."""


@dataclass(frozen=True, slots=True)
class User:
    """A console user as the file holds it (the hash stays inside :class:`UserStore`)."""

    name: str
    role: ConsoleRole


_NAME = re.compile(r"[A-Za-z0-9_.@-]{1,64}")


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (argon2-cffi's default parameters, RFC 9106 §4 second choice)."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def add_user(path: str | os.PathLike[str], name: str, role: ConsoleRole, password: str) -> User:
    """Append (or replace) ``name`` in the users file at ``path``, creating it mode 0600."""
    if not _NAME.fullmatch(name):
        raise UsersFileError(f"{os.fspath(path)}: user name {name!r} must be 1-64 letters, digits, or _ . @ -")
    if len(password) < 8:
        raise UsersFileError(f"{os.fspath(path)}: the password for {name!r} must have at least 8 characters")
    target = Path(path)
    entries = _read(target) if target.exists() else []
    entries = [e for e in entries if e[0].name != name]
    entries.append((User(name, role), hash_password(password)))
    text = "".join(
        f"[[user]]\nname = {_toml_string(u.name)}\nrole = {_toml_string(u.role.value)}\nhash = {_toml_string(h)}\n\n"
        for u, h in entries
    )
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    return User(name, role)


def _read(path: Path) -> list[tuple[User, str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise UsersFileError(f"{path}: cannot read the users file: {e}") from None
    out: list[tuple[User, str]] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("user", []), 1):
        where = f"{path}: user {i}"
        if not isinstance(raw, dict):
            raise UsersFileError(f"{where}: must be a table")
        name, role, hashed = raw.get("name"), raw.get("role"), raw.get("hash")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise UsersFileError(f"{where}: 'name' must be 1-64 letters, digits, or _ . @ -")
        if name in seen:
            raise UsersFileError(f"{where}: user {name!r} appears twice")
        try:
            parsed = ConsoleRole(str(role))
        except ValueError:
            raise UsersFileError(f"{where}: 'role' must be viewer, clerk or admin, not {role!r}") from None
        if not isinstance(hashed, str) or not hashed.startswith("$argon2"):
            raise UsersFileError(f"{where}: 'hash' must be an Argon2 hash (idncheck console user add)")
        seen.add(name)
        out.append((User(name, parsed), hashed))
    return out


class UserStore:
    """The users of one console process, re-read when the file's modification time changes."""

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = Path(path) if path is not None else None
        self._lock = threading.Lock()
        self._mtime: float | None = None
        self._users: dict[str, tuple[User, str]] = {}
        self._refresh()

    def _refresh(self) -> None:
        if self.path is None:
            return
        try:
            mtime = self.path.stat().st_mtime
        except OSError as e:
            raise UsersFileError(f"{self.path}: cannot read the users file: {e.strerror}") from None
        if mtime == self._mtime:
            return
        users = {u.name: (u, h) for u, h in _read(self.path)}
        with self._lock:
            self._users, self._mtime = users, mtime

    def users(self) -> list[User]:
        self._refresh()
        return sorted((u for u, _ in self._users.values()), key=lambda u: u.name)

    def get(self, name: str) -> User | None:
        found = self._users.get(name)
        return found[0] if found else None

    def verify(self, name: str, password: str) -> User | None:
        """The user if ``password`` is theirs; None otherwise (an unknown name costs a hash too)."""
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError

        self._refresh()
        found = self._users.get(name)
        hasher = PasswordHasher()
        if found is None:
            # Same work as a known name, so timing does not tell which names exist.
            hasher.hash(password)
            return None
        try:
            hasher.verify(found[1], password)
        except (VerificationError, InvalidHashError):
            return None
        return found[0]
