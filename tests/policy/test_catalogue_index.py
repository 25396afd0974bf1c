"""The generated index of shipped policies (``idnkit.policy._catalogue``) is current and is what finds them."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from idnkit import to_alabel
from idnkit.policy import catalogue, find, load

ROOT = Path(__file__).resolve().parent.parent.parent


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_policy_catalogue", ROOT / "tools" / "gen_policy_catalogue.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_policy_catalogue"] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def test_committed_index_is_current() -> None:
    lines: list[str] = []
    assert gen.main(["--check"], write=lines.append) == 0, "".join(lines)


def test_check_detects_a_new_alias(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", folder)
    se = folder / "se.toml"
    se.write_text(se.read_text(encoding="utf-8").replace('tld = "se"', 'tld = "se"\naliases = ["sv"]', 1), "utf-8")
    lines: list[str] = []
    out = ROOT / "src" / "idnkit" / "policy" / "_catalogue.py"
    assert gen.main(["--check", "--policies", str(folder), "--out", str(out)], write=lines.append) == 1
    assert "stale" in "".join(lines)
    assert gen.main(["--policies", str(folder), "--out", str(tmp_path / "index.py")], write=lines.append) == 0
    assert '"sv": "se",' in (tmp_path / "index.py").read_text(encoding="utf-8")


def test_index_agrees_with_every_policy_file() -> None:
    # Each TLD the index knows leads to the file whose [policy] head names it (as tld or alias), and
    # every TLD and alias of every file is in the index.
    index = catalogue()
    covered = set()
    for path in sorted((ROOT / "policies").glob("*.toml")):
        identity = load(path).data.identity
        keys = {to_alabel(t) for t in (identity.tld, *identity.aliases)}
        covered |= keys
        # An editable install finds the checkout's file, a wheel its own copy of it (package data): the
        # same file either way, by name and bytes.
        assert all(index[k].name == path.name and index[k].read_bytes() == path.read_bytes() for k in keys), path.name
    assert set(index) == covered


@pytest.mark.parametrize(
    ("name", "official"),
    [("räksmörgås.se", "se"), ("x.nu", "nu"), ("bücher.de", None), ("пример.рф", None), ("中国.cn", None),
     ("bücher.example", None), ("x.SE.", "se")],
)  # fmt: skip
def test_find_uses_the_index_and_applies_only_official_policies(name: str, official: str | None) -> None:
    policy = find(name)
    assert (policy.data.identity.tld if policy is not None else None) == official
