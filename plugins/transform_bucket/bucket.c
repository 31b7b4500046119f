/* bucket: derive a label column from an integer column, e.g. the age group
 * from the age: {child: [0, 17], adult: [18, 150]}.
 *
 * Ranges are inclusive at both ends and may not overlap, so a value has at
 * most one label; gaps are allowed, and a value in a gap is rejected
 * rather than labelled something it is not.  The ranges are sorted at
 * plan time and each row costs a binary search.  Integers are read as the
 * int transform reads them (lib/support/hzs_int.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <harmonize/plugin.h>
#include <support/hzs_buf.h>
#include <support/hzs_schema.h>

#include <support/hzs_detail.h>

#include <support/hzs_int.h>

typedef struct range {
    int64_t min, max;
    hz_field label;     /* the map key: lives as long as the component */
    const hz_value *at; /* the [min, max] value, for overlap errors */
    size_t order;       /* position in the pipeline file */
} range;

typedef struct bucket_state {
    const char *column;
    size_t col, dest;
    size_t in_cols;
    range *ranges; /* sorted by min, disjoint */
    size_t nranges;
    bool has_empty;
    hz_field empty;
    const char *reason;
    hzs_buf listing; /* "child 0 to 17, adult 18 to 150" for details */
} bucket_state;

static const hz_option bucket_options[] = {
    {"column", HZ_OPT_STRING, NULL, true, "the integer column to classify", NULL},
    {"output", HZ_OPT_STRING, NULL, true, "the label column (added, or overwritten if it exists)", NULL},
    {"buckets", HZ_OPT_ANY, NULL, true, "label -> [min, max], inclusive and disjoint, e.g. {child: [0, 17]}",
     NULL},
    {"empty", HZ_OPT_STRING, NULL, false, "label for an empty cell (without it, an empty cell is rejected)",
     NULL},
    {"reason", HZ_OPT_STRING, "out_of_range", false, "reject reason for a value in no bucket ([a-z_]+)",
     NULL},
    {0},
};

static int by_min(const void *pa, const void *pb) {
    const range *a = pa, *b = pb;
    if (a->min != b->min) return a->min < b->min ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int bucket_create(hz_component *c, void **self) {
    (void)c;
    *self = hz->xcalloc(1, sizeof(bucket_state));
    return 0;
}

/* One bucket's [min, max], checked where it is written. */
static bool read_range(hz_component *c, const char *label, const hz_value *v, range *out) {
    if (hz->value_kind(v) != HZ_VALUE_LIST || hz->value_count(v) != 2) {
        hz->config_error(c, v, "bucket '%s' must be a list of two integers [min, max], e.g. [0, 17]", label);
        return false;
    }
    int64_t ends[2];
    for (size_t i = 0; i < 2; i++) {
        const hz_value *item = hz->value_item(v, i);
        if (!hz->value_int(item, &ends[i])) {
            const char *text = hz->value_string(item);
            if (text)
                hz->config_error(c, item, "the %s of bucket '%s' must be an integer, not '%s'",
                                 i ? "max" : "min", label, text);
            else
                hz->config_error(c, item, "the %s of bucket '%s' must be an integer, not a %s",
                                 i ? "max" : "min", label,
                                 hz->value_kind(item) == HZ_VALUE_LIST ? "list" : "map");
            return false;
        }
    }
    if (ends[0] > ends[1]) {
        hz->config_error(c, v, "bucket '%s' has min %" PRId64 " above max %" PRId64, label, ends[0], ends[1]);
        return false;
    }
    out->min = ends[0];
    out->max = ends[1];
    return true;
}

static int read_buckets(hz_component *c, bucket_state *s) {
    const hz_value *map = hz->option(c, "buckets");
    if (hz->value_kind(map) != HZ_VALUE_MAP) {
        hz->config_error(c, map,
                         "'buckets' must be a map of label -> [min, max], e.g. {child: [0, 17], "
                         "adult: [18, 150]}");
        return -1;
    }
    if (hz->value_count(map) == 0) {
        hz->config_error(c, map, "'buckets' is empty: give at least one label -> [min, max]");
        return -1;
    }
    size_t n = hz->value_count(map);
    s->ranges = hz->xcalloc(n, sizeof *s->ranges);
    int rc = 0;
    for (size_t k = 0; k < n; k++) {
        const char *label = hz->value_string(hz->value_key(map, k));
        range r = {.label = {label, strlen(label)}, .at = hz->value_item(map, k), .order = k};
        if (!read_range(c, label, r.at, &r)) {
            rc = -1;
            continue;
        }
        s->ranges[s->nranges++] = r;
    }
    /* The valid ranges are still checked for overlaps, so that one
     * validate run reports every mistake. */
    for (size_t k = 0; k < s->nranges; k++) /* in file order, as the user wrote them */
        hzs_buf_printf(&s->listing, "%s%s %" PRId64 " to %" PRId64, k ? ", " : "", s->ranges[k].label.ptr,
                       s->ranges[k].min, s->ranges[k].max);
    hzs_buf_str(&s->listing); /* a C string, even when empty */
    /* Each bucket is checked against those written before it and the
     * first overlap is reported at it: one error per offending bucket.
     * Quadratic, but over a handful of buckets, once. */
    for (size_t j = 0; j < s->nranges; j++)
        for (size_t i = 0; i < j; i++) {
            const range *a = &s->ranges[i], *b = &s->ranges[j];
            if (b->min > a->max || a->min > b->max) continue;
            hz->config_error(c, b->at,
                             "bucket '%s' [%" PRId64 ", %" PRId64 "] overlaps bucket '%s' [%" PRId64
                             ", %" PRId64 "]: a value must have one label",
                             b->label.ptr, b->min, b->max, a->label.ptr, a->min, a->max);
            rc = -1;
            break;
        }
    qsort(s->ranges, s->nranges, sizeof *s->ranges, by_min);
    return rc;
}

static int bucket_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    bucket_state *s = self;
    s->column = hz->opt_string(c, "column");
    long col = hzs_schema_input(c, in, "column");
    s->col = col < 0 ? 0 : (size_t)col;
    s->in_cols = hz->schema_count(in);
    int rc = hzs_schema_copy(c, in, out) != 0 || col < 0 ? -1 : 0;
    const hz_value *output = hz->option(c, "output");
    long dest = hzs_schema_output(c, out, hz->value_string(output), output);
    if (dest < 0) rc = -1;
    s->dest = dest < 0 ? 0 : (size_t)dest;

    const char *empty = hz->opt_string(c, "empty");
    s->has_empty = empty != NULL;
    if (empty) s->empty = (hz_field){empty, strlen(empty)};
    s->reason = hz->opt_string(c, "reason");
    if (!hz_reason_valid(s->reason)) {
        hz->config_error(c, hz->option(c, "reason"),
                         "reason '%s' must be a code of lower-case letters and '_', e.g. age_out_of_range",
                         s->reason);
        rc = -1;
    }
    if (read_buckets(c, s) != 0) rc = -1;
    return rc;
}

