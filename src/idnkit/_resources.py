"""The one accessor for data shipped in the wheel: ``script_tables/`` and ``policies/``."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from .errors import IdnkitError

_FOLDERS = ("script_tables", "policies")


def resource(folder: str, *parts: str) -> Traversable:
    """A file or folder under one of the shipped data folders, e.g. ``resource("policies", "x.toml")``."""
    if folder not in _FOLDERS:
        raise IdnkitError(f"unknown data folder {folder!r}; expected one of {', '.join(_FOLDERS)}")
    # Resolved as subpackages, so an editable install finds the folders at the repository root.
    path = files(f"idnkit.{folder}").joinpath(*parts)
    if not path.is_file() and not path.is_dir():
        raise IdnkitError(
            f"idnkit data {folder}/{'/'.join(parts)} is missing: install idnkit from a wheel "
            "(pip install .), which carries script_tables/ and policies/"
        )
    return path
