/* map: recode one column's vocabulary (`männlich` -> `male`, `Irak` ->
 * `Iraq`) through a table written in the pipeline.
 *
 * The table becomes an open-addressing hash table at plan time, so a row
 * costs one hash and (almost always) one comparison however long the
 * table is: country lists have hundreds of spellings and feeds have
 * millions of rows.
 *
 * Matching ignores spaces around the cell (and around the keys).  With
 * ignore_case, both sides are compared after Unicode case folding and
 * canonical composition (NFC), so `TÜRKIYE`, `türkiye` and a `Türkiye`
 * written with a combining diaeresis all match a key `Türkiye`.  Without
 * it the comparison is byte for byte.  An empty cell is a value like any
 * other: it matches only if `values` maps "" (e.g. `"": unknown`). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include <harmonize/plugin.h>
#include <support/hzs_schema.h>

#include <support/hzs_detail.h>

/* One folding for the keys (at plan time) and the cells (per row); the
 * two must agree byte for byte or a key could never match. */
#define FOLD_OPTIONS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD)

/* A canonical decomposition is at most 4 code points long, so a folded
 * cell of m code points came from at least m/4 composed ones: see
 * fold_cell(). */
#define MAX_DECOMPOSITION 4

/* Code points below this (one or two UTF-8 bytes: Latin, Greek,
 * Cyrillic, ... everything a Windows-1252 feed can hold) fold through a
 * table built at plan time. */
#define FOLD2_SIZE 0x800
#define NOT_SIMPLE 0xFFFF

/* Raw values quoted in reject details are cut here: the full record is in
 * the reject row anyway. */

typedef struct entry {
    const char *key; /* NULL: free slot */
    size_t klen;
    uint64_t hash;
    hz_field value;
    char *owned;           /* the folded key, when ignore_case made one */
    const hz_value *at;    /* the key in the pipeline, for collisions */
    const char *raw_key;   /* as written, for messages */
    const char *raw_value; /* as written, for messages */
} entry;

enum unmatched { UNMATCHED_REJECT, UNMATCHED_KEEP, UNMATCHED_DEFAULT };

typedef struct map_state {
    const char *column;
    size_t col;
    size_t ncols;
    bool ignore_case;
    enum unmatched unmatched;
    hz_field fallback; /* on_unmatched's default value */
    const char *reason;
    entry *slots;
    size_t mask;    /* slots - 1, a power of two minus one */
    size_t max_key; /* longest key in bytes (after folding) */
    /* Per-row folding scratch, sized at plan time from max_key so that
     * process() never allocates. */
    utf8proc_int32_t *fold_buf;
    size_t fold_cap; /* code points */
    char *fast_buf;  /* max_key bytes */
    uint16_t *fold2; /* FOLD2_SIZE entries: see build_fold2() */
    uint64_t unmatched_rows;
} map_state;

static const hz_option map_options[] = {
    {"column", HZ_OPT_STRING, NULL, true, "the column to recode (in place)", NULL},
    {"values", HZ_OPT_MAP, NULL, true,
     "raw value -> harmonized value; spaces around cells and keys are ignored, \"\" matches an empty cell",
     NULL},
    {"ignore_case", HZ_OPT_BOOL, "false", false,
     "match without regard to case (Unicode case folding and NFC normalization)", NULL},
    {"on_unmatched", HZ_OPT_STRING, "reject", false,
     "reject, keep (the cell unchanged), or any other text: the value written instead", NULL},
    {"reason", HZ_OPT_STRING, "invalid_value", false, "reject reason for an unmatched value ([a-z_]+)", NULL},
    {0},
};

static bool is_space(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f';
}

static hz_field trim(const char *p, size_t n) {
    while (n && is_space(p[0])) p++, n--;
    while (n && is_space(p[n - 1])) n--;
    return (hz_field){p, n};
}

/* FNV-1a: short keys, few instructions, good enough spread for a table
 * kept at most half full. */
