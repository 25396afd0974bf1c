"""Read a policy file with ``tomllib``, validate every part, and report every problem with its line.

Unknown keys, wrong types, unknown scripts, tables that are neither catalogued nor beside the
policy, and contradictions (a script both IDN-only and ASCII-only, min above max, ...) are all
collected; :func:`lint` returns them, :func:`load_data` raises :class:`PolicyError` with all of them.
"""

from __future__ import annotations

import datetime
import re
import reprlib
import stat
import tomllib
from collections.abc import Collection
from pathlib import Path
from typing import Any, TypeVar

from .._files import FileRefusedError, read_regular
from ..errors import EngineUnavailableError, IdnkitError
from ..idna._labels import check_label
from ..unicode import SCRIPT, UNICODE_VERSION
from ..unicode._data import scripts as _scripts_data
from ._engines import Engines, resolve
from ._errors import LintIssue, PolicyError
from ._lines import Path as KeyPath
from ._lines import key_lines, line_of
from ._schema import (
    LOOKALIKE_KINDS,
    RESTRICTION_LEVELS,
    ConfusableRules,
    ContextRule,
    DigitRules,
    HyphenRules,
    Identity,
    IdnaRule,
    LengthRules,
    NameList,
    PolicyData,
    ReviewRules,
    ScriptRules,
    Selection,
    Status,
    Table,
    Tables,
    Uts39Rule,
    VariantAction,
    VariantRules,
)

T = TypeVar("T")

_TOP = {
    "policy",
    "tables",
    "table",
    "idna",
    "uts39",
    "scripts",
    "digits",
    "hyphens",
    "length",
    "context",
    "reserved",
    "blocked",
    "variants",
    "confusables",
    "review",
}
_KEYS: dict[str, set[str]] = {
    "policy": {
        "tld",
        "tld_alabel",
        "aliases",
        "operator",
        "version",
        "effective",
        "unicode",
        "status",
        "note",
        "source",
    },
    "tables": {"select", "source"},
    "table": {"name", "file", "tag", "source"},
    "idna": {"profile", "disallow", "source"},
    "uts39": {"restriction_level", "source"},
    "scripts": {"allowed", "single_script", "combinations", "with_ldh", "idn_tld_only", "ascii_tld_only", "source"},
    "digits": {"mixing", "allowed", "source"},
    "hyphens": {"allowed", "consecutive", "source"},
    "length": {
        "min_codepoints",
        "max_codepoints",
        "min_graphemes",
        "max_graphemes",
        "min_octets",
        "max_octets",
        "source",
    },
    "context": {"id", "char", "before", "after", "lgr_rule", "message", "source"},
    "reserved": {"names", "file", "source"},
    "blocked": {"names", "file", "source"},
    "variants": {"max_bundle", "source"},  # every other key is an LGR disposition
    "confusables": {"skeleton", "mark_folded", "strip_marks", "fold", "exempt", "source"},
    "review": {"variants", "lookalikes", "refuse_lookalikes", "source"},
}
_CODEPOINT = re.compile(r"U\+([0-9A-F]{4,6})")
_DISPOSITION = re.compile(r"[a-z][a-z0-9-]*")
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
KNOWN_SCRIPTS: frozenset[str] = frozenset(SCRIPT.values) | frozenset(
    s for v in _scripts_data.SCRIPT_EXTENSIONS_VALUES if v for s in v
)
ASCII_DIGITS = "ascii"

#: The largest file a policy may name (a name list, an LGR table): the largest shipped LGR is 3.5 MB.
MAX_REFERENCED_BYTES = 64 << 20
#: A name list with more lines that are not labels than this (or with more bad lines than good ones)
#: is not a name list: it is reported without its lines, which may be anything (/etc/passwd).
MAX_ECHOED_LINES = 10


_REPR = reprlib.Repr()  # keyword arguments only from Python 3.12
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring, _REPR.maxother = 2, 4, 4, 80, 80


