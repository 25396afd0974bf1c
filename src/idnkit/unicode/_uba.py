"""The part of the Unicode Bidirectional Algorithm (UAX #9, Unicode 17.0) that UTS #39 §4 bidiSkeleton needs.

``display_order(text, rtl)`` gives the text in visual order, left to right, as one line shown in a
paragraph of the given direction — what ICU's ``ubidi_writeReordered`` writes with
``UBIDI_DO_MIRRORING | UBIDI_KEEP_BASE_COMBINING``, the call ICU's ``uspoof_getBidiSkeleton`` makes:

* the paragraph level comes from the caller (P2-P3 are not run: bidiSkeleton takes the direction);
* rule P1: levels are resolved paragraph by paragraph (each ends after its separator, class B),
  then the whole text is reordered as one line, as ICU's writeReordered does;
* explicit embeddings, overrides and isolates (X1-X8) are not interpreted: their controls
  (LRE RLE LRO RLO PDF LRI RLI FSI PDI) are Default_Ignorable_Code_Point, which the skeleton then
  removes, and none can occur in a domain name (IDNA2008 DISALLOWED).  Like BN (X9) they are left
  out of rules W1-N2 and take the level of the character after them (as ICU does);
* W1-W7, N0 (bracket pairs, BD16, with canonical equivalents of U+2329/U+232A), N1-N2, I1-I2,
  L1 (separators and trailing whitespace to the paragraph level) and L2 (reversal) as UAX #9 says,
  except that, as in ICU 78, the NSMs after a closing bracket that N0 changed keep their W1 class;
* L3 as ICU's ``KEEP_BASE_COMBINING``: in a right-to-left run a base character and the combining
  marks (Mn, Mc, Me) after it stay in logical order; L4: the base of each such group at an odd
  level is replaced by its Bidi_Mirroring_Glyph.

``tests/test_bidi_skeleton.py`` holds it to ICU 78.3 (Unicode 17) on generated text.
"""

from __future__ import annotations

import itertools

from . import BIDI_CLASS, GENERAL_CATEGORY
from ._data import bidi_display as _bidi_data

_MIRROR: dict[int, int] = _bidi_data.MIRRORING
_MIRRORED = frozenset(_MIRROR)
_BRACKETS: dict[int, tuple[int, str]] = _bidi_data.BRACKETS
_BRACKET_CPS = frozenset(_BRACKETS)
# BD16: U+2329/U+232A are canonically equivalent to U+3008/U+3009 and pair with them.
_CANONICAL_BRACKET = {0x2329: 0x3008, 0x232A: 0x3009}
_MAX_BRACKET_DEPTH = 63  # BD16: a stack of 63 elements
_EXPLICIT = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
_ISOLATES = frozenset({"LRI", "RLI", "FSI", "PDI"})
_STRONG_OR_NUMBER = {"L": "L", "R": "R", "AL": "R", "EN": "R", "AN": "R"}
_NEUTRAL = frozenset({"B", "S", "WS", "ON"})
# L3 (ICU KEEP_BASE_COMBINING) keeps these after their base: General_Category Mn, Mc, Me.
_COMBINING = frozenset(
    cp for first, last in GENERAL_CATEGORY.ranges(lambda gc: gc in ("Mn", "Mc", "Me")) for cp in range(first, last + 1)
)
# Bidi_Class by code point, filled as code points are met (bounded): a dict lookup is several times
# cheaper than the range table's bisect, and a zone's names use few distinct code points.
_CLASS_CACHE: dict[int, str] = {}
_CLASS_CACHE_MAX = 1 << 16


def _classes(cps: list[int]) -> list[str]:
    get = _CLASS_CACHE.get
    out = []
    for cp in cps:
        cls = get(cp)
        if cls is None:
            cls = BIDI_CLASS[cp]
            if len(_CLASS_CACHE) < _CLASS_CACHE_MAX:
                _CLASS_CACHE[cp] = cls
        out.append(cls)
    return out


