"""Compare idnkit.lgr with the lgr-core oracle and write tests/data/lgr-oracle/known-disagreements.tsv.

Every oracle record is compared field by field (disposition, index label, variant count, variants with
dispositions).  Each disagreement is classified by checking the label against the mechanism that
explains it (docs/lgr-disagreements.md has the RFC 7940 text for every category); a disagreement no
category explains is written as ``unexplained`` and fails the oracle test until someone investigates.
``--check`` exits 1 when the committed file differs from what the code produces now.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ORACLE = ROOT / "tests" / "data" / "lgr-oracle" / "rz-lgr-5-lgr-core-6.1.3.jsonl"
OUT = ROOT / "tests" / "data" / "lgr-oracle" / "known-disagreements.tsv"
HEADER = ("lgr", "label", "field", "category", "idnkit", "lgr-core")


def short_name(file: str) -> str:
    m = re.fullmatch(r"lgr-5-(\w+?)(?:-script)?-26may22-en\.xml", file)
    assert m, file
    return f"rz5/{m.group(1)}"


def _partitions(lgr: Any, u: str, i: int = 0) -> Iterator[list[tuple[int, Any]]]:
    """Every segmentation of ``u`` into repertoire elements (contexts ignored)."""
    if i == len(u):
        yield []
        return
    for ch in lgr._index.get(ord(u[i]), []):
        k = len(ch.cps)
        if tuple(ord(c) for c in u[i : i + k]) == ch.cps:
            for rest in _partitions(lgr, u, i + k):
                yield [(i, ch), *rest]


def _partition_variants(lgr: Any, u: str) -> set[str]:
    out: set[str] = set()
    for p in itertools.islice(_partitions(lgr, u), 64):
        out.update(text for text, _ in lgr._permutations(u, lgr._options(u, p)))
    return out


def _prefix_fallback(lgr: Any, u: str) -> bool:
    """The label holds a sequence element without variants whose first code point is an element itself."""
    elements, _ = lgr._partition(u)
    return any(len(ch.cps) > 1 and not ch.variants and ch.cps[:1] in lgr.chars for _, ch in elements)


def _unconditional_count(lgr: Any, u: str) -> int:
    """The number of permutations if every conditional variant counted, whatever its context."""
    elements, _ = lgr._partition(u)
    total = 1
    for _, ch in elements:
        total *= 1 + sum(1 for v in ch.variants if v.cps != ch.cps)
    return total


def _variant_category(lgr: Any, u: str, mine: dict[str, str], theirs: dict[str, str]) -> str:
    cats: set[str] = set()
    extra = set(mine) - set(theirs)
    missing = set(theirs) - set(mine)
    if extra and not set(theirs) - {u} and _prefix_fallback(lgr, u):
        return "sequence-prefix-fallback"
    for v in extra:
        _, findings = lgr._partition(v)
        cats.add("context-in-variant-label" if any(f.kind == "context" for f in findings) else "unexplained")
    if missing:
        pv = _partition_variants(lgr, u)
        cats.update("sequence-partition" if v in pv else "unexplained" for v in missing)
    if any(mine[k] != theirs[k] for k in set(mine) & set(theirs)):
        cats.add("unexplained")
    return "+".join(sorted(cats))


def rows() -> list[tuple[str, ...]]:
    # The installed package (pip install . or -e .): the shipped tables are its package data, which a
    # bare src/ on sys.path does not provide.
    try:
        from idnkit import lgr as lgrmod
    except ImportError:
        raise SystemExit("install idnkit first (pip install -e .): this tool evaluates the shipped tables") from None

    out: list[tuple[str, ...]] = []
    for line in ORACLE.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        name, u = short_name(r["lgr"]), r["label"]
        table = lgrmod.load(name)
        res = table.validate(u)
        if res.disposition != r["disposition"]:
            out.append((name, u, "disposition", "unexplained", res.disposition, r["disposition"]))
        if r["disposition"] == "invalid" or res.disposition == "invalid":
            continue
        multi = sum(1 for _ in itertools.islice(_partitions(table, u), 2)) > 1
        try:
            index = table.index_label(u)
        except lgrmod.LgrError:
            out.append((name, u, "index_label", "index-undefined", "(LgrError)", r["index_label"]))
        else:
            if index != r["index_label"]:
                cat = "sequence-partition" if multi else "unexplained"
                out.append((name, u, "index_label", cat, index, r["index_label"]))
        count = table.variant_count(u) + 1
        if count != r["estimated_variants"]:
            if _unconditional_count(table, u) == r["estimated_variants"]:
                cat = "estimate-ignores-conditions"
            else:
                cat = "sequence-partition" if multi else "unexplained"
            out.append((name, u, "estimated_variants", cat, str(count), str(r["estimated_variants"])))
        if r.get("variants") is not None:
            mine = {v.label: v.disposition for v in table.variants(u, limit=None)}
            mine[u] = res.disposition
            theirs = dict(r["variants"])
            if mine != theirs:
                extra, missing = len(set(mine) - set(theirs)), len(set(theirs) - set(mine))
                out.append(
                    (
                        name,
                        u,
                        "variants",
                        _variant_category(table, u, mine, theirs),
                        f"{len(mine)} (+{extra})",
                        f"{len(theirs)} (+{missing})",
                    )
                )
    return out


def render() -> str:
    lines = [
        "# generated by tools/gen_lgr_disagreements.py; categories explained in docs/lgr-disagreements.md",
        "\t".join(HEADER),
    ]
    lines += ["\t".join(r) for r in rows()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if known-disagreements.tsv is out of date")
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run python tools/gen_lgr_disagreements.py", file=sys.stderr)
            return 1
        print(f"{OUT.relative_to(ROOT)} is current")
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({text.count(chr(10)) - 2} disagreements)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
