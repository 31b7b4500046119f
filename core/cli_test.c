/* `harmonize test FILE...`: run a pipeline's test cases (test_file.h) with
 * rows given inline for its sources, and compare what its components and
 * sinks saw with what the cases expect (test_diff.h).  Nothing is written:
 * no sink is opened, and neither the state folder, the lock, the journal
 * nor a manifest is touched (runtime.c, hz_pipeline_run_test). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "class.h"
#include "cli.h"
#include "cli_args.h"
#include "graph.h"
#include "log_json.h"
#include "pii.h"
#include "pipeline.h"
#include "runtime.h"
#include "test_csv.h"
#include "test_diff.h"
#include "test_file.h"

typedef struct test_args {
    hz_vars vars;
    const char **files;
    size_t nfiles;
    hz_cli_shared shared; /* --set (into vars), --plugin-path, --allow-insecure-plugins */
} test_args;

static int usage_error(const char *fmt, const char *arg) {
    fputs("harmonize: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (try: harmonize test --help)\n", stderr);
    return 2;
}

static int parse_args(int argc, char **argv, test_args *a) {
    a->shared.vars = &a->vars;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int taken = hz_cli_take_shared(argc, argv, &i, &a->shared, "harmonize test --help");
        if (taken == 2) return 2;
        if (taken) continue;
        if (!strcmp(arg, "--help")) {
            return hz_print_command_help("test") == 0 ? -1 : 2;
        } else if (arg[0] == '-' && arg[1]) {
            return usage_error("unknown option '%s'", arg);
        } else {
            a->files = hz_xrealloc(a->files, (a->nfiles + 1) * sizeof *a->files);
            a->files[a->nfiles++] = arg;
        }
    }
    if (!a->nfiles)
        return usage_error("%s", "test: which test file? (e.g. pipelines/key-highlights.test.yaml)");
    return 0;
}

/* One test file being checked or run. */
typedef struct test_run {
    const char *file;
    hz_test_file *t;
    hz_document *pipeline_doc;
    hz_registry *reg;
    hz_diag *diag;
    const hz_vars *vars; /* --set */
} test_run;

/* One place whose rows a case checks. */
typedef struct target {
    const hz_test_expect *e;
    hz_component *c;
    const hz_stream *s; /* NULL: the rows sink c receives */
    hz_test_table table;
} target;

/* The run of one case: its sources' inline rows and what it saw. */
typedef struct case_run {
    test_run *tr;
    const hz_test_case *tc;
    hz_pipeline *p;
    hz_document *doc;    /* the pipeline loaded with the case's `set:`, or NULL */
    hz_schema **schemas; /* per inline source */
    hz_batch **batches;
    size_t ninline;
    target *targets;
    size_t ntargets;
    hz_test_seen_reject *rejects;
    size_t nrejects;
} case_run;

static void on_rows(void *ctx, const hz_component *c, const hz_stream *s, const hz_batch *b) {
    case_run *cr = ctx;
    for (size_t i = 0; i < cr->ntargets; i++)
        if (s ? cr->targets[i].s == s : (!cr->targets[i].s && cr->targets[i].c == c))
            hz_test_table_add(&cr->targets[i].table, b);
}

static void on_reject(void *ctx, hz_component *c, const hz_schema *s, const hz_field *fields, size_t n,
                      hz_origin origin, const char *reason, const char *detail) {
    case_run *cr = ctx;
    hz_pipeline *p = cr->p;
    cr->rejects = hz_xrealloc(cr->rejects, (cr->nrejects + 1) * sizeof *cr->rejects);
    hz_test_seen_reject *r = &cr->rejects[cr->nrejects++];
    *r = (hz_test_seen_reject){.component = hz_xstrdup(c->name),
                               .reason = hz_xstrdup(reason),
                               .detail = hz_xstrdup(detail ? detail : "")};
    /* Inline rows carry their line in the test file; a feed's, in the feed. */
    if (origin.feed < p->nfeeds && origin.line)
        r->where = hz_xasprintf("%s:%llu", p->feeds[origin.feed].file, (unsigned long long)origin.line);
    if (s && s->count == n) {
        r->schema = s;
        r->values = hz_xcalloc(n ? n : 1, sizeof *r->values);
        for (size_t i = 0; i < n; i++)
            r->values[i] = hz_xstrndup(fields[i].len ? fields[i].ptr : "", fields[i].len);
    }
}

