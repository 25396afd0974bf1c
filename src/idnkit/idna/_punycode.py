"""RFC 3492 Punycode, with the RFC's overflow checks and an input bound.

The stdlib codec has no overflow detection and no bound; idna's CVE-2024-3651 came from feeding
a decoder huge input.  Inputs longer than ``MAX_INPUT`` are refused before any work, so the
decoder's insertion loop (quadratic in the worst case) only ever runs on short strings.
"""

from __future__ import annotations

from ..errors import PunycodeError

try:  # the optional C accelerator (setup.py); absent where no compiler was available
    from ._speedups import decode as _c_decode
    from ._speedups import encode as _c_encode
except ImportError:  # pragma: no cover - depends on the build
    _c_encode = None  # type: ignore[assignment]
    _c_decode = None  # type: ignore[assignment]

# RFC 3492 §5 parameter values for Punycode.
_BASE, _TMIN, _TMAX, _SKEW, _DAMP = 36, 1, 26, 38, 700
_INITIAL_BIAS, _INITIAL_N = 72, 0x80
_MAXINT = 0x7FFFFFFF  # RFC 3492 §6.4: behave as an implementation with 32-bit integers would
MAX_INPUT = 1024  # code points or characters; far above any DNS label (63 octets)

_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789"
_DIGIT_VALUE = {c: i for i, c in enumerate(_DIGITS)} | {c.upper(): i for i, c in enumerate(_DIGITS[:26])}


def _adapt(delta: int, numpoints: int, firsttime: bool) -> int:
    # RFC 3492 §6.1
    delta = delta // _DAMP if firsttime else delta // 2
    delta += delta // numpoints
    k = 0
    while delta > ((_BASE - _TMIN) * _TMAX) // 2:
        delta //= _BASE - _TMIN
        k += _BASE
    return k + (_BASE - _TMIN + 1) * delta // (delta + _SKEW)


def encode(text: str) -> str:
    """Punycode-encode ``text`` (without the ``xn--`` prefix).  RFC 3492 §6.3.

    >>> encode("bücher")
    'bcher-kva'
    """
    if _c_encode is not None:
        fast: str | None = _c_encode(text)
        if fast is not None:
            return fast
    return encode_python(text)


def encode_python(text: str) -> str:
    """The reference encoder; the C accelerator must give the same output."""
    if len(text) > MAX_INPUT:
        raise PunycodeError(f"input of {len(text)} code points is over the bound of {MAX_INPUT}")
    cps = [ord(c) for c in text]
    for i, cp in enumerate(cps):
        if 0xD800 <= cp <= 0xDFFF:
            raise PunycodeError(f"U+{cp:04X} is a surrogate, not a Unicode scalar value", i + 1)
    out = [c for c in text if c < "\x80"]
    b = h = len(out)
    if b:
        out.append("-")
    # RFC 3492 §6.3 scans the whole input once per distinct code point, which is quadratic.  The
    # same deltas come from visiting the non-basic code points in (code point, position) order and
    # counting, with a Fenwick tree over positions, the already handled code points between two
    # visits: O(n log n).
    total = len(cps)
    tree = [0] * (total + 1)

    def mark(pos: int) -> None:
        pos += 1
        while pos <= total:
            tree[pos] += 1
            pos += pos & -pos

    def before(pos: int) -> int:  # handled code points at positions < pos
        count = 0
        while pos > 0:
            count += tree[pos]
            pos -= pos & -pos
        return count

    for pos, cp in enumerate(cps):
        if cp < 0x80:
            mark(pos)
    order = sorted((cp, pos) for pos, cp in enumerate(cps) if cp >= 0x80)
    n, delta, bias = _INITIAL_N, 0, _INITIAL_BIAS
    digits = _DIGITS
    k_order = 0
    while k_order < len(order):
        m = order[k_order][0]
        delta += (m - n) * (h + 1)
        if delta > _MAXINT:
            raise PunycodeError("overflow while encoding")
        n = m
        first = k_order
        last = 0  # the scan has counted positions < last
        while k_order < len(order) and order[k_order][0] == m:
            pos = order[k_order][1]
            delta += before(pos) - before(last)
            q = delta
            k = _BASE
            while True:
                t = _TMIN if k <= bias else _TMAX if k >= bias + _TMAX else k - bias
                if q < t:
                    break
                out.append(digits[t + (q - t) % (_BASE - t)])
                q = (q - t) // (_BASE - t)
                k += _BASE
            out.append(digits[q])
            bias = _adapt(delta, h + 1, h == b)
            delta = 0
            h += 1
            last = pos + 1
            k_order += 1
        if h == total:
            break
        delta += before(total) - before(last)  # the rest of the scan
        for _, pos in order[first:k_order]:
            mark(pos)
        delta += 1
        n += 1
    return "".join(out)


