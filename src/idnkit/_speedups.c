/* RFC 3492 Punycode encoder in C: the one hot loop of IDNA that Python cannot make fast.
 *
 * It mirrors _punycode.encode() exactly (a property test holds the two together).  It returns
 * None instead of raising for anything unusual (over-long input, surrogates, overflow), and the
 * Python implementation then produces the precise error.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>

enum { BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700, INITIAL_BIAS = 72, INITIAL_N = 0x80 };
#define MAXINT 0x7FFFFFFFu
#define MAX_INPUT 1024
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
    uint64_t order[MAX_INPUT];
    uint16_t tree[MAX_INPUT + 1] = {0};
    char out[MAX_INPUT * (MAX_DIGITS + 1) + 2];
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
    if (len > MAX_INPUT)
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

static PyMethodDef methods[] = {
    {"encode", encode, METH_O, "Punycode-encode a str (no xn-- prefix); None where Python must decide."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "idnkit._speedups", NULL, -1, methods};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }
