/* country: resolve country columns against the reference table.  For each
 * configured column it writes <prefix>_country, <prefix>_iso3 and
 * <prefix>_region: added after the input's columns, or in place of input
 * columns of those names (so `host_country: host` harmonizes a feed that
 * already has the schema's columns).  A value the table refuses or does not
 * know rejects the row (unknown_country, ambiguous_country, not_a_country)
 * or, with `on_unknown: keep`, keeps the raw value as <prefix>_country with
 * empty iso3 and region, so nothing the office wrote is lost.  The summary lists
 * the unresolved spellings, most frequent first.
 *
 * Lookups go through the matcher's cache: a feed repeats a few hundred
 * spellings millions of times, so a row costs a hash and a comparison per
 * column; the answers are static strings of the table (nothing is
 * allocated per row). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <harmonize/plugin.h>

#include <support/hzs_detail.h>

#include "country/hz_country.h"
#include "tally.h"

/* Unresolved spellings listed in the summary. */
#define SUMMARY_SPELLINGS 20

static const char *const suffixes[] = {"_country", "_iso3", "_region"};

typedef struct mapped {
    const char *column;
    size_t col; /* in the input */
} mapped;

typedef struct country_state {
    hz_country_matcher *m;
    mapped *cols;
    hz_country_result *results; /* one per mapped column, for process() */
    size_t *slots;              /* per mapped column: where its name, iso3, region go */
    size_t ncols_mapped;
    size_t ncols_in, ncols_out;
    bool keep;
    tally unresolved;
    hz_field *answers; /* per table row: name, iso3, region under the policies */
    uint64_t kept_rows, kosovo_rows;
} country_state;

static const hz_option country_options[] = {
    {"columns", HZ_OPT_MAP, NULL, true,
     "input column -> output prefix: adds <prefix>_country, <prefix>_iso3, <prefix>_region", NULL},
    {"aliases", HZ_OPT_PATH, NULL, false,
     "a file of extra spellings, one 'alias<TAB>iso3' per line (UTF-8, # comments)", NULL},
    {"alias_map", HZ_OPT_MAP, NULL, false, "extra spellings written in the pipeline: alias -> iso3", NULL},
    {"kosovo", HZ_OPT_ENUM, "separate", false,
     "separate (XKX, Kosovo*, with the footnote) or serbia (counted under SRB, as UN statistics do)",
     "separate|serbia"},
    {"names", HZ_OPT_ENUM, "iom", false,
     "the name written: iom (house style, Niger (the)), iso (ISO short name) or short (Niger)",
     "iom|iso|short"},
    {"on_unknown", HZ_OPT_ENUM, "reject", false,
     "a value that is no country of the table: reject the row, or keep it (raw value as <prefix>_country, "
     "empty iso3 and region)",
     "reject|keep"},
    {0},
};

typedef struct alias_report {
    hz_component *c;
    const hz_value *at;
    int problems;
} alias_report;

static void report_alias_problem(void *ctx, const char *message) {
    alias_report *r = ctx;
    hz->config_error(r->c, r->at, "%s", message);
    r->problems++;
}

static int load_aliases(hz_component *c, country_state *s) {
    int rc = 0;
    const char *path = hz->opt_path(c, "aliases");
    if (path) {
        alias_report r = {c, hz->option(c, "aliases"), 0};
        int n = hz_country_matcher_load_aliases(s->m, path, hz->opt_string(c, "aliases"),
                                                report_alias_problem, &r);
        if (n != 0 || r.problems) rc = -1;
    }
    const hz_value *map = hz->option(c, "alias_map");
    for (size_t i = 0; map && i < hz->value_count(map); i++) {
        const hz_value *key = hz->value_key(map, i);
        const char *text = hz->value_string(key);
        const char *iso3 = hz->value_string(hz->value_item(map, i));
        char why[768], origin[64];
        snprintf(origin, sizeof origin, "alias_map entry %zu", i + 1);
        if (hz_country_matcher_add_alias(s->m, text, strlen(text), iso3, origin, why, sizeof why) != 0) {
            hz->config_error(c, key, "%s", why);
            rc = -1;
        }
    }
    return rc;
}

