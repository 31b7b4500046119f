/* set: give columns a constant value (which may come from ${VAR}), adding
 * the columns that do not exist yet, after the existing ones. */
#include <stdlib.h>
#include <string.h>

#include <harmonize/plugin.h>
#include <support/hzs_schema.h>

typedef struct set_state {
    size_t n;
    size_t *to;       /* constant k goes to output column to[k] */
    hz_field *values; /* point into the option strings: they outlive the run */
    size_t in_cols;
} set_state;

static const hz_option set_options[] = {
    {"columns", HZ_OPT_MAP, NULL, true, "column -> constant; adds the column or overwrites it", NULL},
    {0},
};

static int set_create(hz_component *c, void **self) {
    (void)c;
    *self = hz->xcalloc(1, sizeof(set_state));
    return 0;
}

static int set_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    set_state *s = self;
    const hz_value *map = hz->option(c, "columns");
    s->n = hz->value_count(map);
    s->in_cols = hz->schema_count(in);
    s->to = hz->xcalloc(s->n ? s->n : 1, sizeof *s->to);
    s->values = hz->xcalloc(s->n ? s->n : 1, sizeof *s->values);
    if (s->n == 0) {
        hz->config_error(c, map, "set needs at least one column");
        return -1;
    }
    int rc = hzs_schema_copy(c, in, out);
    for (size_t k = 0; k < s->n; k++) {
        const hz_value *key = hz->value_key(map, k);
        const char *value = hz->value_string(hz->value_item(map, k));
        long i = hzs_schema_output(c, out, hz->value_string(key), key);
        if (i < 0) {
            rc = -1;
            continue;
        }
        s->to[k] = (size_t)i;
        s->values[k] = (hz_field){value, strlen(value)};
    }
    return rc;
}

static int set_process(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out) {
    (void)c;
    (void)input;
    const set_state *s = self;
    for (size_t r = 0; r < in->nrows; r++) {
        hz_field *row = hz->batch_add_row(out, in->origins[r]);
        memcpy(row, in->fields + r * in->ncols, s->in_cols * sizeof *row);
        for (size_t k = 0; k < s->n; k++) row[s->to[k]] = s->values[k];
    }
    return 0;
}

static void set_destroy(void *self) {
    set_state *s = self;
    free(s->to);
    free(s->values);
    free(s);
}

static const hz_transform_class set_transform = {
    HZ_CLASS_INIT(hz_transform_class),
    .doc = "sets columns to constants (adds missing columns at the end)",
    HZ_OPTIONS(set_options),
    .create = set_create,
    .plan = set_plan,
    .process = set_process,
    .destroy = set_destroy,
};

static const hz_plugin set_plugin = {
    HZ_PLUGIN_INIT,
    .name = "set",
    .version = "1.0.0",
    .description = "set columns to constant values",
    .transform = &set_transform,
};

HZ_PLUGIN(set_plugin)
