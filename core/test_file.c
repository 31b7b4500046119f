/* Reading a pipeline's test file: every key checked where it is written,
 * so that a mistake is reported at its line and column (exit 2) rather
 * than turning into a test that fails, or worse, passes. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "test_file.h"
#include "util.h"

void hz_test_error(hz_diag *d, const hz_value *at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hz_diag_vadd(d, HZ_DIAG_ERROR, at->file, at->line, at->col, fmt, ap);
    va_end(ap);
}

/* Keys of map `m` outside `allowed` (NULL-terminated) are errors, with a
 * did-you-mean. */
static void check_keys(hz_diag *d, const hz_value *m, const char *const *allowed, const char *where) {
    size_t n = 0;
    while (allowed[n]) n++;
    for (size_t i = 0; i < m->count; i++) {
        bool known = false;
        for (size_t k = 0; k < n && !known; k++) known = !strcmp(m->keys[i]->text, allowed[k]);
        if (known) continue;
        const char *hint = hz_did_you_mean(m->keys[i]->text, allowed, n);
        hz_strbuf list = {0};
        for (size_t k = 0; k < n; k++) hz_strbuf_printf(&list, "%s%s", k ? ", " : "", allowed[k]);
        if (hint)
            hz_test_error(d, m->keys[i], "unknown key '%s' in %s; did you mean '%s'?", m->keys[i]->text,
                          where, hint);
        else
            hz_test_error(d, m->keys[i], "unknown key '%s' in %s (known: %s)", m->keys[i]->text, where,
                          hz_strbuf_cstr(&list));
        hz_strbuf_free(&list);
    }
}

/* A list of maps whose values are all scalars: rows. */
static bool check_rows(hz_diag *d, const hz_value *rows, const char *what) {
    if (rows->kind != HZ_VALUE_LIST) {
        hz_test_error(d, rows, "'rows' of %s must be a list of rows, each a map column: value", what);
        return false;
    }
    bool ok = true;
    for (size_t r = 0; r < rows->count; r++) {
        const hz_value *row = rows->items[r];
        if (row->kind != HZ_VALUE_MAP) {
            hz_test_error(d, row, "a row of %s must be a map column: value, e.g. {record_id: DE-1, age: 34}",
                          what);
            ok = false;
            continue;
        }
        for (size_t k = 0; k < row->count; k++)
            if (row->items[k]->kind != HZ_VALUE_SCALAR) {
                hz_test_error(d, row->items[k], "the value of column '%s' must be text or a number, not a %s",
                              row->keys[k]->text, hz_value_kind_name(row->items[k]->kind));
                ok = false;
            }
    }
    return ok;
}

static void read_inputs(hz_diag *d, const hz_value *m, hz_test_input **out, size_t *nout) {
    if (m->kind != HZ_VALUE_MAP) {
        hz_test_error(d, m,
                      "'inputs' must map source names to their rows, e.g. inputs: {germany: {rows: [...]}}");
        return;
    }
    static const char *const keys[] = {"rows", "csv", "delimiter", "columns", "read_feed", NULL};
    *out = hz_xcalloc(m->count ? m->count : 1, sizeof **out);
    for (size_t i = 0; i < m->count; i++) {
        const hz_value *spec = m->items[i];
        char *what = hz_xasprintf("source '%s'", m->keys[i]->text);
        if (spec->kind != HZ_VALUE_MAP) {
            hz_test_error(
                d, spec, "the inline input of %s must be a map with 'rows' (and optionally 'columns')", what);
            free(what);
            continue;
        }
        check_keys(d, spec, keys, what);
        hz_test_input in = {.source = m->keys[i],
                            .rows = hz_value_get(spec, "rows"),
                            .columns = hz_value_get(spec, "columns")};
        if (in.rows && !check_rows(d, in.rows, what)) in.rows = NULL;
        if (in.columns) {
            bool ok = in.columns->kind == HZ_VALUE_LIST;
            for (size_t k = 0; ok && k < in.columns->count; k++)
                ok = in.columns->items[k]->kind == HZ_VALUE_SCALAR && in.columns->items[k]->text[0];
            if (!ok) {
                hz_test_error(d, in.columns, "'columns' of %s must be a list of column names", what);
                in.columns = NULL;
            }
        }
        in.delimiter = ',';
        in.csv = hz_value_get(spec, "csv");
        const hz_value *delim = hz_value_get(spec, "delimiter");
        if (in.csv && in.csv->kind != HZ_VALUE_SCALAR) {
            hz_test_error(d, in.csv,
                          "'csv' of %s must be text: a header line, then one line per row (csv: |)", what);
            in.csv = NULL;
        }
        if (delim && (delim->kind != HZ_VALUE_SCALAR || strlen(delim->text) != 1 || delim->text[0] == '"' ||
                      delim->text[0] == '\n' || delim->text[0] == '\r'))
            hz_test_error(d, delim, "'delimiter' must be one character, e.g. \";\" or \"\\t\"");
        else if (delim)
            in.delimiter = delim->text[0];
        if (delim && !hz_value_get(spec, "csv")) hz_test_error(d, delim, "'delimiter' goes with 'csv'");
        if (hz_value_get(spec, "csv") && (hz_value_get(spec, "rows") || hz_value_get(spec, "columns")))
            hz_test_error(d, hz_value_key_of(spec, "csv"),
                          "%s is given 'csv' (its header names the columns) or 'rows', not both", what);
        const hz_value *feed = hz_value_get(spec, "read_feed");
        if (feed && !hz_value_parse_bool(feed, &in.read_feed))
            hz_test_error(d, feed, "'read_feed' must be true or false");
        if (in.read_feed && (hz_value_get(spec, "rows") || in.columns || hz_value_get(spec, "csv")))
            hz_test_error(d, feed, "%s reads its feed (read_feed: true) or is given rows, not both", what);
        else if (!in.read_feed && !hz_value_get(spec, "rows") && !hz_value_get(spec, "columns") &&
                 !hz_value_get(spec, "csv"))
            hz_test_error(d, spec, "%s needs 'rows' or 'csv' (or, for no rows, 'columns' and 'rows: []')",
                          what);
        (*out)[(*nout)++] = in;
        free(what);
    }
}

