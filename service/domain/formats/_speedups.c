/* Compiled hot paths of the codecs. Each function has a Python reference that defines
 * it, and tests hold the two to the same result on random inputs:
 *   kialo_layout  <-> kialo._layout_py   the numbered tree of a Kialo export
 *   ref_codes     <-> _util._ref_codes_py   what kind of node each reference names
 * The install builds this module when a C compiler is present; without one the
 * references run instead.
 *
 * Why compiled: on a 100,000-statement map these paths are bound by memory, not logic.
 * Resolving an id is a lookup in a 100,000-key dict, several cache misses each (index
 * table, entry, key string, value object), and each column read from the Structs is
 * another pass over 100,000 scattered objects. Here:
 *   - every element is read once, its fields taken straight from the Struct's slots;
 *   - one compact open-addressing table holds hash, key and position side by side;
 *   - lookups go in batches whose memory loads are prefetched together, so they overlap;
 *   - the Kialo walk keeps the current number in a small buffer and writes the document
 *     straight into the bytes object that is returned.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifndef Py_T_OBJECT_EX
#include <structmember.h>
#define Py_T_OBJECT_EX T_OBJECT_EX
#endif

/* A hint only: compilers without it just wait for memory. */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(address) __builtin_prefetch(address)
#else
#define PREFETCH(address) ((void)(address))
#endif

/* ---- fields of Structs ------------------------------------------------------------ */

/* One attribute read many times. For a class whose attribute is a plain slot (msgspec
 * Structs, classes with __slots__) the value is read at its offset; anything else goes
 * through the normal attribute lookup. The offset is found once per class. */
typedef struct {
    const char *name;
    PyObject *interned;
    PyTypeObject *type; /* the class `offset` belongs to */
    Py_ssize_t offset;  /* -1: use PyObject_GetAttr */
} Field;

static int field_init(Field *f, const char *name) {
    f->name = name;
    f->interned = PyUnicode_InternFromString(name);
    f->type = NULL;
    f->offset = -1;
    return f->interned == NULL ? -1 : 0;
}

static void field_clear(Field *f) { Py_CLEAR(f->interned); }

/* A new reference to `obj.<name>`, or NULL with an exception set. */
static PyObject *field_get(Field *f, PyObject *obj) {
    PyTypeObject *type = Py_TYPE(obj);
    if (type != f->type) {
        f->type = type;
        f->offset = -1;
        if (type->tp_getattro == PyObject_GenericGetAttr) {
            PyObject *descr = PyObject_GetAttr((PyObject *)type, f->interned);
            if (descr == NULL) {
                PyErr_Clear(); /* the instance lookup below raises the right error */
            } else {
                if (Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
                    PyMemberDescrObject *member = (PyMemberDescrObject *)descr;
                    if (member->d_member->type == Py_T_OBJECT_EX && PyType_IsSubtype(type, PyDescr_TYPE(member))) {
                        f->offset = member->d_member->offset;
                    }
                }
                Py_DECREF(descr);
            }
        }
    }
    if (f->offset >= 0) {
        PyObject *value = *(PyObject **)((char *)obj + f->offset);
        if (value != NULL) {
            return Py_NewRef(value);
        }
    }
    return PyObject_GetAttr(obj, f->interned);
}

/* ---- owned references --------------------------------------------------------------- */

typedef struct {
    PyObject **items;
    Py_ssize_t len;
    Py_ssize_t cap;
} Refs;

/* Appends `obj`, taking over the reference (also on failure). */
static int refs_push(Refs *r, PyObject *obj) {
    if (r->len == r->cap) {
        Py_ssize_t cap = r->cap ? r->cap * 2 : 1024;
        PyObject **items = realloc(r->items, sizeof(PyObject *) * (size_t)cap);
        if (items == NULL) {
            Py_DECREF(obj);
            PyErr_NoMemory();
            return -1;
        }
        r->items = items;
        r->cap = cap;
    }
    r->items[r->len++] = obj;
    return 0;
}

