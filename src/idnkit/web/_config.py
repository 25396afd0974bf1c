"""What the console is started with (``idncheck serve --console``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ConsoleConfig:
    """``users``: the users file; ``secret``: the key that signs session cookies (every worker the same);
    ``https``: cookies get ``Secure`` (set it when a TLS proxy fronts the console); ``audit_dir``: the
    folder whose files the Audits page may audit; ``audit_state``: where finished audits are kept (by
    default ``.idnkit-audits`` in ``audit_dir``); ``protected``: a file of protected names, one per line,
    that look-alikes are checked against; ``tld``: the TLD the console works under by default."""

    users: str | None = None
    secret: str = ""
    https: bool = False
    audit_dir: str | None = None
    audit_state: str | None = None
    protected: str | None = None
    tld: str = "中国"
    session_hours: int = 8
    login_attempts: int = 5  # failed logins per user name or client address ...
    login_window: int = 300  # ... within this many seconds, then 429 until the window passes
