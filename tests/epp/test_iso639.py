"""The ISO 639-2 → 639-1 table is generated from tools/data/iso639 and current."""

from __future__ import annotations

import subprocess
import sys

from idnkit.epp._iso639 import ISO639_2_TO_1

from ..conftest import ROOT


def test_the_table_is_current() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_iso639.py"), "--check"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_bibliographic_and_terminology_codes_both_map() -> None:
    # ISO 639-2 has two codes where the bibliographic one differs (B: chi, ger, gre; T: zho, deu, ell).
    assert [ISO639_2_TO_1[c] for c in ("chi", "zho", "ger", "deu", "gre", "ell", "swe", "yid")] == [
        "zh", "zh", "de", "de", "el", "el", "sv", "yi",
    ]  # fmt: skip
    assert "haw" not in ISO639_2_TO_1  # Hawaiian has no two-letter code: "haw" is its BCP 47 subtag
    assert all(len(k) == 3 and len(v) == 2 for k, v in ISO639_2_TO_1.items())
