#define _XOPEN_SOURCE 700
#include "pipeline.h"
#include "pii.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "claims.h"
#include "file_mode.h"
#include "options.h"

static const char *const top_keys[] = {"version",   "name",      "plugin_path", "sources",   "transforms",
                                       "sinks",     "rejects",   "max_rejects", "state_dir", "manifest",
                                       "keep_runs", "file_mode", "mode",        "pii"};

void hz_component_config_error(hz_component *c, const hz_value *at, const char *fmt, ...) {
    if (!at) at = c->type_value ? c->type_value : c->node;
    va_list ap;
    va_start(ap, fmt);
    hz_diag_vadd(c->pipeline->diag, HZ_DIAG_ERROR, at ? at->file : c->pipeline->file, at ? at->line : 0,
                 at ? at->col : 0, fmt, ap);
    va_end(ap);
    /* A component with a configuration error is not created nor planned. */
    c->plan_failed = true;
}

static void error_at(hz_pipeline *p, const hz_value *at, const char *fmt, ...) HZ_PRINTF(3, 4);
static void error_at(hz_pipeline *p, const hz_value *at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hz_diag_vadd(p->diag, HZ_DIAG_ERROR, at ? at->file : p->file, at ? at->line : 0, at ? at->col : 0, fmt,
                 ap);
    va_end(ap);
}
/* `manifest:` (a file, or false) and `keep_runs:` (how many runs' records
 * the state folder keeps). */
static void parse_run_record_keys(hz_pipeline *p, const hz_value *root) {
    const hz_value *m = hz_value_get(root, "manifest");
    bool flag = false, off = false;
    if (m && m->kind == HZ_VALUE_SCALAR && !m->quoted && hz_value_parse_bool(m, &flag)) {
        if (flag)
            error_at(p, m,
                     "'manifest' is a file name, or false for none (the default is manifest.json beside "
                     "the first output file)");
        off = !flag;
    } else if (m && (m->kind != HZ_VALUE_SCALAR || !m->text[0])) {
        error_at(p, m, "'manifest' must be a file name, or false");
    } else if (m) {
        p->manifest_path = hz_path_join(p->dir, m->text);
        p->manifest_at = m;
    }
    p->manifest_off = off;
    const hz_value *keep = hz_value_get(root, "keep_runs");
    p->keep_runs = 30;
    if (keep && (!hz_value_parse_int(keep, &p->keep_runs) || p->keep_runs < 1 || p->keep_runs > 100000)) {
        error_at(p, keep, "'keep_runs' must be a whole number from 1 to 100000");
        p->keep_runs = 30;
    }
}

static bool valid_component_name(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.')) return false;
    return true;
}

/* A source's guards against a bad feed: `min_rows` (default 1: an empty
 * feed fails the run), `allow_empty: true` (an empty feed is normal) and
 * `max_rejects` (a count or a percent of its rows: reject_limits.c). */
static void read_guards(hz_component *c) {
    hz_pipeline *p = c->pipeline;
    const hz_value *min = hz_value_get(c->node, "min_rows"), *empty = hz_value_get(c->node, "allow_empty");
    const hz_value *max = hz_value_get(c->node, "max_rejects");
    c->min_rows = 1;
    if (c->role != HZ_ROLE_SOURCE) {
        if (min) error_at(p, hz_value_key_of(c->node, "min_rows"), "only sources have 'min_rows'");
        if (empty) error_at(p, hz_value_key_of(c->node, "allow_empty"), "only sources have 'allow_empty'");
        if (max)
            error_at(p, hz_value_key_of(c->node, "max_rejects"),
                     "only sources have 'max_rejects' (the pipeline's is a top-level key)");
        c->min_rows = 0;
        return;
    }
    char msg[256];
    if (max && !hz_reject_limit_parse(max, &c->max_rejects, &c->max_rejects_percent, msg, sizeof msg))
        error_at(p, max, "%s", msg);
    bool allow = false;
    if (empty && !hz_value_parse_bool(empty, &allow))
        error_at(p, empty, "'allow_empty' must be true or false");
    if (min && (!hz_value_parse_int(min, &c->min_rows) || c->min_rows < 0)) {
        error_at(p, min, "'min_rows' must be a whole number >= 0");
        c->min_rows = 1;
    } else if (min && allow && c->min_rows > 0) {
        error_at(p, empty, "'allow_empty: true' contradicts 'min_rows: %lld'", (long long)c->min_rows);
    }
    if (allow && !min) c->min_rows = 0;
}

