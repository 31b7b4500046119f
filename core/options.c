#define _POSIX_C_SOURCE 200809L
#include "options.h"

#include "file_mode.h"

#include "output_links.h"

#include <stdlib.h>
#include <string.h>

/* The core's own keys of a component (min_rows, allow_empty, max_rejects: the
 * guards of a source; file_mode, follow_symlinks: a sink's; allow_pii: a
 * sink's, pii.c; see pipeline.c). */
static const char *const reserved[] = {
    "type",       "inputs",      "steps",     "min_rows",        "allow_empty",
    "max_change", "max_rejects", "file_mode", "follow_symlinks", "allow_pii"};

bool hz_option_is_reserved(const char *key) {
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (!strcmp(key, reserved[i])) return true;
    return false;
}

const char *hz_option_type_name(hz_option_type t) {
    switch (t) {
    case HZ_OPT_STRING: return "string";
    case HZ_OPT_INT: return "int";
    case HZ_OPT_BOOL: return "bool";
    case HZ_OPT_ENUM: return "enum";
    case HZ_OPT_LIST: return "list";
    case HZ_OPT_MAP: return "map";
    case HZ_OPT_PATH: return "path";
    case HZ_OPT_ANY: return "any";
    }
    return "?";
}

long hz_option_index(const hz_component *c, const char *name) {
    for (size_t i = 0; i < c->noptions; i++)
        if (!strcmp(c->options[i].name, name)) return (long)i;
    return -1;
}

static bool enum_has(const char *choices, const char *word) {
    size_t n = strlen(word);
    for (const char *p = choices; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && !strncmp(p, word, n)) return true;
        p = bar ? bar + 1 : NULL;
    }
    return false;
}

static const char *choices_text(const char *choices, char *buf, size_t size) {
    size_t j = 0;
    for (const char *p = choices; *p && j + 3 < size; p++) {
        if (*p == '|') {
            buf[j++] = ',';
            buf[j++] = ' ';
        } else
            buf[j++] = *p;
    }
    buf[j] = '\0';
    return buf;
}

/* Does value `v` fit option `o`?  Reports at v and returns false if not.
 * Every message names the option and its component ("option 'header' of
 * csv source 'germany' ..."), so that it reads alone in a long list. */
static bool check_type(hz_component *c, const hz_option *o, const hz_value *v) {
    const char *plugin = c->plugin->desc->name, *what = hz_role_name(c->role);
    switch (o->type) {
    case HZ_OPT_STRING:
    case HZ_OPT_PATH:
    case HZ_OPT_INT:
    case HZ_OPT_BOOL:
    case HZ_OPT_ENUM:
        if (v->kind != HZ_VALUE_SCALAR) {
            hz_component_config_error(c, v, "option '%s' of %s %s '%s' must be a %s, not a %s", o->name,
                                      plugin, what, c->name, hz_option_type_name(o->type),
                                      hz_value_kind_name(v->kind));
            return false;
        }
        break;
    case HZ_OPT_LIST:
        if (v->kind != HZ_VALUE_LIST) {
            hz_component_config_error(c, v, "option '%s' of %s %s '%s' must be a list, e.g. [a, b]", o->name,
                                      plugin, what, c->name);
            return false;
        }
        for (size_t i = 0; i < v->count; i++)
            if (v->items[i]->kind != HZ_VALUE_SCALAR) {
                hz_component_config_error(
                    c, v->items[i], "items of option '%s' of %s %s '%s' must be scalars, not a %s", o->name,
                    plugin, what, c->name, hz_value_kind_name(v->items[i]->kind));
                return false;
            }
        return true;
    case HZ_OPT_MAP:
        if (v->kind != HZ_VALUE_MAP) {
            hz_component_config_error(c, v, "option '%s' of %s %s '%s' must be a map, e.g. {a: b}", o->name,
                                      plugin, what, c->name);
            return false;
        }
        for (size_t i = 0; i < v->count; i++)
            if (v->items[i]->kind != HZ_VALUE_SCALAR) {
                hz_component_config_error(
                    c, v->items[i], "values of option '%s' of %s %s '%s' must be scalars, not a %s", o->name,
                    plugin, what, c->name, hz_value_kind_name(v->items[i]->kind));
                return false;
            }
        return true;
    case HZ_OPT_ANY: return true;
    }
    bool b;
    int64_t n;
    if (o->type == HZ_OPT_INT && !hz_value_parse_int(v, &n)) {
        hz_component_config_error(c, v, "option '%s' of %s %s '%s' must be an integer, not '%s'", o->name,
                                  plugin, what, c->name, v->text);
        return false;
    }
    if (o->type == HZ_OPT_BOOL && !hz_value_parse_bool(v, &b)) {
        hz_component_config_error(c, v, "option '%s' of %s %s '%s' must be true or false, not '%s'", o->name,
                                  plugin, what, c->name, v->text);
        return false;
    }
    if (o->type == HZ_OPT_ENUM && !enum_has(o->choices, v->text)) {
        char buf[256];
        hz_component_config_error(c, v, "option '%s' of %s %s '%s' must be one of %s, not '%s'", o->name,
                                  plugin, what, c->name, choices_text(o->choices, buf, sizeof buf), v->text);
        return false;
    }
    return true;
}

