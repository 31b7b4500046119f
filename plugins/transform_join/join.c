/* join: complete each row with columns of a lookup table, by key.
 *
 *   inputs: [TABLE, ROWS]
 *
 * The table (input 1) is read whole first: each of its rows is absorbed,
 * its key and the values of the copied columns stored.  Each row of ROWS
 * (input 2) is then emitted with those values appended, or rejected when
 * its key is not in the table.  The core reads sources in an order that
 * respects every component's listed inputs, so the table's rows all
 * arrive before any row of ROWS; when they do not (an input made at the
 * end of the run, such as an aggregate, arrives after those read from
 * files) the run fails rather than reject rows whose key was still to
 * come.
 *
 * The two inputs have different columns: this transform sees them apart
 * (ABI 1.4, hz_transform_class.plan_input).
 *
 * Memory grows with the table, never with ROWS: per table key, its bytes
 * and a 24-byte payload (line, feed, pointer to the copied values) in the
 * key table's arena of 1 MiB blocks (lib/support/hzs_keytable.h), the
 * copied values length-prefixed in the same arena, and 16 bytes of hash
 * slots and entry on average.  Nothing is allocated per field. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <harmonize/plugin.h>
#include <support/hzs_keytable.h>

#define SEED_KEY 0x6a6f696eULL /* "join" */

static const hz_option join_options[] = {
    {"key", HZ_OPT_STRING, NULL, true, "column of the rows (second input) looked up in the table", NULL},
    {"table_key", HZ_OPT_STRING, NULL, false,
     "column of the table (first input) holding the key; default: key", NULL},
    {"columns", HZ_OPT_ANY, NULL, false,
     "columns of the table copied into each row: a list, or a map table column -> output name", NULL},
    {"reason", HZ_OPT_STRING, "unknown_key", false, "reject reason of a row whose key is not in the table",
     NULL},
    {"on_duplicate", HZ_OPT_ENUM, "fail", false,
     "a key twice in the table: fail the run (naming both lines), or keep the first row", "fail|first"},
    {0},
};

/* What the table keeps of one of its rows. */
typedef struct table_row {
    uint64_t line;
    uint32_t feed;
    uint32_t unused;
    const unsigned char *values; /* the copied values, each varint length + bytes, in the arena */
} table_row;

typedef struct copied {
    const char *from;             /* column of the table */
    const char *as;               /* column of the output */
    const hz_value *from_at, *at; /* where each is written */
    long index;                   /* in the table's schema */
    bool personal;
} copied;

typedef struct join_state {
    hz_component *c;
    const char *key, *table_key, *reason;
    const hz_value *key_at, *table_key_at;
    bool keep_first;
    copied *cols;
    size_t ncols;
    long table_key_index, rows_key_index;
    const hz_schema *rows; /* ROWS' schema (the core's: lives as long as the run) */
    size_t rows_width;     /* its columns */
    keytable table;
    bool rows_started;        /* a row of ROWS has arrived */
    hz_origin first_row;      /* the first of them, for the order message */
    uint64_t duplicates_kept; /* on_duplicate: first, rows left out */
    uint64_t matched, unmatched;
} join_state;

static void join_destroy(void *self) {
    join_state *s = self;
    if (!s) return;
    kt_free(&s->table);
    free(s->cols);
    free(s);
}

static bool reason_is_valid(const char *r) {
    if (!*r) return false;
    for (; *r; r++)
        if (!((*r >= 'a' && *r <= 'z') || *r == '_')) return false;
    return true;
}

/* columns: a list of table columns (copied under their own names) or a
 * map table column -> output name. */
static int read_columns(hz_component *c, join_state *s) {
    const hz_value *v = hz->option(c, "columns");
    if (!v) return 0;
    hz_value_kind kind = hz->value_kind(v);
    if (kind == HZ_VALUE_SCALAR) {
        hz->config_error(c, v, "'columns' must be a list of table columns or a map table column -> new name");
        return -1;
    }
    size_t n = hz->value_count(v);
    s->cols = hz->xcalloc(n ? n : 1, sizeof *s->cols);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        const hz_value *from = kind == HZ_VALUE_MAP ? hz->value_key(v, i) : hz->value_item(v, i);
        const hz_value *as = hz->value_item(v, i);
        if (hz->value_kind(as) != HZ_VALUE_SCALAR || !*hz->value_string(as)) {
            hz->config_error(c, as, "each entry of 'columns' must be a column name");
            rc = -1;
            continue;
        }
        s->cols[s->ncols++] =
            (copied){.from = hz->value_string(from), .as = hz->value_string(as), .from_at = from, .at = as};
    }
    return rc;
}

