/* fuzz_options: the bytes are the options of one component, a YAML
 * mapping as written under it in a pipeline, checked by the core's option
 * checker against a class's typed table, then read back through the host
 * API the way plugins read them.
 *
 * The first byte picks the table: one made here with an option of every
 * type (string, int, bool, enum, list, map, path, any; one required), or
 * the source, transform or sink class of any loaded plugin.  For a real
 * class whose options pass, the plugin's own create() runs on them, and
 * for transforms and sinks plan() too, on an input with the columns of a
 * return record: that is where plugins interpret lists, maps and `any`
 * values (bucket ranges, map tables, date formats). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "options.h"
#include "graph.h"
#include "host.h"
#include "runtime.h"

static const hz_option every_type[] = {
    {"text", HZ_OPT_STRING, "x", false, "a string", NULL},
    {"count", HZ_OPT_INT, "10", false, "an integer", NULL},
    {"flag", HZ_OPT_BOOL, "true", false, "a bool", NULL},
    {"mode", HZ_OPT_ENUM, "replace", false, "an enum", "replace|append|a"},
    {"columns", HZ_OPT_LIST, NULL, false, "a list", NULL},
    {"values", HZ_OPT_MAP, NULL, false, "a map", NULL},
    {"path", HZ_OPT_PATH, "out/x.csv", false, "a path", NULL},
    {"spec", HZ_OPT_ANY, NULL, false, "anything", NULL},
    {"needed", HZ_OPT_STRING, NULL, true, "a required option", NULL},
    {0},
};
static const hz_transform_class every_type_class = {HZ_CLASS_INIT(hz_transform_class),
                                                    .doc = "every option type", HZ_OPTIONS(every_type)};
static const hz_plugin every_type_plugin = {HZ_PLUGIN_INIT, .name = "options", .version = "1.0.0",
                                            .description = "option types", .transform = &every_type_class};
static hz_loaded_plugin every_type_loaded = {.desc = &every_type_plugin, .path = "(built in)"};

/* The columns a transform or sink gets as its input. */
static const char *const columns[] = {"case_id",
                                      "record_id",
                                      "id",
                                      "name",
                                      "return_type",
                                      "source",
                                      "departure_date",
                                      "year",
                                      "host_country",
                                      "origin_country",
                                      "origin_iso3",
                                      "sex",
                                      "age",
                                      "age_group",
                                      "household_size",
                                      "count"};

typedef struct target {
    const hz_loaded_plugin *plugin;
    const hz_class *cls;
} target;

#define MAX_TARGETS 256
static target targets[MAX_TARGETS];
static size_t ntargets;

static void add_target(const hz_loaded_plugin *lp, const hz_class *cls) {
    if (cls && ntargets < MAX_TARGETS) targets[ntargets++] = (target){lp, cls};
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    hz_fuzz_setup();
    char why[256];
    every_type_loaded.classes[HZ_ROLE_TRANSFORM] =
        hz_class_load(HZ_ROLE_TRANSFORM, &every_type_class, why, sizeof why);
    if (!every_type_loaded.classes[HZ_ROLE_TRANSFORM]) abort();
    add_target(&every_type_loaded, every_type_loaded.classes[HZ_ROLE_TRANSFORM]);
    const hz_registry *r = hz_fuzz_registry();
    for (size_t i = 0; i < r->count; i++)
        for (int role = 0; role < 3; role++) add_target(r->plugins[i], r->plugins[i]->classes[role]);
    return 0;
}

/* Read a value the way a plugin does, through the host API only. */
static void walk(const hz_host *h, const hz_value *v, int depth) {
    if (!v || depth > 70) return;
    int64_t n;
    h->value_int(v, &n);
    const char *s = h->value_string(v);
    if (s) (void)strlen(s);
    size_t count = h->value_count(v);
    for (size_t i = 0; i <= count; i++) { /* one past the end must give NULL */
        const hz_value *item = h->value_item(v, i), *key = h->value_key(v, i);
        if (i == count && (item || key)) abort();
        if (key) walk(h, key, depth + 1);
        walk(h, item, depth + 1);
    }
}

