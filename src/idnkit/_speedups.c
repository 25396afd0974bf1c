/* RFC 3492 Punycode encoder in C: the one hot loop of IDNA that Python cannot make fast.
 *
 * It mirrors _punycode.encode() exactly (a property test holds the two together).  It returns
 * None instead of raising for anything unusual (over-long input, surrogates, overflow), and the
 * Python implementation then produces the precise error.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

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

static PyObject *encode(PyObject *self, PyObject *arg)
{
    uint32_t cps[MAX_INPUT];
    char out[MAX_INPUT * (MAX_DIGITS + 1) + 2];
    Py_ssize_t len, i, o = 0;
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
        cps[i] = cp;
        if (cp < 0x80)
            out[o++] = (char)cp;
    }
    b = h = (uint32_t)o;
    if (b > 0)
        out[o++] = '-';
    while (h < (uint32_t)len) {
        uint32_t m = UINT32_MAX;
        for (i = 0; i < len; i++)
            if (cps[i] >= n && cps[i] < m)
                m = cps[i];
        delta += (uint64_t)(m - n) * (h + 1);
        if (delta > MAXINT)
            Py_RETURN_NONE;
        n = m;
        for (i = 0; i < len; i++) {
            uint32_t c = cps[i];
            if (c < n) {
                delta++;
            } else if (c == n) {
                uint32_t q = (uint32_t)delta, k;
                for (k = BASE;; k += BASE) {
                    uint32_t t = k <= bias ? TMIN : (k >= bias + TMAX ? TMAX : k - bias);
                    if (q < t)
                        break;
                    out[o++] = DIGITS[t + (q - t) % (BASE - t)];
                    q = (q - t) / (BASE - t);
                }
                out[o++] = DIGITS[q];
                bias = adapt((uint32_t)delta, h + 1, h == b);
                delta = 0;
                h++;
            }
        }
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