static int country_create(hz_component *c, void **self) {
    country_state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    *self = s;
    hz_kosovo_policy kosovo =
        strcmp(hz->opt_string(c, "kosovo"), "serbia") ? HZ_KOSOVO_SEPARATE : HZ_KOSOVO_SERBIA;
    const char *names = hz->opt_string(c, "names");
    hz_names_policy np = !strcmp(names, "iso")     ? HZ_NAMES_ISO
                         : !strcmp(names, "short") ? HZ_NAMES_SHORT
                                                   : HZ_NAMES_IOM;
    s->keep = !strcmp(hz->opt_string(c, "on_unknown"), "keep");
    s->m = hz_country_matcher_new(kosovo, np);
    s->answers = calloc(3 * hz_country_row_count, sizeof *s->answers);
    if (!s->m || !s->answers || tally_init(&s->unresolved) != 0) {
        hz->error(c, "out of memory loading the country table");
        return -1;
    }
    /* The three output fields of every row, measured once: a row of data
     * then costs a lookup and three copies per column. */
    for (size_t i = 0; i < hz_country_row_count; i++) {
        hz_country_result r = {.status = HZ_COUNTRY_FOUND, .country = (int16_t)i, .other = -1};
        const char *answer[3] = {hz_country_name(s->m, &r), hz_country_iso3(s->m, &r),
                                 hz_country_region(s->m, &r)};
        for (size_t j = 0; j < 3; j++) s->answers[3 * i + j] = (hz_field){answer[j], strlen(answer[j])};
    }
    return load_aliases(c, s);
}

static int country_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    country_state *s = self;
    int rc = 0;
    s->ncols_in = hz->schema_count(in);
    for (size_t i = 0; i < s->ncols_in; i++)
        if (hz->schema_add(c, out, hz->schema_name(in, i), NULL) != 0) rc = -1;
    const hz_value *map = hz->option(c, "columns");
    size_t n = hz->value_count(map);
    if (n == 0) {
        hz->config_error(c, map,
                         "'columns' is empty: map at least one input column to an output prefix, "
                         "e.g. columns: {nationality: origin}");
        return -1;
    }
    s->cols = calloc(n, sizeof *s->cols);
    s->results = calloc(n, sizeof *s->results);
    s->slots = calloc(3 * n, sizeof *s->slots);
    /* Which output column a prefix already writes: two prefixes must not
     * write one column. */
    bool *written = calloc(s->ncols_in + 3 * n, sizeof *written);
    if (!s->cols || !s->results || !s->slots || !written) {
        free(written);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const hz_value *key = hz->value_key(map, i), *val = hz->value_item(map, i);
        const char *column = hz->value_string(key), *prefix = hz->value_string(val);
        long col = hz->schema_require(c, in, column, key);
        if (col < 0) rc = -1;
        s->cols[s->ncols_mapped++] = (mapped){column, col < 0 ? 0 : (size_t)col};
        if (!*prefix) {
            hz->config_error(c, val,
                             "the output prefix for '%s' is empty (e.g. origin gives origin_country, ...)",
                             column);
            rc = -1;
            continue;
        }
        for (size_t k = 0; k < 3; k++) {
            char name[256];
            snprintf(name, sizeof name, "%s%s", prefix, suffixes[k]);
            long at = hz->schema_find(out, name);
            if (at >= 0 && written[at]) {
                hz->config_error(
                    c, val, "column '%s' is already written for another column: use another prefix", name);
                rc = -1;
                break; /* one report per colliding prefix */
            }
            if (at < 0) {
                if (hz->schema_add(c, out, name, val) != 0) {
                    rc = -1;
                    break;
                }
                at = (long)hz->schema_count(out) - 1;
            }
            written[at] = true;
            s->slots[3 * (s->ncols_mapped - 1) + k] = (size_t)at;
        }
    }
    s->ncols_out = hz->schema_count(out);
    free(written);
    return rc;
}

static void reject(hz_component *c, country_state *s, const hz_batch *in, size_t row, size_t k, hz_field v,
                   const hz_country_result *r) {
    char what[512];
    hz_country_describe(s->m, r, what, sizeof what);
    const char *verb = r->status == HZ_COUNTRY_AMBIGUOUS       ? "is ambiguous"
                       : r->status == HZ_COUNTRY_NOT_A_COUNTRY ? "is not a country"
                                                               : "is not in the country table";
    hz->reject(c, in, row, hz_country_reason(r), "column '%s': '%.*s%s' %s: %s", s->cols[k].column,
               hz_detail_clip(v.ptr, v.len), v.ptr, v.len > HZ_DETAIL_MAX ? "..." : "", verb, what);
}