/* `max_change: 50%`: a source whose row count moved more than that from
 * the last successful run's (its manifest) fails the run. */
static void read_max_change(hz_component *c) {
    hz_pipeline *p = c->pipeline;
    const hz_value *v = hz_value_get(c->node, "max_change");
    c->max_change = -1;
    if (!v) return;
    if (c->role != HZ_ROLE_SOURCE) {
        error_at(p, hz_value_key_of(c->node, "max_change"), "only sources have 'max_change'");
        return;
    }
    char *end = NULL;
    double pct = v->kind == HZ_VALUE_SCALAR ? strtod(v->text, &end) : -1;
    if (v->kind != HZ_VALUE_SCALAR || end == v->text || strcmp(end, "%") != 0 || !(pct >= 0) || pct > 1e6)
        error_at(p, v, "'max_change' must be a percentage, like 50%%");
    else
        c->max_change = pct;
}

/* A sink's `file_mode:` (the permissions of the files it writes) and
 * `follow_symlinks:` (write to the file a link at its path points to):
 * keys of the core, not of the plugin (file_mode.h, output_links.h). */
static void read_output_keys(hz_component *c) {
    hz_pipeline *p = c->pipeline;
    const hz_value *mode = hz_value_get(c->node, "file_mode"),
                   *follow = hz_value_get(c->node, "follow_symlinks");
    if (c->role != HZ_ROLE_SINK) {
        if (mode)
            error_at(p, hz_value_key_of(c->node, "file_mode"),
                     "only sinks have 'file_mode' (the pipeline's, for every file it writes, is a top-level "
                     "key)");
        if (follow)
            error_at(p, hz_value_key_of(c->node, "follow_symlinks"), "only sinks have 'follow_symlinks'");
        return;
    }
    char msg[256];
    if (mode && !hz_file_mode_parse(mode, &c->file_mode, msg, sizeof msg))
        error_at(p, mode, "'file_mode' %s", msg);
    else if (mode)
        c->file_mode_given = true;
    if (follow && !hz_value_parse_bool(follow, &c->follow_symlinks))
        error_at(p, follow, "'follow_symlinks' must be true or false");
}

/* Find the plugin for `type:` and its class for this role; reports why not. */
static void resolve_type(hz_component *c) {
    hz_pipeline *p = c->pipeline;
    const hz_value *t = c->type_value;
    if (!t) {
        error_at(p, c->node, "%s '%s' has no 'type'", hz_role_name(c->role), c->name);
        return;
    }
    if (t->kind != HZ_VALUE_SCALAR) {
        error_at(p, t, "'type' of '%s' must be a plugin name", c->name);
        return;
    }
    /* Only the plugins named here are loaded: an unused .so in a plugin
     * folder never runs. */
    const hz_loaded_plugin *lp;
    hz_plugin_status st = hz_registry_need(p->registry, t->text, p->diag, &lp);
    if (st == HZ_PLUGIN_REFUSED) return; /* the reason, at the file, is reported */
    if (st == HZ_PLUGIN_MISSING) {
        /* Suggested from the file names alone: loading every plugin to
         * know its kinds would run them all. */
        size_t n;
        char **names = hz_registry_names(p->registry, &n);
        const char *hint = hz_did_you_mean(t->text, (const char *const *)names, n);
        char *folders = hz_registry_folders_text(p->registry);
        if (hint)
            error_at(p, t, "unknown plugin type '%s' for %s '%s'; did you mean '%s'? (no %s.so in: %s)",
                     t->text, hz_role_name(c->role), c->name, hint, t->text, folders);
        else
            error_at(p, t, "unknown plugin type '%s' for %s '%s': no %s.so in: %s (see: harmonize plugins)",
                     t->text, hz_role_name(c->role), c->name, t->text, folders);
        free(folders);
        hz_registry_names_free(names, n);
        return;
    }
    const hz_class *cls = lp->classes[c->role];
    if (!cls) {
        char kinds[64];
        error_at(p, t, "plugin '%s' cannot be a %s (it is: %s)", t->text, hz_role_name(c->role),
                 hz_plugin_kinds(lp, kinds, sizeof kinds));
        return;
    }
    c->plugin = lp;
    c->cls = cls;
    c->options = cls->options;
    c->noptions = cls->noptions;
    hz_options_check(c);
}

