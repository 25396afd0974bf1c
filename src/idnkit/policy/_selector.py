"""Which policy judges a name: the one a caller names, else the official policy of the name's TLD.

The CLI's ``check --policy``, the audit and the service all choose policies this way.  Example
policies are never chosen by TLD: they apply only when named (docs/policy-format.md, "status").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._shipped import find, load

if TYPE_CHECKING:
    from pathlib import Path

    from ..idna import DomainResult
    from ._policy import Policy, PolicyResult

NO_POLICY = "none"
"""The name that turns policies off (``--policy none``)."""


@dataclass
class PolicySelector:
    """Chooses and caches the policy for each name; ``named`` is a shipped policy or a file, or ``"none"``.

    Loading is done once per selector (per TLD for the official policies); errors are
    :class:`~idnkit.IdnkitError` subclasses naming the policy (a :class:`~idnkit.policy.PolicyError`
    lists every problem of a file).
    """

    named: str | Path | None = None
    language: str | None = None
    _policy: Policy | None = field(default=None, init=False, repr=False)
    _by_tld: dict[str, Policy | None] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.named is not None and self.named != NO_POLICY:
            self._policy = load(self.named)

    def policy_for(self, name: str) -> Policy | None:
        """The policy that applies to ``name``: the named one, else the TLD's official one (a label alone: none)."""
        if self.named == NO_POLICY:
            return None
        if self._policy is not None:
            return self._policy
        bare = name.rstrip(".")
        if "." not in bare:
            return None
        tld = bare.rsplit(".", 1)[-1].lower()
        if tld not in self._by_tld:
            self._by_tld[tld] = find(name)
        return self._by_tld[tld]

    def judge(self, name: str, result: DomainResult | None = None) -> PolicyResult | None:
        """The policy verdict on a name (or a label, under a named policy); None when no policy applies.

        ``result``: the name's :func:`~idnkit.check_domain` verdict, reused rather than checked again.
        """
        policy = self.policy_for(name)
        if policy is None:
            return None
        if "." in name.rstrip("."):
            return policy.check_name(name, language=self.language, result=result)
        return policy.check(name, language=self.language)
