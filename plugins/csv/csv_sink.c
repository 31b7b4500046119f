/* The csv sink: UTF-8, LF, minimal quoting, written through one large
 * buffer to a temporary file beside the target, renamed into place only
 * when the whole run succeeded, so a failed nightly run leaves the last
 * good file where it was. */
#include <stdlib.h>
#include <string.h>

#include <support/hzs_columns.h>
#include <support/hzs_publish.h>

#include "csv_plugin.h"
#include "text.h"

typedef struct csv_sink {
    hz_component *c;
    unsigned char delimiter;
    uint64_t delimiter_word; /* the delimiter in every byte */
    bool header;
    size_t ncols;       /* columns written */
    size_t *from;       /* written column j is input column from[j] */
    bool in_order;      /* every input column, in its order: from[j] == j */
    const char **names; /* their names, for the header (the schema's) */
    bool quote_byte[256];
    hzs_publish out; /* the file, through its temporary one */
} csv_sink;

static const hz_option sink_options[] = {
    {"path", HZ_OPT_PATH, NULL, true,
     "the CSV file to write; missing folders are created (mode 0777 less the umask)", NULL},
    {"delimiter", HZ_OPT_STRING, ",", false, "field separator, one byte (\"\\t\" for a tab)", NULL},
    {"header", HZ_OPT_BOOL, "true", false, "write the column names first", NULL},
    {"columns", HZ_OPT_LIST, NULL, false, "write only these columns, in this order (default: all)", NULL},
    {"fsync", HZ_OPT_BOOL, "true", false,
     "flush the file to disk before publishing it, so a crash never leaves a truncated file", NULL},
    {0},
};

static int sink_create(hz_component *c, void **self) {
    csv_sink *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->c = c;
    hzs_publish_init(&s->out, c, hz->opt_path(c, "path"), hz->opt_bool(c, "fsync"));
    s->header = hz->opt_bool(c, "header");
    if (csv_byte_option(c, "delimiter", &s->delimiter) != 0) return -1;
    if (s->delimiter == '"') {
        hz->config_error(c, hz->option(c, "delimiter"), "the delimiter cannot be the quote character");
        return -1;
    }
    s->delimiter_word = s->delimiter * TEXT_ONES;
    s->quote_byte[s->delimiter] = s->quote_byte['"'] = s->quote_byte['\r'] = s->quote_byte['\n'] = true;
    return 0;
}

static int sink_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)out;
    csv_sink *s = self;
    int claimed = hz->claim_output(c, s->out.path, NULL, hz->option(c, "path"));
    if (hzs_columns_plan(c, in, &s->from, &s->ncols) != 0 || claimed != 0) return -1;
    s->names = hz->xcalloc(s->ncols, sizeof *s->names);
    s->in_order = s->ncols == hz->schema_count(in);
    for (size_t j = 0; j < s->ncols; j++) {
        s->names[j] = hz->schema_name(in, s->from[j]);
        if (s->from[j] != j) s->in_order = false;
    }
    return 0;
}

/* Does w hold the delimiter (in every byte of dw), a quote or a byte
 * below 0x0E (CR, LF, but also a tab: a hint, confirmed byte by byte)?
 * The delimiter comes as an argument, not read from the sink: the output
 * bytes are stored through char pointers, which may alias anything, so a
 * field of the sink would be loaded again after every store. */
static TEXT_HOT uint64_t maybe_special(uint64_t dw, uint64_t w) {
    return text_zero_bytes(w ^ dw) | text_zero_bytes(w ^ ('"' * TEXT_ONES)) |
           ((w - 0x0E * TEXT_ONES) & ~w & TEXT_HIGHS);
}

/* Copy the field to o as it is and say whether it may need quotes, a
 * word at a time (the tail as one overlapping word). */