static bool is_source(const hz_component *c) {
    return c->role == HZ_ROLE_SOURCE && c->ref;
}

/* `inputs:` names a source of the pipeline: else exit 2, at the name. */
static void check_input_names(case_run *cr, const hz_test_input *in, size_t n) {
    hz_pipeline *p = cr->p;
    for (size_t i = 0; i < n; i++) {
        const hz_value *name = in[i].source;
        hz_component *c = hz_pipeline_find(p, name->text);
        if (c && is_source(c)) continue;
        if (c) {
            hz_test_error(cr->tr->diag, name,
                          "'%s' is a %s: 'inputs' gives rows for the pipeline's sources only", name->text,
                          hz_role_name(c->role));
            continue;
        }
        const char **names = hz_xcalloc(p->ncomps + 1, sizeof *names);
        size_t k = 0;
        hz_strbuf list = {0};
        for (size_t j = 0; j < p->ncomps; j++)
            if (is_source(p->comps[j])) {
                names[k++] = p->comps[j]->ref;
                hz_strbuf_printf(&list, "%s%s", k > 1 ? ", " : "", p->comps[j]->ref);
            }
        const char *hint = hz_did_you_mean(name->text, names, k);
        if (hint)
            hz_test_error(cr->tr->diag, name, "unknown source '%s' in 'inputs'; did you mean '%s'?",
                          name->text, hint);
        else
            hz_test_error(cr->tr->diag, name, "unknown source '%s' in 'inputs' (the sources of %s: %s)",
                          name->text, p->file, hz_strbuf_cstr(&list));
        hz_strbuf_free(&list);
        free(names);
    }
}

/* The column (1-based) of the first character of line `line` of `file`:
 * where a line of a block scalar (csv: |) starts, which libyaml does not
 * say.  1 when the file cannot be read. */
static unsigned line_start_column(const char *file, unsigned line) {
    FILE *f = fopen(file, "r");
    if (!f) return 1;
    unsigned at = 1, col = 1;
    int ch;
    while ((ch = fgetc(f)) != EOF && at < line)
        if (ch == '\n') at++;
    while (ch == ' ' && at == line) {
        col++;
        ch = fgetc(f);
    }
    fclose(f);
    return col;
}

/* The rows of `csv:` text: its header names the columns.  Each row's
 * line is its line in the test file (a block scalar, csv: |, starts on the
 * line after its key).  False after an error. */
