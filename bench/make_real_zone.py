#!/usr/bin/env python3
"""A real-shaped audit workload: a ccTLD's names replicated to about a million, as a list and as a zone.

    python bench/make_real_zone.py SOURCE OUTDIR [--copies 5] [--origin ee]

SOURCE is a list of a real zone's names, one a line (for instance the .ee delegations,
``ee_domains.txt``: 201,881 names, 2.3% with an ``xn--`` label, Latin with diacritics, hyphens and
digits).  The list is written ``--copies`` times; copy k > 0 renames the leftmost label of each name
so that it stays a valid, distinct host name of the same shape: an ASCII label gets ``-r<k>``
appended, an IDN gets ``<k>`` appended to its U-label and is encoded again (RFC 3492), and a label
that would outgrow 63 octets (RFC 1035 §2.3.4) is shortened first.  Names the source holds twice
and renamings that meet an existing name are dropped, so every name is written once.

Written to OUTDIR:

* ``names.txt`` — one name a line, no trailing dot (``idncheck audit --names``,
  ``bench_audit.py --names-file``);
* ``zone.txt`` — the same names as delegations under ``$ORIGIN <origin>.``: an SOA, and two NS
  records per name (``bench_audit.py --zone-file``).

The script reads only the path it is given: the workload stays outside the repository, and the
tests never read it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

MAX_LABEL = 63


def _renamed(label: str, k: int) -> str | None:
    """The leftmost label of copy ``k``, valid and of the same kind (ASCII or IDN), or None."""
    if label.startswith("xn--"):
        try:
            ulabel = label[4:].encode("ascii").decode("punycode")
        except (UnicodeError, ValueError):
            return None  # not Punycode: the real list's own oddity, kept in copy 0 only
        for cut in range(len(ulabel), 0, -1):
            out = "xn--" + (ulabel[:cut] + str(k)).encode("punycode").decode("ascii")
            if len(out) <= MAX_LABEL:
                return out
        return None
    suffix = f"-r{k}"
    base = label[: MAX_LABEL - len(suffix)].rstrip("-")
    return base + suffix if base else None


def replicate(names: list[str], copies: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for k in range(copies):
        for name in names:
            if k:
                first, _, rest = name.partition(".")
                label = _renamed(first, k)
                if label is None:
                    continue
                name = f"{label}.{rest}"
            if name not in seen:
                seen.add(name)
                out.append(name)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="a zone's names, one a line")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--copies", type=int, default=5, help="copies of the list (default 5: about 1 M from .ee)")
    parser.add_argument("--origin", default="ee", help="the zone's origin (default ee)")
    args = parser.parse_args(argv)
    source = [line.strip().lower().rstrip(".") for line in args.source.read_text("utf-8").splitlines() if line.strip()]
    names = replicate(source, args.copies)
    args.outdir.mkdir(parents=True, exist_ok=True)
    with open(args.outdir / "names.txt", "w", encoding="ascii") as out:
        out.writelines(name + "\n" for name in names)
    origin = args.origin.strip(".").lower()
    with open(args.outdir / "zone.txt", "w", encoding="ascii") as out:
        out.write(f"$ORIGIN {origin}.\n$TTL 3600\n")
        out.write(f"@ IN SOA ns.tld.{origin}. hostmaster.tld.{origin}. ( 2026120301 900 600 1209600 3600 )\n")
        out.write(f"  IN NS ns.tld.{origin}.\n")
        for i, name in enumerate(names):
            out.write(f"{name}. 3600 IN NS ns1.host{i % 997}.net.\n{name}. 3600 IN NS ns2.host{i % 997}.net.\n")
    idn = sum(1 for name in names if "xn--" in name)
    print(
        f"{len(names):,} names ({idn:,} with an xn-- label, {idn / len(names):.1%}) from {len(source):,} "
        f"in {args.source}: {args.outdir / 'names.txt'}, {args.outdir / 'zone.txt'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
