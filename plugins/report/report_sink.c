/* The report sink: the pipeline's published tables as one self-contained
 * HTML page (inline CSS and SVG, no script, nothing fetched), laid out as
 * the pipeline declares in `sections:` (layout.h).
 *
 * It sees each input apart (ABI 1.3 plan_input/write_input) and keeps, of
 * each, only the columns and rows its sections show, at most max_rows
 * (rows.h): the inputs are aggregates, so memory stays small and bounded.
 * prepare() renders the page (render.c) under the temporary name the
 * core's journal gives (hzs_publish), fsyncs it; commit() renames it over
 * the target; abort() removes it.  The data sources come from the core
 * (ABI 1.4 hz->feed_info): the run's feeds with the manifest's SHA-256. */
#include <stdlib.h>
#include <string.h>

#include <support/hzs_input.h>
#include <support/hzs_publish.h>

#include "html.h"
#include "report.h"

static const hz_option sink_options[] = {
    {"path", HZ_OPT_PATH, NULL, true,
     "the .html page to write; missing folders are created (mode 0777 less the umask)", NULL},
    {"title", HZ_OPT_STRING, NULL, true, "the page's title (its <title> and <h1>)", NULL},
    {"subtitle", HZ_OPT_STRING, NULL, false, "a line under the title", NULL},
    {"lang", HZ_OPT_STRING, "en", false, "the page's language (the lang attribute), e.g. en, fr", NULL},
    {"sections", HZ_OPT_ANY, NULL, true,
     "the page's sections, in order: a list of maps {kind: headline|bars|matrix|table, input, title, ...}",
     NULL},
    {"footnotes", HZ_OPT_LIST, NULL, false, "notes printed at the end of the page, in order", NULL},
    {"labels", HZ_OPT_MAP, NULL, false, "column -> the heading its tables show (default: the column's name)",
     NULL},
    {"sources", HZ_OPT_BOOL, "true", false,
     "list the run's input files with their size and SHA-256, as in the run's manifest", NULL},
    {"max_rows", HZ_OPT_INT, "10000", false,
     "rows kept per input at most (the report shows aggregates: more is a run-time error)", NULL},
    {"suppress_marker", HZ_OPT_STRING, "x", false,
     "the aggregate's suppress_marker: a value shown as suppressed, never as a number", NULL},
    {"suppressed", HZ_OPT_STRING, "suppressed", false,
     "the aggregate's yes/no column: a row flagged yes shows its values as suppressed", NULL},
    {"fsync", HZ_OPT_BOOL, "true", false,
     "flush the page to disk before publishing it, so a crash never leaves a truncated file", NULL},
    {0},
};

static int sink_create(hz_component *c, void **self) {
    report *r = hz->xcalloc(1, sizeof *r);
    *self = r;
    r->c = c;
    hzs_publish_init(&r->out, c, hz->opt_path(c, "path"), hz->opt_bool(c, "fsync"));
    r->title = hz->opt_string(c, "title");
    r->subtitle = hz->opt_string(c, "subtitle");
    r->lang = hz->opt_string(c, "lang");
    r->sources = hz->opt_bool(c, "sources");
    r->marker = hz->opt_string(c, "suppress_marker");
    r->suppressed_column = hz->opt_string(c, "suppressed");
    int rc = hzs_option_positive(c, "max_rows", "rows", &r->max_rows);
    if (!*r->marker) {
        hz->config_error(c, hz->option(c, "suppress_marker"),
                         "suppress_marker cannot be empty: an empty value would read as suppressed");
        rc = -1;
    }
    bool lang_ok = *r->lang != 0;
    for (const char *p = r->lang; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
            lang_ok = false;
    if (!lang_ok) {
        hz->config_error(c, hz->option(c, "lang"), "lang is a language tag such as en or fr-CA, not '%s'",
                         r->lang);
        rc = -1;
    }
    return rc;
}

static int sink_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)in, (void)out;
    report *r = self;
    int rc = hz->claim_output(c, r->out.path, NULL, hz->option(c, "path"));
    if (!HZ_HOST_HAS(feed_info)) {
        hz->config_error(c, NULL, "this harmonize is older than the report sink: it needs ABI 1.4");
        return -1;
    }
    r->ninputs = hz->input_count(c);
    r->inputs = hz->xcalloc(r->ninputs ? r->ninputs : 1, sizeof *r->inputs);
    for (size_t i = 0; i < r->ninputs; i++) {
        r->inputs[i].name = hz->input_name(c, i);
        r->inputs[i].suppressed = -1;
    }
    if (layout_read(c, hz->option(c, "sections"), &r->layout) != 0) rc = -1;
    /* An input no section shows is a mistake (a section left out, an input
     * listed by accident). */
    for (size_t i = 0; i < r->ninputs && rc == 0; i++) {
        bool used = false;
        for (size_t k = 0; k < r->layout.n; k++) used = used || r->layout.sections[k].input == i;
        if (!used) {
            const hz_value *at = hz->input_value(c, i);
            hz->config_error(c, at, "input '%s' is shown by no section of '%s'", r->inputs[i].name,
                             hz->component_name(c));
            rc = -1;
        }
    }
    return rc;
}