static void refs_clear(Refs *r) {
    for (Py_ssize_t k = 0; k < r->len; k++) {
        Py_DECREF(r->items[k]);
    }
    free(r->items);
    r->items = NULL;
    r->len = r->cap = 0;
}

/* ---- ids to positions --------------------------------------------------------------- */

typedef struct {
    Py_hash_t hash;
    PyObject *key; /* NULL marks a free slot */
    Py_ssize_t pos;
} Slot;

typedef struct {
    Slot *slots;
    size_t mask;
} Table;

static int str_hash(PyObject *s, Py_hash_t *hash) {
    if (!PyUnicode_CheckExact(s)) {
        PyErr_Format(PyExc_TypeError, "statement ids must be str, not %.100s", Py_TYPE(s)->tp_name);
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(s) < 0) {
        return -1;
    }
#endif
    *hash = PyObject_Hash(s); /* cached in the str after the first time */
    return *hash == -1 ? -1 : 0;
}

static int same_str(PyObject *a, PyObject *b) {
    if (a == b) {
        return 1;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(a);
    int kind = PyUnicode_KIND(a);
    return len == PyUnicode_GET_LENGTH(b) && kind == (int)PyUnicode_KIND(b) &&
           memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)len * (size_t)kind) == 0;
}

/* The slot holding `key`, or the free slot where it belongs. Linear probing: the next
 * slot usually sits in the same cache line. */
static Slot *table_slot(const Table *t, PyObject *key, Py_hash_t hash) {
    size_t i = (size_t)hash & t->mask;
    for (;;) {
        Slot *s = &t->slots[i];
        if (s->key == NULL || (s->hash == hash && same_str(s->key, key))) {
            return s;
        }
        i = (i + 1) & t->mask;
    }
}

#define BATCH 16

/* Positions 0..n-1 for `keys`; a repeated key keeps its last position, as dict() does,
 * and `*repeated` (when given) counts the keys that repeat an earlier one. */
