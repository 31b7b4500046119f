/* aggregate: count rows per group (and optionally sum columns), then
 * publish the groups as a table from finish(): sorted, optionally cut to
 * the top N, with shares, and with small counts suppressed (statistical
 * disclosure control; see table.c for what that does and does not
 * protect against).
 *
 * Every input row is absorbed ("aggregated") or, when a summed cell is
 * not a whole number, rejected.  Memory grows with the number of groups:
 * a group is its values (length-prefixed, in one arena allocation with
 * its counters; see lib/support/hzs_keytable.h), never its rows.  An
 * empty value is a value: rows whose group column is empty make a group
 * of their own, shown with an empty cell. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <support/hzs_buf.h>

#include "aggregate.h"

#define SEED_GROUP 0x475250ULL

static const hz_option aggregate_options[] = {
    {"group_by", HZ_OPT_LIST, NULL, true,
     "the columns whose values make a group ([] for one total row); an empty value is a group of its own",
     NULL},
    {"count", HZ_OPT_STRING, "count", false, "name of the column receiving each group's number of rows",
     NULL},
    {"order", HZ_OPT_ENUM, "group_by", false,
     "group_by: by the group values, bytewise; count_desc: largest count first, ties by group values",
     "group_by|count_desc"},
    {"top", HZ_OPT_INT, NULL, false,
     "keep the N largest groups (ties at the cut: group values ascending) and add a rank column", NULL},
    {"rank", HZ_OPT_STRING, NULL, false, "name of the rank column added by top (default rank)", NULL},
    {"share", HZ_OPT_STRING, NULL, false, "name of a column receiving each group's percentage of all rows",
     NULL},
    {"share_digits", HZ_OPT_INT, NULL, false, "decimals of the share, 0 to 6, rounded half up (default 1)",
     NULL},
    {"share_within", HZ_OPT_LIST, NULL, false,
     "group_by columns parting the share's total: each group's percentage of the rows with its values there",
     NULL},
    {"sum", HZ_OPT_MAP, NULL, false,
     "output column -> input column of whole numbers to add up per group (an empty cell adds nothing)", NULL},
    {"suppress_below", HZ_OPT_INT, NULL, false,
     "disclosure control: counts from 1 to this minus 1 are not published (nor their shares and sums)", NULL},
    {"suppress_marker", HZ_OPT_STRING, NULL, false, "written instead of a suppressed number (default x)",
     NULL},
    {"suppress_secondary", HZ_OPT_BOOL, NULL, false,
     "also suppress a second cell where a table line has one, so it cannot be derived (default true)", NULL},
    {"suppressed", HZ_OPT_STRING, NULL, false,
     "name of the yes/no column added by suppress_below (default suppressed)", NULL},
    {0},
};

static int aggregate_create(hz_component *c, void **self) {
    agg_state *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->c = c;
    s->order_by_count = !strcmp(hz->opt_string(c, "order"), "count_desc");
    return 0;
}

/* An option that only means something with another one is a mistake
 * when given alone: say so rather than ignore it. */
static int needs(hz_component *c, const char *name, const char *other) {
    const hz_value *v = hz->option(c, name);
    if (!v || hz->option(c, other)) return 0;
    hz->config_error(c, v, "option '%s' has no effect without '%s'", name, other);
    return -1;
}

/* An integer option within [lo, hi], or `fallback` when absent. */
static int int_option(hz_component *c, const char *name, int64_t lo, int64_t hi, int64_t fallback,
                      int64_t *out) {
    const hz_value *v = hz->option(c, name);
    *out = fallback;
    if (!v) return 0;
    *out = hz->opt_int(c, name);
    if (*out >= lo && *out <= hi) return 0;
    if (hi == INT64_MAX)
        hz->config_error(c, v, "option '%s' must be %lld or more, not %lld", name, (long long)lo,
                         (long long)*out);
    else
        hz->config_error(c, v, "option '%s' must be from %lld to %lld, not %lld", name, (long long)lo,
                         (long long)hi, (long long)*out);
    return -1;
}

static const char *string_or(hz_component *c, const char *name, const char *fallback) {
    const char *v = hz->opt_string(c, name);
    return v ? v : fallback;
}