static bool make_inline_csv(case_run *cr, hz_component *c, const hz_test_input *in, hz_schema *s,
                            uint32_t feed, hz_batch **out) {
    const hz_value *v = in->csv;
    unsigned base = !v->quoted && strchr(v->text, '\n') ? v->line + 1 : v->line;
    hz_test_csv csv;
    char why[160];
    size_t bad_line = 0;
    bool ok = true;
    if (hz_test_csv_parse(v->text, in->delimiter, &csv, why, sizeof why, &bad_line) != 0) {
        unsigned line = base + (unsigned)bad_line;
        hz_diag_add(cr->tr->diag, HZ_DIAG_ERROR, v->file, line,
                    base == v->line ? v->col : line_start_column(v->file, line),
                    "inline csv of source '%s': %s", c->ref, why);
        ok = false;
    } else if (csv.count == 0) {
        hz_diag_add(cr->tr->diag, HZ_DIAG_ERROR, v->file, v->line, v->col,
                    "inline csv of source '%s' is empty: its first line is the header", c->ref);
        ok = false;
    }
    for (size_t k = 0; ok && k < csv.records[0].nfields; k++) {
        const char *name = csv.records[0].fields[k];
        unsigned line = base + (unsigned)csv.records[0].line;
        if (!*name || hz_schema_index(s, name) >= 0) {
            hz_diag_add(cr->tr->diag, HZ_DIAG_ERROR, v->file, line,
                        base == v->line ? v->col : line_start_column(v->file, line),
                        "inline csv of source '%s': the header %s", c->ref,
                        *name ? "names a column twice" : "has an empty column name");
            ok = false;
        } else {
            hz_schema_push(s, name);
        }
    }
    *out = hz_batch_new(s->count, csv.count);
    for (size_t r = 1; ok && r < csv.count; r++) {
        const hz_test_csv_record *rec = &csv.records[r];
        unsigned line = base + (unsigned)rec->line;
        if (rec->nfields != s->count) {
            hz_diag_add(cr->tr->diag, HZ_DIAG_ERROR, v->file, line,
                        base == v->line ? v->col : line_start_column(v->file, line),
                        "inline csv of source '%s': this row has %zu field%s, the header %zu", c->ref,
                        rec->nfields, rec->nfields == 1 ? "" : "s", s->count);
            ok = false;
            break;
        }
        hz_field *f = hz_batch_add_row(*out, (hz_origin){.line = line, .feed = feed});
        for (size_t k = 0; k < s->count; k++) {
            size_t len = strlen(rec->fields[k]);
            f[k] = (hz_field){hz_batch_copy(*out, rec->fields[k], len), len};
        }
    }
    hz_test_csv_free(&csv);
    return ok;
}

/* The source's columns and rows from its inline input: `columns:` when
 * given, else every key of its rows in the order it first appears.  A
 * column a row leaves out is empty in that row. */
static void make_inline(case_run *cr, hz_component *c, const hz_test_input *in) {
    hz_diag *d = cr->tr->diag;
    hz_schema *s = hz_schema_new();
    const hz_value *rows = in->rows;
    for (size_t k = 0; in->columns && k < in->columns->count; k++) {
        if (hz_schema_index(s, in->columns->items[k]->text) >= 0)
            hz_test_error(d, in->columns->items[k], "column '%s' is listed twice",
                          in->columns->items[k]->text);
        else
            hz_schema_push(s, in->columns->items[k]->text);
    }
    for (size_t r = 0; rows && r < rows->count; r++)
        for (size_t k = 0; k < rows->items[r]->count; k++) {
            const hz_value *key = rows->items[r]->keys[k];
            if (hz_schema_index(s, key->text) >= 0) continue;
            if (in->columns)
                hz_test_error(d, key, "column '%s' is not in the 'columns' of source '%s'", key->text,
                              c->ref);
            else
                hz_schema_push(s, key->text);
        }
    /* Its rows come from the test file: rejects and messages show their line there. */
    hz_pipeline *p = cr->p;
    p->feeds = hz_xrealloc(p->feeds, (p->nfeeds + 1) * sizeof *p->feeds);
    p->feeds[p->nfeeds] = (hz_feed){.file = hz_xstrdup(cr->tr->file), .source = c};
    uint32_t feed = (uint32_t)p->nfeeds++;
    hz_batch *b = NULL;
    if (in->csv && !make_inline_csv(cr, c, in, s, feed, &b)) {
        c->plan_failed = true; /* reported: what reads it is not planned on half a header */
    } else if (s->count == 0) {
        hz_test_error(d, in->source, "source '%s' has no columns: give 'columns: [...]' when it has no rows",
                      c->ref);
    }
    if (!b) b = hz_batch_new(s->count, rows && rows->count ? rows->count : 1);
    for (size_t r = 0; rows && r < rows->count; r++) {
        const hz_value *row = rows->items[r];
        hz_field *f = hz_batch_add_row(b, (hz_origin){.line = row->line, .feed = feed});
        for (size_t k = 0; k < s->count; k++) f[k] = (hz_field){"", 0};
        for (size_t k = 0; k < row->count; k++) {
            long col = hz_schema_index(s, row->keys[k]->text);
            if (col >= 0) f[col] = (hz_field){row->items[k]->text, strlen(row->items[k]->text)};
        }
    }
    cr->schemas = hz_xrealloc(cr->schemas, (cr->ninline + 1) * sizeof *cr->schemas);
    cr->batches = hz_xrealloc(cr->batches, (cr->ninline + 1) * sizeof *cr->batches);
    cr->schemas[cr->ninline] = s;
    cr->batches[cr->ninline++] = b;
    c->inline_schema = s;
    c->inline_rows = b;
}