static hz_component *component_add(hz_pipeline *p, const char *name, const char *ref, hz_role role,
                                   const hz_value *node) {
    hz_component *c = hz_xcalloc(1, sizeof *c);
    c->name = hz_xstrdup(name);
    c->ref = ref ? hz_xstrdup(ref) : NULL;
    c->role = role;
    c->pipeline = p;
    c->node = node;
    c->max_rejects = -1;
    c->type_value = hz_value_get(node, "type");
    if (node && node->kind == HZ_VALUE_MAP) {
        read_guards(c);
        read_max_change(c);
        read_output_keys(c); /* before the options: follow_symlinks resolves the path options */
        if (role != HZ_ROLE_SINK || ref) hz_pii_read_allow(c); /* a rejects sink: once it is one */
    }
    p->comps = hz_xrealloc(p->comps, (p->ncomps + 1) * sizeof *p->comps);
    p->comps[p->ncomps++] = c;
    return c;
}

hz_component *hz_pipeline_find(hz_pipeline *p, const char *ref) {
    for (size_t i = 0; i < p->ncomps; i++)
        if (p->comps[i]->ref && !strcmp(p->comps[i]->ref, ref)) return p->comps[i];
    return NULL;
}

/* A component written as `steps:` becomes one component per step, chained;
 * the last step carries the name others refer to. */
static void add_steps(hz_pipeline *p, const hz_value *name_key, const hz_value *node, const hz_value *steps) {
    const char *name = name_key->text;
    if (steps->kind != HZ_VALUE_LIST || steps->count == 0) {
        error_at(p, steps, "'steps' of '%s' must be a non-empty list of transforms", name);
        return;
    }
    const hz_value *type_key = hz_value_key_of(node, "type");
    if (type_key) error_at(p, type_key, "'%s' has both 'type' and 'steps': use one", name);
    for (size_t k = 0; k < node->count; k++) {
        const char *key = node->keys[k]->text;
        if (strcmp(key, "steps") && strcmp(key, "inputs") && strcmp(key, "type"))
            error_at(p, node->keys[k], "option '%s' of '%s' belongs inside one of its steps", key, name);
    }
    hz_component *prev = NULL;
    for (size_t i = 0; i < steps->count; i++) {
        const hz_value *step = steps->items[i];
        if (step->kind != HZ_VALUE_MAP) {
            error_at(p, step, "step %zu of '%s' must be a map with a 'type'", i + 1, name);
            continue;
        }
        const hz_value *inner = hz_value_key_of(step, "inputs");
        if (inner) error_at(p, inner, "a step takes its input from the step before it: remove 'inputs'");
        char *step_name = hz_xasprintf("%s[%zu]", name, i + 1);
        hz_component *c =
            component_add(p, step_name, i + 1 == steps->count ? name : NULL, HZ_ROLE_TRANSFORM, step);
        free(step_name);
        c->name_value = name_key;
        if (prev) {
            c->ninputs = 1;
            c->inputs = hz_xcalloc(1, sizeof *c->inputs);
            c->input_refs = hz_xcalloc(1, sizeof *c->input_refs);
            c->inputs[0] = prev;
            c->input_refs[0] = step;
        } else {
            c->inputs_value = hz_value_get(node, "inputs");
            if (!c->inputs_value) error_at(p, node, "transform '%s' has no 'inputs'", name);
        }
        resolve_type(c);
        prev = c;
    }
}

