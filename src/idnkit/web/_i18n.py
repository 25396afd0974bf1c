"""The console's languages: gettext catalogues (Babel's PO format) read from the package at start-up.

``locale/<lang>/LC_MESSAGES/messages.po`` ships in the wheel; it is compiled in memory (Babel's
``read_po``/``write_mo``), so the repository holds no binary ``.mo`` and there is no build step.
``tools/gen_console_messages.py --check`` proves every string of the templates and of
:mod:`idnkit.web._view` has an entry in every catalogue.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from importlib import resources

# (code, the language's own name, writing direction); English is the source language.
LANGUAGES: tuple[tuple[str, str, str], ...] = (("en", "English", "ltr"), ("ar", "العربية", "rtl"))
DEFAULT = "en"


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str
    dir: str
    translations: gettext.NullTranslations


def _load(code: str) -> gettext.NullTranslations:
    if code == DEFAULT:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = resources.files("idnkit.web").joinpath("locale", code, "LC_MESSAGES", "messages.po")
    with po.open("rb") as f:
        catalog = read_po(f, locale=code)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def languages() -> dict[str, Language]:
    """Every shipped language, catalogues loaded."""
    return {code: Language(code, name, direction, _load(code)) for code, name, direction in LANGUAGES}