/* One input's schema: every column a section reads must be in it. */
static int sink_plan_input(hz_component *c, void *self, size_t input, const hz_schema *in) {
    report *r = self;
    if (input >= r->ninputs) return 0; /* plan() failed before knowing its inputs */
    report_input *ri = &r->inputs[input];
    size_t ncols = hz->schema_count(in);
    bool *keep = hz->xcalloc(ncols ? ncols : 1, sizeof *keep);
    long flag = hz->schema_find(in, r->suppressed_column);
    int rc = layout_plan_input(c, &r->layout, input, in, keep, flag);
    row_store *rows = &ri->rows;
    rows->from = hz->xcalloc(ncols ? ncols : 1, sizeof *rows->from);
    for (size_t i = 0; i < ncols; i++) {
        if (!keep[i]) continue;
        if ((long)i == flag) ri->suppressed = (long)rows->ncols;
        rows->from[rows->ncols++] = i;
        /* The page shows it: personal data is refused unless allow_pii. */
        if (hz->sink_column(c, in, i, NULL) != 0) rc = -1;
    }
    free(keep);
    ri->planned = true;
    return rc;
}

static int sink_open(hz_component *c, void *self) {
    (void)c;
    report *r = self;
    return hzs_publish_open(&r->out);
}

static int sink_write_input(hz_component *c, void *self, size_t input, const hz_batch *in) {
    report *r = self;
    if (input >= r->ninputs || !r->inputs[input].planned) {
        hz->error(c, "rows of input %zu, which the report did not plan (a core bug)", input);
        return -1;
    }
    report_input *ri = &r->inputs[input];
    for (size_t i = 0; i < in->nrows; i++) {
        rows_add(&ri->rows, in, i);
        if (!layout_wanted(&r->layout, input, rows_get(&ri->rows, ri->rows.nrows - 1))) {
            rows_pop(&ri->rows);
            continue;
        }
        if (ri->rows.nrows > r->max_rows) {
            hz->error(c,
                      "input '%s' gives the page more than %llu rows (max_rows): a report shows aggregates; "
                      "aggregate it further, filter it with where:, or raise max_rows",
                      ri->name, (unsigned long long)r->max_rows);
            return -1;
        }
    }
    return 0;
}

static int sink_prepare(hz_component *c, void *self) {
    (void)c;
    report *r = self;
    hzs_buf page = {0};
    int rc = render_page(r, &page);
    if (rc == 0) rc = hzs_publish_write(&r->out, page.data, page.len);
    hzs_buf_free(&page);
    if (rc == 0) rc = hzs_publish_prepare(&r->out);
    return rc;
}

static int sink_commit(hz_component *c, void *self) {
    (void)c;
    report *r = self;
    return hzs_publish_commit(&r->out);
}

static void sink_abort(hz_component *c, void *self) {
    (void)c;
    report *r = self;
    hzs_publish_abort(&r->out);
}

static void sink_destroy(void *self) {
    report *r = self;
    if (!r) return;
    for (size_t i = 0; i < r->ninputs; i++) rows_free(&r->inputs[i].rows);
    free(r->inputs);
    layout_free(&r->layout);
    hzs_publish_free(&r->out);
    free(r);
}

static const hz_sink_class report_sink_class = {
    HZ_CLASS_INIT(hz_sink_class),
    HZ_OPTIONS(sink_options),
    .doc = "publishes its inputs as one self-contained HTML page: headline figures, bar charts, heat maps, "
           "tables, the data sources",
    .create = sink_create,
    .plan = sink_plan,
    .plan_input = sink_plan_input,
    .write_input = sink_write_input,
    .open = sink_open,
    .prepare = sink_prepare,
    .commit = sink_commit,
    .abort = sink_abort,
    .destroy = sink_destroy,
};

static const hz_plugin report_plugin = {
    HZ_PLUGIN_INIT,
    .name = "report",
    .version = "1.0.0",
    .description = "HTML report sink: one self-contained page of charts and tables",
    .sink = &report_sink_class,
};

HZ_PLUGIN(report_plugin)