/* The bucket holding v, or NULL: the last range starting at or below v. */
static const range *find(const bucket_state *s, int64_t v) {
    size_t lo = 0, hi = s->nranges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->ranges[mid].min <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || v > s->ranges[lo - 1].max) return NULL;
    return &s->ranges[lo - 1];
}

static int bucket_process(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out) {
    (void)input;
    const bucket_state *s = self;
    for (size_t r = 0; r < in->nrows; r++) {
        const hz_field *src = in->fields + r * in->ncols;
        hz_field cell = src[s->col];
        int64_t v = 0;
        bool canonical;
        size_t start, len;
        cell_int kind = cell_parse_int(cell.ptr, cell.len, &v, &canonical, &start, &len);
        int shown = hz_detail_clip(cell.ptr, cell.len);
        const char *more = cell.len > HZ_DETAIL_MAX ? "..." : "";
        hz_field label;
        if (kind == CELL_INT_EMPTY) {
            if (!s->has_empty) {
                hz->reject(c, in, r, "invalid_value",
                           "column '%s' is empty (give 'empty: <label>' to label it)", s->column);
                continue;
            }
            label = s->empty;
        } else if (kind == CELL_INT_INVALID) {
            hz->reject(c, in, r, "invalid_value", "column '%s': '%.*s%s' is not a whole number", s->column,
                       shown, cell.ptr, more);
            continue;
        } else {
            /* A number too big for int64 is a number in no bucket. */
            const range *b = kind == CELL_INT_OK ? find(s, v) : NULL;
            if (!b) {
                hz->reject(c, in, r, s->reason, "column '%s': '%.*s%s' is in no bucket (%s)", s->column,
                           shown, cell.ptr, more, s->listing.data);
                continue;
            }
            label = b->label;
        }
        hz_field *row = hz->batch_add_row(out, in->origins[r]);
        memcpy(row, src, s->in_cols * sizeof *row);
        row[s->dest] = label;
    }
    return 0;
}

static void bucket_destroy(void *self) {
    bucket_state *s = self;
    free(s->ranges);
    hzs_buf_free(&s->listing);
    free(s);
}

static const hz_transform_class bucket_transform = {
    HZ_CLASS_INIT(hz_transform_class),
    .doc = "labels an integer column by range (e.g. age -> child/adult)",
    HZ_OPTIONS(bucket_options),
    .create = bucket_create,
    .plan = bucket_plan,
    .process = bucket_process,
    .destroy = bucket_destroy,
};

static const hz_plugin bucket_plugin = {
    HZ_PLUGIN_INIT,
    .name = "bucket",
    .version = "1.0.0",
    .description = "derive a label from integer ranges",
    .transform = &bucket_transform,
};

HZ_PLUGIN(bucket_plugin)