static uint64_t hash_bytes(const char *p, size_t n) {
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211u;
    }
    return h;
}

static const entry *lookup(const map_state *s, const char *p, size_t n) {
    uint64_t h = hash_bytes(p, n);
    for (size_t i = (size_t)h & s->mask;; i = (i + 1) & s->mask) {
        const entry *e = &s->slots[i];
        if (!e->key) return NULL;
        if (e->hash == h && e->klen == n && (n == 0 || !memcmp(e->key, p, n))) return e;
    }
}

/* fold2[cp] is the folding of code point cp when folding it cannot
 * interact with its neighbours: it folds to one code point, and neither
 * it nor its folding starts with a combining mark, so no composition can
 * join it to the code point before (the compositions of two starters are
 * all above U+0800: Hangul, Indic vowel signs).  A string of such code
 * points then folds code point by code point, which is what utf8proc's
 * decompose-fold-compose computes, at a fraction of the cost.  Anything
 * else is NOT_SIMPLE and takes the full path. */
static void build_fold2(map_state *s) {
    s->fold2 = hz->xmalloc(FOLD2_SIZE * sizeof *s->fold2);
    for (utf8proc_int32_t cp = 0; cp < FOLD2_SIZE; cp++) {
        s->fold2[cp] = NOT_SIMPLE;
        utf8proc_int32_t out[8];
        int boundclass = 0;
        utf8proc_ssize_t n = utf8proc_decompose_char(cp, out, 8, FOLD_OPTIONS, &boundclass);
        if (n < 1 || n > 8) continue;
        bool starts = utf8proc_get_property(out[0])->combining_class == 0 &&
                      utf8proc_get_property(cp)->combining_class == 0;
        n = utf8proc_normalize_utf32(out, n, FOLD_OPTIONS);
        if (starts && n == 1 && out[0] < FOLD2_SIZE && cp != 0) s->fold2[cp] = (uint16_t)out[0];
    }
}

/* Fold a trimmed cell into the plan-time scratch buffers.  Returns false
 * when the folded cell cannot be any key: longer than the longest key,
 * or not UTF-8 (keys always are). */
static bool fold_cell(map_state *s, hz_field cell, hz_field *folded) {
    /* Fast path: every code point below U+0800 and simple (build_fold2). */
    const unsigned char *p = (const unsigned char *)cell.ptr, *end = p + cell.len;
    char *o = s->fast_buf, *o_end = s->fast_buf + s->max_key;
    while (p < end) {
        unsigned cp, width;
        if (p[0] < 0x80) {
            cp = p[0], width = 1;
        } else if (p[0] >= 0xC2 && p[0] < 0xE0 && p + 1 < end && (p[1] & 0xC0) == 0x80) {
            cp = (unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F), width = 2;
        } else {
            break;
        }
        unsigned f = s->fold2[cp];
        if (f == NOT_SIMPLE) break;
        p += width;
        /* Output never shrinks back: past the longest key it is a miss. */
        if (o + (f < 0x80 ? 1 : 2) > o_end) return false;
        if (f < 0x80) {
            *o++ = (char)f;
        } else {
            *o++ = (char)(0xC0 | f >> 6);
            *o++ = (char)(0x80 | (f & 0x3F));
        }
    }
    if (p == end) {
        *folded = (hz_field){s->fast_buf, (size_t)(o - s->fast_buf)};
        return true;
    }
    /* Every input code point decomposes into at least one, so a cell of
     * more code points than fold_cap cannot fit; at most 4 bytes each. */
    if (cell.len > 4 * s->fold_cap) return false;
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)cell.ptr, (utf8proc_ssize_t)cell.len,
                                            s->fold_buf, (utf8proc_ssize_t)s->fold_cap, FOLD_OPTIONS);
    /* More than fold_cap code points decomposed still compose into more
     * than max_key code points (see MAX_DECOMPOSITION): no key is that
     * long. */
    if (n < 0 || (size_t)n > s->fold_cap) return false;
    utf8proc_ssize_t bytes = utf8proc_reencode(s->fold_buf, n, FOLD_OPTIONS);
    if (bytes < 0 || (size_t)bytes > s->max_key) return false;
    *folded = (hz_field){(const char *)s->fold_buf, (size_t)bytes};
    return true;
}