static int table_build(Table *t, PyObject **keys, Py_ssize_t n, Py_ssize_t *repeated) {
    size_t size = 8;
    while (size < (size_t)n * 2 + 1) {
        size <<= 1;
    }
    t->slots = calloc(size, sizeof(Slot));
    if (t->slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    t->mask = size - 1;
    Py_hash_t hashes[BATCH];
    for (Py_ssize_t base = 0; base < n; base += BATCH) {
        int count = n - base < BATCH ? (int)(n - base) : BATCH;
        for (int j = 0; j < count; j++) {
            if (str_hash(keys[base + j], &hashes[j]) < 0) {
                return -1;
            }
            PREFETCH(&t->slots[(size_t)hashes[j] & t->mask]);
        }
        for (int j = 0; j < count; j++) {
            Slot *s = table_slot(t, keys[base + j], hashes[j]);
            if (repeated != NULL && s->key != NULL) {
                (*repeated)++;
            }
            s->hash = hashes[j];
            s->key = keys[base + j];
            s->pos = base + j;
        }
    }
    return 0;
}

/* The position of every key, into `out`. An unknown key (or one that is not a str) is
 * -1 when `strict` is 0; otherwise it raises KeyError naming the first unknown one.
 *
 * Each lookup waits twice on memory: for its slot, then for the key string it compares
 * with. In a batch every ref's slot is prefetched first, then every candidate's key,
 * then the keys are compared, so the waits of a batch overlap. */
static int table_positions(const Table *t, PyObject **keys, Py_ssize_t m, Py_ssize_t *out, int strict) {
    Py_hash_t hashes[BATCH];
    Slot *found[BATCH];
    for (Py_ssize_t base = 0; base < m; base += BATCH) {
        int count = m - base < BATCH ? (int)(m - base) : BATCH;
        for (int j = 0; j < count; j++) {
            if (!strict && !PyUnicode_CheckExact(keys[base + j])) {
                hashes[j] = -1; /* no str hashes to -1: the marker of "not a str" */
                continue;
            }
            if (str_hash(keys[base + j], &hashes[j]) < 0) {
                return -1;
            }
            PREFETCH(&t->slots[(size_t)hashes[j] & t->mask]);
        }
        for (int j = 0; j < count; j++) {
            if (hashes[j] == -1) {
                found[j] = NULL;
                continue;
            }
            /* the first slot with this hash, or the free slot that ends the run */
            size_t i = (size_t)hashes[j] & t->mask;
            while (t->slots[i].key != NULL && t->slots[i].hash != hashes[j]) {
                i = (i + 1) & t->mask;
            }
            found[j] = &t->slots[i];
            if (found[j]->key != NULL) {
                PREFETCH(found[j]->key);
                PREFETCH((const char *)found[j]->key + 64);
            }
        }
        for (int j = 0; j < count; j++) {
            PyObject *key = keys[base + j];
            Slot *s = found[j];
            if (s != NULL && s->key != NULL && !same_str(s->key, key)) {
                s = table_slot(t, key, hashes[j]); /* an equal hash but another id: probe on */
            }
            if (s == NULL || s->key == NULL) {
                if (strict) {
                    PyErr_SetObject(PyExc_KeyError, key);
                    return -1;
                }
                out[base + j] = -1;
                continue;
            }
            out[base + j] = s->pos;
        }
    }
    return 0;
}

/* ---- the document ------------------------------------------------------------------- */

/* Bytes written straight into the bytes object that is returned. */
typedef struct {
    PyObject *bytes;
    char *data;
    Py_ssize_t len;
    Py_ssize_t cap;
} Buffer;

static int buf_init(Buffer *b, Py_ssize_t cap) {
    b->bytes = PyBytes_FromStringAndSize(NULL, cap);
    b->data = b->bytes ? PyBytes_AS_STRING(b->bytes) : NULL;
    b->len = 0;
    b->cap = cap;
    return b->bytes == NULL ? -1 : 0;
}

static int buf_reserve(Buffer *b, Py_ssize_t more) {
    if (b->len + more <= b->cap) {
        return 0;
    }
    Py_ssize_t cap = b->cap;
    while (cap < b->len + more) {
        if (cap > PY_SSIZE_T_MAX / 2) {
            PyErr_NoMemory();
            return -1;
        }
        cap *= 2;
    }
    if (_PyBytes_Resize(&b->bytes, cap) < 0) { /* on failure it has released the object */
        b->data = NULL;
        return -1;
    }
    b->data = PyBytes_AS_STRING(b->bytes);
    b->cap = cap;
    return 0;
}

static int buf_write(Buffer *b, const char *src, Py_ssize_t len) {
    if (buf_reserve(b, len) < 0) {
        return -1;
    }
    memcpy(b->data + b->len, src, (size_t)len);
    b->len += len;
    return 0;
}

static int buf_text(Buffer *b, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "statement texts must be str, not %.100s", Py_TYPE(text)->tp_name);
        return -1;
    }
    if (PyUnicode_IS_ASCII(text)) {
        return buf_write(b, (const char *)PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text));
    }
    /* a temporary: PyUnicode_AsUTF8AndSize would keep a UTF-8 copy on every text */
    PyObject *utf8 = PyUnicode_AsUTF8String(text);
    if (utf8 == NULL) {
        return -1;
    }
    int rc = buf_write(b, PyBytes_AS_STRING(utf8), PyBytes_GET_SIZE(utf8));
    Py_DECREF(utf8);
    return rc;
}

