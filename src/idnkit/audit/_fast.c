/* The zone audit's per-name work on plain ASCII names, in C (idnkit.audit._fast).
 *
 * The audit's pass 1 (_auditor.py) hashes every owner name, tells the plain LDH host names under
 * the origin (RFC 952 / RFC 1123 §2.1 letters, digits and hyphens, RFC 5891 §4.2.3.1: no "--" in
 * positions 3 and 4) from the rest, keys the plain ones for collisions (a per-byte table of each
 * key source: the UTS #39 §4 skeleton of ASCII text maps byte by byte) and counts their classes;
 * every other name goes back to Python (_Auditor._slow), which words every finding.  This module
 * does the first part for a batch of owner runs (audit_items) or for a whole list of names read
 * from a buffer (audit_list) without a Python object per name.  Hashes are zlib's CRC-32 << 32 |
 * Adler-32 of the bytes, as _auditor.name_hash computes them; the pure-Python path stays, and
 * tests/test_audit_native.py holds the two to identical partials.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAME 254   /* the batch regex's bound: a plain name is at most 254 bytes with its dot */
#define MAX_LABEL 63   /* RFC 1035 §2.3.4 */
#define MAX_SOURCES 8

static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1; /* the reflected CRC-32 of zlib (ISO 3309) */
        crc_table[n] = c;
    }
}

/* crc32(b) << 32 | adler32(b), as zlib computes them (RFC 1950 §8.2 for Adler-32). */
static inline uint64_t name_hash(const unsigned char *p, Py_ssize_t n)
{
    uint32_t crc = 0xFFFFFFFFu, a = 1, b = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
        a += p[i];
        if (a >= 65521)
            a -= 65521;
        b += a;
        if (b >= 65521)
            b -= 65521;
    }
    return (uint64_t)(crc ^ 0xFFFFFFFFu) << 32 | (uint64_t)(b << 16 | a);
}

