"""Checks and key sources an audit can add by name: an LGR, a registry policy, LGR index labels.

Each is picklable by name (``__reduce__``), so worker processes and Dask workers load the table or
policy once themselves instead of receiving it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import lgr as lgrmod
from .. import policy as policymod
from ..findings import Finding
from ._model import Check


class LgrCheck(Check):
    """Runs an LGR (``idnkit.lgr``) on each IDN name's labels below the origin."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lgr = lgrmod.load(name)
        self.id = f"lgr:{name}"

    def findings(self, u_name: str) -> Iterator[Finding]:
        for index, label in enumerate(u_name.split("."), 1):
            if label.isascii():
                continue
            result = self.lgr.validate(label)
            if not result.valid:
                # one finding per label refused; its place is the first code point the LGR names (RFC 7940 §8.1)
                where = next((f for f in result.findings if f.position), None)
                yield Finding(
                    "audit.lgr",
                    f"{self.name}: {label!r} is {result.disposition}",
                    where.position if where else None,
                    where.codepoint if where else None,
                    index,
                    ref=self.name,
                )

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (LgrCheck, (self.name,))


class LgrIndexKeys:
    """``idnkit.lgr.IndexLabelKeys`` by table name: variants registered separately collide (RFC 7940 §8.5).

    Picklable by name for worker processes; each process loads (and caches) the table once.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.kind = f"lgr-index:{name}"
        self._keys = lgrmod.IndexLabelKeys(lgrmod.load(name))

    def keys(self, u_label: str) -> list[str]:
        return self._keys.keys(u_label)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (LgrIndexKeys, (self.name,))


class PolicyCheck(Check):
    """Runs a registry policy (``idnkit.policy``) on the label of each IDN name right below the origin.

    Under a TLD's zone that label is the registration the policy governs; ``tld_form`` follows the
    origin (an IDN TLD or an ASCII one), as the policy's script rules distinguish them.
    """

    def __init__(self, spec: str | None, origin: str) -> None:
        self.spec, self.origin = spec, origin
        found = policymod.load(spec) if spec else policymod.find(origin)
        if found is None:
            raise LookupError(f"no official policy ships for the origin {origin!r}")
        self.policy = found
        tld = origin.rstrip(".").rsplit(".", 1)[-1]
        self.tld_form = "idn" if tld.lower().startswith("xn--") or not tld.isascii() else "ascii"
        self.id = f"policy:{spec or origin}"

    def findings(self, u_name: str) -> Iterator[Finding]:
        labels = u_name.rstrip(".").split(".")
        label = labels[-1]
        result = self.policy.check(label, tld_form=self.tld_form)
        for f in result.findings:
            message = f"{result.policy}: {label!r}: {f.message}"
            yield Finding(
                f.rule, message, f.position, f.codepoint, len(labels), f.severity, f.engine, f.ref, cite=f.cite
            )

    def __reduce__(self) -> tuple[Any, tuple[str | None, str]]:
        return (PolicyCheck, (self.spec, self.origin))
