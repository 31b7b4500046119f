/* merge: the union of its inputs, each key once.
 *
 * A case exported by both a VHR office and an AVRR project must count
 * once, as the first listed input has it: the core reads sources in an
 * order that respects every union's listed input order, so a merge sees
 * all of its first input's rows before any of its second's, and "the
 * first row seen with a key wins" is "the first listed input wins".
 * Within one input, a repeated key is a duplicate too (its first row
 * wins).  Every dropped row is absorbed (summary: "duplicates") and, when
 * a component reads the named output `duplicates`, emitted there with the
 * provenance of the kept row and of the dropped one, and whether they
 * agree.
 *
 * `ignore_differences` leaves columns out of that comparison: across
 * feeds, return_type and source always differ and say nothing.
 *
 * Memory grows with the number of distinct keys, not with row size.  Per
 * key we keep (see lib/support/hzs_keytable.h for the table itself):
 *   - the key's bytes (length-prefixed fields), so equality is exact: a
 *     hash collision can never drop a row;
 *   - where the kept row came from (line, feed, input: 16 bytes);
 *   - a 64-bit hash of its other columns (8 bytes), which decides
 *     `agrees`: two rows that differ hash alike with odds of 2^-64;
 *   - 4 bytes per other compared column, so `differences` can name the columns
 *     that differ and show both values.  A value shorter than
 *     VALUE_MAX_LEN bytes is interned once in a value table (countries,
 *     dates, sexes repeat endlessly) and the 4 bytes are its index; once
 *     the value table holds VALUE_BUDGET bytes, or for a longer value,
 *     they are 31 bits of the value's hash instead: the column is still
 *     named, but its kept value is reported as not retained.
 * So about 16 (slots) + 8 (entry) + 24 (kept row) + 4 x other columns +
 * key bytes per key, and at most VALUE_BUDGET for the values. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <harmonize/plugin.h>
#include <support/hzs_buf.h>
#include <support/hzs_utf8.h>

#include <support/hzs_keytable.h>

#define SEED_KEY      0x4b4559ULL
#define SEED_VALUE    0x56414cULL
#define VALUE_BUDGET  ((size_t)32 << 20)
#define VALUE_MAX_LEN 256
#define HASHED        0x80000000u

enum empty_key { EMPTY_REJECT, EMPTY_KEEP, EMPTY_MATCH };

/* The named output `duplicates`: its columns after the key columns. */
#define OUT_DUPLICATES 0
static const char *const report_columns[] = {"kept_source",  "kept_feed",    "kept_line", "dropped_source",
                                             "dropped_feed", "dropped_line", "agrees",    "differences"};
#define NREPORT_COLUMNS (sizeof report_columns / sizeof *report_columns)

typedef struct kept_row {
    uint64_t line;
    uint64_t row_hash; /* of the other columns, in column order */
    uint32_t feed;
    uint32_t input;
    uint32_t codes[]; /* per other column: value index, or HASHED | hash bits */
} kept_row;

typedef struct merge_state {
    hz_component *c;
    size_t ncols, nkey, nval;
    size_t *key_cols, *val_cols;
    char **names; /* input columns, for the differences text */
    enum empty_key empty;
    keytable keys, values;
    unsigned char *scratch; /* the encoded key of the row at hand */
    size_t scratch_cap;
    uint64_t *hashes; /* per other column, of the row at hand */
    hzs_buf text;     /* the differences text being built */
    bool report;      /* a component reads the duplicates output */
    uint64_t duplicates, disagreeing, empty_keys, kept_unretained;
    bool values_full;
} merge_state;

static const hz_output merge_outputs[] = {
    {"duplicates", "one row per dropped duplicate: the key columns, kept_source, kept_feed, kept_line, "
                   "dropped_source, dropped_feed, dropped_line, agrees (yes/no), differences"},
    {0},
};

