/* The host table: the only way plugins reach the core. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "claims.h"
#include "journal.h"
#include "log_json.h"
#include "options.h"
#include "pipeline.h"
#include "host.h"
#include "feed_info.h"
#include "runtime.h"
#include "pii.h"

static const char *host_display_path(hz_component *c, const char *path);

/* Whether a plugin's message already names its component ('NAME' in quotes). */
static bool names_component(const char *msg, const char *name) {
    size_t n = strlen(name);
    for (const char *q = strchr(msg, '\''); q; q = strchr(q + 1, '\''))
        if (strncmp(q + 1, name, n) == 0 && q[1 + n] == '\'') return true;
    return false;
}

/* A plugin's configuration error names the component it is about, as the
 * core's own option errors do ("csv source 'germany': ..."): a pipeline may
 * use one plugin many times, and the position alone does not say which
 * plugin's rule was broken. */
static void host_config_error(hz_component *c, const hz_value *at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = hz_xvasprintf(fmt, ap);
    va_end(ap);
    if (names_component(msg, c->name))
        hz_component_config_error(c, at, "%s", msg);
    else
        hz_component_config_error(c, at, "%s %s '%s': %s", c->plugin->desc->name, hz_role_name(c->role),
                                  c->name, msg);
    free(msg);
}

static void host_error(hz_component *c, const char *fmt, ...) {
    hz_pipeline *p = c->pipeline;
    va_list ap;
    va_start(ap, fmt);
    char *msg = hz_xvasprintf(fmt, ap);
    va_end(ap);
    if (p->in_plan) {
        /* While the graph is built, point at the component in the file. */
        hz_component_config_error(c, NULL, "%s %s '%s': %s", c->plugin->desc->name, hz_role_name(c->role),
                                  c->name, msg);
    } else {
        hz_diag_now_in(p->diag, HZ_DIAG_ERROR, c->name, "%s %s '%s': %s", c->plugin->desc->name,
                       hz_role_name(c->role), c->name, msg);
    }
    p->failed = true;
    free(msg);
}

static void host_log(hz_component *c, hz_log_level level, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = hz_xvasprintf(fmt, ap);
    va_end(ap);
    hz_log_plugin(c->name, level, msg); /* text, or JSON (log_json.h) */
    free(msg);
}

static const hz_value *host_option(hz_component *c, const char *name) {
    long i = hz_option_index(c, name);
    if (i < 0) {
        hz_diag_now(c->pipeline->diag, HZ_DIAG_WARNING, "plugin %s asked for option '%s' it does not declare",
                    c->plugin->desc->name, name);
        return NULL;
    }
    return c->opt_values[i];
}

static const char *host_opt_string(hz_component *c, const char *name) {
    const hz_value *v = host_option(c, name);
    return v && v->kind == HZ_VALUE_SCALAR ? v->text : NULL;
}

static int64_t host_opt_int(hz_component *c, const char *name) {
    int64_t n = 0;
    const hz_value *v = host_option(c, name);
    return v && hz_value_parse_int(v, &n) ? n : 0;
}

static bool host_opt_bool(hz_component *c, const char *name) {
    bool b = false;
    const hz_value *v = host_option(c, name);
    return v && hz_value_parse_bool(v, &b) ? b : false;
}

static const char *host_opt_path(hz_component *c, const char *name) {
    long i = hz_option_index(c, name);
    if (i < 0) return NULL;
    return c->paths[i] ? c->paths[i] : host_opt_string(c, name);
}

static hz_value_kind host_value_kind(const hz_value *v) {
    return v->kind;
}
static const char *host_value_string(const hz_value *v) {
    return v->kind == HZ_VALUE_SCALAR ? v->text : NULL;
}
static size_t host_value_count(const hz_value *v) {
    return v->kind == HZ_VALUE_SCALAR ? 0 : v->count;
}
static const hz_value *host_value_item(const hz_value *v, size_t i) {
    return v->kind != HZ_VALUE_SCALAR && i < v->count ? v->items[i] : NULL;
}
static const hz_value *host_value_key(const hz_value *v, size_t i) {
    return v->kind == HZ_VALUE_MAP && i < v->count ? v->keys[i] : NULL;
}
static bool host_value_int(const hz_value *v, int64_t *out) {
    return hz_value_parse_int(v, out);
}

static size_t host_schema_count(const hz_schema *s) {
    return s->count;
}
static const char *host_schema_name(const hz_schema *s, size_t i) {
    return i < s->count ? s->names[i] : NULL;
}
static long host_schema_find(const hz_schema *s, const char *name) {
    return hz_schema_index(s, name);
}

