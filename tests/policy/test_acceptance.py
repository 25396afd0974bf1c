"""Issue 5 §5 acceptance, on the real engines (idnkit.lgr tables, idnkit.confusables skeletons).

The registry refuses a Cyrillic look-alike of a registered Latin name and a blocked Chinese
variant, and bundles an allocatable variant to the same registrant.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from idnkit.policy import Policy, Registry, SQLiteStore, VariantAction, load

from .conftest import OpenStore

DATA = Path(__file__).resolve().parent.parent / "data" / "policy"


@pytest.fixture
def latin_cyrillic(open_store: OpenStore) -> Registry:
    return Registry(load(DATA / "latin-cyrillic.toml"), open_store())


@pytest.fixture
def chinese(open_store: OpenStore) -> Registry:
    return Registry(load("cn"), open_store())


def test_cyrillic_lookalike_of_a_registered_latin_name_is_refused(latin_cyrillic: Registry) -> None:
    assert latin_cyrillic.add("paypal", "alice").ok
    lookalike = "раураl".replace("l", "ӏ")  # Cyrillic р а у р а ӏ (U+04CF PALOCHKA)
    check = latin_cyrillic.add(lookalike, "mallory")
    assert not check.ok
    assert {(c.other, c.kind) for c in check.conflicts} >= {("paypal", "skeleton")}
    assert {f.rule for f in check.errors} == {"policy.registry.conflict"}
    assert latin_cyrillic.get(lookalike) is None
    assert latin_cyrillic.add("пример", "mallory").ok  # an ordinary Cyrillic name is fine


def test_mixed_script_spoof_is_refused_by_the_policy_itself(latin_cyrillic: Registry) -> None:
    check = latin_cyrillic.add("pаypal", "mallory")  # Latin with one Cyrillic а
    rules = {f.rule for f in check.errors}
    assert {"policy.script.mixed", "policy.restriction_level"} <= rules


def test_blocked_chinese_variant_is_refused(chinese: Registry) -> None:
    first = chinese.add("中国", "alice")
    assert first.ok
    blocked = {r.label for r in first.bundle if r.action is VariantAction.BLOCKED}
    assert "中囯" in blocked
    for who in ("alice", "bob"):
        check = chinese.can_register("中囯", who)
        assert "policy.registry.variant_blocked" in {f.rule for f in check.errors}, who


def test_allocatable_variant_is_bundled_to_the_same_registrant(chinese: Registry) -> None:
    check = chinese.add("中国", "alice")
    bundled = [r.label for r in check.bundle if r.action is VariantAction.BUNDLED]
    assert bundled == ["中國"]
    names, _ = chinese.bundle_of("中国")
    assert [(n.name, n.registrant, n.root) for n in names] == [("中国", "alice", "中国"), ("中國", "alice", "中国")]
    other = chinese.can_register("中國", "bob")
    assert not other.ok and other.conflicts[0].registrant == "alice"


def test_traditional_first_bundles_the_simplified_form(chinese: Registry) -> None:
    assert chinese.add("臺灣", "carol").ok
    names, _ = chinese.bundle_of("臺灣")
    assert "台湾" in {n.name for n in names}
    assert not chinese.can_register("台灣", "dave").ok  # a mixed form: blocked variant


_RACERS = ["coop", "соор", "cööp", "coöp"]  # Latin, Cyrillic, and two accented Latin: one skeleton family


def _race(db: str, label: str, registrant: str, barrier: object, results: object) -> None:
    reg = Registry(load(DATA / "latin-cyrillic.toml"), SQLiteStore(db))
    barrier.wait()  # type: ignore[attr-defined]
    results.put((label, reg.add(label, registrant).ok))  # type: ignore[attr-defined]


def test_racing_lookalikes_across_processes_one_wins(tmp_path: Path) -> None:
    db = str(tmp_path / "race.sqlite")
    Registry(load(DATA / "latin-cyrillic.toml"), SQLiteStore(db))
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(len(_RACERS)), ctx.Queue()
    procs = [ctx.Process(target=_race, args=(db, s, f"r{i}", barrier, results)) for i, s in enumerate(_RACERS)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    assert sum(ok for _, ok in outcomes) == 1, outcomes
    assert len(Registry(load(DATA / "latin-cyrillic.toml"), SQLiteStore(db)).names()) == 1


def test_policy_keys_drive_a_collision_index() -> None:
    from idnkit.collisions import CollisionIndex

    policy = load("cn")
    index = CollisionIndex(sources=policy.key_sources())
    for label in ("中国", "台湾", "北京"):
        index.add(label)
    found = {(c.name, c.source) for c in index.query("中國")}
    assert ("中国", "lgr-index:ref/zh") in found
    assert not index.query("上海")


def test_registry_judges_names_under_their_tld_form_and_language(tmp_path: Path) -> None:
    cn = Registry(load("cn"), SQLiteStore(tmp_path / "forms.sqlite"))
    assert cn.can_register("abc.cn", "alice").ok
    under_idn = cn.can_register("abc.中国", "alice")
    assert {f.rule for f in under_idn.errors} == {"policy.script.tld_form"}
    se = Registry(load("se"), SQLiteStore(tmp_path / "se.sqlite"))
    assert se.add("räksmörgås.se", "alice", language="und-Latn").ok
    assert se.get("räksmörgås") is not None


def test_context_rule_referencing_a_real_lgr_rule(tmp_path: Path) -> None:
    text = (
        (DATA / "latin-cyrillic.toml").read_text(encoding="utf-8").replace('status = "example"', 'status = "example"')
    )
    text += '\n[[table]]\nname = "ref/ja"\ntag = "ja"\n'
    text += '[[context]]\nid = "kana-dot"\nchar = "U+30FB"\nlgr_rule = "ref/ja:nope"\nmessage = "m"\n'
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    from idnkit.policy import lint

    (issue,) = lint(tmp_path / "p.toml")
    assert issue.field == "context[1].lgr_rule" and "follows-japanese" in issue.message  # lists the real rules


def test_context_rule_holds_by_a_real_lgr_rule(tmp_path: Path) -> None:
    text = (DATA / "latin-cyrillic.toml").read_text(encoding="utf-8").replace("single_script = true", "")
    text = text.replace('allowed = ["Latn", "Cyrl"]', "").replace('restriction_level = "single-script"', "")
    text += '\n[[table]]\nname = "ref/ja"\ntag = "ja"\n'
    text += '[[context]]\nid = "jp-hyphen"\nchar = "-"\nlgr_rule = "ref/ja:follows-japanese"\nmessage = "m"\n'
    policy = load_text(tmp_path, text)
    assert "policy.context" not in {f.rule for f in policy.check("日本-東京").errors}
    refused = [f for f in policy.check("ab-cd").errors if f.rule == "policy.context"]
    assert [(f.ref, f.position) for f in refused] == [("jp-hyphen", 3)]


def load_text(tmp_path: Path, text: str) -> Policy:
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    return load(tmp_path / "p.toml")