static char *resolve_path(const hz_pipeline *p, const char *path) {
    return hz_path_join(p->dir, path);
}

void hz_options_check(hz_component *c) {
    size_t n = c->noptions;
    c->opt_values = hz_xcalloc(n, sizeof *c->opt_values);
    c->defaults = hz_xcalloc(n, sizeof *c->defaults);
    c->paths = hz_xcalloc(n, sizeof *c->paths);
    const char **names = hz_xcalloc(n, sizeof *names);
    for (size_t i = 0; i < n; i++) names[i] = c->options[i].name;

    const hz_value *node = c->node;
    for (size_t k = 0; node && k < node->count; k++) {
        const hz_value *key = node->keys[k];
        if (hz_option_is_reserved(key->text)) continue;
        long i = hz_option_index(c, key->text);
        if (i < 0 && c->role == HZ_ROLE_SINK && !strcmp(key->text, "mode")) {
            /* `mode:` is file_mode's short name on a sink whose plugin has no
             * `mode` option of its own (sqlite's and postgresql's say how a
             * table is written). */
            hz_sink_mode_key(c, key, node->items[k]);
            continue;
        }
        if (i < 0) {
            const char *hint = hz_did_you_mean(key->text, names, n);
            if (hint)
                hz_component_config_error(c, key, "unknown option '%s' for %s %s '%s'; did you mean '%s'?",
                                          key->text, c->plugin->desc->name, hz_role_name(c->role), c->name,
                                          hint);
            else
                hz_component_config_error(
                    c, key, "unknown option '%s' for %s %s '%s' (see: harmonize plugins %s)", key->text,
                    c->plugin->desc->name, hz_role_name(c->role), c->name, c->plugin->desc->name);
            continue;
        }
        if (node->items[k]->unexpanded) {
            /* Its ${VAR} is reported at the variable: checking or using
             * the text as written (a path "${feeds}/x.csv") would only
             * add a second, misleading error.  Not planned. */
            c->plan_failed = true;
            continue;
        }
        if (check_type(c, &c->options[i], node->items[k])) c->opt_values[i] = node->items[k];
    }
    for (size_t i = 0; i < n; i++) {
        const hz_option *o = &c->options[i];
        if (!hz_value_get(node, o->name)) {
            if (o->required) {
                hz_component_config_error(c, NULL, "missing required option '%s' for %s %s '%s'", o->name,
                                          c->plugin->desc->name, hz_role_name(c->role), c->name);
            } else if (o->default_value) {
                hz_value *d = hz_xcalloc(1, sizeof *d);
                d->kind = HZ_VALUE_SCALAR;
                d->text = hz_xstrdup(o->default_value);
                d->file = c->type_value ? c->type_value->file : c->pipeline->file;
                d->line = c->type_value ? c->type_value->line : 0;
                d->col = c->type_value ? c->type_value->col : 0;
                c->defaults[i] = d;
                c->opt_values[i] = d;
            }
        }
        if (o->type == HZ_OPT_PATH && c->opt_values[i]) {
            c->paths[i] = resolve_path(c->pipeline, c->opt_values[i]->text);
            /* follow_symlinks: the sink is handed the file the link leads
             * to, so it writes (and replaces) that file and the link stays;
             * a loop is left as it is, to be refused where it is claimed. */
            char *target = c->follow_symlinks ? hz_link_final_target(c->paths[i]) : NULL;
            if (target) {
                free(c->paths[i]);
                c->paths[i] = target;
            }
        }
    }
    free(names);
}

void hz_options_free(hz_component *c) {
    for (size_t i = 0; i < c->noptions; i++) {
        if (c->defaults[i]) {
            free(c->defaults[i]->text);
            free(c->defaults[i]);
        }
        free(c->paths[i]);
    }
    free(c->opt_values);
    free(c->defaults);
    free(c->paths);
}