def _shown(value: object) -> str:
    """A TOML value as a message quotes it: short, however long or deeply nested the value is."""
    return _REPR.repr(value)


def _field(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _Reader:
    def __init__(self, file: str, text: str, base: Path | None, engines: Engines, catalogue: Collection[str] | None):
        self.file = file
        self.lines = key_lines(text)
        self.base = base
        self.engines = engines
        self._catalogue = catalogue
        self.issues: list[LintIssue] = []

    def issue(self, path: KeyPath, message: str) -> None:
        self.issues.append(LintIssue(self.file, line_of(self.lines, path), _field(path), message))

    def confined(self, file: str, where: KeyPath, what: str) -> Path | None:
        """The file a policy names, if it is a regular file inside the policy's folder (links resolved).

        Absolute paths, ``..``, links leading out, FIFOs, devices and files over the size limit are
        refused: a policy from elsewhere must not make idnkit read, or print, files it has no business
        with (``/etc/passwd``, ``/proc/self/environ``, ``/dev/zero``).
        """
        if self.base is None:
            self.issue(where, f"{what} {file!r}: a policy given as text has no folder to find its files in")
            return None
        if Path(file).is_absolute() or ".." in Path(file).parts:
            self.issue(where, f"{what} {file!r} must be a path inside the policy's folder (no absolute path, no '..')")
            return None
        folder = self.base.resolve()
        try:
            path = (folder / file).resolve()
        except (OSError, RuntimeError, ValueError) as e:
            self.issue(where, f"{what} {file!r} cannot be used: {e}")
            return None
        if not path.is_relative_to(folder):
            self.issue(where, f"{what} {file!r} leads outside the policy's folder (through a symbolic link)")
            return None
        try:
            st = path.stat()
        except FileNotFoundError:
            self.issue(where, f"{what} {file!r} not found beside the policy ({folder / file})")
            return None
        except OSError as e:
            self.issue(where, f"{what} {file!r} cannot be read: {e.strerror or e}")
            return None
        if not stat.S_ISREG(st.st_mode):
            self.issue(where, f"{what} {file!r} is not a regular file")
            return None
        if st.st_size > MAX_REFERENCED_BYTES:
            self.issue(where, f"{what} {file!r} is {st.st_size:,} bytes, over the {MAX_REFERENCED_BYTES:,} allowed")
            return None
        return path

    def catalogue(self, path: KeyPath) -> Collection[str] | None:
        if self._catalogue is None:
            try:
                self._catalogue = self.engines.catalogue()
            except EngineUnavailableError as e:
                self.issue(path, str(e))
                self._catalogue = frozenset()
                return None
        return self._catalogue

    # --- typed getters: report and fall back to the default on a wrong type ----------------
    def get(
        self, table: dict[str, Any], path: KeyPath, key: str, kind: type[T], default: T, required: bool = False
    ) -> T:
        if key not in table:
            if required:
                self.issue(path, f"missing required key {key!r}")
            return default
        value = table[key]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            self.issue((*path, key), f"expected {_type_name(kind)}, got {_type_name(type(value))} {_shown(value)}")
            return default
        return value  # type: ignore[no-any-return]

    def strings(self, table: dict[str, Any], path: KeyPath, key: str) -> list[tuple[KeyPath, str]]:
        items = self.get(table, path, key, list, [])
        out = []
        for i, item in enumerate(items):
            if isinstance(item, str):
                out.append(((*path, key, i), item))
            else:
                self.issue((*path, key, i), f"expected a string, got {_shown(item)}")
        return out

    def scripts(self, table: dict[str, Any], path: KeyPath, key: str) -> frozenset[str]:
        out = set()
        for where, code in self.strings(table, path, key):
            if code not in KNOWN_SCRIPTS:
                self.issue(where, f"unknown script {code!r}: use an ISO 15924 code such as Latn, Cyrl, Hani")
            else:
                out.add(code)
        return frozenset(out)

    def section(self, doc: dict[str, Any], name: str) -> dict[str, Any]:
        value = doc.get(name, {})
        if not isinstance(value, dict):
            self.issue((name,), f"expected a table [{name}], got {_type_name(type(value))}")
            return {}
        self.unknown(value, (name,), _KEYS[name])
        return value

    def unknown(self, table: dict[str, Any], path: KeyPath, known: set[str]) -> None:
        for key in table:
            if key not in known:
                self.issue((*path, key), f"unknown key {key!r}; expected one of {', '.join(sorted(known))}")

    # --- sections -------------------------------------------------------------------------
    def identity(self, doc: dict[str, Any]) -> Identity:
        p: KeyPath = ("policy",)
        if "policy" not in doc:
            self.issue(p, "missing required table [policy]")
        t = self.section(doc, "policy")
        tld = self.get(t, p, "tld", str, "", required=True)
        tld_u, tld_a = self.tld(tld, (*p, "tld"))
        given_a = self.get(t, p, "tld_alabel", str, "")
        if given_a and tld_a and given_a != tld_a:
            self.issue((*p, "tld_alabel"), f"{given_a!r} is not the A-label of {tld!r} (that is {tld_a!r})")
        aliases = []
        for where, alias in self.strings(t, p, "aliases"):
            u, a = self.tld(alias, where)
            if a:
                aliases.append(u)
        status_text = self.get(t, p, "status", str, "example", required=True)
        try:
            status = Status(status_text)
        except ValueError:
            self.issue((*p, "status"), f"status must be 'official' or 'example', not {status_text!r}")
            status = Status.EXAMPLE
        note = self.get(t, p, "note", str, "")
        if status is Status.EXAMPLE and not note.strip():
            self.issue(p, "an example policy must say in 'note' that it is not the registry's own policy")
        unicode = self.get(t, p, "unicode", str, UNICODE_VERSION, required=True)
        if "unicode" in t and unicode != UNICODE_VERSION:
            self.issue((*p, "unicode"), f"policy is written for Unicode {unicode}; idnkit uses {UNICODE_VERSION}")
        effective = t.get("effective")
        if effective is not None and not isinstance(effective, datetime.date):
            self.issue((*p, "effective"), f"expected a date (2024-01-31), got {_shown(effective)}")
            effective = None
        if isinstance(effective, datetime.datetime):
            effective = effective.date()
        return Identity(
            tld=tld_u,
            tld_alabel=tld_a,
            aliases=tuple(aliases),
            operator=self.get(t, p, "operator", str, "", required=True),
            version=self.get(t, p, "version", str, "", required=True),
            effective=effective,
            unicode=unicode,
            status=status,
            note=note,
            source=self.get(t, p, "source", str, "", required=True),
        )

    def tld(self, text: str, where: KeyPath) -> tuple[str, str]:
        if not text:
            return "", ""
        result = check_label(text.lower())
        if not result.ok or result.ulabel is None or result.alabel is None:
            first = result.errors[0].message if result.errors else "not a valid label"
            self.issue(where, f"{text!r} is not a valid TLD label: {first}")
            return text, ""
        return result.ulabel, result.alabel

    def tables(self, doc: dict[str, Any], default_source: str) -> Tables:
        t = self.section(doc, "tables")
        p: KeyPath = ("tables",)
        select_text = self.get(t, p, "select", str, "any")
        try:
            select = Selection(select_text)
        except ValueError:
            self.issue((*p, "select"), f"select must be 'any', 'one' or 'language', not {select_text!r}")
            select = Selection.ANY
        source = self.get(t, p, "source", str, default_source)
        entries = doc.get("table", [])
        if not isinstance(entries, list):
            self.issue(("table",), "expected [[table]] entries")
            entries = []
        tables: list[Table] = []
        tags: dict[str, int] = {}
        for i, entry in enumerate(entries):
            ep: KeyPath = ("table", i)
            if not isinstance(entry, dict):
                self.issue(ep, "expected a [[table]] entry")
                continue
            self.unknown(entry, ep, _KEYS["table"])
            name = self.get(entry, ep, "name", str, "")
            file = self.get(entry, ep, "file", str, "")
            tag = self.get(entry, ep, "tag", str, "", required=True)
            path = None
            if bool(name) == bool(file):
                self.issue(ep, "a table needs exactly one of 'name' (a shipped table) or 'file' (beside the policy)")
            elif name:
                known = self.catalogue((*ep, "name"))
                if known is not None and name not in known:
                    close = ", ".join(sorted(k for k in known if k.split("/")[0] == name.split("/")[0])[:8])
                    self.issue(
                        (*ep, "name"), f"no shipped table {name!r}" + (f" (tables here: {close})" if close else "")
                    )
            else:
                path = self.confined(file, (*ep, "file"), "table file")
                if path is not None:
                    self.load_table(file, path, (*ep, "file"))
            if tag:
                if tag in tags:
                    self.issue((*ep, "tag"), f"tag {tag!r} is already used by table[{tags[tag] + 1}]")
                tags[tag] = i
            tables.append(Table(name or file, path, tag, self.get(entry, ep, "source", str, source)))
        if not tables:
            self.issue(("table",), "a policy needs at least one [[table]]")
        if select is Selection.ONE and len(tables) < 1:
            self.issue((*p, "select"), "select = 'one' needs at least one table")
        return Tables(tuple(tables), select, source)

    def load_table(self, file: str, path: Path, where: KeyPath) -> None:
        """Load a table the policy names by file, so that lint finds what a later check would trip on."""
        try:
            read_regular(path, MAX_REFERENCED_BYTES, nofollow=True)  # refuses what was swapped in since confined()
            self.engines.table(file, path)
        except FileRefusedError as e:
            self.issue(where, f"table file {file!r} refused: {e}")
        except (IdnkitError, KeyError, OSError) as e:
            # An LgrParseError names the table's own file and line; other errors say what failed.
            self.issue(where, f"table file {file!r} is not a usable LGR: {e}")

    def idna(self, doc: dict[str, Any]) -> IdnaRule:
        t = self.section(doc, "idna")
        p: KeyPath = ("idna",)
        profile = self.get(t, p, "profile", str, "registration")
        if profile != "registration":
            self.issue((*p, "profile"), f"a registry applies the IDNA2008 registration profile, not {profile!r}")
        disallow = set()
        for where, text in self.strings(t, p, "disallow"):
            cp = self.codepoint(text, where)
            if cp is not None:
                disallow.add(cp)
        return IdnaRule(frozenset(disallow), self.get(t, p, "source", str, ""))

    def codepoint(self, text: str, where: KeyPath) -> int | None:
        m = _CODEPOINT.fullmatch(text)
        if m and int(m.group(1), 16) <= 0x10FFFF:
            return int(m.group(1), 16)
        if len(text) == 1:
            return ord(text)
        self.issue(where, f"expected a code point as U+XXXX or one character, got {text!r}")
        return None

    def uts39(self, doc: dict[str, Any]) -> Uts39Rule:
        t = self.section(doc, "uts39")
        p: KeyPath = ("uts39",)
        level = self.get(t, p, "restriction_level", str, "") or None
        if level is not None and level not in RESTRICTION_LEVELS:
            self.issue((*p, "restriction_level"), f"unknown level {level!r}; one of {', '.join(RESTRICTION_LEVELS)}")
            level = None
        return Uts39Rule(level, self.get(t, p, "source", str, ""))

    def script_rules(self, doc: dict[str, Any]) -> ScriptRules:
        t = self.section(doc, "scripts")
        p: KeyPath = ("scripts",)
        allowed = self.scripts(t, p, "allowed")
        combos: list[frozenset[str]] = []
        for i, combo in enumerate(self.get(t, p, "combinations", list, [])):
            where: KeyPath = (*p, "combinations", i)
            if not isinstance(combo, list) or len(combo) < 2 or not all(isinstance(s, str) for s in combo):
                self.issue(where, f"a combination is a list of two or more script codes, got {_shown(combo)}")
                continue
            codes = frozenset(combo)
            for code in sorted(codes - KNOWN_SCRIPTS):
                self.issue(where, f"unknown script {code!r}")
            if allowed and codes & KNOWN_SCRIPTS - allowed:
                self.issue(where, f"combination uses {', '.join(sorted(codes - allowed))}, not in scripts.allowed")
            combos.append(codes)
        with_ldh = self.scripts(t, p, "with_ldh")
        idn_only = self.scripts(t, p, "idn_tld_only")
        ascii_only = self.scripts(t, p, "ascii_tld_only")
        for key, codes in (("with_ldh", with_ldh), ("idn_tld_only", idn_only), ("ascii_tld_only", ascii_only)):
            if allowed and codes - allowed:
                self.issue((*p, key), f"{', '.join(sorted(codes - allowed))} not in scripts.allowed")
        both = idn_only & ascii_only
        if both:
            self.issue(
                (*p, "ascii_tld_only"), f"{', '.join(sorted(both))} cannot be both IDN-TLD-only and ASCII-TLD-only"
            )
        return ScriptRules(
            allowed=allowed,
            single_script=self.get(t, p, "single_script", bool, False),
            combinations=tuple(combos),
            with_ldh=with_ldh,
            idn_tld_only=idn_only,
            ascii_tld_only=ascii_only,
            source=self.get(t, p, "source", str, ""),
        )

    def digits(self, doc: dict[str, Any]) -> DigitRules:
        t = self.section(doc, "digits")
        p: KeyPath = ("digits",)
        allowed = set()
        for where, code in self.strings(t, p, "allowed"):
            if code != ASCII_DIGITS and code not in KNOWN_SCRIPTS:
                self.issue(
                    where, f"unknown digit set {code!r}: 'ascii' or the script code of the digits (Deva, Thai, ...)"
                )
            else:
                allowed.add(code)
        return DigitRules(self.get(t, p, "mixing", bool, True), frozenset(allowed), self.get(t, p, "source", str, ""))

    def hyphens(self, doc: dict[str, Any]) -> HyphenRules:
        t = self.section(doc, "hyphens")
        p: KeyPath = ("hyphens",)
        return HyphenRules(
            self.get(t, p, "allowed", bool, True),
            self.get(t, p, "consecutive", bool, True),
            self.get(t, p, "source", str, ""),
        )

    def length(self, doc: dict[str, Any]) -> LengthRules:
        t = self.section(doc, "length")
        p: KeyPath = ("length",)
        values: dict[str, int | None] = {}
        for key in ("min_codepoints", "max_codepoints", "min_graphemes", "max_graphemes", "min_octets", "max_octets"):
            v: int | None = self.get(t, p, key, int, 0) if key in t else None
            if v is not None and v < 1:
                self.issue((*p, key), f"must be a positive number, got {v}")
                v = None
            values[key] = v
        for unit in ("codepoints", "graphemes", "octets"):
            lo, hi = values[f"min_{unit}"], values[f"max_{unit}"]
            if lo is not None and hi is not None and lo > hi:
                self.issue((*p, f"min_{unit}"), f"min_{unit} {lo} is above max_{unit} {hi}")
        if (values["max_octets"] or 0) > 63:
            self.issue((*p, "max_octets"), "a DNS label is at most 63 octets (RFC 1035 §2.3.4)")
            values["max_octets"] = None
        return LengthRules(**values, source=self.get(t, p, "source", str, ""))

    def context(self, doc: dict[str, Any], tables: Tables) -> tuple[ContextRule, ...]:
        entries = doc.get("context", [])
        if not isinstance(entries, list):
            self.issue(("context",), "expected [[context]] entries")
            return ()
        rules = []
        ids: set[str] = set()
        for i, entry in enumerate(entries):
            p: KeyPath = ("context", i)
            if not isinstance(entry, dict):
                self.issue(p, "expected a [[context]] entry")
                continue
            self.unknown(entry, p, _KEYS["context"])
            rid = self.get(entry, p, "id", str, "", required=True)
            if rid and not _ID.fullmatch(rid):
                self.issue((*p, "id"), f"an id is lowercase letters, digits, '-' and '_', got {rid!r}")
            if rid in ids:
                self.issue((*p, "id"), f"duplicate context rule id {rid!r}")
            ids.add(rid)
            char_text = self.get(entry, p, "char", str, "", required=True)
            cp = self.codepoint(char_text, (*p, "char")) if char_text else None
            patterns = {}
            for key in ("before", "after"):
                pattern = self.get(entry, p, key, str, "") or None
                if pattern is not None:
                    try:
                        re.compile(pattern)
                    except re.error as e:
                        self.issue((*p, key), f"bad pattern {pattern!r}: {e}")
                        pattern = None
                patterns[key] = pattern
            lgr_rule = self.lgr_rule(self.get(entry, p, "lgr_rule", str, ""), (*p, "lgr_rule"), tables)
            if "before" not in entry and "after" not in entry and "lgr_rule" not in entry:
                self.issue(p, "a context rule needs 'before' and/or 'after', or 'lgr_rule'")
            message = self.get(entry, p, "message", str, "", required=True)
            if cp is not None and rid:
                source = self.get(entry, p, "source", str, "")
                rules.append(ContextRule(rid, cp, patterns["before"], patterns["after"], message, source, lgr_rule))
        return tuple(rules)

    def lgr_rule(self, text: str, where: KeyPath, tables: Tables) -> tuple[str, str] | None:
        """``"<table>:<rule>"``: a rule of one of the policy's own tables, checked to exist."""
        if not text:
            return None
        ref, _, rule = text.rpartition(":")
        specs = {t.ref: t for t in tables.tables}
        if not ref or not rule:
            self.issue(where, f"expected 'table:rule', e.g. 'ref/ja:follows-japanese', got {text!r}")
            return None
        if ref not in specs:
            self.issue(where, f"{ref!r} is not one of this policy's tables ({', '.join(specs) or 'none'})")
            return None
        try:
            rules = self.engines.table(ref, specs[ref].path).rule_names()
        except (IdnkitError, KeyError, OSError) as e:  # the table itself is reported where it is named
            self.issue(where, f"cannot read the rules of table {ref!r}: {e}")
            return None
        if rule not in rules:
            self.issue(where, f"table {ref!r} has no rule {rule!r} (rules: {', '.join(sorted(rules)) or 'none'})")
            return None
        return ref, rule

    def names(self, doc: dict[str, Any], key: str) -> NameList:
        t = self.section(doc, key)
        p: KeyPath = (key,)
        out: set[str] = set()
        for where, name in self.strings(t, p, "names"):
            self.add_name(out, name, where)
        file = self.get(t, p, "file", str, "")
        path = self.confined(file, (*p, "file"), "name list") if file else None
        if path is not None:
            self.name_list(out, file, path, key)
        return NameList(frozenset(out), self.get(t, p, "source", str, ""))

    def name_list(self, out: set[str], file: str, path: Path, key: str) -> None:
        """The names of a list file: one label per line, ``#`` comments.  Its bad lines are quoted only
        while the file is mostly labels; anything else is not a name list and is not shown."""
        where: KeyPath = (key, "file")
        try:
            text = read_regular(path, MAX_REFERENCED_BYTES, nofollow=True).decode("utf-8")
        except FileRefusedError as e:
            self.issue(where, f"name list {file!r} refused: {e}")
            return
        except OSError as e:
            self.issue(where, f"cannot read name list {file!r}: {e.strerror or e}")
            return
        except UnicodeDecodeError as e:
            self.issue(where, f"name list {file!r} is not UTF-8 text (byte {e.start + 1}); it is not a name list")
            return
        good: set[str] = set()
        bad: list[tuple[int, str]] = []
        lines = 0
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            lines += 1
            if not self.add_name(good, line, None):
                bad.append((number, line))
        if len(bad) > MAX_ECHOED_LINES or 2 * len(bad) > lines:
            self.issue(
                where,
                f"name list {file!r} is not a list of labels: {len(bad)} of its {lines} lines are not valid labels "
                f"(the first is line {bad[0][0]}); its lines are not shown",
            )
            return
        for number, line in bad:
            self.issues.append(LintIssue(str(path), number, f"{key}.file", f"{line!r} is not a valid label"))
        out |= good

    def add_name(self, out: set[str], name: str, where: KeyPath | None) -> bool:
        result = check_label(name.lower())
        if not result.ok or result.ulabel is None:
            if where is not None:
                first = result.errors[0].message if result.errors else ""
                self.issue(where, f"{name!r} is not a valid label: {first}")
            return False
        out.add(result.ulabel)
        return True

    def variants(self, doc: dict[str, Any]) -> VariantRules:
        t = doc.get("variants", {})
        p: KeyPath = ("variants",)
        if not isinstance(t, dict):
            self.issue(p, "expected a table [variants]")
            t = {}
        actions = []
        for key, value in t.items():
            if key in _KEYS["variants"]:
                continue
            if not _DISPOSITION.fullmatch(key):
                self.issue((*p, key), f"unknown key {key!r}: a disposition name (blocked, allocatable, ...) expected")
                continue
            try:
                action = VariantAction(value)
            except ValueError:
                self.issue((*p, key), f"action must be 'blocked', 'bundled' or 'on-request', not {_shown(value)}")
                continue
            if key == "blocked" and action is not VariantAction.BLOCKED:
                self.issue((*p, key), "a variant the table blocks cannot be allocated: the action must be 'blocked'")
                continue
            actions.append((key, action))
        max_bundle = self.get(t, p, "max_bundle", int, 64)
        if not 1 <= max_bundle <= 10_000:
            self.issue((*p, "max_bundle"), f"max_bundle must be between 1 and 10000, got {max_bundle}")
            max_bundle = 64
        return VariantRules(tuple(sorted(actions)), max_bundle, self.get(t, p, "source", str, ""))

    def confusables(self, doc: dict[str, Any]) -> ConfusableRules:
        t = self.section(doc, "confusables")
        p: KeyPath = ("confusables",)
        skeleton = self.get(t, p, "skeleton", bool, False)
        mark_folded = self.get(t, p, "mark_folded", bool, False)
        if mark_folded and not skeleton:
            self.issue((*p, "mark_folded"), "mark_folded refines the skeleton check: it needs skeleton = true")
        fold = []
        for i, pair in enumerate(self.get(t, p, "fold", list, [])):
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) and s for s in pair)):
                self.issue((*p, "fold", i), f"a fold is a pair of strings [from, to], got {_shown(pair)}")
                continue
            if pair[0] == pair[1]:
                self.issue((*p, "fold", i), f"folding {pair[0]!r} to itself does nothing")
                continue
            fold.append((pair[0], pair[1]))
        exempt = []
        for i, pair in enumerate(self.get(t, p, "exempt", list, [])):
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair)):
                self.issue((*p, "exempt", i), f"an exemption is a pair of names [a, b], got {_shown(pair)}")
                continue
            labels: set[str] = set()
            for name in pair:
                self.add_name(labels, name, (*p, "exempt", i))
            if len(labels) == 2:
                exempt.append(frozenset(labels))
        return ConfusableRules(
            skeleton=skeleton,
            mark_folded=mark_folded,
            fold=tuple(fold),
            strip_marks=self.get(t, p, "strip_marks", bool, False),
            exempt=tuple(exempt),
            source=self.get(t, p, "source", str, ""),
        )

    def review(self, doc: dict[str, Any]) -> ReviewRules:
        """``[review]``: what a person decides; a key left out keeps its default (docs/policy-format.md)."""
        t = self.section(doc, "review")
        p: KeyPath = ("review",)
        default = ReviewRules()
        actions: set[VariantAction] = set()
        for i, value in enumerate(self.get(t, p, "variants", list, [])):
            if value not in ("on-request", "bundled"):
                self.issue((*p, "variants", i), f"a variant action is 'on-request' or 'bundled', not {_shown(value)}")
                continue
            actions.add(VariantAction(value))
        kinds: dict[str, set[str]] = {}
        for key in ("lookalikes", "refuse_lookalikes"):
            kinds[key] = set()
            for i, value in enumerate(self.get(t, p, key, list, [])):
                if value not in LOOKALIKE_KINDS:
                    known = ", ".join(LOOKALIKE_KINDS)
                    self.issue((*p, key, i), f"a look-alike kind is one of {known}, not {_shown(value)}")
                    continue
                kinds[key].add(value)
        refused = kinds["refuse_lookalikes"]
        reviewed = kinds["lookalikes"] if "lookalikes" in t else set(default.lookalikes) - refused
        both = reviewed & refused
        if both:
            self.issue((*p, "refuse_lookalikes"), f"{', '.join(sorted(both))} both reviewed and refused")
        return ReviewRules(
            variants=frozenset(actions) if "variants" in t else default.variants,
            lookalikes=frozenset(reviewed - refused),
            refuse_lookalikes=frozenset(refused),
            source=self.get(t, p, "source", str, ""),
        )