static int map_create(hz_component *c, void **self) {
    (void)c;
    *self = hz->xcalloc(1, sizeof(map_state));
    return 0;
}

/* Put one key in the table; a key equal to an earlier one (after trimming
 * and folding) is fine when both give the same value, an error if not. */
static int insert(hz_component *c, map_state *s, entry e) {
    e.hash = hash_bytes(e.key, e.klen);
    size_t i = (size_t)e.hash & s->mask;
    for (; s->slots[i].key; i = (i + 1) & s->mask) {
        entry *o = &s->slots[i];
        if (o->hash != e.hash || o->klen != e.klen || (e.klen && memcmp(o->key, e.key, e.klen))) continue;
        free(e.owned);
        if (o->value.len == e.value.len && !memcmp(o->value.ptr, e.value.ptr, e.value.len)) return 0;
        hz->config_error(c, e.at, "'%s' is the same key as '%s' once %s ignored, but maps to '%s', not '%s'",
                         e.raw_key, o->raw_key,
                         s->ignore_case ? "case and surrounding spaces are" : "surrounding spaces are",
                         e.raw_value, o->raw_value);
        return -1;
    }
    s->slots[i] = e;
    if (e.klen > s->max_key) s->max_key = e.klen;
    return 0;
}

static int build_table(hz_component *c, map_state *s) {
    const hz_value *values = hz->option(c, "values");
    size_t n = hz->value_count(values);
    if (n == 0) {
        hz->config_error(c, values, "'values' is empty: give at least one raw value -> harmonized value");
        return -1;
    }
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2; /* at most half full: short probe runs */
    s->slots = hz->xcalloc(cap, sizeof *s->slots);
    s->mask = cap - 1;
    int rc = 0;
    for (size_t k = 0; k < n; k++) {
        const hz_value *key = hz->value_key(values, k);
        const char *raw = hz->value_string(key);
        const char *value = hz->value_string(hz->value_item(values, k));
        entry e = {.at = key, .raw_key = raw, .raw_value = value, .value = {value, strlen(value)}};
        hz_field t = trim(raw, strlen(raw));
        if (s->ignore_case) {
            utf8proc_uint8_t *folded = NULL;
            utf8proc_ssize_t len =
                utf8proc_map((const utf8proc_uint8_t *)t.ptr, (utf8proc_ssize_t)t.len, &folded, FOLD_OPTIONS);
            if (len < 0) {
                hz->config_error(c, key, "cannot fold the case of '%s': %s", raw, utf8proc_errmsg(len));
                rc = -1;
                continue;
            }
            e.owned = (char *)folded;
            e.key = e.owned;
            e.klen = (size_t)len;
        } else {
            e.key = t.ptr;
            e.klen = t.len;
        }
        if (insert(c, s, e) != 0) rc = -1;
    }
    if (s->ignore_case) {
        s->fold_cap = MAX_DECOMPOSITION * (s->max_key + 1);
        /* utf8proc_reencode needs one spare byte after the code points. */
        s->fold_buf = hz->xmalloc((s->fold_cap + 1) * sizeof *s->fold_buf);
        s->fast_buf = hz->xmalloc(s->max_key + 1);
        build_fold2(s);
    }
    return rc;
}