static void read_expects(hz_diag *d, const hz_value *m, hz_test_case *c) {
    if (m->kind != HZ_VALUE_MAP) {
        hz_test_error(d, m,
                      "'expect' must map component or sink names to what they produce, e.g. expect: "
                      "{harmonized: {count: 3}}");
        return;
    }
    static const char *const keys[] = {"rows", "count", "unordered", NULL};
    c->expects = hz_xcalloc(m->count ? m->count : 1, sizeof *c->expects);
    for (size_t i = 0; i < m->count; i++) {
        const hz_value *spec = m->items[i];
        char *what = hz_xasprintf("the expectation for '%s'", m->keys[i]->text);
        hz_test_expect e = {.target = m->keys[i], .count = -1};
        if (spec->kind != HZ_VALUE_MAP) {
            hz_test_error(d, spec, "%s must be a map with 'rows' or 'count'", what);
            free(what);
            continue;
        }
        check_keys(d, spec, keys, what);
        e.rows = hz_value_get(spec, "rows");
        if (e.rows && !check_rows(d, e.rows, what)) e.rows = NULL;
        const hz_value *count = hz_value_get(spec, "count"), *unordered = hz_value_get(spec, "unordered");
        if (count && (!hz_value_parse_int(count, &e.count) || e.count < 0)) {
            hz_test_error(d, count, "'count' must be a number of rows (0 or more)");
            e.count = -1;
        }
        if (unordered && !hz_value_parse_bool(unordered, &e.unordered))
            hz_test_error(d, unordered, "'unordered' must be true or false");
        if (!hz_value_get(spec, "rows") && !count) hz_test_error(d, spec, "%s needs 'rows' or 'count'", what);
        if (e.rows && count && e.count >= 0 && (size_t)e.count != e.rows->count)
            hz_test_error(d, count, "'count' is %lld but %zu rows are listed: give one of them",
                          (long long)e.count, e.rows->count);
        c->expects[c->nexpects++] = e;
        free(what);
    }
}

static void read_rejects(hz_diag *d, const hz_value *l, hz_test_case *c) {
    c->rejects_given = true;
    if (l->kind != HZ_VALUE_LIST) {
        hz_test_error(
            d, l, "'rejects' must be a list of expected rejects, each with its 'reason' (or [] for none)");
        return;
    }
    static const char *const keys[] = {"reason", "component", "detail", "row", NULL};
    c->rejects = hz_xcalloc(l->count ? l->count : 1, sizeof *c->rejects);
    for (size_t i = 0; i < l->count; i++) {
        const hz_value *r = l->items[i];
        if (r->kind != HZ_VALUE_MAP) {
            hz_test_error(d, r, "an expected reject is a map with its 'reason', e.g. {reason: invalid_age}");
            continue;
        }
        check_keys(d, r, keys, "an expected reject");
        hz_test_reject x = {.at = r,
                            .reason = hz_value_get(r, "reason"),
                            .component = hz_value_get(r, "component"),
                            .detail = hz_value_get(r, "detail"),
                            .row = hz_value_get(r, "row")};
        const hz_value *scalars[] = {x.reason, x.component, x.detail};
        for (size_t k = 0; k < 3; k++)
            if (scalars[k] && scalars[k]->kind != HZ_VALUE_SCALAR) {
                hz_test_error(d, scalars[k], "'%s' of an expected reject must be text",
                              k == 0   ? "reason"
                              : k == 1 ? "component"
                                       : "detail");
                return;
            }
        if (!x.reason)
            hz_test_error(d, r, "an expected reject needs its 'reason' (e.g. reason: invalid_age)");
        if (x.row && (x.row->kind != HZ_VALUE_MAP)) {
            hz_test_error(d, x.row, "'row' of an expected reject must be a map column: value");
            x.row = NULL;
        }
        for (size_t k = 0; x.row && k < x.row->count; k++)
            if (x.row->items[k]->kind != HZ_VALUE_SCALAR) {
                hz_test_error(d, x.row->items[k], "the value of column '%s' must be text or a number",
                              x.row->keys[k]->text);
                x.row = NULL;
            }
        c->rejects[c->nrejects++] = x;
    }
}

