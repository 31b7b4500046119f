/* int: check that a column holds a whole number (an age, a count) within
 * an optional range, and write it back in canonical form: spaces trimmed,
 * no '+', no leading zeros (" 034 " -> "34", "-0" -> "0"), so that
 * downstream grouping sees one spelling per number.
 *
 * An empty cell is an unknown value, not an error: it stays empty unless
 * `required: true`.  Everything else that is not an integer in range is
 * rejected, never guessed: "ca. 30", "2O", "3.5" and "thirty" would each
 * need a human to say what was meant. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <harmonize/plugin.h>
#include <support/hzs_schema.h>

#include <support/hzs_detail.h>

#include <support/hzs_int.h>

typedef struct int_state {
    const char *column;
    size_t col;
    size_t ncols;
    bool has_min, has_max, required;
    int64_t min, max;
    const char *reason;
    char expected[64]; /* "0 to 120", "at least 0", or "" without a range */
} int_state;

static const hz_option int_options[] = {
    {"column", HZ_OPT_STRING, NULL, true, "the column holding the integer (rewritten in canonical form)",
     NULL},
    {"min", HZ_OPT_INT, NULL, false, "smallest value accepted", NULL},
    {"max", HZ_OPT_INT, NULL, false, "largest value accepted", NULL},
    {"required", HZ_OPT_BOOL, "false", false, "reject an empty cell (false: it stays empty, as unknown)",
     NULL},
    {"reason", HZ_OPT_STRING, "invalid_value", false, "reject reason, e.g. invalid_age ([a-z_]+)", NULL},
    {0},
};

/* Decimal text of v into buf (at least 20 bytes); returns its length. */
static size_t format_int(char *buf, int64_t v) {
    char tmp[20];
    size_t n = 0;
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do tmp[n++] = (char)('0' + m % 10);
    while (m /= 10);
    size_t len = 0;
    if (v < 0) buf[len++] = '-';
    while (n) buf[len++] = tmp[--n];
    return len;
}

static int int_create(hz_component *c, void **self) {
    (void)c;
    *self = hz->xcalloc(1, sizeof(int_state));
    return 0;
}

static int int_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    int_state *s = self;
    s->column = hz->opt_string(c, "column");
    long col = hzs_schema_input(c, in, "column");
    s->col = col < 0 ? 0 : (size_t)col;
    s->ncols = hz->schema_count(in);
    int rc = hzs_schema_copy(c, in, out) != 0 || col < 0 ? -1 : 0;

    s->required = hz->opt_bool(c, "required");
    s->has_min = hz->option(c, "min") != NULL;
    s->has_max = hz->option(c, "max") != NULL;
    s->min = hz->opt_int(c, "min");
    s->max = hz->opt_int(c, "max");
    if (s->has_min && s->has_max && s->min > s->max) {
        hz->config_error(c, hz->option(c, "max"), "max %" PRId64 " is below min %" PRId64, s->max, s->min);
        rc = -1;
    }
    if (s->has_min && s->has_max)
        snprintf(s->expected, sizeof s->expected, "%" PRId64 " to %" PRId64, s->min, s->max);
    else if (s->has_min)
        snprintf(s->expected, sizeof s->expected, "at least %" PRId64, s->min);
    else if (s->has_max)
        snprintf(s->expected, sizeof s->expected, "at most %" PRId64, s->max);

    s->reason = hz->opt_string(c, "reason");
    if (!hz_reason_valid(s->reason)) {
        hz->config_error(c, hz->option(c, "reason"),
                         "reason '%s' must be a code of lower-case letters and '_', e.g. invalid_age",
                         s->reason);
        rc = -1;
    }
    return rc;
}

static int int_process(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out) {
    (void)input;
    const int_state *s = self;
    for (size_t r = 0; r < in->nrows; r++) {
        const hz_field *src = in->fields + r * in->ncols;
        hz_field cell = src[s->col];
        int64_t v = 0;
        bool canonical;
        size_t start, len;
        cell_int kind = cell_parse_int(cell.ptr, cell.len, &v, &canonical, &start, &len);
        const char *problem = NULL;
        if (kind == CELL_INT_EMPTY && s->required)
            problem = "is empty";
        else if (kind == CELL_INT_INVALID)
            problem = "is not a whole number";
        else if (kind == CELL_INT_OVERFLOW ||
                 (kind == CELL_INT_OK && ((s->has_min && v < s->min) || (s->has_max && v > s->max))))
            problem = s->has_min || s->has_max ? "is out of range" : "is outside the 64-bit integer range";
        if (problem) {
            bool range = s->expected[0] != '\0';
            if (kind == CELL_INT_EMPTY)
                hz->reject(c, in, r, s->reason, "column '%s' %s (required: true%s%s)", s->column, problem,
                           range ? "; expected " : "", s->expected);
            else
                hz->reject(c, in, r, s->reason, "column '%s': '%.*s%s' %s%s%s%s", s->column,
                           hz_detail_clip(cell.ptr, cell.len), cell.ptr,
                           cell.len > HZ_DETAIL_MAX ? "..." : "", problem, range ? " (expected " : "",
                           s->expected, range ? ")" : "");
            continue;
        }
        hz_field value;
        if (kind == CELL_INT_EMPTY) {
            value = (hz_field){cell.ptr, 0};
        } else if (canonical) {
            /* Already canonical: point at it, nothing to write. */
            value = (hz_field){cell.ptr + start, len};
        } else {
            char *text = hz->batch_alloc(out, 20);
            value = (hz_field){text, format_int(text, v)};
        }
        hz_field *row = hz->batch_add_row(out, in->origins[r]);
        memcpy(row, src, s->ncols * sizeof *row);
        row[s->col] = value;
    }
    return 0;
}

static const hz_transform_class int_transform = {
    HZ_CLASS_INIT(hz_transform_class),
    .doc = "checks a whole number (optionally within min..max) and writes it canonically",
    HZ_OPTIONS(int_options),
    .create = int_create,
    .plan = int_plan,
    .process = int_process,
    .destroy = free,
};

static const hz_plugin int_plugin = {
    HZ_PLUGIN_INIT,
    .name = "int",
    .version = "1.0.0",
    .description = "validate and canonicalize integers",
    .transform = &int_transform,
};

HZ_PLUGIN(int_plugin)
