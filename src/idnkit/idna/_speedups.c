/* RFC 3492 Punycode encoder and decoder in C: the hot loops of IDNA that Python cannot make fast.
 *
 * They mirror _punycode.encode_python() and decode_python() exactly (property tests hold them
 * together).  They return None instead of raising for anything unusual (over-long input,
 * surrogates, bad digits, overflow), and the Python implementation then produces the precise
 * error, so the error messages and positions live in one place.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>

enum { BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700, INITIAL_BIAS = 72, INITIAL_N = 0x80 };
#define MAXINT 0x7FFFFFFFu
/* Not MAX_INPUT: <linux/limits.h>, which Python.h pulls in, defines that as 255. */
#define PUNY_MAX_INPUT 1024 /* _punycode.MAX_INPUT */
/* Each delta is below 2^31 and every digit but the last divides it by at least BASE - TMAX = 10. */
#define MAX_DIGITS 11

static const char DIGITS[] = "abcdefghijklmnopqrstuvwxyz0123456789";

static uint32_t adapt(uint32_t delta, uint32_t numpoints, int firsttime)
{
    uint32_t k = 0;
    delta = firsttime ? delta / DAMP : delta / 2;
    delta += delta / numpoints;
    while (delta > ((BASE - TMIN) * TMAX) / 2) {
        delta /= BASE - TMIN;
        k += BASE;
    }
    return k + (BASE - TMIN + 1) * delta / (delta + SKEW);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Fenwick tree over positions: how many handled code points lie before a position. */
static void mark(uint16_t *tree, Py_ssize_t len, Py_ssize_t pos)
{
    for (pos++; pos <= len; pos += pos & -pos)
        tree[pos]++;
}

static uint32_t before(const uint16_t *tree, Py_ssize_t pos)
{
    uint32_t count = 0;
    for (; pos > 0; pos -= pos & -pos)
        count += tree[pos];
    return count;
}

/* RFC 3492 §6.3 scans the input once per distinct code point (quadratic); visiting the non-basic
 * code points in (code point, position) order and counting handled ones with the Fenwick tree
 * gives the same deltas in O(n log n). */
static PyObject *encode(PyObject *self, PyObject *arg)
{
    uint64_t order[PUNY_MAX_INPUT];
    uint16_t tree[PUNY_MAX_INPUT + 1] = {0};
    char out[PUNY_MAX_INPUT * (MAX_DIGITS + 1) + 2];
    Py_ssize_t len, i, o = 0, count = 0, k = 0;
    uint32_t b, h, n = INITIAL_N, bias = INITIAL_BIAS;
    uint64_t delta = 0;
    int kind;
    const void *data;

    (void)self;
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "encode() takes a str");
        return NULL;
    }
    len = PyUnicode_GET_LENGTH(arg);
    if (len > PUNY_MAX_INPUT)
        Py_RETURN_NONE;
    kind = PyUnicode_KIND(arg);
    data = PyUnicode_DATA(arg);
    for (i = 0; i < len; i++) {
        uint32_t cp = PyUnicode_READ(kind, data, i);
        if (cp >= 0xD800 && cp <= 0xDFFF)
            Py_RETURN_NONE;
        if (cp < 0x80) {
            out[o++] = (char)cp;
            mark(tree, len, i);
        } else {
            order[count++] = ((uint64_t)cp << 16) | (uint64_t)i;
        }
    }
    b = h = (uint32_t)o;
    if (b > 0)
        out[o++] = '-';
    qsort(order, (size_t)count, sizeof order[0], cmp_u64);
    while (k < count) {
        uint32_t m = (uint32_t)(order[k] >> 16);
        Py_ssize_t first = k, last = 0, j;
        delta += (uint64_t)(m - n) * (h + 1);
        if (delta > MAXINT)
            Py_RETURN_NONE;
        n = m;
        for (; k < count && (uint32_t)(order[k] >> 16) == m; k++) {
            Py_ssize_t pos = (Py_ssize_t)(order[k] & 0xFFFF);
            uint32_t q, kk;
            delta += before(tree, pos) - before(tree, last);
            q = (uint32_t)delta;
            for (kk = BASE;; kk += BASE) {
                uint32_t t = kk <= bias ? TMIN : (kk >= bias + TMAX ? TMAX : kk - bias);
                if (q < t)
                    break;
                out[o++] = DIGITS[t + (q - t) % (BASE - t)];
                q = (q - t) / (BASE - t);
            }
            out[o++] = DIGITS[q];
            bias = adapt((uint32_t)delta, h + 1, h == b);
            delta = 0;
            h++;
            last = pos + 1;
        }
        if (h == (uint32_t)len)
            break;
        delta += before(tree, len) - before(tree, last);
        for (j = first; j < k; j++)
            mark(tree, len, (Py_ssize_t)(order[j] & 0xFFFF));
        delta++;
        n++;
    }
    return PyUnicode_DecodeASCII(out, o, NULL);
}

/* RFC 3492 §5 digit values, upper case accepted as the RFC requires; -1 for a non-digit. */
static int digit_value(Py_UCS4 c)
{
    if (c >= 'a' && c <= 'z')
        return (int)(c - 'a');
    if (c >= 'A' && c <= 'Z')
        return (int)(c - 'A');
    if (c >= '0' && c <= '9')
        return (int)(c - '0') + 26;
    return -1;
}