static void read_case(hz_diag *d, const hz_value *node, hz_test_case *c) {
    static const char *const keys[] = {"name", "set", "inputs", "expect", "rejects", NULL};
    c->node = node;
    check_keys(d, node, keys, "a test");
    c->name = hz_value_get(node, "name");
    if (!c->name || c->name->kind != HZ_VALUE_SCALAR || !c->name->text[0]) {
        hz_test_error(d, c->name ? c->name : node, "a test needs a 'name' (one line saying what it checks)");
        c->name = NULL;
    }
    const hz_value *v;
    if ((v = hz_value_get(node, "set"))) {
        bool ok = v->kind == HZ_VALUE_MAP;
        for (size_t i = 0; ok && i < v->count; i++) ok = v->items[i]->kind == HZ_VALUE_SCALAR;
        if (ok)
            c->set = v;
        else
            hz_test_error(d, v, "'set' must map variable names to values, e.g. set: {year: 2022}");
    }
    if ((v = hz_value_get(node, "inputs"))) read_inputs(d, v, &c->inputs, &c->ninputs);
    if ((v = hz_value_get(node, "expect"))) read_expects(d, v, c);
    if ((v = hz_value_get(node, "rejects"))) read_rejects(d, v, c);
    if (!hz_value_get(node, "expect") && !hz_value_get(node, "rejects"))
        hz_test_error(d, c->name ? c->name : node, "this test checks nothing: give it 'expect' or 'rejects'");
}

hz_test_file *hz_test_file_load(const char *path, const hz_vars *vars, hz_diag *diag) {
    hz_document *doc = hz_document_load(path, vars, diag);
    if (!doc) return NULL;
    hz_test_file *t = hz_xcalloc(1, sizeof *t);
    t->doc = doc;
    const hz_value *root = doc->root;
    if (!root || root->kind != HZ_VALUE_MAP) {
        if (!diag->errors)
            hz_diag_add(diag, HZ_DIAG_ERROR, path, root ? root->line : 0, root ? root->col : 0,
                        "a test file is a map with 'pipeline: FILE' and 'tests:' (docs/pipeline-tests.md)");
        return t;
    }
    static const char *const keys[] = {"pipeline", "inputs", "tests", NULL};
    check_keys(diag, root, keys, "a test file");
    t->pipeline = hz_value_get(root, "pipeline");
    if (!t->pipeline || t->pipeline->kind != HZ_VALUE_SCALAR || !t->pipeline->text[0]) {
        hz_test_error(diag, t->pipeline ? t->pipeline : root,
                      "a test file names the pipeline it tests: pipeline: FILE (relative to the test file)");
        t->pipeline = NULL;
    } else {
        char *dir = hz_dirname(path);
        t->pipeline_path =
            strcmp(dir, ".") ? hz_path_join(dir, t->pipeline->text) : hz_xstrdup(t->pipeline->text);
        free(dir);
    }
    const hz_value *v = hz_value_get(root, "inputs");
    if (v) read_inputs(diag, v, &t->inputs, &t->ninputs);
    const hz_value *tests = hz_value_get(root, "tests");
    if (!tests || tests->kind != HZ_VALUE_LIST || tests->count == 0) {
        hz_test_error(diag, tests ? tests : root, "a test file needs 'tests:', a list of test cases");
        return t;
    }
    t->cases = hz_xcalloc(tests->count, sizeof *t->cases);
    for (size_t i = 0; i < tests->count; i++) {
        if (tests->items[i]->kind != HZ_VALUE_MAP) {
            hz_test_error(diag, tests->items[i], "a test is a map with 'name', 'inputs' and 'expect'");
            continue;
        }
        hz_test_case *c = &t->cases[t->ncases++];
        read_case(diag, tests->items[i], c);
        for (size_t k = 0; c->name && k + 1 < t->ncases; k++)
            if (t->cases[k].name && !strcmp(t->cases[k].name->text, c->name->text))
                hz_test_error(diag, c->name,
                              "a test named '%s' exists already (line %u): names tell failures apart",
                              c->name->text, t->cases[k].name->line);
    }
    return t;
}

const hz_test_input *hz_test_case_input(const hz_test_file *t, const hz_test_case *c, const char *source) {
    for (size_t i = 0; i < c->ninputs; i++)
        if (!strcmp(c->inputs[i].source->text, source)) return &c->inputs[i];
    for (size_t i = 0; i < t->ninputs; i++)
        if (!strcmp(t->inputs[i].source->text, source)) return &t->inputs[i];
    return NULL;
}

void hz_test_file_free(hz_test_file *t) {
    if (!t) return;
    for (size_t i = 0; i < t->ncases; i++) {
        free(t->cases[i].inputs);
        free(t->cases[i].expects);
        free(t->cases[i].rejects);
    }
    free(t->cases);
    free(t->inputs);
    free(t->pipeline_path);
    hz_document_free(t->doc);
    free(t);
}