/* Every source of the pipeline reads the case's inline rows (or the
 * file's): a source without them is an error, never its real feed. */
static void give_inline_rows(case_run *cr) {
    hz_pipeline *p = cr->p;
    const hz_test_case *tc = cr->tc;
    for (size_t i = 0; i < p->ncomps; i++) {
        hz_component *c = p->comps[i];
        if (!is_source(c) || !c->plugin) continue;
        const hz_test_input *in = hz_test_case_input(cr->tr->t, tc, c->ref);
        if (in && in->read_feed) /* planned and read as in a run: its feed is only read */
            continue;
        if (in) {
            make_inline(cr, c, in);
            continue;
        }
        c->plan_failed = true; /* its feed is not opened: the error below says why */
        if (tc->name)
            hz_test_error(
                cr->tr->diag, tc->name,
                "source '%s' has no inline rows in test '%s': give them in the test's 'inputs' (or the "
                "file's, for every test), e.g. %s: {rows: [{column: value}]}",
                c->ref, tc->name->text, c->ref);
        else
            hz_test_error(
                cr->tr->diag, tc->node,
                "source '%s' has no inline rows in this test: give them in its 'inputs' (or the file's, for "
                "every test), e.g. %s: {rows: [{column: value}]}",
                c->ref, c->ref);
    }
}

/* A component or sink by the name a user writes (a component with steps
 * by its name, or one step as NAME[N]). */
static hz_component *find_component(hz_pipeline *p, const char *name) {
    hz_component *c = hz_pipeline_find(p, name);
    for (size_t i = 0; !c && i < p->ncomps; i++)
        if (!strcmp(p->comps[i]->name, name)) c = p->comps[i];
    return c;
}

static void unknown_target(case_run *cr, const hz_value *at, const char *what) {
    hz_pipeline *p = cr->p;
    const char **names = hz_xcalloc(p->ncomps + 1, sizeof *names);
    for (size_t i = 0; i < p->ncomps; i++) names[i] = p->comps[i]->ref ? p->comps[i]->ref : p->comps[i]->name;
    const char *hint = hz_did_you_mean(at->text, names, p->ncomps);
    if (hint)
        hz_test_error(cr->tr->diag, at, "%s '%s' is no component or sink of %s; did you mean '%s'?", what,
                      at->text, p->file, hint);
    else
        hz_test_error(cr->tr->diag, at, "%s '%s' is no component or sink of %s", what, at->text, p->file);
    free(names);
}

/* Where the rows named by `expect:` key e->target pass: a component's
 * output, COMPONENT.OUTPUT, or what a sink receives.  False after an
 * error. */