static int country_process(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out) {
    (void)input;
    country_state *s = self;
    hz_country_result *res = s->results;
    for (size_t row = 0; row < in->nrows; row++) {
        const hz_field *src = in->fields + row * in->ncols;
        size_t refused = s->ncols_mapped; /* the first refused column */
        for (size_t k = 0; k < s->ncols_mapped; k++) {
            hz_field v = src[s->cols[k].col];
            hz_country_match(s->m, v.ptr, v.len, &res[k]);
            if (res[k].status == HZ_COUNTRY_FOUND) continue;
            tally_add(&s->unresolved, k, v.ptr, v.len, res[k].status);
            if (refused == s->ncols_mapped) refused = k;
        }
        if (refused < s->ncols_mapped && !s->keep) {
            reject(c, s, in, row, refused, src[s->cols[refused].col], &res[refused]);
            continue;
        }
        if (refused < s->ncols_mapped) s->kept_rows++;
        hz_field *dst = hz->batch_add_row(out, in->origins[row]);
        memcpy(dst, src, s->ncols_in * sizeof *dst);
        const size_t *slot = s->slots;
        for (size_t k = 0; k < s->ncols_mapped; k++, slot += 3) {
            if (res[k].status != HZ_COUNTRY_FOUND) {
                dst[slot[0]] = src[s->cols[k].col]; /* kept as the office wrote it */
                dst[slot[1]] = dst[slot[2]] = (hz_field){"", 0};
                continue;
            }
            if (hz_country_is_kosovo(s->m, &res[k])) s->kosovo_rows++;
            const hz_field *answer = &s->answers[3 * (size_t)res[k].country];
            dst[slot[0]] = answer[0];
            dst[slot[1]] = answer[1];
            dst[slot[2]] = answer[2];
        }
    }
    return 0;
}

/* The summary: which spellings the table did not resolve, most frequent
 * first, so an office knows which aliases to add; and the footnote owed
 * to the readers of `Kosovo*`. */
static int country_finish(hz_component *c, void *self, hz_batch *out) {
    (void)out;
    country_state *s = self;
    size_t n;
    tally_item *items = tally_sorted(&s->unresolved, &n);
    if (n)
        hz->summary_note(c, "unresolved spellings, most frequent first (add the countries among them to "
                            "'aliases'):");
    for (size_t i = 0; i < n && i < SUMMARY_SPELLINGS; i++) {
        hz_country_result r = {.status = (uint8_t)items[i].status};
        const char *quote = items[i].len ? "'" : "";
        hz->summary_note(c, "  %s%s%.*s%s%s in %s: %llu row%s, %s", items[i].len ? "" : "(empty value)",
                         quote, hz_detail_clip(items[i].text, items[i].len), items[i].text,
                         items[i].len > HZ_DETAIL_MAX ? "..." : "", quote, s->cols[items[i].column].column,
                         (unsigned long long)items[i].rows, items[i].rows == 1 ? "" : "s",
                         hz_country_reason(&r));
    }
    uint64_t more_rows = s->unresolved.untracked_rows;
    for (size_t i = SUMMARY_SPELLINGS; i < n; i++) more_rows += items[i].rows;
    if (more_rows)
        hz->summary_note(c, "  and %zu more spellings in %llu rows",
                         n > SUMMARY_SPELLINGS ? n - SUMMARY_SPELLINGS : 0, (unsigned long long)more_rows);
    free(items);
    if (s->kept_rows)
        hz->summary_note(
            c, "rows kept unresolved (on_unknown: keep; raw value kept, iso3 and region empty): %llu",
            (unsigned long long)s->kept_rows);
    if (s->kosovo_rows)
        hz->summary_note(c, "Kosovo* written for %llu value%s; its footnote: %s",
                         (unsigned long long)s->kosovo_rows, s->kosovo_rows == 1 ? "" : "s",
                         hz_country_kosovo_footnote);
    return 0;
}

static void country_destroy(void *self) {
    country_state *s = self;
    if (!s) return;
    hz_country_matcher_free(s->m);
    tally_free(&s->unresolved);
    free(s->cols);
    free(s->results);
    free(s->slots);
    free(s->answers);
    free(s);
}

static const hz_transform_class country_transform = {
    HZ_CLASS_INIT(hz_transform_class),
    .doc = "resolves country columns against the reference table: adds <prefix>_country, _iso3, _region",
    HZ_OPTIONS(country_options),
    .create = country_create,
    .plan = country_plan,
    .process = country_process,
    .finish = country_finish,
    .destroy = country_destroy,
};

static const hz_plugin country_plugin = {
    HZ_PLUGIN_INIT,
    .name = "country",
    .version = "1.0.0",
    .description = "country names, codes and IOM regions from the reference table",
    .transform = &country_transform,
};

HZ_PLUGIN(country_plugin)