static TEXT_HOT bool copy_field(const csv_sink *s, uint64_t dw, char *o, const char *p, size_t n) {
    uint64_t found = 0, w;
    if (n < 8) {
        if (n == 0) return false;
        w = text_copy_short(o, (const unsigned char *)p, n);
        found = maybe_special(dw, w);
    } else {
        size_t k = 0;
        for (; k + 8 <= n; k += 8) {
            w = text_load(p + k);
            text_store(o + k, w);
            found |= maybe_special(dw, w);
        }
        if (k < n) {
            w = text_load(p + n - 8);
            text_store(o + n - 8, w);
            found |= maybe_special(dw, w);
        }
    }
    if (!found) return false;
    for (size_t k = 0; k < n; k++)
        if (s->quote_byte[(unsigned char)p[k]]) return true;
    return false;
}

/* Write field p[0..n) at o quoted, quotes doubled; returns the end. */
static TEXT_COLD char *put_quoted(char *o, const char *p, size_t n) {
    *o++ = '"';
    for (size_t k = 0; k < n; k++) {
        if (p[k] == '"') *o++ = '"';
        *o++ = p[k];
    }
    *o++ = '"';
    return o;
}

/* Write field p[0..n) at o, quoted only if it must be; returns the end. */
static TEXT_HOT char *put_field(const csv_sink *s, uint64_t dw, char *o, const char *p, size_t n) {
    if (!copy_field(s, dw, o, p, n)) return o + n;
    return put_quoted(o, p, n);
}

/* The header row: names, each quoted if need be. */
static int put_names(csv_sink *s) {
    for (size_t j = 0; j < s->ncols; j++) {
        size_t n = strlen(s->names[j]);
        if (hzs_publish_reserve(&s->out, 2 * n + 4) != 0) return -1;
        char *o = s->out.buf.data + s->out.buf.len;
        if (j) *o++ = (char)s->delimiter;
        o = put_field(s, s->delimiter_word, o, s->names[j], n);
        if (j + 1 == s->ncols) *o++ = '\n';
        s->out.buf.len = (size_t)(o - s->out.buf.data);
    }
    return 0;
}

/* Make room for a field of n bytes at *o (worst case: every byte a quote,
 * plus the quotes around and a delimiter or line end). */
static inline int field_room(csv_sink *s, char **o, size_t n) {
    hzs_buf *b = &s->out.buf;
    if ((size_t)(b->data + b->cap - *o) >= 2 * n + 4) return 0;
    b->len = (size_t)(*o - b->data);
    if (hzs_publish_reserve(&s->out, 2 * n + 4) != 0) return -1;
    *o = b->data + b->len;
    return 0;
}

/* One row when a single column is written. */
static int put_single(csv_sink *s, const hz_field *f) {
    hzs_buf *b = &s->out.buf;
    char *o = b->data + b->len;
    if (field_room(s, &o, f->len) != 0) return -1;
    if (f->len == 0) {
        /* One empty column would print as a blank line, which readers
         * skip: write it as an empty quoted field. */
        memcpy(o, "\"\"\n", 3);
        o += 3;
    } else {
        o = put_field(s, s->delimiter_word, o, f->ptr, f->len);
        *o++ = '\n';
    }
    b->len = (size_t)(o - b->data);
    return 0;
}

static int sink_open(hz_component *c, void *self) {
    (void)c;
    csv_sink *s = self;
    if (hzs_publish_open(&s->out) != 0) return -1;
    if (s->header) return put_names(s);
    return 0;
}

/* The publish buffer is full: write it out and make room for a field of
 * n bytes, as field_room() does.  Returns the new output position, or
 * NULL after reporting. */
static TEXT_COLD char *make_room(csv_sink *s, const char *o, size_t n) {
    hzs_buf *b = &s->out.buf;
    b->len = (size_t)(o - b->data);
    if (hzs_publish_reserve(&s->out, 2 * n + 4) != 0) return NULL;
    return b->data + b->len;
}

/* The hot paths: every field of the batch, written straight into the
 * publish buffer (make_room() only when it is full).  What the loops need
 * is held in locals (output position and end, fields, the delimiter in
 * every byte of dw), since the stores of output bytes through char
 * pointers would otherwise make the compiler load each of them again for
 * every field; the delimiter itself is dw's low byte, one register less. */