static void read_options(hz_component *c) {
    const hz_host *h = hz_host_table();
    for (size_t i = 0; i < c->noptions; i++) {
        const hz_option *o = &c->options[i];
        h->option_given(c, o->name);
        switch (o->type) {
        case HZ_OPT_STRING:
        case HZ_OPT_ENUM: h->opt_string(c, o->name); break;
        case HZ_OPT_INT: h->opt_int(c, o->name); break;
        case HZ_OPT_BOOL: h->opt_bool(c, o->name); break;
        case HZ_OPT_PATH: h->opt_path(c, o->name); break;
        case HZ_OPT_LIST:
        case HZ_OPT_MAP:
        case HZ_OPT_ANY: walk(h, h->option(c, o->name), 0); break;
        }
    }
}

typedef int (*create_fn)(hz_component *, void **);
typedef int (*plan_fn)(hz_component *, void *, const hz_schema *, hz_schema *);

/* create() and plan() as the graph runs them (graph.c: plan_component). */
static void start_plugin(hz_component *c) {
    create_fn create = c->cls->create;
    plan_fn plan = c->role == HZ_ROLE_SOURCE ? NULL : c->cls->plan; /* a source's plan() reads the feed */
    hz_pipeline *p = c->pipeline;
    size_t errors = p->diag->errors;
    hz_schema *in = hz_schema_new();
    for (size_t i = 0; i < sizeof columns / sizeof *columns; i++) hz_schema_push(in, columns[i]);
    if (c->role == HZ_ROLE_TRANSFORM) {
        /* Streams as the graph makes them: the main output and each named one. */
        c->nstreams = 1 + c->cls->noutputs;
        c->streams = hz_xcalloc(c->nstreams, sizeof *c->streams);
        for (size_t i = 0; i < c->nstreams; i++) c->streams[i].schema = hz_schema_new();
        c->schema = c->streams[0].schema;
    }
    p->in_plan = true;
    bool failed = create && create(c, &c->self) != 0;
    if (!failed && plan) failed = plan(c, c->self, in, c->schema) != 0;
    p->in_plan = false;
    hz_schema_free(in);
    /* The core would report this as a plugin bug: a failure the user is
     * never told the reason of. */
    if (failed && p->diag->errors == errors && !p->failed) {
        fprintf(stderr, "fuzz_options: %s %s failed without reporting why\n", c->plugin->desc->name,
                hz_role_name(c->role));
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    const target *t = &targets[data[0] % ntargets];
    hz_fuzz_write("options.yaml", data + 1, size - 1);
    char *file = hz_fuzz_path("options.yaml");
    hz_diag diag = {0};
    hz_document *doc = hz_document_load(file, hz_fuzz_vars(), &diag);
    if (doc && doc->root && doc->root->kind == HZ_VALUE_MAP) {
        hz_pipeline *p = hz_xcalloc(1, sizeof *p);
        p->doc = doc;
        p->file = hz_xstrdup(file);
        p->dir = hz_xstrdup(hz_fuzz_dir());
        p->diag = &diag;
        p->registry = (hz_registry *)hz_fuzz_registry();
        p->mode = HZ_MODE_VALIDATE;
        p->max_rejects = -1;
        hz_component *c = hz_xcalloc(1, sizeof *c);
        c->name = hz_xstrdup("fuzzed");
        c->ref = hz_xstrdup("fuzzed");
        c->role = t->cls->role;
        c->pipeline = p;
        c->node = doc->root;
        c->type_value = hz_value_get(doc->root, "type");
        c->plugin = t->plugin;
        c->cls = t->cls;
        c->options = t->cls->options;
        c->noptions = t->cls->noptions;
        p->comps = hz_xcalloc(1, sizeof *p->comps);
        p->comps[p->ncomps++] = c;
        hz_options_check(c);
        read_options(c);
        if (!diag.errors && t->plugin != &every_type_loaded) start_plugin(c);
        hz_pipeline_free(p); /* destroys the plugin's state too */
    }
    hz_diag_print(&diag, hz_fuzz_sink());
    hz_diag_free(&diag);
    hz_document_free(doc);
    free(file);
    return 0;
}
