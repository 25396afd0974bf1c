"""Who may do what: bearer tokens from a file, hashed at rest, each with a role (docs/service.md, "Tokens").

A token is ``<id>.<secret>``: the id finds the entry (and is what the access log names — a token's
secret never reaches a log), the secret is checked against the entry's hash.  Hashes are Argon2id
(argon2-cffi: a maintained binding of the reference implementation, rather than a hand-rolled KDF)
or ``sha256:<hex>`` for machine-generated secrets, which carry 256 bits and need no stretching.
Argon2 costs tens of milliseconds by design, so a verified token is remembered (by its SHA-256) until
the file is reloaded; a wrong one is remembered too, so a client retrying a bad token cannot make
each request pay for Argon2 again.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import hmac
import re
import secrets
import threading
import tomllib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from ..errors import IdnkitError


class Role(enum.StrEnum):
    """``read``: checks only; ``registrar``: registry operations on its own names; ``admin``: everything."""

    READ = "read"
    REGISTRAR = "registrar"
    ADMIN = "admin"


class TokenFileError(IdnkitError):
    """A tokens file that cannot be used; names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Client:
    """The authenticated caller of one request."""

    id: str  # the token's id, or "anonymous"
    role: Role
    registrar: str | None = None  # the registrar a ``registrar`` token acts for

    def may(self, role: Role) -> bool:
        """Whether this client holds ``role`` (admin holds every role; registrar holds read)."""
        order = (Role.READ, Role.REGISTRAR, Role.ADMIN)
        return order.index(self.role) >= order.index(role)


ANONYMOUS = Client("anonymous", Role.READ)

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True, slots=True)
class _Entry:
    client: Client
    hash: str
    expires: datetime.datetime | None


class AuthError(Exception):
    """A request whose token is missing, unknown, wrong or expired (401); the message says which."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def hash_secret(secret: str, *, scheme: str = "argon2") -> str:
    """The at-rest form of a secret: ``$argon2id$…`` or ``sha256:<hex>``."""
    if scheme == "sha256":
        return "sha256:" + _digest(secret)
    from argon2 import PasswordHasher

    return PasswordHasher().hash(secret)


def new_token(token_id: str, role: Role, registrar: str | None = None, *, scheme: str = "argon2") -> tuple[str, str]:
    """A fresh token and the TOML entry to append to the tokens file (the token itself is shown once)."""
    if not _ID.fullmatch(token_id):
        raise TokenFileError(f"token id {token_id!r}: use 1-64 letters, digits, '-' or '_'")
    if role is Role.REGISTRAR and not registrar:
        raise TokenFileError("a registrar token needs the registrar id it acts for")
    secret = secrets.token_urlsafe(32)
    lines = ["[[token]]", f'id = "{token_id}"', f'role = "{role.value}"']
    if registrar:
        lines.append(f"registrar = {_toml_string(registrar)}")
    lines.append(f'hash = "{hash_secret(secret, scheme=scheme)}"')
    return f"{token_id}.{secret}", "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _parse(path: Path) -> dict[str, _Entry]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise TokenFileError(f"{path}: cannot read the tokens file: {e.strerror}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise TokenFileError(f"{path}: not a valid tokens file: {e}") from None
    entries: dict[str, _Entry] = {}
    for number, raw in enumerate(data.get("token", []), 1):
        where = f"{path}: token {number}"
        if not isinstance(raw, dict):
            raise TokenFileError(f"{where}: expected a [[token]] table")
        token_id, role, hashed = raw.get("id"), raw.get("role"), raw.get("hash")
        if not isinstance(token_id, str) or not _ID.fullmatch(token_id):
            raise TokenFileError(f"{where}: 'id' must be 1-64 letters, digits, '-' or '_'")
        if role not in {r.value for r in Role}:
            raise TokenFileError(f"{where} ({token_id}): 'role' must be read, registrar or admin")
        if not isinstance(hashed, str) or not (hashed.startswith("$argon2") or hashed.startswith("sha256:")):
            raise TokenFileError(f"{where} ({token_id}): 'hash' must be an Argon2 hash or sha256:<hex>")
        registrar = raw.get("registrar")
        if Role(role) is Role.REGISTRAR and not (isinstance(registrar, str) and registrar):
            raise TokenFileError(f"{where} ({token_id}): a registrar token needs 'registrar'")
        expires = raw.get("expires")
        if expires is not None and not isinstance(expires, datetime.datetime):
            raise TokenFileError(f"{where} ({token_id}): 'expires' must be a TOML date-time")
        if isinstance(expires, datetime.datetime) and expires.tzinfo is None:
            expires = expires.replace(tzinfo=datetime.UTC)
        if token_id in entries:
            raise TokenFileError(f"{where}: id {token_id!r} appears twice")
        entries[token_id] = _Entry(Client(token_id, Role(role), registrar), hashed, expires)
    return entries


class TokenStore:
    """The tokens of one file; :meth:`reload` re-reads it (on SIGHUP) and forgets every verification."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self._verified: OrderedDict[str, bool] = OrderedDict()
        self.reload()

    def reload(self) -> None:
        """Re-read the file; a file that became invalid keeps the previous tokens and raises."""
        entries = _parse(self.path) if self.path is not None else {}
        with self._lock:
            self._entries = entries
            self._verified.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def authenticate(self, token: str, *, now: datetime.datetime | None = None) -> Client:
        """The client a presented token stands for, or :class:`AuthError` saying why not."""
        token_id, dot, secret = token.partition(".")
        entry = self._entries.get(token_id) if dot else None
        if entry is None:
            raise AuthError("unknown token")
        if entry.expires is not None and (now or datetime.datetime.now(datetime.UTC)) >= entry.expires:
            raise AuthError(f"token {token_id} expired at {entry.expires.isoformat()}")
        key = _digest(token)
        with self._lock:
            known = self._verified.get(key)
        if known is None:
            known = _matches(entry.hash, secret)
            with self._lock:
                self._verified[key] = known
                while len(self._verified) > 4096:  # bounded: a flood of wrong tokens cannot grow it
                    self._verified.popitem(last=False)
        if not known:
            raise AuthError(f"wrong secret for token {token_id}")
        return entry.client


def _matches(hashed: str, secret: str) -> bool:
    if hashed.startswith("sha256:"):
        return hmac.compare_digest(hashed[7:], _digest(secret))
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return PasswordHasher().verify(hashed, secret)
    except (VerificationError, InvalidHashError):
        return False
