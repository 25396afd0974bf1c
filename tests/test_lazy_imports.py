"""``import idnkit`` and ``idncheck NAME`` load only what checking a name needs (issue 16, issue 13 item 3)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("idnkit.lgr", "idnkit.policy", "idnkit.audit", "idnkit.zone", "idnkit.service", "idnkit.web", "click", "rich")


def _loaded(code: str) -> list[str]:
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    modules: list[str] = json.loads(done.stdout.splitlines()[-1])
    return modules


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


def test_import_idnkit_loads_no_heavy_subpackage_and_no_table() -> None:
    modules = _loaded("import idnkit\nassert idnkit.check_domain('bücher.example').ok")
    assert _heavy(modules) == []
    assert "idnkit.confusables" not in modules
    assert [m for m in modules if m.startswith("idnkit.unicode._data.")] == []


def test_lazy_subpackages_still_load_as_attributes() -> None:
    modules = _loaded("import idnkit\nassert idnkit.policy.load('se').status.value == 'official'")
    assert "idnkit.policy._policy" in modules


def test_idncheck_name_loads_no_lgr_audit_confusables_or_policy_model() -> None:
    code = (
        "import sys\nfrom idnkit.cli import main\nsys.argv = ['idncheck', 'bücher.example']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
    )
    modules = _loaded(code)
    loaded = set(modules)
    for name in ("idnkit.lgr", "idnkit.audit", "idnkit.service", "idnkit.web", "idnkit.confusables", "rich"):
        assert name not in loaded, name
    assert "idnkit.policy._policy" not in loaded  # .example has no shipped policy: only the catalogue is read
    assert "idnkit.unicode._data.confusables" not in loaded
