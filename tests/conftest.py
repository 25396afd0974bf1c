from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNICODE_DATA = ROOT / "tools" / "data" / "unicode"


def data_file(*parts: str) -> Path:
    """A conformance file inside the repository; missing data is a failure, never a skip."""
    path = UNICODE_DATA.joinpath(*parts)
    if not path.is_file():
        pytest.fail(f"conformance data file missing: {path}")
    return path
