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


def test_idncheck_name_reads_no_policy_file_and_loads_no_profile_json_or_explain_code() -> None:
    # The policy catalogue is a generated index (tools/gen_policy_catalogue.py): no TOML is parsed
    # and no resource is opened for a TLD without a shipped policy (issue 16).
    code = (
        "import builtins, io, sys\nfrom idnkit.cli import main\nopened = []\n_open = io.open\n"
        "def spy(file, *a, **k):\n    opened.append(str(file))\n    return _open(file, *a, **k)\n"
        "builtins.open = io.open = spy\nsys.argv = ['idncheck', 'bücher.example']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "assert not [f for f in opened if f.endswith('.toml')], opened\n"
        "assert 'json' not in sys.modules  # a text report (_loaded imports json after this)\n"
    )
    loaded = set(_loaded(code))
    for name in (
        "tomllib",
        "importlib.resources",
        "idnkit.profiles",
        "idnkit.policy._loader",
        "idnkit.policy._errors",
        "idnkit.idna._explain",
        "idnkit.cli._policy",
        "idnkit.cli._lgr",
        "idnkit.cli._audit",
        "idnkit.cli._serve",
    ):
        assert name not in loaded, name
    assert "idnkit.policy._catalogue" in loaded


def test_idncheck_name_with_an_official_policy_still_loads_it() -> None:
    code = (
        "import sys\nfrom idnkit.cli import main\nsys.argv = ['idncheck', 'räksmörgås.se']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
    )
    assert "idnkit.policy._policy" in _loaded(code)


def test_check_command_profile_choices_are_the_library_s() -> None:
    # The check command spells these so that building it imports no profiles code; they must not drift.
    from idnkit import profiles
    from idnkit.cli import _check

    assert _check.PROFILE_NAMES == profiles.NAMES
    assert _check.DISPLAY_POLICIES == profiles.POLICIES
    assert _check.FIREFOX_PROFILES == profiles.FIREFOX_PROFILES


def test_explain_loads_on_first_use_from_both_import_paths() -> None:
    modules = _loaded("import idnkit\nfrom idnkit.idna import Explanation\nassert idnkit.explain('ß').derived_property")
    assert "idnkit.idna._explain" in modules