static int plan_options(hz_component *c, agg_state *s) {
    int rc = 0;
    rc |= needs(c, "rank", "top");
    rc |= needs(c, "share_digits", "share");
    rc |= needs(c, "share_within", "share");
    rc |= needs(c, "suppress_marker", "suppress_below");
    rc |= needs(c, "suppress_secondary", "suppress_below");
    rc |= needs(c, "suppressed", "suppress_below");
    int64_t digits;
    rc |= int_option(c, "top", 1, INT64_MAX, 0, &s->top);
    rc |= int_option(c, "share_digits", 0, 6, 1, &digits);
    rc |= int_option(c, "suppress_below", 2, INT64_MAX, 0, &s->suppress);
    s->share_digits = (int)digits;
    s->share = hz->option(c, "share") != NULL;
    s->rank = s->top > 0;
    s->flag = s->suppress > 0;
    s->secondary =
        s->suppress > 0 && (!hz->option(c, "suppress_secondary") || hz->opt_bool(c, "suppress_secondary"));
    s->marker = string_or(c, "suppress_marker", "x");
    return rc ? -1 : 0;
}

static int plan_groups(hz_component *c, agg_state *s, const hz_schema *in, hz_schema *out) {
    const hz_value *list = hz->option(c, "group_by");
    s->ngroup = hz->value_count(list);
    s->group_cols = hz->xcalloc(s->ngroup ? s->ngroup : 1, sizeof *s->group_cols);
    int rc = 0;
    for (size_t j = 0; j < s->ngroup; j++) {
        const hz_value *item = hz->value_item(list, j);
        const char *name = hz->value_string(item);
        long i = hz->schema_require(c, in, name, item);
        for (size_t k = 0; i >= 0 && k < j; k++)
            if (s->group_cols[k] == (size_t)i) {
                hz->config_error(c, item, "group_by column '%s' is listed twice", name);
                i = -1;
            }
        if (i < 0 || hz->schema_add(c, out, name, item) != 0) {
            rc = -1;
            continue;
        }
        s->group_cols[j] = (size_t)i;
    }
    return rc;
}

/* share_within: each a group_by column, once. */
static int plan_within(hz_component *c, agg_state *s, const hz_schema *in) {
    const hz_value *list = hz->option(c, "share_within");
    s->within = hz->xcalloc(s->ngroup ? s->ngroup : 1, sizeof *s->within);
    int rc = 0;
    for (size_t k = 0; list && k < hz->value_count(list); k++) {
        const hz_value *item = hz->value_item(list, k);
        long i = hz->schema_find(in, hz->value_string(item));
        size_t j = 0;
        while (j < s->ngroup && (i < 0 || s->group_cols[j] != (size_t)i)) j++;
        if (j == s->ngroup) {
            hz->config_error(c, item, "share_within column '%s' is not one of group_by",
                             hz->value_string(item));
            rc = -1;
        } else if (s->within[j]) {
            hz->config_error(c, item, "share_within column '%s' is listed twice", hz->value_string(item));
            rc = -1;
        } else {
            s->within[j] = true;
            s->nwithin++;
        }
    }
    return rc;
}

static int plan_sums(hz_component *c, agg_state *s, const hz_schema *in, hz_schema *out) {
    const hz_value *map = hz->option(c, "sum");
    s->nsum = map ? hz->value_count(map) : 0;
    size_t n = s->nsum ? s->nsum : 1;
    s->sum_cols = hz->xcalloc(n, sizeof *s->sum_cols);
    s->sum_inputs = hz->xcalloc(n, sizeof *s->sum_inputs);
    s->row_sums = hz->xcalloc(n, sizeof *s->row_sums);
    s->row_has = hz->xcalloc(n, sizeof *s->row_has);
    int rc = 0;
    for (size_t j = 0; j < s->nsum; j++) {
        const hz_value *key = hz->value_key(map, j), *value = hz->value_item(map, j);
        long i = hz->schema_require(c, in, hz->value_string(value), value);
        if (hz->schema_add(c, out, hz->value_string(key), key) != 0 || i < 0) {
            rc = -1;
            continue;
        }
        s->sum_cols[j] = (size_t)i;
        s->sum_inputs[j] = hz->value_string(value);
    }
    return rc;
}

static int aggregate_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    agg_state *s = self;
    int rc = plan_options(c, s);
    if (s->rank && hz->schema_add(c, out, string_or(c, "rank", "rank"), hz->option(c, "rank")) != 0) rc = -1;
    if (plan_groups(c, s, in, out) != 0 || plan_within(c, s, in) != 0) rc = -1;
    if (hz->schema_add(c, out, hz->opt_string(c, "count"), hz->option(c, "count")) != 0) rc = -1;
    if (plan_sums(c, s, in, out) != 0) rc = -1;
    if (s->share && hz->schema_add(c, out, hz->opt_string(c, "share"), hz->option(c, "share")) != 0) rc = -1;
    if (s->flag &&
        hz->schema_add(c, out, string_or(c, "suppressed", "suppressed"), hz->option(c, "suppressed")) != 0)
        rc = -1;
    s->ncols_out = hz->schema_count(out);
    kt_init(&s->groups, sizeof(group) + s->nsum * sizeof(int64_t));
    return rc;
}