static void add_section(hz_pipeline *p, const char *section, hz_role role) {
    const hz_value *sec = hz_value_get(p->doc->root, section);
    if (!sec) return;
    if (sec->kind == HZ_VALUE_SCALAR && !sec->quoted && !sec->text[0]) return; /* `sinks:` left empty */
    if (sec->kind != HZ_VALUE_MAP) {
        error_at(p, sec, "'%s' must be a map of named components", section);
        return;
    }
    for (size_t i = 0; i < sec->count; i++) {
        const hz_value *key = sec->keys[i], *node = sec->items[i];
        if (!valid_component_name(key->text)) {
            error_at(p, key, "invalid component name '%s': use letters, digits, '_', '-' and '.'", key->text);
            continue;
        }
        if (hz_pipeline_find(p, key->text)) {
            error_at(p, key, "a component named '%s' already exists", key->text);
            continue;
        }
        if (node->kind != HZ_VALUE_MAP) {
            error_at(p, node, "%s '%s' must be a map with a 'type'", hz_role_name(role), key->text);
            continue;
        }
        const hz_value *steps = hz_value_get(node, "steps");
        if (steps && role == HZ_ROLE_TRANSFORM) {
            add_steps(p, key, node, steps);
            continue;
        }
        if (steps) error_at(p, hz_value_key_of(node, "steps"), "only transforms have 'steps'");
        hz_component *c = component_add(p, key->text, key->text, role, node);
        c->name_value = key;
        c->inputs_value = hz_value_get(node, "inputs");
        if (role == HZ_ROLE_SOURCE && c->inputs_value)
            error_at(p, hz_value_key_of(node, "inputs"), "source '%s' reads a feed, it takes no 'inputs'",
                     key->text);
        else if (role != HZ_ROLE_SOURCE && !c->inputs_value)
            error_at(p, key, "%s '%s' has no 'inputs'", hz_role_name(role), key->text);
        resolve_type(c);
    }
}

/* One rejects sink: `rejects`, or `rejects[N]` for item N of a list. */
static void add_rejects_sink(hz_pipeline *p, const hz_value *node, const hz_value *name_value, size_t item) {
    if (node->kind != HZ_VALUE_MAP) {
        error_at(p, node,
                 "'rejects' must be a sink (a map with a 'type' and its options) or a list of sinks, each "
                 "receiving every rejected row");
        return;
    }
    const hz_value *inputs = hz_value_key_of(node, "inputs");
    if (inputs) error_at(p, inputs, "the rejects sink receives every rejected row: remove 'inputs'");
    char name[32];
    if (item)
        snprintf(name, sizeof name, "rejects[%zu]", item);
    else
        snprintf(name, sizeof name, "rejects");
    hz_component *c = component_add(p, name, NULL, HZ_ROLE_SINK, node);
    c->name_value = name_value;
    c->is_rejects = true;
    hz_pii_read_allow(c);
    resolve_type(c);
    p->rejects = hz_xrealloc(p->rejects, (p->nrejects + 1) * sizeof *p->rejects);
    p->rejects[p->nrejects++] = c;
}

static void add_rejects(hz_pipeline *p) {
    static const char *const columns[] = {"component", "feed", "line", "reason", "detail", "record"};
    for (size_t i = 0; i < sizeof columns / sizeof *columns; i++)
        hz_schema_push(&p->rejects_schema, columns[i]);
    const hz_value *node = hz_value_get(p->doc->root, "rejects");
    if (!node) return;
    if (node->kind != HZ_VALUE_LIST) {
        add_rejects_sink(p, node, hz_value_key_of(p->doc->root, "rejects"), 0);
        return;
    }
    /* Several sinks (a CSV file and a database table) get the same rows. */
    if (node->count == 0) error_at(p, node, "'rejects' lists no sink: give one (a map) or a list of them");
    for (size_t i = 0; i < node->count; i++) add_rejects_sink(p, node->items[i], node->items[i], i + 1);
}