def _type_name(kind: type) -> str:
    return {str: "a string", int: "an integer", bool: "true or false", list: "a list", dict: "a table"}.get(
        kind, kind.__name__
    )


def read(
    text: str,
    file: str = "<policy>",
    base: Path | None = None,
    engines: Engines | None = None,
    catalogue: Collection[str] | None = None,
) -> tuple[PolicyData | None, list[LintIssue]]:
    """Parse and validate a policy; the data (None when unusable) and every issue found."""
    try:
        doc = tomllib.loads(text)
        r = _Reader(file, text, base, resolve(engines), catalogue)
    except RecursionError:
        # tomllib (and the key-line scanner) recurse once per nested array or inline table.
        return None, [LintIssue(file, 1, "toml", "arrays or inline tables nested too deeply to read")]
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        line = int(m.group(1)) if m else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e)) + (f" (column {m.group(2)})" if m else "")
        return None, [LintIssue(file, line, "toml", message)]
    r.unknown(doc, (), _TOP)
    identity = r.identity(doc)
    tables = r.tables(doc, identity.source)
    data = PolicyData(
        file=file,
        identity=identity,
        tables=tables,
        idna=r.idna(doc),
        uts39=r.uts39(doc),
        scripts=r.script_rules(doc),
        digits=r.digits(doc),
        hyphens=r.hyphens(doc),
        length=r.length(doc),
        context=r.context(doc, tables),
        reserved=r.names(doc, "reserved"),
        blocked=r.names(doc, "blocked"),
        variants=r.variants(doc),
        confusables=r.confusables(doc),
        review=r.review(doc),
    )
    both = data.reserved.names & data.blocked.names
    if both:
        r.issue(("blocked", "names"), f"{', '.join(sorted(both))} both reserved and blocked")
    r.issues.sort(key=lambda i: (i.file != file, i.line))
    return data, r.issues


def read_file(
    path: str | Path, engines: Engines | None = None, catalogue: Collection[str] | None = None
) -> tuple[PolicyData | None, list[LintIssue]]:
    path = Path(path)
    try:
        text = read_regular(path, MAX_REFERENCED_BYTES).decode("utf-8")
    except UnicodeDecodeError as e:
        return None, [LintIssue(str(path), 1, "file", f"invalid UTF-8 at byte {e.start + 1}")]
    except FileRefusedError as e:
        raise IdnkitError(f"{path}: policy not read: {e}") from None
    except OSError as e:
        raise IdnkitError(f"{path}: cannot read policy: {e.strerror or e}") from None
    return read(text, str(path), path.parent, engines, catalogue)


def load_data(path: str | Path, engines: Engines | None = None, catalogue: Collection[str] | None = None) -> PolicyData:
    data, issues = read_file(path, engines, catalogue)
    if issues or data is None:
        raise PolicyError(issues)
    return data