static int join_create(hz_component *c, void **self) {
    join_state *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->c = c;
    s->key = hz->opt_string(c, "key");
    s->key_at = hz->option(c, "key");
    s->table_key = hz->option_given(c, "table_key") ? hz->opt_string(c, "table_key") : s->key;
    s->table_key_at = hz->option_given(c, "table_key") ? hz->option(c, "table_key") : s->key_at;
    s->reason = hz->opt_string(c, "reason");
    s->keep_first = !strcmp(hz->opt_string(c, "on_duplicate"), "first");
    s->table_key_index = s->rows_key_index = -1;
    int rc = read_columns(c, s);
    if (!reason_is_valid(s->reason)) {
        hz->config_error(c, hz->option(c, "reason"),
                         "'reason' must be made of a-z and _ (it is a reject code)");
        rc = -1;
    }
    kt_init(&s->table, sizeof(table_row));
    return rc;
}

/* Column `name` of input `input` ("the table" or "the rows"), or -1 after a
 * message that names that input and its columns. */
static long require(hz_component *c, const hz_schema *in, size_t input, const char *name, const hz_value *at,
                    const char *hint) {
    long i = hz->schema_find(in, name);
    if (i >= 0) return i;
    char have[512];
    size_t used = 0;
    have[0] = 0;
    for (size_t k = 0; k < hz->schema_count(in) && used < sizeof have; k++) {
        int n = snprintf(have + used, sizeof have - used, "%s%s", k ? ", " : "", hz->schema_name(in, k));
        if (n < 0) break;
        used += (size_t)n;
    }
    hz->config_error(c, at, "column '%s' is not a column of %s '%s' (it has: %s)%s", name,
                     input == 0 ? "the table" : "the rows", hz->input_name(c, input), have, hint);
    return -1;
}

static int plan_table(hz_component *c, join_state *s, const hz_schema *in) {
    int rc = 0;
    s->table_key_index = require(
        c, in, 0, s->table_key, s->table_key_at,
        hz->option_given(c, "table_key") ? "" : ": set table_key if the table names the key differently");
    if (s->table_key_index < 0) rc = -1;
    for (size_t i = 0; i < s->ncols; i++) {
        copied *k = &s->cols[i];
        k->index = require(c, in, 0, k->from, k->from_at, ""); /* at a map's key, a list's item */
        if (k->index < 0) {
            rc = -1;
            continue;
        }
        k->personal = HZ_HOST_HAS(schema_personal) && hz->schema_personal(in, (size_t)k->index);
    }
    return rc;
}

static int join_plan_input(hz_component *c, void *self, size_t input, const hz_schema *in) {
    join_state *s = self;
    if (input == 0 && hz->input_count(c) != 2) {
        hz->config_error(c, hz->input_value(c, 0),
                         "a join reads two inputs, [TABLE, ROWS] (the lookup table first), not %zu",
                         hz->input_count(c));
        return -1;
    }
    if (input == 0) return plan_table(c, s, in);
    s->rows_key_index = require(c, in, 1, s->key, s->key_at, "");
    s->rows = in;
    s->rows_width = hz->schema_count(in);
    return s->rows_key_index < 0 ? -1 : 0;
}

/* Output: the columns of ROWS, then the copied ones.  `in` is NULL: the
 * inputs were planned apart (plan_input). */
static int join_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)in;
    join_state *s = self;
    int rc = 0;
    for (size_t i = 0; i < s->rows_width; i++) {
        if (hz->schema_add(c, out, hz->schema_name(s->rows, i), NULL) != 0) return -1;
        /* A column of the rows keeps its own status: marked, so that a personal namesake in
         * the table does not make it personal (the core's default for an unmarked column). */
        if (HZ_HOST_HAS(schema_personal)) hz->schema_set_personal(c, out, i, hz->schema_personal(s->rows, i));
    }
    for (size_t i = 0; i < s->ncols; i++) {
        const copied *k = &s->cols[i];
        if (hz->schema_find(out, k->as) >= 0) {
            hz->config_error(c, k->at,
                             "column '%s' copied from the table is already a column of '%s' (or copied "
                             "twice): give it another name, e.g. columns: {%s: table_%s}",
                             k->as, hz->input_name(c, 1), k->from, k->from);
            rc = -1;
            continue;
        }
        if (hz->schema_add(c, out, k->as, k->at) != 0) {
            rc = -1;
            continue;
        }
        /* A personal column stays personal under whatever name it is copied to; a column
         * of the table that is not personal is not made personal by a namesake in ROWS. */
        if (HZ_HOST_HAS(schema_set_personal))
            hz->schema_set_personal(c, out, hz->schema_count(out) - 1, k->personal);
    }
    return rc;
}

/* ------------------------------------------------------------------ */

static void describe(hz_component *c, uint32_t feed, const char **file) {
    hz->feed_describe(c, feed, NULL, file);
    if (!*file) *file = "-";
}

/* Store the copied values of a table row: varint length + bytes each, in the arena. */
static const unsigned char *store_values(join_state *s, const hz_field *row) {
    if (!s->ncols) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < s->ncols; i++) n += KT_VARINT_MAX + row[s->cols[i].index].len;
    unsigned char *p = kt_alloc(&s->table, n), *at = p;
    for (size_t i = 0; i < s->ncols; i++) {
        hz_field f = row[s->cols[i].index];
        at += kt_put_varint(at, f.len);
        if (f.len) memcpy(at, f.ptr, f.len);
        at += f.len;
    }
    return p;
}

