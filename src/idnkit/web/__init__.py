"""The web console for registry clerks (docs/console.md): check, explain, variants, look-alikes,
policy, review queue and audits, server-rendered with Jinja2 and mounted by the service's app at ``/``.

The console sits above the service (``web`` → ``service``): :func:`create_console_app` builds the
service's own app with the console's routes mounted after the API's, so ``/v1/…`` answers as before.

>>> from idnkit.web import ConsoleConfig, create_console_app
>>> app = create_console_app(console_config=ConsoleConfig(secret="x" * 32))
>>> "/v1/check" in {getattr(r, "path", "") for r in app.routes}
True
"""

from __future__ import annotations

from ._app import check_view, create_console_app
from ._config import ConsoleConfig
from ._users import ConsoleRole, User, UsersFileError, UserStore, add_user, hash_password

__all__ = [
    "ConsoleConfig",
    "ConsoleRole",
    "User",
    "UserStore",
    "UsersFileError",
    "add_user",
    "check_view",
    "create_console_app",
    "hash_password",
]