static int host_schema_add(hz_component *c, hz_schema *s, const char *name, const hz_value *at) {
    if (!name || !*name) {
        hz_component_config_error(c, at, "a column needs a name");
        return -1;
    }
    if (hz_schema_index(s, name) >= 0) {
        hz_component_config_error(c, at, "column '%s' would appear twice in the output of '%s'", name,
                                  c->name);
        return -1;
    }
    hz_schema_push(s, name);
    return 0;
}

static long host_schema_require(hz_component *c, const hz_schema *in, const char *name, const hz_value *at) {
    long i = hz_schema_index(in, name);
    if (i >= 0) return i;
    hz_strbuf have = {0};
    for (size_t k = 0; k < in->count && k < 40; k++)
        hz_strbuf_printf(&have, "%s%s", k ? ", " : "", in->names[k]);
    if (in->count > 40) hz_strbuf_adds(&have, ", ...");
    const char *hint = hz_did_you_mean(name, (const char *const *)in->names, in->count);
    if (hint)
        hz_component_config_error(c, at,
                                  "column '%s' is not produced by the input of '%s'; did you mean '%s'?",
                                  name, c->name, hint);
    else
        hz_component_config_error(c, at, "column '%s' is not produced by the input of '%s' (it has: %s)",
                                  name, c->name, hz_strbuf_cstr(&have));
    hz_strbuf_free(&have);
    return -1;
}

static uint32_t host_feed(hz_component *c, const char *file) {
    hz_pipeline *p = c->pipeline;
    const char *shown = host_display_path(c, file);
    for (size_t i = 0; i < p->nfeeds; i++)
        if (p->feeds[i].source == c && !strcmp(host_display_path(c, p->feeds[i].path), shown))
            return (uint32_t)i;
    p->feeds = hz_xrealloc(p->feeds, (p->nfeeds + 1) * sizeof *p->feeds);
    p->feeds[p->nfeeds] = (hz_feed){.file = hz_xstrdup(shown), .path = hz_xstrdup(file), .source = c};
    return (uint32_t)p->nfeeds++;
}

/* A feed that is part of its file (a zip member): its own name. */
static void host_set_feed_name(hz_component *c, uint32_t feed, const char *name) {
    hz_pipeline *p = c->pipeline;
    if (feed >= p->nfeeds || p->feeds[feed].source != c || !name || !*name) {
        hz_diag_now(p->diag, HZ_DIAG_ERROR,
                    "%s '%s' named feed %u, which it did not register, or gave it no name (a plugin bug)",
                    c->plugin ? c->plugin->desc->name : "?", c->name, (unsigned)feed);
        p->failed = true;
        return;
    }
    free(p->feeds[feed].file);
    p->feeds[feed].file = hz_xstrdup(name);
    p->feeds[feed].named = true;
}

static void host_feed_describe(hz_component *c, uint32_t feed, const char **component, const char **file) {
    hz_pipeline *p = c->pipeline;
    if (feed == HZ_FEED_NONE) {
        if (component) *component = "-";
        if (file) *file = "-";
    } else if (feed < p->nfeeds) {
        if (component) *component = p->feeds[feed].source->name;
        if (file) *file = p->feeds[feed].file;
    } else {
        if (component) *component = "?";
        if (file) *file = "?";
    }
}

static void host_reject(hz_component *c, const hz_batch *b, size_t row, const char *reason, const char *fmt,
                        ...) {
    va_list ap;
    va_start(ap, fmt);
    char *detail = hz_xvasprintf(fmt, ap);
    va_end(ap);
    c->rejected++;
    hz_reject_record(c, b, b->origins[row], b->fields + row * b->ncols, b->ncols, reason, detail);
    free(detail);
}

static void host_reject_fields(hz_component *c, hz_origin origin, const hz_field *fields, size_t n,
                               const char *reason, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *detail = hz_xvasprintf(fmt, ap);
    va_end(ap);
    c->rejected++;
    hz_reject_record(c, NULL, origin, fields, n, reason, detail);
    free(detail);
}

/* Add n under `label` in a small list of labelled counts. */
static void count_label(hz_absorbed **list, size_t *count, const char *label, uint64_t n) {
    for (size_t i = 0; i < *count; i++)
        if (!strcmp((*list)[i].label, label)) {
            (*list)[i].rows += n;
            return;
        }
    *list = hz_xrealloc(*list, (*count + 1) * sizeof **list);
    (*list)[(*count)++] = (hz_absorbed){hz_xstrdup(label), n};
}

static void host_absorb(hz_component *c, uint64_t n, const char *label) {
    c->absorbed += n;
    count_label(&c->absorbed_labels, &c->nabsorbed_labels, label, n);
}

