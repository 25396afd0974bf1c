"""The registry as a state machine (hypothesis): random adds, activations, removals and transfers.

The same steps run on a MemoryStore and an SQLiteStore registry; after every step both hold the
same names with the same answers, the names a model says are registered (an add that succeeded,
with its bundled variants, until a removal returned them) are exactly those stored, and the
bundle invariants hold: a root is its own root, every member's root is registered and shares its
registrant, and no registered name or blocked variant can be taken by anyone else (issue 21 §11).
"""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from idnkit.policy import MemoryStore, Registry, RegistryError, SQLiteStore, VariantAction

from .test_registry import BODY, make_policy

# Look-alike pairs, fold pairs, exempt pairs and Han variant families of the test policy.
NAMES = ["coop", "соор", "bücher", "bucher", "pop", "рор", "рау", "pay", "中国", "中國", "台", "臺", "学", "學"]
REGISTRANTS = ["alice", "bob"]
POLICIES = {
    "bundled": make_policy(),
    "on-request": make_policy(BODY.replace('allocatable = "bundled"', 'allocatable = "on-request"')),
}


def _outcome(call: Any) -> tuple[object, ...]:
    """What an operation answered, in a form both stores must agree on."""
    try:
        result = call()
    except RegistryError as e:
        return ("refused", str(e))
    if isinstance(result, list):
        return ("removed", tuple(result))
    return (
        "check",
        result.ok,
        result.ulabel,
        tuple(f.rule for f in result.findings),
        tuple((c.other, c.kind, c.registrant) for c in result.conflicts),
        tuple((r.label, r.action) for r in result.bundle),
        result.activates,
    )


class RegistryMachine(RuleBasedStateMachine):
    variants = "bundled"  # the policy's [variants] allocatable handling

    def __init__(self) -> None:
        super().__init__()
        self.folder = TemporaryDirectory()
        policy = POLICIES[self.variants]
        sqlite = SQLiteStore(Path(self.folder.name) / "reg.sqlite")
        self.registries = [Registry(policy, MemoryStore()), Registry(policy, sqlite)]
        self.model: dict[str, str] = {}  # registered name -> registrant, as the answers say

    def _both(self, operation: str, *args: str) -> tuple[object, ...]:
        memory, sqlite = (_outcome(lambda r=r: getattr(r, operation)(*args)) for r in self.registries)
        assert memory == sqlite, (operation, args)
        return memory

    @rule(name=st.sampled_from(NAMES), registrant=st.sampled_from(REGISTRANTS))
    def add(self, name: str, registrant: str) -> None:
        outcome = self._both("add", name, registrant)
        if outcome[0] == "check" and outcome[1]:
            ulabel, bundle, activates = outcome[2], outcome[5], outcome[6]
            assert isinstance(ulabel, str) and ulabel not in self.model
            self.model[ulabel] = registrant
            if activates is None:  # a new bundle: its bundled variants come with it
                for label, action in bundle:  # type: ignore[attr-defined]
                    if action is VariantAction.BUNDLED:
                        self.model.setdefault(label, registrant)

    @rule(name=st.sampled_from(NAMES), registrant=st.sampled_from(REGISTRANTS))
    def bundle(self, name: str, registrant: str) -> None:
        outcome = self._both("bundle", name, registrant)
        if outcome[0] == "check" and outcome[1]:
            assert isinstance(outcome[2], str)
            self.model.setdefault(outcome[2], registrant)

    @rule(name=st.sampled_from(NAMES), registrant=st.sampled_from([*REGISTRANTS, None]))
    def remove(self, name: str, registrant: str | None) -> None:
        args = (name,) if registrant is None else (name, registrant)
        outcome = self._both("remove", *args)
        if outcome[0] == "removed":
            for gone in outcome[1]:
                assert isinstance(gone, str)
                del self.model[gone]

    @rule(name=st.sampled_from(NAMES), registrant=st.sampled_from(REGISTRANTS), to=st.sampled_from(REGISTRANTS))
    def transfer(self, name: str, registrant: str, to: str) -> None:
        outcome = self._both("transfer", name, registrant, to)
        if outcome[0] == "removed":  # transfer answers the bundle's names, as remove does
            for moved in outcome[1]:
                assert isinstance(moved, str)
                self.model[moved] = to

    @invariant()
    def stores_agree_with_the_model(self) -> None:
        memory, sqlite = ([(n.name, n.registrant, n.root) for n in r.names()] for r in self.registries)
        assert memory == sqlite
        assert {name: who for name, who, _ in memory} == self.model

    @invariant()
    def bundles_are_whole(self) -> None:
        registry = self.registries[1]
        records = {n.name: n for n in registry.names()}
        for record in records.values():
            root = records.get(record.root)
            assert root is not None and root.is_root, record
            assert root.registrant == record.registrant, record
            for other in REGISTRANTS:
                assert not registry.can_register(record.name, other).ok, (record.name, other)
            _, reservations = registry.bundle_of(record.name)
            for r in reservations:
                if r.action is VariantAction.BLOCKED:
                    assert all(not registry.can_register(r.label, who).ok for who in REGISTRANTS), r

    def teardown(self) -> None:
        for registry in self.registries:
            close = getattr(registry.store, "close", None)
            if close is not None:
                close()
        self.folder.cleanup()


class OnRequestMachine(RegistryMachine):
    variants = "on-request"  # variants reserved to the registrant until activated with bundle()


_SETTINGS = settings(max_examples=40, stateful_step_count=25, deadline=None)
RegistryMachine.TestCase.settings = _SETTINGS
OnRequestMachine.TestCase.settings = _SETTINGS
TestBundledRegistry = RegistryMachine.TestCase
TestOnRequestRegistry = OnRequestMachine.TestCase
