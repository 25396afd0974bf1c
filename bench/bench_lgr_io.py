#!/usr/bin/env python3
"""Timing of the LGR import/export/sets tools: legacy import, XML writing, merging LGR sets.

    python bench/bench_lgr_io.py [--repeat 5] [--json]

Measures process CPU time (one core of a shared machine), median of --repeat rounds after one warm-up:
  * import of a 20,000-line plain list in the IANA repository style ("U+XXXX  # Script  c  NAME", the
    layout of the .SE reference tables; the largest real one, chinese-lang-ref-table.txt, has 19,557);
  * writing RFC 7940 XML for rz5/chinese and rz5/common (the largest shipped tables) and parsing it back;
  * merging the 53 second-level reference LGRs (all but the six CJK tables) into one set and compiling it.
Ratios are against the parse time of the same table, measured in the same process (write/parse, and
merge+compile vs loading the members).  No peer implementation is installed here; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from idnkit import lgr
from idnkit._resources import resource

CJK = {"ref/zh", "ref/und-Hani", "ref/ja", "ref/und-Jpan", "ref/ko", "ref/und-Kore"}


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out: dict[str, float | int | str] = {}

    text = "".join(f"U+{0x4E00 + i:04X}   # Han   {chr(0x4E00 + i)}   CJK UNIFIED IDEOGRAPH\n" for i in range(20000))
    source = "generated list"
    lines = text.count("\n")
    t = median_seconds(lambda: lgr.parse_legacy(text, source, "list"), args.repeat)
    out.update({"import_source": source, "import_lines": lines, "import_s": t, "import_lines_per_s": lines / t})

    for name in ("rz5/chinese", "rz5/common"):
        entry = next(e for e in lgr.catalogue() if e.name == name)
        data = resource("script_tables", "lgr", *entry.file.split("/")).read_bytes()
        doc = lgr.parse_bytes(data, entry.file)
        parse_s = median_seconds(lambda data=data: lgr.parse_bytes(data), args.repeat)
        write_s = median_seconds(lambda doc=doc: lgr.to_xml(doc), args.repeat)
        out[f"{name}_elements"] = len(doc.chars)
        out[f"{name}_parse_s"] = parse_s
        out[f"{name}_write_s"] = write_s
        out[f"{name}_write_over_parse"] = write_s / parse_s

    names = [e.name for e in lgr.catalogue() if e.name.startswith("ref/") and e.name not in CJK]
    tables = [lgr.load(n) for n in names]
    docs = [(t.document, t.name) for t in tables]
    load_s = median_seconds(lambda: [lgr.Lgr(d, n) for d, n in docs], args.repeat)
    merge_s = median_seconds(lambda: lgr.merge(tables).compile(), args.repeat)
    merged = lgr.merge(tables)
    out.update(
        {
            "merge_members": len(tables),
            "merge_elements": len(merged.document.chars),
            "merge_notes": len(merged.notes),
            "members_compile_s": load_s,
            "merge_compile_s": merge_s,
            "merge_over_members_compile": merge_s / load_s,
        }
    )

    if args.json:
        print(json.dumps(out))
        return
    for key, value in out.items():
        print(f"{key:<32} {value:,.4f}" if isinstance(value, float) else f"{key:<32} {value}")


if __name__ == "__main__":
    main()