def _levels(cps: list[int], base: int, original: list[str] | None = None) -> list[int]:
    """Resolved embedding levels (W1-I2, then L1) of one paragraph without explicit formatting;
    ``original`` holds the Bidi_Class of each code point when the caller has them."""
    n = len(cps)
    if original is None:
        original = _classes(cps)
    sos = "R" if base & 1 else "L"
    # X9: BN and the explicit formatting characters take no part in W1-N2.
    idx = [i for i in range(n) if original[i] != "BN" and original[i] not in _EXPLICIT]
    t = [original[i] for i in idx]
    m = len(t)
    # W1: NSM takes the type of the previous character (sos at the start).
    for k in range(m):
        if t[k] == "NSM":
            t[k] = t[k - 1] if k else sos
    # W2: EN after AL (the last strong type) becomes AN.  W3: AL becomes R.
    last = sos
    for k in range(m):
        if t[k] in ("L", "R", "AL"):
            last = t[k]
        elif t[k] == "EN" and last == "AL":
            t[k] = "AN"
    t = ["R" if x == "AL" else x for x in t]
    # W4: a single ES between two EN, a single CS between two numbers of one type.
    for k in range(1, m - 1):
        if t[k] == "ES" and t[k - 1] == "EN" and t[k + 1] == "EN":
            t[k] = "EN"
        elif t[k] == "CS" and t[k - 1] == t[k + 1] and t[k - 1] in ("EN", "AN"):
            t[k] = t[k - 1]
    # W5: a sequence of ET next to EN becomes EN.
    k = 0
    while k < m:
        if t[k] == "ET":
            end = k
            while end < m and t[end] == "ET":
                end += 1
            if (k > 0 and t[k - 1] == "EN") or (end < m and t[end] == "EN"):
                t[k:end] = ["EN"] * (end - k)
            k = end
        else:
            k += 1
    # W6: remaining separators and terminators become ON.
    t = ["ON" if x in ("ES", "ET", "CS") else x for x in t]
    # W7: EN after L (the last strong type, sos at the start) becomes L.
    last = sos
    for k in range(m):
        if t[k] in ("L", "R"):
            last = t[k]
        elif t[k] == "EN" and last == "L":
            t[k] = "L"
    _brackets(cps, idx, t, base, sos)
    # N1/N2: a run of neutrals takes the direction around it if both sides agree (numbers count as
    # R), else the embedding direction.
    e = "R" if base & 1 else "L"
    k = 0
    while k < m:
        if t[k] in _NEUTRAL:
            end = k
            while end < m and t[end] in _NEUTRAL:
                end += 1
            before = _STRONG_OR_NUMBER.get(t[k - 1], sos) if k else sos
            after = _STRONG_OR_NUMBER.get(t[end], sos) if end < m else sos  # eos = sos: one level
            t[k:end] = [before if before == after else e] * (end - k)
            k = end
        else:
            k += 1
    # I1/I2.
    levels = [base] * n
    for k, i in enumerate(idx):
        x = t[k]
        if base & 1 == 0:
            levels[i] = base + (1 if x == "R" else 2 if x in ("AN", "EN") else 0)
        else:
            levels[i] = base + (1 if x in ("L", "EN", "AN") else 0)
    # X9 left-outs take the level of the character after them (the paragraph level at the end, by
    # L1 below), as ICU's do.
    kept = set(idx)
    for i in range(n - 1, -1, -1):
        if i not in kept:
            levels[i] = levels[i + 1] if i + 1 < n else base
    # L1: segment and paragraph separators, and whitespace (isolate controls, BN too) before them
    # or at the end of the line, to the paragraph level.
    trailing = True
    for i in range(n - 1, -1, -1):
        cls = original[i]
        if cls in ("S", "B"):
            levels[i] = base
            trailing = True
        elif trailing and (cls == "WS" or cls in _ISOLATES or cls == "BN" or cls in _EXPLICIT):
            levels[i] = base
        else:
            trailing = False
    return levels