/* One generalized variable-length integer (RFC 3492 §6.2 inner loop), added to *i with the §6.4
 * overflow checks, which keep *i and w at or below MAXINT so that uint32_t never wraps.  Returns
 * the position after it, or -1 (truncated, bad digit, overflow) where Python reports the error.
 * It ends within MAX_DIGITS digits: w grows tenfold per digit and overflow stops it. */
static Py_ssize_t read_integer(int kind, const void *data, Py_ssize_t pos, Py_ssize_t end, uint32_t bias,
                               uint32_t *i)
{
    uint32_t w = 1, k;
    for (k = BASE;; k += BASE) {
        uint32_t digit, t;
        int d;
        if (pos >= end)
            return -1;
        d = digit_value(PyUnicode_READ(kind, data, pos));
        if (d < 0)
            return -1;
        pos++;
        digit = (uint32_t)d;
        if (digit > (MAXINT - *i) / w)
            return -1;
        *i += digit * w;
        t = k <= bias ? TMIN : (k >= bias + TMAX ? TMAX : k - bias);
        if (digit < t)
            return pos;
        if (w > MAXINT / (BASE - t))
            return -1;
        w *= BASE - t;
    }
}

/* Take the (p+1)-th free slot out of a Fenwick tree over `len` slots, each holding 1 while free;
 * return its 0-based index.  `step` is the highest power of two not above len. */
static Py_ssize_t take_slot(uint16_t *tree, Py_ssize_t len, Py_ssize_t step, uint32_t p)
{
    Py_ssize_t pos = 0, j;
    uint32_t rank = p + 1;
    for (; step > 0; step >>= 1) {
        if (pos + step <= len && tree[pos + step] < rank) {
            pos += step;
            rank -= tree[pos];
        }
    }
    for (j = pos + 1; j <= len; j += j & -j)
        tree[j]--;
    return pos;
}

/* RFC 3492 §6.2 inserts each decoded code point into the output so far, O(n) a time.  Replayed
 * backwards, the insertion at index p lands in the p-th slot (from 0) of the final output that no
 * later insertion took; the basic code points fill the slots left over, in order.  O(n log n). */
static void place(Py_UCS4 *out, Py_ssize_t total, const Py_UCS4 *basic, const Py_UCS4 *cps, const uint32_t *at,
                  Py_ssize_t count)
{
    uint16_t tree[PUNY_MAX_INPUT + 1];
    unsigned char taken[PUNY_MAX_INPUT] = {0};
    Py_ssize_t j, step = 1, next = 0;
    for (j = 1; j <= total; j++)
        tree[j] = (uint16_t)(j & -j); /* every slot free: each node counts the slots it covers */
    while (step * 2 <= total)
        step *= 2;
    for (j = count - 1; j >= 0; j--) {
        Py_ssize_t slot = take_slot(tree, total, step, at[j]);
        out[slot] = cps[j];
        taken[slot] = 1;
    }
    for (j = 0; j < total; j++)
        if (!taken[j])
            out[j] = basic[next++];
}

static PyObject *decode(PyObject *self, PyObject *arg)
{
    Py_UCS4 basic[PUNY_MAX_INPUT], cps[PUNY_MAX_INPUT], out[PUNY_MAX_INPUT];
    uint32_t at[PUNY_MAX_INPUT]; /* the index each non-basic code point was inserted at */
    Py_ssize_t len, cut, b, pos, count = 0;
    uint32_t n = INITIAL_N, i = 0, bias = INITIAL_BIAS;
    int kind;
    const void *data;

    (void)self;
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "decode() takes a str");
        return NULL;
    }
    len = PyUnicode_GET_LENGTH(arg);
    if (len > PUNY_MAX_INPUT)
        Py_RETURN_NONE; /* before reading a character: a huge input costs nothing */
    kind = PyUnicode_KIND(arg);
    data = PyUnicode_DATA(arg);
    /* The basic code points are those before the last delimiter; with none before it (no
     * delimiter, or one at the very start) decoding starts at the beginning. */
    for (cut = len - 1; cut >= 0 && PyUnicode_READ(kind, data, cut) != '-'; cut--)
        ;
    b = cut > 0 ? cut : 0;
    for (pos = 0; pos < b; pos++) {
        basic[pos] = PyUnicode_READ(kind, data, pos);
        if (basic[pos] >= 0x80)
            Py_RETURN_NONE;
    }
    /* Every integer takes at least one character after the cut, so count + b < len <= PUNY_MAX_INPUT:
     * the arrays cannot overflow, and `length` below stays far from 2^32. */
    for (pos = cut > 0 ? cut + 1 : 0; pos < len; count++) {
        uint32_t oldi = i, length = (uint32_t)(b + count + 1);
        pos = read_integer(kind, data, pos, len, bias, &i);
        if (pos < 0)
            Py_RETURN_NONE;
        bias = adapt(i - oldi, length, oldi == 0);
        if (i / length > MAXINT - n)
            Py_RETURN_NONE;
        n += i / length;
        i %= length;
        /* Beyond the code space, a surrogate, or basic (never encoded, RFC 3492 §6.2 leaves it to
         * the application): Python names the problem. */
        if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF) || n < 0x80)
            Py_RETURN_NONE;
        cps[count] = n;
        at[count] = i;
        i++;
    }
    place(out, b + count, basic, cps, at, count);
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, b + count);
}

static PyMethodDef methods[] = {
    {"encode", encode, METH_O, "Punycode-encode a str (no xn-- prefix); None where Python must decide."},
    {"decode", decode, METH_O, "Punycode-decode a str (no xn-- prefix); None where Python must decide."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "idnkit._speedups", NULL, -1, methods};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }
