/* The keyvalue source: options, plan, entry point.
 *
 * Legacy case registers often dump one record as a block of lines,
 *
 *     CASE=GR21-000001
 *     DEPARTURE=05/01/2021
 *     NAME=...
 *     NATIONALITY=PAKISTAN
 *
 * with a blank line between records.  `fields` maps each column to the key
 * it reads; every other key is skipped as the line is read, so what a
 * pipeline does not ask for (names, phone numbers) never becomes a field,
 * not even in the rejects file. */
#include <stdlib.h>
#include <string.h>

#include <support/hzs_names.h>
#include <support/hzs_required.h>

#include "kv_plugin.h"

static const hz_option source_options[] = {
    {"path", HZ_OPT_PATH, NULL, true,
     "the export to read (UTF-8), relative to the pipeline's folder; \"-\" is standard input (read once)",
     NULL},
    {"fields", HZ_OPT_MAP, NULL, true,
     "column: the key it reads, e.g. {record_id: CASE}; keys no column reads are skipped unread", NULL},
    {"required", HZ_OPT_LIST, NULL, false,
     "columns whose key must appear in every record, else the record is rejected (malformed_row)", NULL},
    {"separator", HZ_OPT_STRING, "=", false,
     "what separates a key from its value (the first one on the line)", NULL},
    {"comment", HZ_OPT_STRING, "#", false,
     "a line starting with this (after spaces) is a comment; \"\" for none", NULL},
    {"trim", HZ_OPT_BOOL, "true", false, "strip spaces and tabs around keys and values", NULL},
    {"max_field_bytes", HZ_OPT_INT, "16777216", false,
     "a longer line (key, separator and value) fails the run: a file with no line breaks is not read into "
     "memory whole",
     NULL},
    HZS_INPUT_OPTIONS,
    {0},
};

static int source_create(hz_component *c, void **self) {
    kv_source *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->c = c;
    hzs_input_init(&s->in, c);
    s->shown = s->in.shown;
    s->sep = hz->opt_string(c, "separator");
    s->seplen = strlen(s->sep);
    s->comment = hz->opt_string(c, "comment");
    s->commentlen = strlen(s->comment);
    s->trim = hz->opt_bool(c, "trim");
    s->max_field_bytes = hz->opt_int(c, "max_field_bytes");
    if (s->max_field_bytes <= 0) {
        hz->config_error(c, hz->option(c, "max_field_bytes"), "'max_field_bytes' must be positive");
        return -1;
    }
    return 0;
}

static bool is_space(char ch) {
    return ch == ' ' || ch == '\t';
}

static bool has_line_break(const char *text) {
    return strchr(text, '\n') || strchr(text, '\r');
}

static int plan_syntax(kv_source *s) {
    int rc = 0;
    if (s->seplen == 0 || has_line_break(s->sep)) {
        hz->config_error(s->c, hz->option(s->c, "separator"),
                         "'separator' must be one or more characters on one line, e.g. \"=\" or \": \"");
        rc = -1;
    }
    if (has_line_break(s->comment)) {
        hz->config_error(s->c, hz->option(s->c, "comment"), "'comment' must not contain a line break");
        rc = -1;
    }
    return rc;
}

static int plan_fields(kv_source *s, hz_schema *out) {
    const hz_value *map = hz->option(s->c, "fields");
    s->ncols = hz->value_count(map);
    size_t n = s->ncols ? s->ncols : 1;
    s->names = hz->xcalloc(n, sizeof *s->names);
    s->keys = hz->xcalloc(n, sizeof *s->keys);
    s->keylen = hz->xcalloc(n, sizeof *s->keylen);
    s->required = hz->xcalloc(n, sizeof *s->required);
    s->seen = hz->xcalloc(n, sizeof *s->seen);
    hzs_record_init(&s->rec, s->ncols);
    if (s->ncols == 0) {
        hz->config_error(s->c, map, "'fields' needs at least one column, e.g. {record_id: CASE}");
        return -1;
    }
    int rc = 0;
    for (size_t j = 0; j < s->ncols; j++) {
        const hz_value *key = hz->value_key(map, j), *val = hz->value_item(map, j);
        s->names[j] = hz->value_string(key);
        s->keys[j] = hz->value_string(val);
        if (hz->schema_add(s->c, out, s->names[j], key) != 0) rc = -1;
        const char *k = s->keys[j];
        const char *why = !k || !*k                        ? "an empty key can never match"
                          : has_line_break(k)              ? "a key must be on one line"
                          : s->seplen && strstr(k, s->sep) ? "it holds the separator, so it can never match"
                          : s->trim && (is_space(*k) || is_space(k[strlen(k) - 1]))
                              ? "trim takes the spaces around keys away, so it can never match"
                              : NULL;
        if (why) {
            hz->config_error(s->c, val, "column '%s' reads key '%s': %s", s->names[j], k ? k : "", why);
            rc = -1;
            s->keys[j] = NULL;
            continue;
        }
        s->keylen[j] = strlen(k);
    }
    /* Two columns reading one key is a copy-paste slip, not a need
     * (sorted, not compared pairwise, whatever the number of columns). */
    size_t *earlier = hz->xcalloc(s->ncols, sizeof *earlier);
    if (hzs_names_repeats((const char *const *)s->keys, s->ncols, earlier) > 0)
        for (size_t j = 0; j < s->ncols; j++) {
            if (earlier[j] == HZS_NAMES_FIRST) continue;
            hz->config_error(s->c, hz->value_item(map, j),
                             "column '%s' reads key '%s', which column '%s' reads already", s->names[j],
                             s->keys[j], s->names[earlier[j]]);
            rc = -1;
        }
    free(earlier);
    return rc;
}

static int source_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)in;
    kv_source *s = self;
    int rc = plan_syntax(s);
    if (plan_fields(s, out) != 0) rc = -1;
    if (hzs_required_plan(c, out, s->ncols, "fields", s->required) != 0) rc = -1;
    s->feed = hz->feed(c, s->in.path);
    /* A missing export is reported now, so `harmonize validate` sees it;
     * a pipe is opened once, here, and stays open for the run.  Nothing
     * is read. */
    if (hzs_input_plan(&s->in, s->feed) != 0) rc = -1;
    s->shown = s->in.shown; /* a zip member: archive:member */
    hzs_input_plan_end(&s->in);
    return rc;
}

static void source_destroy(void *self) {
    kv_source *s = self;
    hzs_input_free(&s->in);
    kv_lines_free(&s->lines);
    hzs_record_free(&s->rec);
    for (size_t i = 0; i < s->nignored; i++) free(s->ignored[i].key);
    free(s->names);
    free(s->keys);
    free(s->keylen);
    free(s->required);
    free(s->seen);
    free(s);
}

const hz_source_class kv_source_class = {
    HZ_CLASS_INIT(hz_source_class),
    .doc = "reads KEY=VALUE exports: one record per block of lines, blocks separated by blank lines; keys no "
           "column reads are skipped unread",
    HZ_OPTIONS(source_options),
    .create = source_create,
    .plan = source_plan,
    .read = kv_read,
    .destroy = source_destroy,
};

static const hz_plugin kv_plugin = {
    HZ_PLUGIN_INIT,
    .name = "keyvalue",
    .version = "1.0.0",
    .description = "KEY=VALUE block exports of legacy case registers (one block per record)",
    .source = &kv_source_class,
};

HZ_PLUGIN(kv_plugin)