static void check_top_level(hz_pipeline *p) {
    const hz_value *root = p->doc->root;
    for (size_t i = 0; i < root->count; i++) {
        const char *k = root->keys[i]->text;
        bool known = false;
        for (size_t j = 0; j < sizeof top_keys / sizeof *top_keys; j++) known |= !strcmp(k, top_keys[j]);
        if (!known) {
            const char *hint = hz_did_you_mean(k, top_keys, sizeof top_keys / sizeof *top_keys);
            if (hint)
                error_at(p, root->keys[i], "unknown key '%s'; did you mean '%s'?", k, hint);
            else
                error_at(
                    p, root->keys[i],
                    "unknown key '%s' (expected: version, name, plugin_path, sources, transforms, sinks, "
                    "rejects, max_rejects, state_dir, manifest, keep_runs, file_mode, mode, pii)",
                    k);
        }
    }
    const hz_value *version = hz_value_get(root, "version");
    int64_t v;
    if (!version)
        error_at(p, root, "missing 'version: 1' at the top of the pipeline");
    else if (!hz_value_parse_int(version, &v) || v != 1)
        error_at(p, version, "unsupported pipeline version '%s': this harmonize reads version 1",
                 version->kind == HZ_VALUE_SCALAR ? version->text : "?");
    parse_run_record_keys(p, root);
    /* `mode:` is the short name of `file_mode:`. */
    const hz_value *mode = hz_value_get(root, "file_mode"), *alias = hz_value_get(root, "mode");
    const char *mode_key = "file_mode";
    if (mode && alias)
        error_at(p, hz_value_key_of(root, "mode"), "'mode' and 'file_mode' are one key: give one");
    else if (alias) {
        mode = alias;
        mode_key = "mode";
    }
    char why[256];
    if (mode && !hz_file_mode_parse(mode, &p->file_mode, why, sizeof why))
        error_at(p, mode, "'%s' %s", mode_key, why);
    else if (mode)
        p->file_mode_given = true;
    const hz_value *name = hz_value_get(root, "name");
    if (name && name->kind != HZ_VALUE_SCALAR) error_at(p, name, "'name' must be a scalar");
    p->name = name && name->kind == HZ_VALUE_SCALAR ? name->text : NULL;
    const hz_value *max = hz_value_get(root, "max_rejects");
    char msg[256];
    p->max_rejects = -1;
    if (max && !hz_reject_limit_parse(max, &p->max_rejects, &p->max_rejects_percent, msg, sizeof msg))
        error_at(p, max, "%s", msg);
}

static char *folder_of(const char *file) {
    char *abs = realpath(file, NULL);
    char *path = abs ? abs : hz_xstrdup(file);
    char *slash = strrchr(path, '/');
    char *dir;
    if (!slash)
        dir = hz_xstrdup(".");
    else if (slash == path)
        dir = hz_xstrdup("/");
    else
        dir = hz_xstrndup(path, (size_t)(slash - path));
    free(path);
    return dir;
}

char *hz_pipeline_state_dir(const hz_document *doc, const char *file, hz_diag *diag) {
    const hz_value *v = doc && doc->root ? hz_value_get(doc->root, "state_dir") : NULL;
    char *dir = folder_of(file);
    char *state = NULL;
    if (v && (v->kind != HZ_VALUE_SCALAR || !v->text[0])) {
        hz_diag_add(diag, HZ_DIAG_ERROR, v->file, v->line, v->col, "'state_dir' must be a folder");
    } else if (v) {
        state = hz_path_join(dir, v->text);
    } else {
        /* .harmonize/<the pipeline file's name less .yaml> beside it: one
         * state folder per pipeline, even for several in one folder. */
        const char *slash = strrchr(file, '/');
        const char *base = slash ? slash + 1 : file;
        size_t n = strlen(base);
        if (n > 5 && !strcmp(base + n - 5, ".yaml"))
            n -= 5;
        else if (n > 4 && !strcmp(base + n - 4, ".yml"))
            n -= 4;
        state = hz_xasprintf("%s/.harmonize/%.*s", dir, (int)n, base);
    }
    free(dir);
    return state;
}