static bool resolve_target(case_run *cr, const hz_test_expect *e, target *t) {
    hz_pipeline *p = cr->p;
    const char *name = e->target->text;
    *t = (target){.e = e};
    hz_component *c = find_component(p, name);
    if (c && c->role == HZ_ROLE_SINK && c->cls && c->cls->write_input && c->ninputs > 1) {
        /* It writes each input apart (ABI 1.3: a workbook's sheets): no one
         * table of rows to compare. */
        hz_strbuf names = {0};
        for (size_t i = 0; i < c->ninputs; i++)
            hz_strbuf_printf(&names, "%s%s", i ? ", " : "",
                             c->input_refs && c->input_refs[i] && c->input_refs[i]->kind == HZ_VALUE_SCALAR
                                 ? c->input_refs[i]->text
                                 : c->inputs[i]->name);
        hz_test_error(
            cr->tr->diag, e->target,
            "sink '%s' writes each of its %zu inputs apart: expect the rows at its inputs instead (%s)",
            c->name, c->ninputs, hz_strbuf_cstr(&names));
        hz_strbuf_free(&names);
        return false;
    }
    if (c && c->role == HZ_ROLE_SINK) {
        t->c = c;
        t->table.schema = c->is_rejects ? &p->rejects_schema
                          : c->ninputs  ? c->input_streams[0]->schema
                                        : NULL;
        return c->planned && t->table.schema;
    }
    if (c) {
        t->c = c;
        t->s = &c->streams[0];
        t->table.schema = t->s->schema;
        return c->planned;
    }
    const char *dot = strrchr(name, '.');
    if (dot) {
        char *owner_name = hz_xstrndup(name, (size_t)(dot - name));
        hz_component *owner = find_component(p, owner_name);
        free(owner_name);
        long k =
            owner && owner->cls && owner->role != HZ_ROLE_SINK ? hz_class_output(owner->cls, dot + 1) : -1;
        if (owner && k < 0) {
            hz_test_error(cr->tr->diag, e->target, "'%s' has no output '%s'", owner->name, dot + 1);
            return false;
        }
        if (owner) {
            t->c = owner;
            t->s = &owner->streams[k + 1];
            t->table.schema = t->s->schema;
            return owner->planned;
        }
    }
    unknown_target(cr, e->target, "expect:");
    return false;
}

/* Every column an expected row names is one the place produces. */
static void check_expected_columns(case_run *cr, const target *t) {
    const hz_value *rows = t->e->rows;
    const hz_schema *s = t->table.schema;
    for (size_t r = 0; rows && r < rows->count; r++)
        for (size_t k = 0; k < rows->items[r]->count; k++) {
            const hz_value *key = rows->items[r]->keys[k];
            if (hz_schema_index(s, key->text) >= 0) continue;
            const char *hint = hz_did_you_mean(key->text, (const char *const *)s->names, s->count);
            hz_strbuf have = {0};
            for (size_t i = 0; i < s->count; i++) hz_strbuf_printf(&have, "%s%s", i ? ", " : "", s->names[i]);
            if (hint)
                hz_test_error(cr->tr->diag, key, "column '%s' is not produced by '%s'; did you mean '%s'?",
                              key->text, t->e->target->text, hint);
            else
                hz_test_error(cr->tr->diag, key, "column '%s' is not produced by '%s' (its columns: %s)",
                              key->text, t->e->target->text, hz_strbuf_cstr(&have));
            hz_strbuf_free(&have);
        }
}

static void check_reject_components(case_run *cr) {
    for (size_t i = 0; i < cr->tc->nrejects; i++) {
        const hz_value *at = cr->tc->rejects[i].component;
        if (at && !find_component(cr->p, at->text)) unknown_target(cr, at, "reject component");
    }
}

static void case_free(case_run *cr) {
    for (size_t i = 0; i < cr->ntargets; i++) hz_test_table_free(&cr->targets[i].table);
    free(cr->targets);
    for (size_t i = 0; i < cr->nrejects; i++) hz_test_seen_reject_free(&cr->rejects[i]);
    free(cr->rejects);
    hz_pipeline_free(cr->p); /* before the inline rows its sources point at */
    hz_document_free(cr->doc);
    for (size_t i = 0; i < cr->ninline; i++) {
        hz_schema_free(cr->schemas[i]);
        hz_batch_free(cr->batches[i]);
    }
    free(cr->schemas);
    free(cr->batches);
}

/* Build and plan the pipeline for case tc with its inline rows and check
 * what the case names; errors go to the diag.  True when it can run. */