static int map_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    map_state *s = self;
    s->column = hz->opt_string(c, "column");
    long col = hzs_schema_input(c, in, "column");
    s->col = col < 0 ? 0 : (size_t)col;
    s->ncols = hz->schema_count(in);
    int rc = hzs_schema_copy(c, in, out) != 0 || col < 0 ? -1 : 0;

    s->reason = hz->opt_string(c, "reason");
    if (!hz_reason_valid(s->reason)) {
        hz->config_error(c, hz->option(c, "reason"),
                         "reason '%s' must be a code of lower-case letters and '_', e.g. invalid_sex",
                         s->reason);
        rc = -1;
    }
    const char *on = hz->opt_string(c, "on_unmatched");
    if (!strcmp(on, "reject")) {
        s->unmatched = UNMATCHED_REJECT;
    } else if (!strcmp(on, "keep")) {
        s->unmatched = UNMATCHED_KEEP;
    } else {
        s->unmatched = UNMATCHED_DEFAULT;
        s->fallback = (hz_field){on, strlen(on)};
    }
    s->ignore_case = hz->opt_bool(c, "ignore_case");
    if (build_table(c, s) != 0) rc = -1;
    return rc;
}

static int map_process(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out) {
    (void)input;
    map_state *s = self;
    for (size_t r = 0; r < in->nrows; r++) {
        const hz_field *src = in->fields + r * in->ncols;
        hz_field cell = src[s->col];
        hz_field key = trim(cell.ptr, cell.len);
        const entry *e = NULL;
        if (!s->ignore_case)
            e = lookup(s, key.ptr, key.len);
        else if (fold_cell(s, key, &key))
            e = lookup(s, key.ptr, key.len);
        hz_field value;
        if (e) {
            value = e->value;
        } else if (s->unmatched == UNMATCHED_REJECT) {
            if (key.len == 0) /* trimmed or folded, an empty key stays empty */
                hz->reject(c, in, r, s->reason, "column '%s' is empty (a key '' in 'values' would match it)",
                           s->column);
            else
                hz->reject(c, in, r, s->reason, "column '%s': value '%.*s%s' is not in 'values'", s->column,
                           hz_detail_clip(cell.ptr, cell.len), cell.ptr,
                           cell.len > HZ_DETAIL_MAX ? "..." : "");
            continue;
        } else {
            s->unmatched_rows++;
            value = s->unmatched == UNMATCHED_KEEP ? cell : s->fallback;
        }
        hz_field *row = hz->batch_add_row(out, in->origins[r]);
        memcpy(row, src, s->ncols * sizeof *row);
        row[s->col] = value;
    }
    return 0;
}

/* Rows that passed unmatched are not rejects, but a reader of the summary
 * should still see how many there were. */
static int map_finish(hz_component *c, void *self, hz_batch *out) {
    (void)out;
    const map_state *s = self;
    if (s->unmatched_rows && s->unmatched == UNMATCHED_KEEP)
        hz->summary_note(c, "unmatched values kept as they were: %llu rows",
                         (unsigned long long)s->unmatched_rows);
    else if (s->unmatched_rows)
        hz->summary_note(c, "unmatched values written as '%s': %llu rows", s->fallback.ptr,
                         (unsigned long long)s->unmatched_rows);
    return 0;
}

static void map_destroy(void *self) {
    map_state *s = self;
    for (size_t i = 0; s->slots && i <= s->mask; i++) free(s->slots[i].owned);
    free(s->slots);
    free(s->fold_buf);
    free(s->fast_buf);
    free(s->fold2);
    free(s);
}

static const hz_transform_class map_transform = {
    HZ_CLASS_INIT(hz_transform_class),
    .doc = "recodes one column's values through a table (raw -> harmonized)",
    HZ_OPTIONS(map_options),
    .create = map_create,
    .plan = map_plan,
    .process = map_process,
    .finish = map_finish,
    .destroy = map_destroy,
};

static const hz_plugin map_plugin = {
    HZ_PLUGIN_INIT,
    .name = "map",
    .version = "1.0.0",
    .description = "recode a column's vocabulary",
    .transform = &map_transform,
};

HZ_PLUGIN(map_plugin)