char **hz_pipeline_plugin_path(const hz_document *doc, const char *file, size_t *n, hz_diag *diag) {
    *n = 0;
    const hz_value *pp = doc && doc->root ? hz_value_get(doc->root, "plugin_path") : NULL;
    if (!pp) return NULL;
    const hz_value *const *items = pp->kind == HZ_VALUE_LIST ? (const hz_value *const *)pp->items : &pp;
    size_t count = pp->kind == HZ_VALUE_LIST ? pp->count : 1;
    if (pp->kind == HZ_VALUE_MAP) {
        hz_diag_add(diag, HZ_DIAG_ERROR, pp->file, pp->line, pp->col,
                    "'plugin_path' must be a list of folders");
        return NULL;
    }
    char *dir = folder_of(file);
    char **dirs = hz_xcalloc(count, sizeof *dirs);
    for (size_t i = 0; i < count; i++) {
        const hz_value *v = items[i];
        if (v->kind != HZ_VALUE_SCALAR) {
            hz_diag_add(diag, HZ_DIAG_ERROR, v->file, v->line, v->col, "'plugin_path' items must be folders");
            continue;
        }
        dirs[(*n)++] = hz_path_join(dir, v->text);
    }
    free(dir);
    return dirs;
}

hz_pipeline *hz_pipeline_build(hz_document *doc, const char *file, hz_registry *reg, hz_diag *diag,
                               hz_mode mode) {
    hz_pipeline *p = hz_xcalloc(1, sizeof *p);
    p->doc = doc;
    p->file = hz_xstrdup(file);
    p->dir = folder_of(file);
    p->diag = diag;
    p->registry = reg;
    p->mode = mode;
    p->max_rejects = -1;
    if (!doc->root || doc->root->kind != HZ_VALUE_MAP) {
        if (!diag->errors) error_at(p, doc->root, "a pipeline is a map starting with 'version: 1'");
        return p;
    }
    check_top_level(p);
    hz_pii_read(p);
    add_section(p, "sources", HZ_ROLE_SOURCE);
    add_section(p, "transforms", HZ_ROLE_TRANSFORM);
    add_section(p, "sinks", HZ_ROLE_SINK);
    add_rejects(p);
    /* Said once here rather than per section: `sinks:` left empty and
     * no `sinks:` at all are the same mistake. */
    static const struct {
        const char *section;
        hz_role role;
    } needed[] = {{"sources", HZ_ROLE_SOURCE}, {"sinks", HZ_ROLE_SINK}};
    for (size_t k = 0; k < 2; k++) {
        bool found = false;
        for (size_t i = 0; i < p->ncomps; i++)
            found |= p->comps[i]->role == needed[k].role && !p->comps[i]->is_rejects;
        const hz_value *key = hz_value_key_of(doc->root, needed[k].section);
        const hz_value *sec = hz_value_get(doc->root, needed[k].section);
        bool empty = !sec || (sec->kind == HZ_VALUE_SCALAR && !sec->text[0]) ||
                     (sec->kind == HZ_VALUE_MAP && sec->count == 0);
        if (!found && empty)
            error_at(p, key ? key : doc->root, "the pipeline has no %s: add at least one under '%s:'",
                     needed[k].section, needed[k].section);
    }
    return p;
}

hz_schema *hz_schema_new(void) {
    return hz_xcalloc(1, sizeof(hz_schema));
}

/* FNV-1a: names are short, and any spread will do for a hash table. */
static size_t name_hash(const char *name) {
    size_t h = (size_t)14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * (size_t)1099511628211ULL;
    return h;
}

/* The slot holding `name`, or the empty slot where it would go. */
static size_t *schema_slot(const hz_schema *s, const char *name) {
    size_t mask = s->nslots - 1;
    for (size_t i = name_hash(name) & mask;; i = (i + 1) & mask)
        if (!s->slots[i] || !strcmp(s->names[s->slots[i] - 1], name)) return &s->slots[i];
}

static void schema_rehash(hz_schema *s, size_t nslots) {
    free(s->slots);
    s->slots = hz_xcalloc(nslots, sizeof *s->slots);
    s->nslots = nslots;
    for (size_t i = 0; i < s->count; i++) {
        size_t *slot = schema_slot(s, s->names[i]);
        if (!*slot) *slot = i + 1; /* a repeated name keeps its first position */
    }
}