static bool case_prepare(case_run *cr) {
    test_run *tr = cr->tr;
    size_t errors = tr->diag->errors;
    hz_document *doc = tr->pipeline_doc;
    if (cr->tc->set) { /* the case's values for ${NAME}, over --set */
        hz_vars vars = {0};
        for (size_t i = 0; i < tr->vars->count; i++) {
            char *kv = hz_xasprintf("%s=%s", tr->vars->names[i], tr->vars->values[i]);
            hz_vars_set(&vars, kv);
            free(kv);
        }
        const hz_value *set = cr->tc->set;
        for (size_t i = 0; i < set->count; i++) {
            char *kv = hz_xasprintf("%s=%s", set->keys[i]->text, set->items[i]->text);
            if (hz_vars_set(&vars, kv) != 0)
                hz_test_error(tr->diag, set->keys[i], "'%s' is not a variable name (letters, digits, _)",
                              set->keys[i]->text);
            free(kv);
        }
        cr->doc = hz_document_load(tr->t->pipeline_path, &vars, tr->diag);
        hz_vars_free(&vars);
        doc = cr->doc;
        if (!doc || !doc->root) return false;
    }
    cr->p = hz_pipeline_build(doc, tr->t->pipeline_path, tr->reg, tr->diag, HZ_MODE_TEST);
    check_input_names(cr, tr->t->inputs, tr->t->ninputs);
    check_input_names(cr, cr->tc->inputs, cr->tc->ninputs);
    give_inline_rows(cr);
    hz_graph_check(cr->p);
    hz_graph_order_sources(cr->p);
    hz_graph_plan(cr->p);
    cr->targets = hz_xcalloc(cr->tc->nexpects ? cr->tc->nexpects : 1, sizeof *cr->targets);
    for (size_t i = 0; i < cr->tc->nexpects; i++) {
        target *t = &cr->targets[cr->ntargets];
        if (!resolve_target(cr, &cr->tc->expects[i], t)) continue;
        check_expected_columns(cr, t);
        cr->ntargets++;
    }
    check_reject_components(cr);
    return tr->diag->errors == errors;
}

/* Run a prepared case and print its outcome.  True when it passed. */
static bool case_run_and_report(case_run *cr) {
    hz_test_hooks hooks = {.ctx = cr, .rows = on_rows, .reject = on_reject};
    cr->p->test = &hooks;
    fflush(stdout); /* a run-time error goes to stderr: after what is printed so far */
    int status = hz_pipeline_run_test(cr->p);
    cr->p->test = NULL;
    char *details = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&details, &size);
    if (!out) {
        perror("harmonize: open_memstream");
        exit(1);
    }
    bool ok = status == 0, rows_ok = true;
    if (status != 0) fputs("  the run failed: see the error above\n", out);
    for (size_t i = 0; status == 0 && i < cr->ntargets; i++)
        rows_ok &= hz_test_compare_rows(out, cr->targets[i].e, &cr->targets[i].table);
    ok &= rows_ok;
    if (status == 0 && cr->tc->rejects_given)
        ok &= hz_test_compare_rejects(out, cr->tc, cr->rejects, cr->nrejects);
    else if (!ok)
        hz_test_print_rejects(out, cr->rejects, cr->nrejects); /* often why rows are missing */
    fclose(out);
    const hz_value *name = cr->tc->name;
    if (ok)
        printf("ok %s\n", name->text);
    else
        printf("FAIL %s (%s:%u)\n%s", name->text, name->file, name->line, details);
    free(details);
    return ok;
}

/* Check every case of one test file, then, when all are sound, run them.
 * Returns 0, 1 (a case failed) or 2 (the file or its pipeline is wrong). */