static int absorb_table(hz_component *c, join_state *s, const hz_batch *in) {
    if (s->rows_started) {
        const char *file, *rows_file;
        describe(c, in->origins[0].feed, &file);
        describe(c, s->first_row.feed, &rows_file);
        hz->error(c,
                  "%s:%llu, a row of the table '%s', arrived after %s:%llu, a row of '%s': the table must be "
                  "read whole before the rows it completes, or a key still to come would be rejected (an "
                  "input made at the end of the run, such as an aggregate, arrives after those read from "
                  "files; inputs sharing a source arrive interleaved)",
                  file, (unsigned long long)in->origins[0].line, hz->input_name(c, 0), rows_file,
                  (unsigned long long)s->first_row.line, hz->input_name(c, 1));
        return -1;
    }
    for (size_t r = 0; r < in->nrows; r++) {
        const hz_field *row = in->fields + r * in->ncols;
        hz_field key = row[s->table_key_index];
        bool added;
        size_t i = kt_lookup(&s->table, key.ptr, key.len, kt_hash(key.ptr, key.len, SEED_KEY), true, &added);
        if (i == KT_NONE) {
            hz->error(c, "more distinct keys than a join table holds (%zu)", s->table.count);
            return -1;
        }
        table_row *t = kt_payload(&s->table, i);
        if (!added) {
            if (!s->keep_first) {
                const char *file, *first_file;
                describe(c, in->origins[r].feed, &file);
                describe(c, t->feed, &first_file);
                hz->error(
                    c,
                    "key '%.*s' is twice in the table '%s': %s:%llu and %s:%llu (set on_duplicate: first "
                    "to keep the first row)",
                    (int)(key.len > 200 ? 200 : key.len), key.ptr, hz->input_name(c, 0), first_file,
                    (unsigned long long)t->line, file, (unsigned long long)in->origins[r].line);
                return -1;
            }
            s->duplicates_kept++;
            continue;
        }
        t->line = in->origins[r].line;
        t->feed = in->origins[r].feed;
        t->values = store_values(s, row);
    }
    hz->absorb(c, in->nrows, "table rows");
    return 0;
}

static int join_process(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out) {
    join_state *s = self;
    if (in->nrows == 0) return 0;
    if (input == 0) return absorb_table(c, s, in);
    if (!s->rows_started) {
        s->rows_started = true;
        s->first_row = in->origins[0];
    }
    for (size_t r = 0; r < in->nrows; r++) {
        const hz_field *row = in->fields + r * in->ncols;
        hz_field key = row[s->rows_key_index];
        size_t i = kt_lookup(&s->table, key.ptr, key.len, kt_hash(key.ptr, key.len, SEED_KEY), false, NULL);
        if (i == KT_NONE) {
            s->unmatched++;
            if (key.len == 0)
                hz->reject(c, in, r, s->reason, "%s is empty", s->key);
            else
                hz->reject(c, in, r, s->reason, "%s '%.*s' is not in '%s'", s->key,
                           (int)(key.len > 200 ? 200 : key.len), key.ptr, hz->input_name(c, 0));
            continue;
        }
        s->matched++;
        hz_field *o = hz->batch_add_row(out, in->origins[r]);
        memcpy(o, row, s->rows_width * sizeof *o);
        const unsigned char *v = ((const table_row *)kt_payload(&s->table, i))->values;
        for (size_t k = 0; k < s->ncols; k++) {
            uint64_t len;
            v = kt_get_varint(v, &len);
            o[s->rows_width + k] = (hz_field){(const char *)v, (size_t)len};
            v += len;
        }
    }
    return 0;
}

static int join_finish(hz_component *c, void *self, hz_batch *out) {
    (void)out;
    join_state *s = self;
    hz->summary_note(c, "%zu table keys; %llu rows matched, %llu rejected (%s)", s->table.count,
                     (unsigned long long)s->matched, (unsigned long long)s->unmatched, s->reason);
    if (s->duplicates_kept)
        hz->summary_note(
            c, "%llu table rows left out: their key was in an earlier table row (on_duplicate: first)",
            (unsigned long long)s->duplicates_kept);
    return 0;
}

static const hz_transform_class join_transform = {
    HZ_CLASS_INIT(hz_transform_class),
    .doc = "inputs [TABLE, ROWS]: each row of ROWS with columns of the table row of the same key",
    HZ_OPTIONS(join_options),
    .create = join_create,
    .plan = join_plan,
    .process = join_process,
    .finish = join_finish,
    .destroy = join_destroy,
    .plan_input = join_plan_input,
};

static const hz_plugin join_plugin = {
    HZ_PLUGIN_INIT,
    .name = "join",
    .version = "1.0.0",
    .description = "complete rows with columns of a lookup table, by key (unknown keys rejected)",
    .transform = &join_transform,
};

HZ_PLUGIN(join_plugin)
