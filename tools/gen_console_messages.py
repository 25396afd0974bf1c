#!/usr/bin/env python3
"""Extract the console's UI strings and keep every catalogue in step (issue 15).

Reads the strings of ``src/idnkit/web/templates/*.html`` (Jinja2's Babel extractor) and of the
console's Python modules (``_("...")`` calls), then updates each
``src/idnkit/web/locale/<lang>/LC_MESSAGES/messages.po``: new strings are added untranslated,
strings no longer used are dropped, translations are kept.  ``--check`` changes nothing and fails
when a catalogue lacks a string, holds one no longer used, or leaves one untranslated.

    python tools/gen_console_messages.py [--check]
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "src" / "idnkit" / "web"
LOCALES = ("ar",)
STAMP = datetime.datetime(2026, 12, 3, tzinfo=datetime.UTC)  # fixed, so that --check compares content only
METHODS = [("templates/**.html", "jinja2.ext:babel_extract"), ("*.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def template() -> Catalog:
    catalog = Catalog(project="idnkit console", charset="utf-8", creation_date=STAMP, revision_date=STAMP)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(WEB), METHODS, options_map=OPTIONS, keywords={"_": None, "gettext": None, "ngettext": (1, 2)}
    ):
        catalog.add(message, locations=[(filename, lineno)])
    return catalog


def _translated(string: str | tuple[str, ...]) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def render(catalog: Catalog) -> str:
    buf = io.BytesIO()
    write_po(buf, catalog, omit_header=False, no_location=True, width=100, sort_output=True)
    return buf.getvalue().decode("utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail instead of writing when a catalogue is not current")
    args = ap.parse_args()
    pot = template()
    problems = []
    for code in LOCALES:
        path = WEB / "locale" / code / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as f:
            catalog = read_po(f, locale=code)
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.project, catalog.version = "idnkit console", "1"
        catalog.creation_date = catalog.revision_date = STAMP
        catalog.last_translator = catalog.language_team = "idnkit"
        catalog.msgid_bugs_address = ""
        text = render(catalog)
        untranslated = [
            m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)
        ]
        if args.check:
            if path.read_text(encoding="utf-8") != text:
                problems.append(f"{path.relative_to(ROOT)}: not current; run python tools/gen_console_messages.py")
            problems += [f"{path.relative_to(ROOT)}: untranslated: {m!r}" for m in untranslated]
        else:
            path.write_text(text, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: {len(catalog) - 1} strings, {len(untranslated)} untranslated")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