def _brackets(cps: list[int], idx: list[int], t: list[str], base: int, sos: str) -> None:
    """N0: resolve paired brackets (BD16) in ``t`` (the W-resolved classes of ``idx``)."""
    m = len(t)
    stack: list[tuple[int, int]] = []  # (closing bracket sought, position in t)
    pairs: list[tuple[int, int]] = []
    for k in range(m):
        if t[k] != "ON":
            continue
        cp = cps[idx[k]]
        bracket = _BRACKETS.get(cp)
        if bracket is None:
            continue
        pair, kind = bracket
        if kind == "o":
            if len(stack) == _MAX_BRACKET_DEPTH:
                break  # BD16: stop processing at overflow
            stack.append((_CANONICAL_BRACKET.get(pair, pair), k))
        else:
            own = _CANONICAL_BRACKET.get(cp, cp)
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == own:
                    pairs.append((stack[depth][1], k))
                    del stack[depth:]
                    break
    if not pairs:
        return
    pairs.sort()
    e = "R" if base & 1 else "L"
    for open_k, close_k in pairs:
        inside = {_STRONG_OR_NUMBER.get(t[k]) for k in range(open_k + 1, close_k)} - {None}
        if e in inside:
            new = e
        elif inside:
            before = sos
            for k in range(open_k - 1, -1, -1):
                if t[k] in _STRONG_OR_NUMBER:
                    before = _STRONG_OR_NUMBER[t[k]]
                    break
            new = before if before != e else e
        else:
            continue
        # UAX #9 N0 also gives the NSMs right after a changed bracket its new type.  ICU 78 does not
        # for a closing bracket (they keep the ON that W1 gave them and N1 resolves them), and after
        # an opening bracket N1 gives them the bracket's type anyway: left out, to agree with ICU.
        t[open_k] = t[close_k] = new