static inline int is_alnum(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* Whether the lowercase name[0..n) is one or more LDH labels, each followed by a dot. */
static int ldh_labels(const unsigned char *name, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    if (n == 0)
        return 0;
    while (i < n) {
        Py_ssize_t start = i;
        while (i < n && name[i] != '.')
            i++;
        Py_ssize_t len = i - start;
        if (i == n || len == 0 || len > MAX_LABEL) /* every label ends with a dot */
            return 0;
        const unsigned char *l = name + start;
        if (!is_alnum(l[0]) || !is_alnum(l[len - 1]))
            return 0;
        for (Py_ssize_t j = 1; j < len - 1; j++)
            if (!is_alnum(l[j]) && l[j] != '-')
                return 0;
        if (len >= 4 && is_alnum(l[0]) && is_alnum(l[1]) && l[2] == '-' && l[3] == '-')
            return 0; /* RFC 5891 §4.2.3.1 */
        i++;
    }
    return 1;
}

/* A growable array of 64-bit hashes, returned as bytes (array('Q').frombytes reads them). */
typedef struct {
    uint64_t *v;
    Py_ssize_t n, cap;
} Hashes;

static int push(Hashes *h, uint64_t x)
{
    if (h->n == h->cap) {
        Py_ssize_t cap = h->cap ? h->cap * 2 : 4096;
        uint64_t *v = PyMem_Realloc(h->v, (size_t)cap * sizeof *v);
        if (v == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        h->v = v;
        h->cap = cap;
    }
    h->v[h->n++] = x;
    return 0;
}

/* One key source's ASCII table: the key bytes of each byte value below 128. */
typedef struct {
    const char *s[128];
    Py_ssize_t len[128];
} Table;

/* What a batch carries between names. */
typedef struct {
    const unsigned char *suffix; /* b"." + origin, or b"." for the root */
    Py_ssize_t suffix_len;
    int root;
    long origin_labels, ns, addr;
    int ntables;
    Table tables[MAX_SOURCES];
    Hashes names, keys[MAX_SOURCES];
    Py_ssize_t plain, delegations, hosts, deeper, other;
    unsigned char lowered[MAX_NAME + 1], key[MAX_NAME * 32];
} Batch;

/* Hash one owner name; 1 when it is plain (hashed, keyed, counted), 0 when Python must see it. */
static int one_name(Batch *bt, const unsigned char *owner, Py_ssize_t n, long flags, int *error)
{
    unsigned char *low = bt->lowered;
    uint64_t h;
    if (n > MAX_NAME) {
        /* Too long to be plain: hash it from a lowercase copy on the heap. */
        unsigned char *tmp = PyMem_Malloc((size_t)n);
        if (tmp == NULL) {
            PyErr_NoMemory();
            *error = 1;
            return 0;
        }
        for (Py_ssize_t i = 0; i < n; i++)
            tmp[i] = (owner[i] >= 'A' && owner[i] <= 'Z') ? owner[i] + 32 : owner[i];
        h = name_hash(tmp, n);
        PyMem_Free(tmp);
        if (push(&bt->names, h) < 0)
            *error = 1;
        return 0;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        low[i] = (owner[i] >= 'A' && owner[i] <= 'Z') ? owner[i] + 32 : owner[i]; /* bytes.lower */
    if (push(&bt->names, name_hash(low, n)) < 0) {
        *error = 1;
        return 0;
    }
    Py_ssize_t rel = n - bt->suffix_len; /* the name below the origin (keys are relative) */
    if (bt->root) {
        if (!ldh_labels(low, n))
            return 0;
        rel = n - 1;
    } else if (rel < 1 || memcmp(low + rel, bt->suffix, (size_t)bt->suffix_len) != 0 || !ldh_labels(low, rel + 1)) {
        return 0;
    }
    for (int t = 0; t < bt->ntables; t++) {
        const Table *tb = &bt->tables[t];
        Py_ssize_t k = 0;
        for (Py_ssize_t i = 0; i < rel; i++) {
            memcpy(bt->key + k, tb->s[low[i]], (size_t)tb->len[low[i]]);
            k += tb->len[low[i]];
        }
        if (push(&bt->keys[t], name_hash(bt->key, k)) < 0) {
            *error = 1;
            return 0;
        }
    }
    bt->plain++;
    if (flags & bt->ns)
        bt->delegations++;
    else if (flags & bt->addr)
        bt->hosts++;
    else {
        long dots = 0;
        for (Py_ssize_t i = 0; i < n; i++)
            dots += low[i] == '.';
        if (dots - bt->origin_labels > 1)
            bt->deeper++;
        else
            bt->other++;
    }
    return 1;
}

/* Parse (suffix, root, origin_labels, ns, addr, tables) into a Batch. */
static int setup(Batch *bt, PyObject *suffix, int root, long origin_labels, long ns, long addr, PyObject *tables)
{
    memset(bt, 0, offsetof(Batch, lowered));
    if (!PyBytes_Check(suffix) || !PyTuple_Check(tables) || PyTuple_GET_SIZE(tables) > MAX_SOURCES) {
        PyErr_SetString(PyExc_TypeError, "suffix is bytes, tables a tuple of at most 8 tables");
        return -1;
    }
    bt->suffix = (const unsigned char *)PyBytes_AS_STRING(suffix);
    bt->suffix_len = PyBytes_GET_SIZE(suffix);
    bt->root = root;
    bt->origin_labels = origin_labels;
    bt->ns = ns;
    bt->addr = addr;
    bt->ntables = (int)PyTuple_GET_SIZE(tables);
    for (int t = 0; t < bt->ntables; t++) {
        PyObject *table = PyTuple_GET_ITEM(tables, t);
        if (!PyTuple_Check(table) || PyTuple_GET_SIZE(table) != 128) {
            PyErr_SetString(PyExc_TypeError, "a table is a tuple of 128 bytes");
            return -1;
        }
        for (int c = 0; c < 128; c++) {
            PyObject *s = PyTuple_GET_ITEM(table, c);
            if (!PyBytes_Check(s) || PyBytes_GET_SIZE(s) > 32) {
                PyErr_SetString(PyExc_TypeError, "a table entry is bytes of at most 32");
                return -1;
            }
            bt->tables[t].s[c] = PyBytes_AS_STRING(s);
            bt->tables[t].len[c] = PyBytes_GET_SIZE(s);
        }
    }
    return 0;
}

static void release(Batch *bt)
{
    PyMem_Free(bt->names.v);
    for (int t = 0; t < MAX_SOURCES; t++)
        PyMem_Free(bt->keys[t].v);
}

/* (name_hashes, (key_hashes, ...), (plain, delegations, hosts, deeper, other), odd) */
static PyObject *result(Batch *bt, PyObject *odd)
{
    PyObject *keys = PyTuple_New(bt->ntables), *out = NULL;
    if (keys == NULL)
        return NULL;
    for (int t = 0; t < bt->ntables; t++) {
        PyObject *b = PyBytes_FromStringAndSize(bt->keys[t].v ? (const char *)bt->keys[t].v : "", bt->keys[t].n * 8);
        if (b == NULL) {
            Py_DECREF(keys);
            return NULL;
        }
        PyTuple_SET_ITEM(keys, t, b);
    }
    /* y# of a NULL pointer would give None: an empty batch has empty bytes */
    out = Py_BuildValue("(y#N(nnnnn)O)", bt->names.v ? (const char *)bt->names.v : "", bt->names.n * 8, keys, bt->plain,
                        bt->delegations, bt->hosts, bt->deeper, bt->other, odd);
    return out;
}

/* audit_items(items, suffix, root, origin_labels, NS, ADDR, tables): items are (owner, line, flags)
 * tuples; odd is the list of the indexes of the names Python must check. */
static PyObject *audit_items(PyObject *self, PyObject *args)
{
    PyObject *items, *suffix, *tables, *odd = NULL, *out = NULL;
    int root, error = 0;
    long origin_labels, ns, addr;
    Batch *bt;
    (void)self;
    if (!PyArg_ParseTuple(args, "O!O!plllO!", &PyList_Type, &items, &PyBytes_Type, &suffix, &root, &origin_labels,
                          &ns, &addr, &PyTuple_Type, &tables))
        return NULL;
    bt = PyMem_Malloc(sizeof *bt);
    if (bt == NULL)
        return PyErr_NoMemory();
    if (setup(bt, suffix, root, origin_labels, ns, addr, tables) < 0 || (odd = PyList_New(0)) == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++) {
        PyObject *item = PyList_GET_ITEM(items, i), *owner, *flags;
        long f;
        if (!PyTuple_CheckExact(item) || PyTuple_GET_SIZE(item) != 3 || !PyBytes_Check(owner = PyTuple_GET_ITEM(item, 0)) ||
            !PyLong_Check(flags = PyTuple_GET_ITEM(item, 2))) {
            PyErr_SetString(PyExc_TypeError, "audit_items() takes (owner, line, flags) tuples");
            goto done;
        }
        f = PyLong_AsLong(flags);
        if (f == -1 && PyErr_Occurred())
            goto done;
        if (!one_name(bt, (const unsigned char *)PyBytes_AS_STRING(owner), PyBytes_GET_SIZE(owner), f, &error)) {
            PyObject *index;
            if (error)
                goto done;
            index = PyLong_FromSsize_t(i);
            if (index == NULL || PyList_Append(odd, index) < 0) {
                Py_XDECREF(index);
                goto done;
            }
            Py_DECREF(index);
        }
    }
    out = result(bt, odd);
done:
    Py_XDECREF(odd);
    release(bt);
    PyMem_Free(bt);
    return out;
}

static inline int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C; }

/* audit_list(data, start_line, max_line, suffix, root, origin_labels, NS, ADDR, tables): the lines of a name
 * list (LF, CR LF or a lone CR end a line; blank and # lines skipped; a missing final dot added);
 * odd holds (owner, line, 0) of the names Python must check.  Also returns the names counted and
 * the first and last owner (or None). */
static PyObject *audit_list(PyObject *self, PyObject *args)
{
    Py_buffer data;
    PyObject *suffix, *tables, *odd = NULL, *out = NULL, *first = NULL, *last = NULL, *res = NULL;
    Py_ssize_t start_line, names = 0, last_start = -1, last_len = 0;
    int root, error = 0, last_dot = 0;
    long origin_labels, ns, addr;
    Batch *bt;
    unsigned char *owner = NULL;
    Py_ssize_t owner_cap = 0;
    (void)self;
    Py_ssize_t max_line;
    if (!PyArg_ParseTuple(args, "y*nnO!plllO!", &data, &start_line, &max_line, &PyBytes_Type, &suffix, &root,
                          &origin_labels, &ns, &addr, &PyTuple_Type, &tables))
        return NULL;
    /* A line over max_line is a zone.line_too_long problem, which the Python path words: None, and
     * nothing read, when the buffer holds one. */
    {
        const unsigned char *q = data.buf;
        Py_ssize_t run = 0;
        for (Py_ssize_t i = 0; i < data.len; i++) {
            if (q[i] == '\n' || q[i] == '\r')
                run = 0;
            else if (++run > max_line) {
                PyBuffer_Release(&data);
                Py_RETURN_NONE;
            }
        }
    }
    bt = PyMem_Malloc(sizeof *bt);
    if (bt == NULL) {
        PyBuffer_Release(&data);
        return PyErr_NoMemory();
    }
    if (setup(bt, suffix, root, origin_labels, ns, addr, tables) < 0 || (odd = PyList_New(0)) == NULL)
        goto done;
    const unsigned char *p = data.buf;
    Py_ssize_t len = data.len, pos = 0, line = start_line;
    while (pos <= len) {
        Py_ssize_t end = pos;
        while (end < len && p[end] != '\n' && p[end] != '\r')
            end++;
        Py_ssize_t a = pos, b = end;
        while (a < b && is_space(p[a]))
            a++;
        while (b > a && is_space(p[b - 1]))
            b--;
        if (b > a && p[a] != '#') {
            Py_ssize_t n = b - a;
            int dot = p[b - 1] == '.';
            if (n + !dot > owner_cap) {
                owner_cap = (n + 1) * 2;
                PyMem_Free(owner);
                owner = PyMem_Malloc((size_t)owner_cap);
                if (owner == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
            }
            memcpy(owner, p + a, (size_t)n);
            if (!dot)
                owner[n++] = '.';
            names++;
            if (first == NULL && (first = PyBytes_FromStringAndSize((const char *)owner, n)) == NULL)
                goto done;
            last_start = a;
            last_len = b - a;
            last_dot = dot;
            if (!one_name(bt, owner, n, 0, &error)) {
                PyObject *item;
                if (error)
                    goto done;
                item = Py_BuildValue("(y#ni)", (const char *)owner, n, line, 0);
                if (item == NULL || PyList_Append(odd, item) < 0) {
                    Py_XDECREF(item);
                    goto done;
                }
                Py_DECREF(item);
            }
        }
        if (end >= len)
            break;
        pos = end + 1 + (p[end] == '\r' && end + 1 < len && p[end + 1] == '\n');
        line++;
    }
    if (last_start >= 0) {
        last = PyBytes_FromStringAndSize(NULL, last_len + !last_dot);
        if (last == NULL)
            goto done;
        memcpy(PyBytes_AS_STRING(last), p + last_start, (size_t)last_len);
        if (!last_dot)
            PyBytes_AS_STRING(last)[last_len] = '.';
    }
    res = result(bt, odd);
    if (res != NULL)
        out = Py_BuildValue("(NnOO)", res, names, first ? first : Py_None, last ? last : Py_None);
done:
    Py_XDECREF(odd);
    Py_XDECREF(first);
    Py_XDECREF(last);
    PyMem_Free(owner);
    release(bt);
    PyMem_Free(bt);
    PyBuffer_Release(&data);
    return out;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* sort_hashes(array('Q')): sorts the hashes in place (a partition's name hashes, a million of them,
 * took a second through sorted() and back into an array). */
static PyObject *sort_hashes(PyObject *self, PyObject *arg)
{
    Py_buffer view;
    (void)self;
    if (PyObject_GetBuffer(arg, &view, PyBUF_WRITABLE | PyBUF_FORMAT) < 0)
        return NULL;
    if (view.itemsize != 8 || view.format == NULL || (strcmp(view.format, "Q") != 0 && strcmp(view.format, "L") != 0)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_TypeError, "sort_hashes() takes an array('Q')");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    qsort(view.buf, (size_t)(view.len / 8), 8, cmp_u64);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

static PyObject *hash_of(PyObject *self, PyObject *arg)
{
    (void)self;
    if (!PyBytes_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "name_hash() takes bytes");
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(name_hash((const unsigned char *)PyBytes_AS_STRING(arg), PyBytes_GET_SIZE(arg)));
}

static PyMethodDef methods[] = {
    {"audit_items", audit_items, METH_VARARGS,
     "audit_items(items, suffix, root, origin_labels, NS, ADDR, tables) -> (hashes, keys, counts, odd indexes)"},
    {"audit_list", audit_list, METH_VARARGS,
     "audit_list(data, start_line, max_line, suffix, root, origin_labels, NS, ADDR, tables) -> ((hashes, keys, counts, odd), "
     "names, first, last)"},
    {"sort_hashes", sort_hashes, METH_O, "sort_hashes(array('Q')) sorts it in place."},
    {"name_hash", hash_of, METH_O, "name_hash(b) -> zlib.crc32(b) << 32 | zlib.adler32(b)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "idnkit.audit._fast", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fast(void)
{
    crc_init();
    return PyModule_Create(&module);
}