void hz_schema_push(hz_schema *s, const char *name) {
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->names = hz_xrealloc(s->names, s->cap * sizeof *s->names);
        s->pii = hz_xrealloc(s->pii, s->cap * sizeof *s->pii);
    }
    s->pii[s->count] = 0;
    s->names[s->count++] = hz_xstrdup(name);
    if (2 * s->count > s->nslots) {
        schema_rehash(s, s->nslots ? 2 * s->nslots : 32);
        return;
    }
    size_t *slot = schema_slot(s, name);
    if (!*slot) *slot = s->count; /* a repeated name keeps its first position */
}

long hz_schema_index(const hz_schema *s, const char *name) {
    if (!s || !s->nslots) return -1;
    size_t at = *schema_slot(s, name);
    return at ? (long)at - 1 : -1;
}

static void schema_clear(hz_schema *s) {
    for (size_t i = 0; i < s->count; i++) free(s->names[i]);
    free(s->names);
    free(s->pii);
    free(s->slots);
}

void hz_schema_free(hz_schema *s) {
    if (!s) return;
    schema_clear(s);
    free(s);
}

static void component_free(hz_component *c) {
    if (c->self && c->cls->destroy) c->cls->destroy(c->self);
    if (c->opt_values) hz_options_free(c);
    for (size_t i = 0; c->input_maps && i < c->ninputs; i++) free(c->input_maps[i]);
    free(c->input_maps);
    free(c->inputs);
    free(c->input_streams);
    free(c->input_refs);
    for (size_t i = 0; i < c->nstreams; i++) {
        hz_stream *s = &c->streams[i];
        free(s->consumers);
        free(s->consumer_slot);
        hz_schema_free(s->schema);
        hz_batch_free(s->batch);
    }
    free(c->streams);
    hz_schema_free(c->merged_input);
    free(c->input_named);
    hz_batch_free(c->out);
    hz_batch_free(c->remap);
    for (size_t i = 0; i < c->nabsorbed_labels; i++) free(c->absorbed_labels[i].label);
    free(c->absorbed_labels);
    hz_strbuf_free(&c->notes);
    free(c->name);
    free(c->ref);
    free(c);
}

void hz_pipeline_free(hz_pipeline *p) {
    if (!p) return;
    for (size_t i = 0; i < p->ncomps; i++) component_free(p->comps[i]);
    free(p->comps);
    free(p->order);
    free(p->sources);
    free(p->rejects);
    free(p->rejects_stream.consumers);
    free(p->rejects_stream.consumer_slot);
    schema_clear(&p->rejects_schema);
    hz_batch_free(p->reject_batch);
    for (size_t i = 0; i < p->nfeeds; i++) {
        free(p->feeds[i].file);
        free(p->feeds[i].path);
        free(p->feeds[i].sha256);
        for (size_t k = 0; k < p->feeds[i].nabsorbed; k++) free(p->feeds[i].absorbed[k].label);
        free(p->feeds[i].absorbed);
    }
    hz_claims_free(p);
    free(p->feeds);
    for (size_t i = 0; i < p->nstaged; i++) {
        free(p->staged[i].target);
        free(p->staged[i].temp);
    }
    free(p->staged);
    for (size_t i = 0; i < p->nreasons; i++) free(p->reasons[i].reason);
    free(p->reasons);
    free(p->pii_names);
    free(p->pii_at);
    free(p->manifest_path);
    free(p->run_dir);
    free(p->state_dir);
    free(p->file);
    free(p->dir);
    free(p);
}

void hz_sink_mode_key(hz_component *c, const hz_value *key, const hz_value *v) {
    if (c->file_mode_given) {
        hz_component_config_error(c, key, "'mode' and 'file_mode' are one key: give one");
        return;
    }
    char why[256];
    if (!hz_file_mode_parse(v, &c->file_mode, why, sizeof why))
        hz_component_config_error(c, v, "'mode' %s (it is the file_mode of what sink '%s' writes)", why,
                                  c->name);
    else
        c->file_mode_given = true;
}