def _reorder(text: str, cps: list[int], runs: list[tuple[int, int, int]]) -> str:
    # ``runs``: the level runs (start, end, level) in logical order.  L2: reverse every sequence of
    # runs at or above each level, from the highest down to the lowest odd level.
    if not runs:
        return ""
    if len(runs) == 1 and not runs[0][2] & 1:
        return text
    highest = max(r[2] for r in runs)
    lowest_odd = min((r[2] for r in runs if r[2] & 1), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        k = 0
        while k < len(runs):
            if runs[k][2] >= level:
                end = k
                while end < len(runs) and runs[end][2] >= level:
                    end += 1
                runs[k:end] = runs[k:end][::-1]
                k = end
            else:
                k += 1
    out: list[str] = []
    for start, end, level in runs:
        if not level & 1:
            out.append(text[start:end])
            continue
        run = cps[start:end]
        if _COMBINING.isdisjoint(run) and _MIRRORED.isdisjoint(run):
            out.append(text[start:end][::-1])  # nothing to keep in order or to mirror
            continue
        # L3 (ICU KEEP_BASE_COMBINING) and L4: groups of a base and its following marks, last first.
        i = end
        while i > start:
            j = i
            i -= 1
            while i > start and cps[i] in _COMBINING:
                i -= 1
            out.append(chr(_MIRROR.get(cps[i], cps[i])))
            out.append(text[i + 1 : j])
    return "".join(out)


# Without brackets, paragraph separators, BN or explicit controls, levels depend only on the classes,
# and every run of one class resolves alike (W1-W7 and N1-N2 look at a run's neighbours, W4 at
# whether a separator stands alone): they are computed once per pattern of runs, a run's length
# kept only as 1 or "2 or more", and cached (bounded).  This is the case of ordinary domain names.
_SLOW_CLASSES = frozenset({"B", "BN"}) | _EXPLICIT
_PATTERN_CACHE: dict[tuple[int, tuple[str, ...]], tuple[int, ...]] = {}
_PATTERN_CACHE_MAX = 1 << 14


def _pattern(cps: list[int], classes: list[str]) -> tuple[tuple[str, ...], list[int]] | None:
    """The runs of one class (``"R"`` for a single R, ``"R+"`` for two or more) and where each ends,
    or None when the text needs the full algorithm."""
    if not _SLOW_CLASSES.isdisjoint(classes) or not _BRACKET_CPS.isdisjoint(cps):
        return None
    pattern: list[str] = []
    ends: list[int] = []
    prev = ""
    for i, cls in enumerate(classes):
        if cls != prev:
            if prev:
                ends.append(i)
            pattern.append(cls)
            prev = cls
        elif pattern[-1] == cls:
            pattern[-1] = cls + "+"  # a run of two or more
    ends.append(len(classes))
    return tuple(pattern), ends


def _pattern_runs(pattern: tuple[str, ...], ends: list[int], base: int) -> list[tuple[int, int, int]]:
    """Level runs ``(start, end, level)`` of text of that pattern, the levels cached per pattern."""
    key = (base, pattern)
    run_levels = _PATTERN_CACHE.get(key)
    if run_levels is None:
        sample = [cls.rstrip("+") for cls in pattern for _ in range(2 if cls.endswith("+") else 1)]
        resolved = _levels([0] * len(sample), base, sample)
        starts = list(itertools.accumulate((2 if cls.endswith("+") else 1 for cls in pattern), initial=0))[:-1]
        run_levels = tuple(resolved[p] for p in starts)
        if len(_PATTERN_CACHE) < _PATTERN_CACHE_MAX:
            _PATTERN_CACHE[key] = run_levels
    runs: list[tuple[int, int, int]] = []
    start = 0
    for end, level in zip(ends, run_levels, strict=True):
        if runs and runs[-1][2] == level:
            runs[-1] = (runs[-1][0], end, level)
        else:
            runs.append((start, end, level))
        start = end
    return runs


def _runs(levels: list[int]) -> list[tuple[int, int, int]]:
    runs: list[tuple[int, int, int]] = []
    start = 0
    for level, group in itertools.groupby(levels):
        end = start + sum(1 for _ in group)
        runs.append((start, end, level))
        start = end
    return runs


def display_order(text: str, rtl: bool) -> str:
    """``text`` in visual order (left to right) in a paragraph of direction ``rtl`` (UAX #9 as above).

    >>> display_order("abc", rtl=True), display_order("\\u05d0\\u05d1 12", rtl=False) == "12 \\u05d1\\u05d0"
    ('abc', True)
    >>> display_order("\\u05d0(b)", rtl=True) == "(b)\\u05d0"
    True
    """
    cps = [ord(c) for c in text]
    classes = _classes(cps)
    return _display(text, cps, classes, _pattern(cps, classes), 1 if rtl else 0)


def display_orders(text: str) -> tuple[str, str]:
    """``(display_order(text, False), display_order(text, True))``, the classes looked up once."""
    cps = [ord(c) for c in text]
    classes = _classes(cps)
    pattern = _pattern(cps, classes)
    return _display(text, cps, classes, pattern, 0), _display(text, cps, classes, pattern, 1)


def _display(
    text: str, cps: list[int], classes: list[str], pattern: tuple[tuple[str, ...], list[int]] | None, base: int
) -> str:
    if pattern is not None:
        return _reorder(text, cps, _pattern_runs(pattern[0], pattern[1], base))
    # P1: levels are resolved per paragraph (a paragraph ends after its separator); the text is then
    # reordered as one line, as ICU's writeReordered does with text of several paragraphs.
    if "B" not in classes:
        return _reorder(text, cps, _runs(_levels(cps, base, classes)))
    levels: list[int] = []
    start = 0
    for i, cls in enumerate(classes):
        if cls == "B":
            levels += _levels(cps[start : i + 1], base, classes[start : i + 1])
            start = i + 1
    levels += _levels(cps[start:], base, classes[start:])
    return _reorder(text, cps, _runs(levels))