static const hz_option merge_options[] = {
    {"key", HZ_OPT_LIST, NULL, true,
     "the columns identifying a row: of rows with equal keys the first is kept", NULL},
    {"duplicates", HZ_OPT_ANY, NULL, false,
     "no longer an option: write the named output 'duplicates' with a sink (inputs: [NAME.duplicates])",
     NULL},
    {"empty_key", HZ_OPT_ENUM, "reject", false,
     "a row with an empty key column: reject it (empty_key), keep it (never a duplicate) or match it",
     "reject|keep|match"},
    {"ignore_differences", HZ_OPT_LIST, NULL, false,
     "columns not compared between a duplicate and its kept row (e.g. return_type, source: they name the "
     "feed)",
     NULL},
    {0},
};

static int merge_create(hz_component *c, void **self) {
    merge_state *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->c = c;
    const char *e = hz->opt_string(c, "empty_key");
    s->empty = !strcmp(e, "keep") ? EMPTY_KEEP : !strcmp(e, "match") ? EMPTY_MATCH : EMPTY_REJECT;
    s->report = hz->output_wanted(c, OUT_DUPLICATES);
    if (hz->option_given(c, "duplicates")) {
        hz->config_error(c, hz->option(c, "duplicates"),
                         "'duplicates' is no longer an option of merge: the dropped duplicates are its named "
                         "output; write them with a sink reading '%s.duplicates'",
                         hz->component_name(c));
        return -1;
    }
    return 0;
}

/* Key columns: present, each once, and not named like a column of the
 * duplicates output (which would then have a column twice). */
static int plan_key(hz_component *c, merge_state *s, const hz_schema *in, bool *is_key) {
    const hz_value *list = hz->option(c, "key");
    s->nkey = hz->value_count(list);
    if (s->nkey == 0) {
        hz->config_error(c, list, "merge needs at least one key column, e.g. key: [record_id]");
        return -1;
    }
    s->key_cols = hz->xcalloc(s->nkey, sizeof *s->key_cols);
    int rc = 0;
    for (size_t j = 0; j < s->nkey; j++) {
        const hz_value *item = hz->value_item(list, j);
        const char *name = hz->value_string(item);
        long i = hz->schema_require(c, in, name, item);
        if (i < 0) {
            rc = -1;
            continue;
        }
        if (is_key[i]) {
            hz->config_error(c, item, "key column '%s' is listed twice", name);
            rc = -1;
            continue;
        }
        for (size_t k = 0; s->report && k < NREPORT_COLUMNS; k++)
            if (!strcmp(name, report_columns[k])) {
                hz->config_error(c, item,
                                 "key column '%s' has the name of a column of the duplicates output; "
                                 "rename it before the merge",
                                 name);
                rc = -1;
            }
        is_key[i] = true;
        s->key_cols[j] = (size_t)i;
    }
    return rc;
}

static int merge_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    merge_state *s = self;
    s->ncols = hz->schema_count(in);
    bool *is_key = hz->xcalloc(s->ncols + 1, sizeof *is_key);
    s->names = hz->xcalloc(s->ncols + 1, sizeof *s->names);
    s->val_cols = hz->xcalloc(s->ncols + 1, sizeof *s->val_cols);
    s->hashes = hz->xcalloc(s->ncols + 1, sizeof *s->hashes);
    bool *ignored = hz->xcalloc(s->ncols + 1, sizeof *ignored);
    int rc = plan_key(c, s, in, is_key);
    const hz_value *list = hz->option(c, "ignore_differences");
    for (size_t j = 0; list && j < hz->value_count(list); j++) {
        const hz_value *item = hz->value_item(list, j);
        long i = hz->schema_require(c, in, hz->value_string(item), item);
        if (i >= 0 && is_key[i]) {
            hz->config_error(c, item, "'%s' is a key column: rows with the same key agree on it",
                             hz->value_string(item));
            i = -1;
        }
        if (i < 0)
            rc = -1;
        else
            ignored[i] = true;
    }
    for (size_t i = 0; i < s->ncols; i++) {
        const char *name = hz->schema_name(in, i);
        if (rc == 0 && hz->schema_add(c, out, name, NULL) != 0) rc = -1;
        s->names[i] = hz->xstrdup(name);
        if (!is_key[i] && !ignored[i]) s->val_cols[s->nval++] = i;
    }
    free(is_key);
    free(ignored);
    hz_schema *dups = hz->output_schema(c, OUT_DUPLICATES);
    for (size_t j = 0; rc == 0 && s->report && j < s->nkey; j++)
        if (hz->schema_add(c, dups, s->names[s->key_cols[j]], NULL) != 0) rc = -1;
    for (size_t k = 0; rc == 0 && s->report && k < NREPORT_COLUMNS; k++)
        if (hz->schema_add(c, dups, report_columns[k], NULL) != 0) rc = -1;
    kt_init(&s->keys, sizeof(kept_row) + s->nval * sizeof(uint32_t));
    kt_init(&s->values, 0);
    return rc;
}

