"""The console's gettext catalogues are current and complete (tools/gen_console_messages.py --check)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("babel", reason="the console extra is not installed: pip install '.[console]'")

ROOT = Path(__file__).resolve().parents[2]


def test_every_ui_string_is_in_every_catalogue_and_translated() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_console_messages.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr


def test_arabic_catalogue_translates_plurals_into_six_forms() -> None:
    from idnkit.web._i18n import languages

    ar = languages()["ar"].translations
    assert ar.ngettext("%(num)d variant", "%(num)d variants", 2) % {"num": 2} == "متغيران"
    assert ar.ngettext("%(num)d variant", "%(num)d variants", 5) % {"num": 5} == "5 متغيرات"
    assert ar.gettext("Check") == "تحقق"