static void host_absorb_origin(hz_component *c, hz_origin origin, const char *label) {
    host_absorb(c, 1, label);
    hz_pipeline *p = c->pipeline;
    if (origin.feed < p->nfeeds)
        count_label(&p->feeds[origin.feed].absorbed, &p->feeds[origin.feed].nabsorbed, label, 1);
}

static void host_summary_note(hz_component *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *line = hz_xvasprintf(fmt, ap);
    va_end(ap);
    hz_strbuf_printf(&c->notes, "    %s\n", line);
    free(line);
}

static bool host_option_given(hz_component *c, const char *name) {
    return hz_value_get(c->node, name) != NULL;
}

static hz_schema *host_output_schema(hz_component *c, size_t index) {
    return index + 1 < c->nstreams ? c->streams[index + 1].schema : NULL;
}

static bool host_output_wanted(hz_component *c, size_t index) {
    return index + 1 < c->nstreams && c->streams[index + 1].nconsumers > 0;
}

static const char *host_display_path(hz_component *c, const char *path) {
    const char *dir = c->pipeline->dir;
    size_t n = strlen(dir);
    if (n && !strncmp(path, dir, n) && path[n] == '/') return path + n + 1;
    return path;
}

static const char *host_component_name(hz_component *c) {
    return c->name;
}
static const char *host_pipeline_dir(hz_component *c) {
    return c->pipeline->dir;
}

static void host_input_progress(hz_component *c, uint64_t done, uint64_t total) {
    c->input_done = done;
    c->input_total = total;
}

static const char *host_stage_file(hz_component *c, const char *target) {
    return hz_journal_stage(c->pipeline, c, target);
}

static size_t host_input_count(hz_component *c) {
    return c->is_rejects ? 1 : c->ninputs;
}

/* As the pipeline names it: the entry of `inputs:` when there is one (the
 * text the user wrote, `returns.duplicates` for a named output), else the
 * component before it (a step of a chain). */
static const char *host_input_name(hz_component *c, size_t i) {
    if (i >= host_input_count(c)) return NULL;
    if (c->is_rejects) return "rejects";
    if (c->inputs_value && c->input_refs[i] && c->input_refs[i]->kind == HZ_VALUE_SCALAR)
        return c->input_refs[i]->text;
    return c->inputs[i]->name;
}

static const hz_value *host_input_value(hz_component *c, size_t i) {
    if (c->is_rejects || !c->inputs_value || i >= c->ninputs) return NULL;
    return c->input_refs[i];
}

static const hz_host host_table = {
    .abi_major = HZ_ABI_MAJOR,
    .abi_minor = HZ_ABI_MINOR,
    .struct_size = sizeof(hz_host),
    .config_error = host_config_error,
    .error = host_error,
    .log = host_log,
    .option = host_option,
    .option_given = host_option_given,
    .opt_string = host_opt_string,
    .opt_int = host_opt_int,
    .opt_bool = host_opt_bool,
    .opt_path = host_opt_path,
    .value_kind = host_value_kind,
    .value_string = host_value_string,
    .value_count = host_value_count,
    .value_item = host_value_item,
    .value_key = host_value_key,
    .value_int = host_value_int,
    .schema_count = host_schema_count,
    .schema_name = host_schema_name,
    .schema_find = host_schema_find,
    .schema_add = host_schema_add,
    .schema_require = host_schema_require,
    .output_schema = host_output_schema,
    .output_batch = hz_component_output_batch,
    .output_wanted = host_output_wanted,
    .batch_add_row = hz_batch_add_row,
    .batch_alloc = hz_batch_alloc,
    .feed = host_feed,
    .feed_describe = host_feed_describe,
    .reject = host_reject,
    .reject_fields = host_reject_fields,
    .absorb = host_absorb,
    .summary_note = host_summary_note,
    .component_name = host_component_name,
    .pipeline_dir = host_pipeline_dir,
    .display_path = host_display_path,
    .claim_output = hz_claim_output,
    .xmalloc = hz_xmalloc,
    .xcalloc = hz_xcalloc,
    .xrealloc = hz_xrealloc,
    .xstrdup = hz_xstrdup,
    .stage_file = host_stage_file,
    .input_progress = host_input_progress,
    .absorb_origin = host_absorb_origin,
    .schema_personal = hz_pii_schema_personal,
    .schema_set_personal = hz_pii_set_personal,
    .sink_column = hz_pii_sink_column,
    .input_count = host_input_count,
    .input_name = host_input_name,
    .input_value = host_input_value,
    .set_feed_name = host_set_feed_name,
    .feed_count = hz_host_feed_count,
    .feed_info = hz_host_feed_info,
};

const hz_host *hz_host_table(void) {
    return &host_table;
}
