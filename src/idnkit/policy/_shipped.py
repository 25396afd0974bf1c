"""The policies shipped in ``policies/``: found by TLD, loaded by name or path, linted."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import IdnkitError
from ..idna._labels import check_label
from ._catalogue import BY_TLD, STATUS

if TYPE_CHECKING:
    from pathlib import Path

    from ._engines import Engines
    from ._errors import LintIssue
    from ._policy import Policy

# The loader and the policy model are imported where a policy is read, and the files are found
# through the generated index (``_catalogue``, tools/gen_policy_catalogue.py): finding that a
# name's TLD has no shipped policy (``idncheck bücher.example``) reads no file and loads neither
# tomllib nor importlib.resources (issue 16, start-up).


def _tld_key(tld: str) -> str:
    """A TLD as its A-label, the shipped policy file's stem (``рф`` → ``xn--p1ai``)."""
    tld = tld.strip().strip(".").lower()
    result = check_label(tld)
    return result.alabel or tld


def _folder() -> Path:
    from pathlib import Path

    from .._resources import resource

    return Path(str(resource("policies")))


def _shipped() -> dict[str, Path]:
    folder = _folder()
    return {entry.stem: entry for entry in folder.iterdir() if entry.name.endswith(".toml")}


@dataclass(frozen=True, slots=True)
class ShippedPolicy:
    """What ``policies/`` ships for one TLD, read from the file's ``[policy]`` table without loading it."""

    tld: str  # the TLD as written in the file (U-label or ASCII)
    alabel: str  # the file's stem
    aliases: tuple[str, ...]
    status: str  # "official" or "example"; "" when the file's head cannot be read (lint says why)
    version: str
    operator: str
    path: Path

    def to_dict(self) -> dict[str, Any]:
        return {
            "tld": self.tld,
            "alabel": self.alabel,
            "aliases": list(self.aliases),
            "status": self.status,
            "version": self.version,
            "operator": self.operator,
            "file": self.path.name,
        }


def shipped() -> list[ShippedPolicy]:
    """Every shipped policy, by A-label: official ones apply by TLD, example ones only when named."""
    import tomllib

    out = []
    for stem, path in sorted(_shipped().items()):
        try:
            head = tomllib.loads(path.read_text(encoding="utf-8")).get("policy", {})
        except tomllib.TOMLDecodeError:
            head = {}
        head = head if isinstance(head, dict) else {}
        aliases = tuple(a for a in head.get("aliases", []) if isinstance(a, str))
        out.append(
            ShippedPolicy(
                str(head.get("tld", stem)),
                stem,
                aliases,
                str(head.get("status", "")),
                str(head.get("version", "")),
                str(head.get("operator", "")),
                path,
            )
        )
    return out


def catalogue() -> dict[str, Path]:
    """Shipped policies by the A-label of every TLD they cover (their own TLD and its aliases)."""
    folder = _folder()
    return {key: folder / f"{stem}.toml" for key, stem in BY_TLD.items()}


def loads(
    text: str,
    file: str = "<policy>",
    base: Path | None = None,
    engines: Engines | None = None,
    tables: Collection[str] | None = None,
) -> Policy:
    """A policy from TOML text; :class:`PolicyError` lists every problem.

    ``tables`` overrides the catalogue of shipped table names the policy's tables are checked against.
    """
    from ._errors import PolicyError
    from ._loader import read
    from ._policy import Policy

    data, issues = read(text, file, base, engines, tables)
    if issues or data is None:
        raise PolicyError(issues)
    return Policy(data, engines)


def load(name_or_path: str | Path, engines: Engines | None = None, tables: Collection[str] | None = None) -> Policy:
    """A shipped policy by TLD (``"se"``, ``"рф"``, ``"xn--p1ai"``, ``"cn"``) or a policy file by path."""
    from pathlib import Path

    from ._errors import PolicyError

    path = Path(name_or_path)
    if not (isinstance(name_or_path, Path) or str(name_or_path).endswith(".toml") or path.is_file()):
        key = _tld_key(str(name_or_path))
        shipped = catalogue()
        if key not in shipped:
            raise IdnkitError(
                f"no shipped policy for {name_or_path!r}; shipped: {', '.join(sorted(shipped))} (or give a .toml file)"
            )
        path = shipped[key]
    from ._loader import read_file
    from ._policy import Policy

    data, issues = read_file(path, engines, tables)
    if issues or data is None:
        raise PolicyError(issues)
    return Policy(data, engines)


def find(name: str, engines: Engines | None = None) -> Policy | None:
    """The shipped ``official`` policy for the TLD of ``name``, if there is one.

    Example policies are never chosen by TLD: they apply only when named explicitly.
    """
    tld = name.rstrip(".").rsplit(".", 1)[-1]
    stem = BY_TLD.get(_tld_key(tld))
    if stem is None or STATUS[stem] != "official":  # an example policy would load only to be refused
        return None
    from ._schema import Status

    policy = load(_folder() / f"{stem}.toml", engines)
    return policy if policy.status is Status.OFFICIAL else None


def lint(path: str | Path, engines: Engines | None = None, tables: Collection[str] | None = None) -> list[LintIssue]:
    """Every problem of a policy file as ``file:line: field: message`` issues (empty: the file is clean)."""
    from ._loader import read_file

    return read_file(path, engines, tables)[1]
