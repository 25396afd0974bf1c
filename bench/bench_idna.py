#!/usr/bin/env python3
"""Throughput of idnkit's IDNA2008 check against idna.encode and libidn2, in one process.

    python bench/bench_idna.py [--count 20000] [--repeat 7] [--seed 2008]

A reproducible label set (several scripts, about 5% invalid) is checked by each implementation
in alternating order for --repeat rounds; the script prints the median labels/s of each and the
ratios of the medians.  The machine is shared and noisy: read medians and ratios, not one round.
Verdicts are compared too (valid/invalid and A-label); disagreements are counted and shown.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import random
import statistics
import time
import unicodedata
from collections.abc import Callable, Iterable

import idna

import idnkit
from idnkit._ucd import DERIVED_PROPERTY

# Letters per script, restricted to PVALID code points assigned by Unicode 14 (idna takes NFC and
# Bidi classes from the interpreter's unicodedata, 14.0 on Python 3.11).
SCRIPTS = {
    "ascii": range(0x61, 0x7B),
    "latin": [*range(0x61, 0x7B), 0xE4, 0xF6, 0xFC, 0xE9, 0xE8, 0xE7, 0x105, 0x142, 0x17C, 0xF1],
    "cyrillic": range(0x430, 0x450),
    "greek": range(0x3B1, 0x3CA),
    "hebrew": range(0x5D0, 0x5EB),
    "arabic": range(0x628, 0x64B),
    "devanagari": range(0x915, 0x93A),
    "han": range(0x4E00, 0x4E00 + 3000),
    "kana": range(0x3041, 0x3097),
    "thai": range(0xE01, 0xE2F),
    "hangul": range(0xAC00, 0xAC00 + 2000),
}
INVALID_KINDS = ("upper", "symbol", "leading-hyphen", "hyphen34", "leading-mark", "zwj", "too-long", "bidi")


def _alphabet(cps: Iterable[int]) -> list[str]:
    return [chr(cp) for cp in cps if DERIVED_PROPERTY[cp] == "PVALID" and unicodedata.category(chr(cp)) != "Cn"]


def make_labels(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    alphabets = {name: _alphabet(cps) for name, cps in SCRIPTS.items()}
    names = sorted(alphabets)
    labels = []
    for _ in range(count):
        letters = alphabets[rng.choice(names)]
        label = "".join(rng.choice(letters) for _ in range(rng.randint(3, 20)))
        if rng.random() < 0.05:
            kind = rng.choice(INVALID_KINDS)
            if kind == "upper":
                label = "A" + label
            elif kind == "symbol":
                label = label[:2] + "\u2603" + label[2:]
            elif kind == "leading-hyphen":
                label = "-" + label
            elif kind == "hyphen34":
                label = label[:2] + "--" + label[2:]
            elif kind == "leading-mark":
                label = "\u0301" + label
            elif kind == "zwj":
                label = label[:1] + "\u200d" + label[1:]
            elif kind == "too-long":
                label = (label * 30)[:70]
            else:
                label = "1" + "\u05d0" + label
        labels.append(unicodedata.normalize("NFC", label))
    return labels


def run_idnkit(labels: list[str]) -> list[str | None]:
    check = idnkit.check_label
    out = []
    for label in labels:
        result = check(label)  # registration profile, every finding collected
        out.append(result.alabel if result.ok else None)
    return out


def run_idna(labels: list[str]) -> list[str | None]:
    encode, error = idna.encode, idna.IDNAError
    out: list[str | None] = []
    for label in labels:
        try:
            out.append(encode(label).decode("ascii"))
        except error:
            out.append(None)
    return out


def load_libidn2() -> Callable[[list[str]], list[str | None]] | None:
    path = ctypes.util.find_library("idn2") or "libidn2.so.0"
    try:
        lib = ctypes.CDLL(path)
    except OSError:
        return None
    register = lib.idn2_register_u8
    register.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p), ctypes.c_int]
    register.restype = ctypes.c_int
    free = lib.idn2_free
    free.argtypes = [ctypes.c_void_p]

    def run(labels: list[str]) -> list[str | None]:
        out: list[str | None] = []
        result = ctypes.c_void_p()
        ref = ctypes.byref(result)
        for label in labels:
            rc = register(label.encode("utf-8"), None, ref, 0)  # 0 = IDN2_OK
            if rc == 0 and result.value is not None:
                out.append(ctypes.string_at(result.value).decode("ascii"))
                free(result)
            else:
                out.append(None)
        return out

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2008)
    parser.add_argument("--show-disagreements", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    labels = make_labels(args.count, args.seed)
    impls: dict[str, Callable[[list[str]], list[str | None]]] = {"idnkit": run_idnkit, "idna": run_idna}
    libidn2 = load_libidn2()
    if libidn2 is not None:
        impls["libidn2"] = libidn2
    verdicts = {name: fn(labels) for name, fn in impls.items()}  # also the warm-up
    rates: dict[str, list[float]] = {name: [] for name in impls}
    order = list(impls)
    for round_ in range(args.repeat):
        for name in order if round_ % 2 == 0 else reversed(order):
            start = time.perf_counter()
            impls[name](labels)
            rates[name].append(len(labels) / (time.perf_counter() - start))
    medians = {name: statistics.median(r) for name, r in rates.items()}
    report: dict[str, object] = {
        "labels": len(labels),
        "invalid_by_idnkit": sum(v is None for v in verdicts["idnkit"]),
        "labels_per_second": medians,
        "ratios": {f"idnkit/{name}": medians["idnkit"] / medians[name] for name in impls if name != "idnkit"},
        "per_round_ratio_median": {
            f"idnkit/{name}": statistics.median(a / b for a, b in zip(rates["idnkit"], rates[name], strict=True))
            for name in impls
            if name != "idnkit"
        },
    }
    disagreements: dict[str, list[str]] = {}
    for name in impls:
        if name == "idnkit":
            continue
        diff = [label for label, a, b in zip(labels, verdicts["idnkit"], verdicts[name], strict=True) if a != b]
        disagreements[name] = diff
    report["disagreements"] = {name: len(d) for name, d in disagreements.items()}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{len(labels)} labels, {report['invalid_by_idnkit']} invalid for idnkit, {args.repeat} rounds (medians)")
    for name, rate in medians.items():
        ratio = "" if name == "idnkit" else f"  idnkit is {medians['idnkit'] / rate:.2f}x"
        print(f"  {name:8s} {rate:12,.0f} labels/s{ratio}")
    for name, diff in disagreements.items():
        print(f"disagreements idnkit vs {name}: {len(diff)}")
        for label in diff[: args.show_disagreements]:
            cps = " ".join(f"U+{ord(c):04X}" for c in label)
            i = labels.index(label)
            print(f"    {label!r} ({cps}): idnkit {verdicts['idnkit'][i]!r}, {name} {verdicts[name][i]!r}")


if __name__ == "__main__":
    main()