def decode(text: str) -> str:
    """Decode Punycode ``text`` (without the ``xn--`` prefix).  RFC 3492 §6.2.

    Raises :class:`PunycodeError` naming the position for a non-basic code point, a bad digit,
    a truncated integer, an overflow or a result outside the Unicode code space.

    >>> decode("bcher-kva")
    'bücher'
    """
    if _c_decode is not None:
        fast: str | None = _c_decode(text)
        if fast is not None:
            return fast
    # The C decoder returns None for every input it rejects: the reference decoder names the error.
    return decode_python(text)


def decode_python(text: str) -> str:
    """The reference decoder; the C accelerator must give the same output and reject the same input."""
    if len(text) > MAX_INPUT:
        raise PunycodeError(f"input of {len(text)} characters is over the bound of {MAX_INPUT}")
    # RFC 3492 §6.2: the basic code points are those before the last delimiter; with none of
    # them (no delimiter, or one at the very start) decoding starts at the beginning.
    cut = text.rfind("-")
    basic, start = (text[:cut], cut + 1) if cut > 0 else ("", 0)
    for i, ch in enumerate(basic):
        if ch >= "\x80":
            raise PunycodeError(f"U+{ord(ch):04X} is not a basic (ASCII) code point", i + 1)
    output = [ord(c) for c in basic]
    n, i, bias = _INITIAL_N, 0, _INITIAL_BIAS
    pos = start
    end = len(text)
    value = _DIGIT_VALUE
    while pos < end:
        oldi, w, k = i, 1, _BASE
        while True:
            if pos >= end:
                raise PunycodeError("the input ends in the middle of a variable-length integer", end)
            ch = text[pos]
            digit = value.get(ch)
            if digit is None:
                raise PunycodeError(f"{ch!r} (U+{ord(ch):04X}) is not a Punycode digit", pos + 1)
            pos += 1
            if digit > (_MAXINT - i) // w:
                raise PunycodeError("overflow while decoding", pos)
            i += digit * w
            t = _TMIN if k <= bias else _TMAX if k >= bias + _TMAX else k - bias
            if digit < t:
                break
            if w > _MAXINT // (_BASE - t):
                raise PunycodeError("overflow while decoding", pos)
            w *= _BASE - t
            k += _BASE
        length = len(output) + 1
        bias = _adapt(i - oldi, length, oldi == 0)
        if i // length > _MAXINT - n:
            raise PunycodeError("overflow while decoding", pos)
        n += i // length
        i %= length
        if n > 0x10FFFF:
            raise PunycodeError(f"decodes to {n:#x}, beyond the Unicode code space", pos)
        if 0xD800 <= n <= 0xDFFF:
            raise PunycodeError(f"decodes to surrogate U+{n:04X}, not a Unicode scalar value", pos)
        if n < 0x80:
            # RFC 3492 §6.2 leaves this to the application; a basic code point is never encoded.
            raise PunycodeError(f"decodes to basic code point U+{n:04X} in the encoded part", pos)
        # RFC 3492's list insertion: O(n) per code point, but a memmove of at most MAX_INPUT
        # pointers, invisible next to the interpreted loop at this bound (bench_adversarial.py:
        # decode_python grows 2.0x per doubling up to it).  The C decoder places them in O(n log n).
        output.insert(i, n)
        i += 1
    return "".join(map(chr, output))


def unicode_form(name: str) -> str:
    """The name with every ``xn--`` label decoded (labels that do not decode to a U-label are kept)."""
    if "xn--" not in name and "XN--" not in name.upper():
        return name
    labels = name.split(".")
    for i, label in enumerate(labels):
        if label[:4].lower() == "xn--":
            try:
                decoded = decode(label[4:].lower())
            except PunycodeError:
                continue
            if not decoded.isascii():  # an ASCII result is a fake A-label (RFC 5890 §2.3.2.1): keep it
                labels[i] = decoded
    return ".".join(labels)
