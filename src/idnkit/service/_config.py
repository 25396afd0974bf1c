"""What a service process is started with: the database, the policy, the tokens file and the limits."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-request bounds; each one exceeded is answered with its own status and names the limit."""

    max_body_bytes: int = 2 * 1024 * 1024  # 413: 10,000 names of 200 bytes fit
    max_batch_names: int = 10_000  # 413 (the body is too large in names, not bytes)
    max_against_names: int = 10_000  # 413: the look-alike list sent with one check
    request_seconds: float = 10.0  # 504: the work is abandoned and the client told so
    max_variants: int = 1_000  # /v1/lgr/{table}/variants?limit= is capped here


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """One service process's configuration (``idncheck serve`` options).

    ``db`` is a registry database URL (``postgresql://…``, ``sqlite:///path`` or a file path,
    ``memory:``) or None for a service without registry routes.  ``policy`` is the registry's policy
    (a shipped TLD or a file); without it each name is judged by its TLD's official policy.
    """

    db: str | None = None
    policy: str | None = None
    tokens: str | None = None  # a tokens file (docs/service.md); None: every route is refused but health
    anonymous_reads: bool = False  # read-only checks without a token
    cors_origins: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    preload_lgr: tuple[str, ...] = ()  # LGR tables compiled at start-up rather than on first use

    def to_json(self) -> str:
        """The configuration as JSON, handed to uvicorn's worker processes through the environment."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ServiceConfig:
        raw: dict[str, Any] = json.loads(text)
        limits = Limits(**raw.pop("limits", {}))
        raw["cors_origins"] = tuple(raw.get("cors_origins", ()))
        raw["preload_lgr"] = tuple(raw.get("preload_lgr", ()))
        return cls(**raw, limits=limits)