/* The row's key, length-prefixed field by field, into s->scratch.
 * Returns the index of its first empty key column, or -1. */
static long encode_key(merge_state *s, const hz_field *row, size_t *len) {
    size_t need = 0;
    for (size_t j = 0; j < s->nkey; j++) need += KT_VARINT_MAX + row[s->key_cols[j]].len;
    s->scratch = hzs_grow(s->scratch, &s->scratch_cap, need, 1);
    long empty = -1;
    size_t n = 0;
    for (size_t j = 0; j < s->nkey; j++) {
        hz_field f = row[s->key_cols[j]];
        if (f.len == 0 && empty < 0) empty = (long)s->key_cols[j];
        n += kt_put_varint(s->scratch + n, f.len);
        if (f.len) memcpy(s->scratch + n, f.ptr, f.len);
        n += f.len;
    }
    *len = n;
    return empty;
}

/* Hashes of the other columns into s->hashes, and their combination. */
static uint64_t hash_others(merge_state *s, const hz_field *row) {
    uint64_t h = SEED_VALUE;
    for (size_t j = 0; j < s->nval; j++) {
        hz_field f = row[s->val_cols[j]];
        s->hashes[j] = kt_hash(f.ptr, f.len, SEED_VALUE);
        h = kt_combine(h, s->hashes[j]);
    }
    return h;
}

static uint32_t hashed_code(uint64_t h) {
    return HASHED | (uint32_t)(h & 0x7fffffffu);
}

/* The 4 bytes kept for one value of a kept row: see the top comment. */
static uint32_t intern(merge_state *s, hz_field f, uint64_t h) {
    if (f.len > VALUE_MAX_LEN) return hashed_code(h);
    bool room = s->values.bytes < VALUE_BUDGET;
    size_t i = kt_lookup(&s->values, f.ptr, f.len, h, room, NULL);
    if (i == KT_NONE) {
        s->values_full |= !room;
        return hashed_code(h);
    }
    return (uint32_t)i;
}

/* ------------------------------------------------------------------ */
/* The differences text: `col: kept "a", dropped "b"; ...`.            */

/* A value in double quotes, one line: `"` and `\` escaped with `\`,
 * control characters and bytes that are not UTF-8 as \xNN. */
static void text_quoted(hzs_buf *t, const char *value, size_t n) {
    const unsigned char *p = (const unsigned char *)value;
    hzs_buf_addc(t, '"');
    for (size_t i = 0; i < n;) {
        size_t seq = hzs_utf8_sequence(p + i, n - i);
        if (seq > 1) {
            hzs_buf_add(t, value + i, seq);
            i += seq;
            continue;
        }
        if (p[i] == '"' || p[i] == '\\')
            hzs_buf_printf(t, "\\%c", p[i]);
        else if (p[i] < 0x20 || p[i] >= 0x7F)
            hzs_buf_printf(t, "\\x%02X", p[i]);
        else
            hzs_buf_addc(t, value[i]);
        i++;
    }
    hzs_buf_addc(t, '"');
}