static int test_file(const char *file, const test_args *a, size_t *passed, size_t *failed) {
    hz_diag diag = {0};
    test_run tr = {.file = file, .diag = &diag, .vars = &a->vars};
    tr.t = hz_test_file_load(file, &a->vars, &diag);
    size_t npath = 0;
    char **path = NULL;
    if (tr.t && tr.t->pipeline_path) {
        tr.pipeline_doc = hz_document_load(tr.t->pipeline_path, &a->vars, &diag);
        if (tr.pipeline_doc && !tr.pipeline_doc->root && !diag.errors)
            hz_diag_add(&diag, HZ_DIAG_ERROR, tr.t->pipeline_path, 0, 0,
                        "empty pipeline: it starts with 'version: 1'");
        if (tr.pipeline_doc)
            path = hz_pipeline_plugin_path(tr.pipeline_doc, tr.t->pipeline_path, &npath, &diag);
    }
    path = hz_xrealloc(path, (npath + a->shared.nplugin_dirs + 1) * sizeof *path);
    for (size_t i = 0; i < a->shared.nplugin_dirs; i++) path[npath++] = hz_xstrdup(a->shared.plugin_dirs[i]);
    tr.reg = hz_registry_new((const char *const *)path, npath, a->shared.allow_insecure_plugins);
    /* Every case is checked before any runs: a mistake anywhere in the
     * file is exit 2 and no case result is printed. */
    bool pipeline_loaded = tr.pipeline_doc && tr.pipeline_doc->root;
    for (size_t i = 0; pipeline_loaded && i < tr.t->ncases; i++) {
        case_run cr = {.tr = &tr, .tc = &tr.t->cases[i]};
        size_t before = diag.count;
        bool ok = case_prepare(&cr);
        /* An error in the pipeline may come from this case's rows (a column
         * its inline rows lack): say which case could not plan it. */
        bool in_pipeline = false;
        for (size_t k = before; k < diag.count; k++)
            in_pipeline |=
                diag.entries[k].severity == HZ_DIAG_ERROR && strcmp(diag.entries[k].file, file) != 0;
        if (!ok && in_pipeline && cr.tc->name)
            hz_diag_add(&diag, HZ_DIAG_ERROR, cr.tc->name->file, cr.tc->name->line, cr.tc->name->col,
                        "test '%s' cannot run: %s has errors with the test's inline rows", cr.tc->name->text,
                        tr.t->pipeline_path);
        case_free(&cr);
    }
    int status = 0;
    if (diag.errors) {
        hz_diag_print(&diag, stderr);
        fprintf(stderr, "harmonize: %zu error%s in %s: no test was run\n", diag.errors,
                diag.errors == 1 ? "" : "s", file);
        status = 2;
    } else {
        printf("%s: %zu test%s of %s\n", file, tr.t->ncases, tr.t->ncases == 1 ? "" : "s",
               tr.t->pipeline_path);
        for (size_t i = 0; i < tr.t->ncases; i++) {
            case_run cr = {.tr = &tr, .tc = &tr.t->cases[i]};
            bool ok = case_prepare(&cr) && case_run_and_report(&cr);
            case_free(&cr);
            ++*(ok ? passed : failed);
            if (!ok) status = 1;
        }
    }
    hz_registry_free(tr.reg);
    for (size_t i = 0; i < npath; i++) free(path[i]);
    free(path);
    hz_document_free(tr.pipeline_doc);
    hz_test_file_free(tr.t);
    hz_diag_free(&diag);
    return status;
}

int hz_cmd_test(int argc, char **argv) {
    test_args a = {0};
    int status = parse_args(argc, argv, &a);
    if (status < 0)
        status = 0; /* --help */
    else if (status == 0) {
        /* Warnings of the pipeline (validate shows them) and notes of its
         * plugins are not what a test reports; errors are. */
        hz_log_setup(HZ_LOG_FORMAT_TEXT, true, 0);
        size_t passed = 0, failed = 0, invalid = 0;
        for (size_t i = 0; i < a.nfiles; i++) {
            int rc = test_file(a.files[i], &a, &passed, &failed);
            if (rc == 2) invalid++;
            if (rc > status) status = rc;
        }
        printf("%zu passed, %zu failed", passed, failed);
        if (invalid) printf("; %zu test file%s not run (errors above)", invalid, invalid == 1 ? "" : "s");
        putchar('\n');
        hz_log_finish();
    }
    hz_vars_free(&a.vars);
    for (size_t i = 0; i < a.shared.nplugin_dirs; i++) free(a.shared.plugin_dirs[i]);
    free(a.shared.plugin_dirs);
    free(a.files);
    return status;
}