/* A whole number: optional sign, decimal digits, nothing else. */
static bool parse_int(hz_field f, int64_t *out) {
    size_t i = 0;
    bool negative = f.len > 0 && (f.ptr[0] == '-' || f.ptr[0] == '+');
    if (negative) negative = f.ptr[i++] == '-';
    if (i == f.len) return false;
    uint64_t v = 0, limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < f.len; i++) {
        unsigned d = (unsigned char)f.ptr[i] - '0';
        if (d > 9 || v > (limit - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = negative ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* The row's summed cells into s->row_sums; false after rejecting it. */
static bool read_sums(agg_state *s, const hz_batch *in, size_t r) {
    const hz_field *row = in->fields + r * in->ncols;
    for (size_t j = 0; j < s->nsum; j++) {
        hz_field f = row[s->sum_cols[j]];
        s->row_has[j] = f.len > 0;
        s->row_sums[j] = 0;
        if (f.len && !parse_int(f, &s->row_sums[j])) {
            int shown = f.len > 40 ? 40 : (int)f.len;
            hz->reject(s->c, in, r, "not_an_integer", "column '%s': '%.*s%s' is not a whole number to sum",
                       s->sum_inputs[j], shown, f.ptr, f.len > 40 ? "..." : "");
            return false;
        }
    }
    return true;
}

/* The row's group values, length-prefixed, into s->scratch. */
static size_t encode_group(agg_state *s, const hz_field *row) {
    size_t need = 0;
    for (size_t j = 0; j < s->ngroup; j++) need += KT_VARINT_MAX + row[s->group_cols[j]].len;
    s->scratch = hzs_grow(s->scratch, &s->scratch_cap, need, 1);
    size_t n = 0;
    for (size_t j = 0; j < s->ngroup; j++) {
        hz_field f = row[s->group_cols[j]];
        n += kt_put_varint(s->scratch + n, f.len);
        if (f.len) memcpy(s->scratch + n, f.ptr, f.len);
        n += f.len;
    }
    return n;
}

static int aggregate_process(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out) {
    (void)input;
    (void)out;
    agg_state *s = self;
    uint64_t absorbed = 0;
    int rc = 0;
    for (size_t r = 0; r < in->nrows && rc == 0; r++) {
        if (!read_sums(s, in, r)) continue;
        size_t len = encode_group(s, in->fields + r * in->ncols);
        bool added;
        size_t i = kt_lookup(&s->groups, s->scratch, len, kt_hash(s->scratch, len, SEED_GROUP), true, &added);
        if (i == KT_NONE) {
            hz->error(c, "more groups than an aggregate holds (%zu)", s->groups.count);
            rc = -1;
            break;
        }
        group *g = kt_payload(&s->groups, i);
        if (added) {
            g->line = in->origins[r].line;
            g->feed = in->origins[r].feed;
        }
        g->count++;
        absorbed++;
        for (size_t j = 0; j < s->nsum; j++) {
            if (!s->row_has[j]) continue;
            int64_t a = g->sums[j], b = s->row_sums[j];
            if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)) {
                hz->error(c, "the sum of column '%s' goes beyond 64-bit integers", s->sum_inputs[j]);
                rc = -1;
                break;
            }
            g->sums[j] = a + b;
        }
    }
    if (absorbed) hz->absorb(c, absorbed, "aggregated");
    return rc;
}

static void aggregate_destroy(void *self) {
    agg_state *s = self;
    free(s->sum_inputs);
    free(s->sum_cols);
    free(s->group_cols);
    free(s->within);
    free(s->part_total);
    free(s->row_sums);
    free(s->row_has);
    free(s->scratch);
    free(s->order);
    kt_free(&s->groups);
    free(s);
}

static const hz_transform_class aggregate_transform = {
    HZ_CLASS_INIT(hz_transform_class),
    .doc = "one row per group: its count, optional sums and share, sorted, optionally the top N, with "
           "small counts suppressed on request",
    HZ_OPTIONS(aggregate_options),
    .create = aggregate_create,
    .plan = aggregate_plan,
    .process = aggregate_process,
    .finish = aggregate_finish,
    .destroy = aggregate_destroy,
};

static const hz_plugin aggregate_plugin = {
    HZ_PLUGIN_INIT,
    .name = "aggregate",
    .version = "1.0.0",
    .description = "counts (and sums) per group, for published tables",
    .transform = &aggregate_transform,
};

HZ_PLUGIN(aggregate_plugin)