/* Names each other column whose value differs from the kept row's. */
static void describe_differences(merge_state *s, const hz_field *row, const kept_row *k) {
    hzs_buf *t = &s->text;
    hzs_buf_clear(t);
    for (size_t j = 0; j < s->nval; j++) {
        hz_field f = row[s->val_cols[j]];
        uint32_t code = k->codes[j];
        const unsigned char *kept = NULL;
        size_t kept_len = 0;
        if (code & HASHED) {
            if (code == hashed_code(s->hashes[j])) continue;
        } else {
            kept = kt_key(&s->values, code, &kept_len);
            if (kept_len == f.len && (f.len == 0 || !memcmp(kept, f.ptr, f.len))) continue;
        }
        if (t->len) hzs_buf_adds(t, "; ");
        hzs_buf_adds(t, s->names[s->val_cols[j]]);
        if (kept) {
            hzs_buf_adds(t, ": kept ");
            text_quoted(t, (const char *)kept, kept_len);
        } else {
            hzs_buf_adds(t, ": kept value not retained");
            s->kept_unretained++;
        }
        hzs_buf_adds(t, ", dropped ");
        text_quoted(t, f.ptr, f.len);
    }
    /* The 64-bit hashes differ but no 31-bit one does: a column whose
     * kept value was not retained differs, and its hash bits collide. */
    if (t->len == 0) hzs_buf_adds(t, "a column differs; which one is not known (kept values not retained)");
}

/* Source, feed and line of `o` into three fields of a duplicates row. */
static void origin_fields(merge_state *s, hz_batch *b, hz_field *f, hz_origin o) {
    const char *component, *file;
    hz->feed_describe(s->c, o.feed, &component, &file); /* strings live until the run ends */
    char *line = hz->batch_alloc(b, 24);
    int n = snprintf(line, 24, "%llu", (unsigned long long)o.line);
    f[0] = (hz_field){component, strlen(component)};
    f[1] = (hz_field){file, strlen(file)};
    f[2] = (hz_field){line, (size_t)n};
}

/* One row of the duplicates output.  The key fields point into the input
 * batch, which outlives the output batch's delivery. */
static void emit_duplicate(merge_state *s, const hz_field *row, hz_origin dropped, const kept_row *k,
                           bool agrees) {
    hz_batch *b = hz->output_batch(s->c, OUT_DUPLICATES);
    hz_field *o = hz->batch_add_row(b, dropped);
    for (size_t j = 0; j < s->nkey; j++) o[j] = row[s->key_cols[j]];
    origin_fields(s, b, o + s->nkey, (hz_origin){.line = k->line, .feed = k->feed});
    origin_fields(s, b, o + s->nkey + 3, dropped);
    o[s->nkey + 6] = agrees ? (hz_field){"yes", 3} : (hz_field){"no", 2};
    if (!agrees) {
        char *text = hz->batch_alloc(b, s->text.len);
        memcpy(text, s->text.data, s->text.len);
        o[s->nkey + 7] = (hz_field){text, s->text.len};
    }
}

/* ------------------------------------------------------------------ */

static int duplicate(merge_state *s, size_t input, const hz_batch *in, size_t r, kept_row *k, uint64_t rh) {
    const hz_field *row = in->fields + r * in->ncols;
    if (input < k->input) {
        /* The kept row is downstream already: the policy cannot hold. */
        const char *kept_file, *file;
        hz->feed_describe(s->c, k->feed, NULL, &kept_file);
        hz->feed_describe(s->c, in->origins[r].feed, NULL, &file);
        hz->error(s->c,
                  "%s:%llu (input %zu) has the key of %s:%llu (input %u), which arrived first: the first "
                  "listed input cannot win, as the inputs did not arrive one after the other (inputs "
                  "sharing a source arrive interleaved; an input made at the end of the run, such as "
                  "an aggregate, arrives after those read from files)",
                  file, (unsigned long long)in->origins[r].line, input + 1, kept_file,
                  (unsigned long long)k->line, k->input + 1);
        return -1;
    }
    s->duplicates++;
    bool agrees = rh == k->row_hash;
    if (!agrees) {
        s->disagreeing++;
        if (s->report) describe_differences(s, row, k);
    }
    if (s->report) emit_duplicate(s, row, in->origins[r], k, agrees);
    return 0;
}