/* Every input column, in its order: the fields of the batch one after the
 * other, no column index to load. */
static int put_rows_in_order(csv_sink *s, const hz_batch *in) {
    const uint64_t dw = s->delimiter_word;
    const size_t ncols = s->ncols;
    char *o = s->out.buf.data + s->out.buf.len, *end = s->out.buf.data + s->out.buf.cap;
    const hz_field *f = in->fields, *last = in->fields + in->nrows * ncols;
    while (f < last) {
        const hz_field *row_end = f + ncols;
        do {
            size_t n = f->len;
            if ((size_t)(end - o) < 2 * n + 4) {
                if (!(o = make_room(s, o, n))) return -1;
                end = s->out.buf.data + s->out.buf.cap;
            }
            o = put_field(s, dw, o, f->ptr, n);
            *o++ = (char)dw;
        } while (++f < row_end);
        o[-1] = '\n'; /* the last delimiter becomes the line end */
    }
    s->out.buf.len = (size_t)(o - s->out.buf.data);
    return 0;
}

/* Chosen columns, through the column map. */
static int put_rows(csv_sink *s, const hz_batch *in) {
    const uint64_t dw = s->delimiter_word;
    const size_t ncols = s->ncols, stride = in->ncols, *from = s->from;
    char *o = s->out.buf.data + s->out.buf.len, *end = s->out.buf.data + s->out.buf.cap;
    const hz_field *row = in->fields, *last = in->fields + in->nrows * stride;
    for (; row < last; row += stride) {
        for (size_t j = 0; j < ncols; j++) {
            const hz_field *f = &row[from[j]];
            size_t n = f->len;
            if ((size_t)(end - o) < 2 * n + 4) {
                if (!(o = make_room(s, o, n))) return -1;
                end = s->out.buf.data + s->out.buf.cap;
            }
            o = put_field(s, dw, o, f->ptr, n);
            *o++ = (char)dw;
        }
        o[-1] = '\n';
    }
    s->out.buf.len = (size_t)(o - s->out.buf.data);
    return 0;
}

static int sink_write(hz_component *c, void *self, const hz_batch *in) {
    (void)c;
    csv_sink *s = self;
    if (in->nrows == 0) return 0;
    if (s->ncols == 1) {
        const size_t stride = in->ncols;
        const hz_field *row = in->fields, *last = in->fields + in->nrows * stride;
        for (; row < last; row += stride)
            if (put_single(s, &row[s->from[0]]) != 0) return -1;
        return 0;
    }
    if (s->in_order && in->ncols == s->ncols) return put_rows_in_order(s, in);
    return put_rows(s, in);
}

/* Everything that can fail: the last bytes written, on disk, closed. */
static int sink_prepare(hz_component *c, void *self) {
    (void)c;
    csv_sink *s = self;
    return hzs_publish_prepare(&s->out);
}

/* Only the rename: the complete file replaces the previous one at once. */
static int sink_commit(hz_component *c, void *self) {
    (void)c;
    csv_sink *s = self;
    return hzs_publish_commit(&s->out);
}

static void sink_abort(hz_component *c, void *self) {
    (void)c;
    csv_sink *s = self;
    hzs_publish_abort(&s->out);
}

static void sink_destroy(void *self) {
    csv_sink *s = self;
    hzs_publish_free(&s->out);
    free(s->names);
    free(s->from);
    free(s);
}

const hz_sink_class csv_sink_class = {
    HZ_CLASS_INIT(hz_sink_class),
    .doc = "writes UTF-8 CSV (minimal quoting, LF, no BOM), published atomically when the run succeeds",
    HZ_OPTIONS(sink_options),
    .create = sink_create,
    .plan = sink_plan,
    .open = sink_open,
    .write = sink_write,
    .prepare = sink_prepare,
    .commit = sink_commit,
    .abort = sink_abort,
    .destroy = sink_destroy,
};
