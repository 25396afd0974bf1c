"""What a worker loads once and shares between requests: policies, LGR tables and the registry.

Only shipped policies and tables can be named in a request (plus the one the service was started
with): a request must never make the service read a file of its choosing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from .. import lgr as lgrmod
from .. import policy as policymod
from ..errors import IdnkitError
from ..policy import NO_POLICY, Policy, PolicySelector, Registry, RegistryStore
from ..policy._shipped import _tld_key
from ._config import ServiceConfig
from ._errors import ApiError, not_found
from ._stores import open_store


@dataclass
class Resources:
    """One worker's loaded tables, policies and registry store (thread-safe: requests run in threads)."""

    config: ServiceConfig
    store: RegistryStore | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _selectors: dict[tuple[str | None, str | None], PolicySelector] = field(default_factory=dict, repr=False)
    _tables: dict[str, lgrmod.Lgr] = field(default_factory=dict, repr=False)
    _registries: dict[str, Registry] = field(default_factory=dict, repr=False)
    _policy: Policy | None = field(default=None, repr=False)

    @classmethod
    def load(cls, config: ServiceConfig) -> Resources:
        """Load the configured policy, preload tables and open the store; errors name what failed."""
        res = cls(config)
        if config.policy is not None and config.policy != NO_POLICY:
            res._policy = policymod.load(config.policy)
        for name in config.preload_lgr:
            res.table(name)
        default = res.selector(None, None)  # the policies chosen by TLD load now, not on a request
        for entry in policymod.shipped():
            if entry.status == "official":
                found = default.policy_for(f"x.{entry.tld}")
                if found is not None:
                    found.check("xn--0")  # compiles the policy's tables
        if config.db is not None:
            res.store = open_store(config.db, config.limits.request_seconds)
        return res

    # --- policies ------------------------------------------------------------------------------
    _shipped: frozenset[str] = field(default_factory=lambda: frozenset(policymod.catalogue()), repr=False)

    def is_shipped_policy(self, name: str) -> bool:
        """``name`` is a TLD (U-label or A-label) with a shipped policy."""
        try:
            return "/" not in name and not name.endswith(".toml") and _tld_key(name) in self._shipped
        except IdnkitError:
            return False

    def selector(self, named: str | None, language: str | None) -> PolicySelector:
        """The selector for a request's ``policy``: a shipped one or ``none``; default the service's own."""
        if named is None:
            named = self.config.policy
        elif named not in {NO_POLICY, self.config.policy} and not self.is_shipped_policy(named):
            raise not_found("policy", named)
        key = (named, language)
        with self._lock:
            found = self._selectors.get(key)
        if found is None:
            try:
                found = PolicySelector(named, language)
            except IdnkitError as e:
                raise ApiError(500, "policy_unavailable", str(e)) from None
            with self._lock:
                if len(self._selectors) < 256:  # bounded: (policy, language) pairs a clerk could ask for
                    self._selectors[key] = found
        return found

    def registry_policy(self, name: str) -> Policy:
        """The policy the registry applies to ``name``: the service's own, else the TLD's official one."""
        if self._policy is not None:
            return self._policy
        try:
            found = policymod.find(name)
        except IdnkitError as e:
            raise ApiError(500, "policy_unavailable", str(e)) from None
        if found is None:
            raise ApiError(
                422, "no_policy", f"no official policy applies to {name!r}, and the service has none", name=name
            )
        return found

    def registry(self, name: str) -> Registry:
        if self.store is None:
            raise ApiError(404, "no_registry", "this service was started without a registry database (--db)")
        policy = self.registry_policy(name)
        key = policy.name
        with self._lock:
            reg = self._registries.get(key)
            if reg is None:
                reg = self._registries[key] = Registry(policy, self.store)
        return reg

    # --- LGR tables ----------------------------------------------------------------------------
    def table(self, name: str) -> lgrmod.Lgr:
        with self._lock:
            found = self._tables.get(name)
        if found is not None:
            return found
        if name not in {e.name for e in lgrmod.catalogue()}:
            raise not_found("lgr", name)
        table = lgrmod.load(name)
        with self._lock:
            self._tables.setdefault(name, table)
        return table

    def close(self) -> None:
        close = getattr(self.store, "close", None)
        if close is not None:
            close()