static int merge_process(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out) {
    merge_state *s = self;
    uint64_t dropped = 0;
    int rc = 0;
    for (size_t r = 0; r < in->nrows && rc == 0; r++) {
        const hz_field *row = in->fields + r * in->ncols;
        size_t len;
        long empty = encode_key(s, row, &len);
        if (empty >= 0 && s->empty != EMPTY_MATCH) {
            s->empty_keys++;
            if (s->empty == EMPTY_REJECT) {
                hz->reject(c, in, r, "empty_key", "key column '%s' is empty", s->names[empty]);
                continue;
            }
        } else {
            bool added;
            size_t i = kt_lookup(&s->keys, s->scratch, len, kt_hash(s->scratch, len, SEED_KEY), true, &added);
            if (i == KT_NONE) {
                hz->error(c, "more distinct keys than a merge holds (%zu)", s->keys.count);
                rc = -1;
                break;
            }
            kept_row *k = kt_payload(&s->keys, i);
            uint64_t rh = hash_others(s, row);
            if (!added) {
                rc = duplicate(s, input, in, r, k, rh);
                /* Counted under its feed where the core can (the manifest's
                 * duplicates per input), else in one go below. */
                if (HZ_HOST_HAS(absorb_origin))
                    hz->absorb_origin(c, in->origins[r], "duplicates");
                else
                    dropped++;
                continue;
            }
            k->line = in->origins[r].line;
            k->feed = in->origins[r].feed;
            k->input = (uint32_t)input;
            k->row_hash = rh;
            for (size_t j = 0; j < s->nval; j++) k->codes[j] = intern(s, row[s->val_cols[j]], s->hashes[j]);
        }
        hz_field *o = hz->batch_add_row(out, in->origins[r]);
        memcpy(o, row, s->ncols * sizeof *o);
    }
    if (dropped) hz->absorb(c, dropped, "duplicates");
    return rc;
}

/* Nothing to emit: the rows went through in process().  Say what was
 * dropped, and let go of the tables before downstream finishes run. */
static int merge_finish(hz_component *c, void *self, hz_batch *out) {
    (void)out;
    merge_state *s = self;
    if (s->duplicates == 0)
        hz->summary_note(c, "no duplicates: %zu distinct keys", s->keys.count);
    else
        hz->summary_note(c, "%llu duplicate row%s dropped, %zu distinct keys kept (first row of each)%s%s%s",
                         (unsigned long long)s->duplicates, s->duplicates == 1 ? "" : "s", s->keys.count,
                         s->report ? "; see the output " : "", s->report ? hz->component_name(c) : "",
                         s->report ? ".duplicates" : "");
    if (s->disagreeing)
        hz->summary_note(c, "%llu of the dropped duplicates differ%s from the kept row in other columns",
                         (unsigned long long)s->disagreeing, s->disagreeing == 1 ? "s" : "");
    if (s->empty_keys)
        hz->summary_note(c, "%llu row%s with an empty key column %s", (unsigned long long)s->empty_keys,
                         s->empty_keys == 1 ? "" : "s",
                         s->empty == EMPTY_KEEP ? "kept without de-duplication" : "rejected (empty_key)");
    if (s->kept_unretained)
        hz->summary_note(c,
                         "%llu differences show no kept value: only %zu distinct values of up to %d "
                         "bytes are remembered",
                         (unsigned long long)s->kept_unretained, s->values.count, VALUE_MAX_LEN);
    kt_free(&s->keys);
    kt_free(&s->values);
    return 0;
}

static void merge_destroy(void *self) {
    merge_state *s = self;
    for (size_t i = 0; s->names && i < s->ncols; i++) free(s->names[i]);
    free(s->names);
    free(s->key_cols);
    free(s->val_cols);
    free(s->hashes);
    free(s->scratch);
    hzs_buf_free(&s->text);
    kt_free(&s->keys);
    kt_free(&s->values);
    free(s);
}

static const hz_transform_class merge_transform = {
    HZ_CLASS_INIT(hz_transform_class),
    .doc = "union of the inputs, each key once: the first row seen wins, and inputs are read in the "
           "listed order, so the first listed input wins",
    HZ_OPTIONS(merge_options),
    HZ_OUTPUTS(merge_outputs),
    .create = merge_create,
    .plan = merge_plan,
    .process = merge_process,
    .finish = merge_finish,
    .destroy = merge_destroy,
};

static const hz_plugin merge_plugin = {
    HZ_PLUGIN_INIT,
    .name = "merge",
    .version = "1.0.0",
    .description = "union with de-duplication on a key; the dropped duplicates as a named output",
    .transform = &merge_transform,
};

HZ_PLUGIN(merge_plugin)