/* "<value>." for value >= 1, at `dst`; returns its length. */
static int ordinal(char *dst, Py_ssize_t value) {
    char digits[24];
    int len = 0;
    do {
        digits[len++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    for (int k = 0; k < len; k++) {
        dst[k] = digits[len - 1 - k];
    }
    dst[len] = '.';
    return len + 1;
}

typedef struct {
    Py_ssize_t pos;     /* the statement */
    Py_ssize_t depth;   /* 1 for a child of the thesis */
    Py_ssize_t ordinal; /* place among its siblings, from 1 */
    int con;
} Pending;

#define UNNUMBERED (-1)
#define THESIS (-2) /* numbered "1." without a line of its own */

/* ---- kialo_layout ------------------------------------------------------------------------- */

/* the fields kialo_layout reads */
enum { ID, PREMISES, CONCLUSION, SCHEME, KIND, ATTACKER, TARGET, N_FIELDS };
static const char *const field_names[N_FIELDS] = {"id", "premises", "conclusion", "scheme", "kind", "attacker", "target"};

static PyObject *kialo_layout(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *statements, *texts, *inferences, *conflicts, *title, *undercut, *fallback;
    Py_ssize_t limit;
    if (!PyArg_ParseTuple(args, "O!O!O!O!UOOn:kialo_layout", &PyList_Type, &statements, &PyList_Type, &texts,
                          &PyList_Type, &inferences, &PyList_Type, &conflicts, &title, &undercut, &fallback, &limit)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(statements);
    if (PyList_GET_SIZE(texts) != n) {
        PyErr_SetString(PyExc_ValueError, "layout: one text per statement");
        return NULL;
    }
    PyObject *result = NULL, *roots = NULL;
    Field f[N_FIELDS];
    memset(f, 0, sizeof f);
    Refs ids = {0}, children = {0}, parents = {0}, loose = {0};
    Table table = {NULL, 0};
    Buffer out = {NULL, NULL, 0, 0};
    Py_ssize_t *child = NULL, *parent = NULL, *loose_at = NULL, *family_start = NULL, *family = NULL;
    Py_ssize_t *root_at = NULL, *num_at = NULL, *num_len = NULL, *path_len = NULL;
    unsigned char *used = NULL;
    char *path = NULL;
    Pending *stack = NULL;
    Py_ssize_t linked = 0, undercuts = 0, schemes = 0, pros;

    for (int k = 0; k < N_FIELDS; k++) {
        if (field_init(&f[k], field_names[k]) < 0) {
            goto done;
        }
    }

    /* One pass per collection. Edges: a pro per premise (a linked inference gives one per
     * premise), then a con per conflict that is not an undercut; undercut attackers are
     * used but hung nowhere. */
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *id = field_get(&f[ID], PyList_GET_ITEM(statements, k));
        if (id == NULL || refs_push(&ids, id) < 0) {
            goto done;
        }
    }
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(inferences); k++) {
        PyObject *inference = PyList_GET_ITEM(inferences, k);
        PyObject *premises = field_get(&f[PREMISES], inference);
        if (premises == NULL) {
            goto done;
        }
        PyObject *seq = PySequence_Fast(premises, "premises must be a sequence");
        Py_DECREF(premises);
        if (seq == NULL) {
            goto done;
        }
        PyObject *conclusion = field_get(&f[CONCLUSION], inference);
        if (conclusion == NULL) {
            Py_DECREF(seq);
            goto done;
        }
        Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
        linked += count != 1;
        for (Py_ssize_t p = 0; p < count; p++) {
            if (refs_push(&children, Py_NewRef(PySequence_Fast_GET_ITEM(seq, p))) < 0 ||
                refs_push(&parents, Py_NewRef(conclusion)) < 0) {
                Py_DECREF(conclusion);
                Py_DECREF(seq);
                goto done;
            }
        }
        Py_DECREF(conclusion);
        Py_DECREF(seq);
        PyObject *scheme = field_get(&f[SCHEME], inference);
        int truthy = scheme == NULL ? -1 : PyObject_IsTrue(scheme);
        Py_XDECREF(scheme);
        if (truthy < 0) {
            goto done;
        }
        schemes += truthy;
    }
    pros = children.len;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(conflicts); k++) {
        PyObject *conflict = PyList_GET_ITEM(conflicts, k);
        PyObject *kind = field_get(&f[KIND], conflict);
        int is_undercut = kind == NULL ? -1 : PyObject_RichCompareBool(kind, undercut, Py_EQ);
        Py_XDECREF(kind);
        if (is_undercut < 0) {
            goto done;
        }
        PyObject *attacker = field_get(&f[ATTACKER], conflict);
        if (attacker == NULL) {
            goto done;
        }
        if (is_undercut) {
            undercuts++;
            if (refs_push(&loose, attacker) < 0) {
                goto done;
            }
            continue;
        }
        PyObject *target = field_get(&f[TARGET], conflict);
        if (target == NULL) {
            Py_DECREF(attacker);
            goto done;
        }
        if (refs_push(&children, attacker) < 0) {
            Py_DECREF(target);
            goto done;
        }
        if (refs_push(&parents, target) < 0) {
            goto done;
        }
    }
    Py_ssize_t m = children.len;

    /* calloc/malloc of zero may give NULL: ask for one item more */
    child = malloc(sizeof(Py_ssize_t) * (size_t)(m + 1));
    parent = malloc(sizeof(Py_ssize_t) * (size_t)(m + 1));
    loose_at = malloc(sizeof(Py_ssize_t) * (size_t)(loose.len + 1));
    family_start = calloc((size_t)n + 2, sizeof(Py_ssize_t));
    family = malloc(sizeof(Py_ssize_t) * (size_t)(m + 1));
    used = calloc((size_t)n + 1, 1);
    num_at = malloc(sizeof(Py_ssize_t) * (size_t)(n + 1));
    num_len = malloc(sizeof(Py_ssize_t) * (size_t)(n + 1));
    if (!child || !parent || !loose_at || !family_start || !family || !used || !num_at || !num_len) {
        PyErr_NoMemory();
        goto done;
    }
    if (table_build(&table, ids.items, n, NULL) < 0 || table_positions(&table, children.items, m, child, 1) < 0 ||
        table_positions(&table, parents.items, m, parent, 1) < 0 ||
        table_positions(&table, loose.items, loose.len, loose_at, 1) < 0) {
        goto done;
    }

    /* Families as one array grouped by parent (a counting sort), each in edge order:
     * afterwards the edges below statement k are family[family_start[k] .. family_start[k + 1]]. */
    for (Py_ssize_t e = 0; e < m; e++) {
        family_start[parent[e] + 2]++;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        family_start[k + 2] += family_start[k + 1];
    }
    for (Py_ssize_t e = 0; e < m; e++) {
        family[family_start[parent[e] + 1]++] = e;
    }

    /* Main claims: statements used nowhere, in document order. */
    for (Py_ssize_t e = 0; e < m; e++) {
        used[child[e]] = 1;
    }
    for (Py_ssize_t e = 0; e < loose.len; e++) {
        used[loose_at[e]] = 1;
    }
    roots = PyList_New(0);
    if (roots == NULL) {
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        if (!used[k]) {
            PyObject *v = PyLong_FromSsize_t(k);
            if (v == NULL || PyList_Append(roots, v) < 0) {
                Py_XDECREF(v);
                goto done;
            }
            Py_DECREF(v);
        }
    }
    if (PyList_GET_SIZE(roots) == 0) {
        Py_SETREF(roots, PyObject_CallNoArgs(fallback));
        if (roots == NULL) {
            goto done;
        }
        if (!PyList_CheckExact(roots)) {
            PyErr_SetString(PyExc_TypeError, "layout: fallback must return a list of positions");
            goto done;
        }
        /* the callback ran Python code, which could have changed the lists */
        if (PyList_GET_SIZE(texts) != n) {
            PyErr_SetString(PyExc_ValueError, "layout: texts changed during the call");
            goto done;
        }
    }
    Py_ssize_t n_roots = PyList_GET_SIZE(roots);
    root_at = malloc(sizeof(Py_ssize_t) * (size_t)(n_roots + 1));
    if (root_at == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t r = 0; r < n_roots; r++) {
        Py_ssize_t k = PyLong_AsSsize_t(PyList_GET_ITEM(roots, r));
        if (k == -1 && PyErr_Occurred()) {
            goto done;
        }
        if (k < 0 || k >= n) {
            PyErr_Format(PyExc_IndexError, "layout: main claim position %zd out of range", k);
            goto done;
        }
        root_at[r] = k;
    }

    /* The head: "Discussion Title: <title>\n\n1. <thesis>", the thesis being the one
     * main claim, or the title when there are several. */
    if (buf_init(&out, 1 << 20) < 0 || buf_write(&out, "Discussion Title: ", 18) < 0 || buf_text(&out, title) < 0 ||
        buf_write(&out, "\n\n1. ", 5) < 0 ||
        (n_roots == 1 ? buf_text(&out, PyList_GET_ITEM(texts, root_at[0])) : buf_text(&out, title)) < 0) {
        goto done;
    }

    /* Depth-first, children in order. Every statement gets a number once; meeting it
     * again writes "-> See <number>". Each push is an edge below a newly numbered
     * statement or a main claim, so the stack never holds more than m + roots, and no
     * line is deeper than that. The number at each depth of the current branch lives in
     * `path`: a line's number is its parent's (the path up to its depth) plus its own
     * ordinal. */
    Py_ssize_t most = m + n_roots + 2;
    stack = malloc(sizeof(Pending) * (size_t)most);
    path_len = malloc(sizeof(Py_ssize_t) * (size_t)most);
    Py_ssize_t path_cap = 4096;
    path = malloc((size_t)path_cap);
    if (!stack || !path_len || !path) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(path, "1.", 2);
    path_len[0] = 2;
    for (Py_ssize_t k = 0; k < n; k++) {
        num_at[k] = UNNUMBERED;
    }
    Py_ssize_t depth = 0;
    if (n_roots == 1) {
        Py_ssize_t top = root_at[0];
        num_at[top] = THESIS;
        for (Py_ssize_t i = family_start[top + 1] - 1; i >= family_start[top]; i--) {
            Py_ssize_t e = family[i];
            stack[depth++] = (Pending){child[e], 1, i - family_start[top] + 1, e >= pros};
        }
    } else {
        for (Py_ssize_t r = n_roots - 1; r >= 0; r--) {
            stack[depth++] = (Pending){root_at[r], 1, r + 1, 0};
        }
    }
    Py_ssize_t reached = n_roots == 1;
    Py_ssize_t numbers = 0; /* characters of line numbers written, "-> See" ones too */
    while (depth > 0) {
        Pending p = stack[--depth];
        if (depth > 0) {
            /* the next line's statement is a random place in memory: start loading it */
            Py_ssize_t next = stack[depth - 1].pos;
            PyObject *text = PyList_GET_ITEM(texts, next);
            PREFETCH(text);
            PREFETCH((const char *)text + 64);
            PREFETCH(&num_at[next]);
            PREFETCH(&family_start[next]);
        }
        if (path_len[p.depth - 1] + 24 > path_cap) {
            path_cap *= 2;
            char *grown = realloc(path, (size_t)path_cap);
            if (grown == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            path = grown;
        }
        path_len[p.depth] = path_len[p.depth - 1] + ordinal(path + path_len[p.depth - 1], p.ordinal);
        Py_ssize_t seen = num_at[p.pos];
        numbers += path_len[p.depth] + (seen == UNNUMBERED ? 0 : seen == THESIS ? 2 : num_len[p.pos]);
        if (numbers > limit) {
            result = Py_NewRef(Py_None);
            goto done;
        }
        Py_ssize_t number_at = out.len + 1;
        if (buf_write(&out, "\n", 1) < 0 || buf_write(&out, path, path_len[p.depth]) < 0 ||
            buf_write(&out, p.con ? " Con: " : " Pro: ", 6) < 0) {
            goto done;
        }
        if (seen != UNNUMBERED) {
            if (buf_write(&out, "-> See ", 7) < 0) {
                goto done;
            }
            if (seen == THESIS) {
                if (buf_write(&out, "1.", 2) < 0) {
                    goto done;
                }
            } else {
                if (buf_reserve(&out, num_len[p.pos]) < 0) { /* first: the copy reads the buffer it grows */
                    goto done;
                }
                memcpy(out.data + out.len, out.data + seen, (size_t)num_len[p.pos]);
                out.len += num_len[p.pos];
            }
            continue;
        }
        num_at[p.pos] = number_at;
        num_len[p.pos] = path_len[p.depth];
        reached++;
        if (buf_text(&out, PyList_GET_ITEM(texts, p.pos)) < 0) {
            goto done;
        }
        Py_ssize_t first = family_start[p.pos], last = family_start[p.pos + 1];
        for (Py_ssize_t i = last - 1; i >= first; i--) {
            Py_ssize_t e = family[i];
            stack[depth++] = (Pending){child[e], p.depth + 1, i - first + 1, e >= pros};
        }
    }
    if (buf_write(&out, "\n", 1) < 0 || _PyBytes_Resize(&out.bytes, out.len) < 0) {
        goto done;
    }
    result = Py_BuildValue("(OOnnnn)", out.bytes, roots, n - reached, linked, undercuts, schemes);

done:
    Py_XDECREF(out.bytes);
    Py_XDECREF(roots);
    for (int k = 0; k < N_FIELDS; k++) {
        field_clear(&f[k]);
    }
    refs_clear(&ids);
    refs_clear(&children);
    refs_clear(&parents);
    refs_clear(&loose);
    free(table.slots);
    free(child);
    free(parent);
    free(loose_at);
    free(family_start);
    free(family);
    free(used);
    free(root_at);
    free(num_at);
    free(num_len);
    free(path_len);
    free(path);
    free(stack);
    return result;
}

/* ---- ref_codes ---------------------------------------------------------------------- */

static PyObject *ref_codes(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *keys, *codes, *refs;
    int missing;
    if (!PyArg_ParseTuple(args, "O!O!O!i:ref_codes", &PyList_Type, &keys, &PyBytes_Type, &codes, &PyList_Type, &refs,
                          &missing)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(keys), m = PyList_GET_SIZE(refs);
    if (PyBytes_GET_SIZE(codes) != n || missing < 0 || missing > 255) {
        PyErr_SetString(PyExc_ValueError, "ref_codes: one code per key, and a missing code from 0 to 255");
        return NULL;
    }
    PyObject *result = NULL;
    Table table = {NULL, 0};
    Py_ssize_t repeated = 0;
    /* the lists' item arrays, borrowed: no Python code runs until they are done with */
    PyObject **key_items = ((PyListObject *)keys)->ob_item;
    PyObject **ref_items = ((PyListObject *)refs)->ob_item;
    Py_ssize_t *at = malloc(sizeof(Py_ssize_t) * (size_t)(m + 1));
    if (at == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (table_build(&table, key_items, n, &repeated) < 0) {
        goto done;
    }
    if (repeated) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    if (table_positions(&table, ref_items, m, at, 0) < 0) {
        goto done;
    }
    result = PyBytes_FromStringAndSize(NULL, m);
    if (result == NULL) {
        goto done;
    }
    const unsigned char *code_of = (const unsigned char *)PyBytes_AS_STRING(codes);
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(result);
    for (Py_ssize_t e = 0; e < m; e++) {
        out[e] = at[e] < 0 ? (unsigned char)missing : code_of[at[e]];
    }

done:
    free(table.slots);
    free(at);
    return result;
}

static PyMethodDef methods[] = {
    {"kialo_layout", kialo_layout, METH_VARARGS, "The text of a Kialo export (see kialo._layout_py, its reference)."},
    {"ref_codes", ref_codes, METH_VARARGS, "The code of the key each reference names (see _util._ref_codes_py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_speedups",
    .m_doc = "Compiled hot paths of the codecs; each has a Python reference (see the C source).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }
