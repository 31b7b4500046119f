/* select: keep the listed columns, in the listed order. */
#include <stdlib.h>
#include <string.h>

#include <harmonize/plugin.h>

typedef struct select_state {
    size_t n;
    size_t *from;  /* output column j is input column from[j] */
    bool identity; /* same columns in the same order: copy rows whole */
} select_state;

static const hz_option select_options[] = {
    {"columns", HZ_OPT_LIST, NULL, true, "the columns to keep, in output order", NULL},
    {0},
};

static int select_create(hz_component *c, void **self) {
    (void)c;
    *self = hz->xcalloc(1, sizeof(select_state));
    return 0;
}

static int select_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    select_state *s = self;
    const hz_value *list = hz->option(c, "columns");
    s->n = hz->value_count(list);
    s->from = hz->xcalloc(s->n ? s->n : 1, sizeof *s->from);
    if (s->n == 0) {
        hz->config_error(c, list, "select needs at least one column");
        return -1;
    }
    int rc = 0;
    for (size_t j = 0; j < s->n; j++) {
        const hz_value *item = hz->value_item(list, j);
        long i = hz->schema_require(c, in, hz->value_string(item), item);
        if (i < 0 || hz->schema_add(c, out, hz->value_string(item), item) != 0) {
            rc = -1;
            continue;
        }
        s->from[j] = (size_t)i;
    }
    s->identity = rc == 0 && s->n == hz->schema_count(in);
    for (size_t j = 0; s->identity && j < s->n; j++) s->identity = s->from[j] == j;
    return rc;
}

static int select_process(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out) {
    (void)c;
    (void)input;
    const select_state *s = self;
    for (size_t r = 0; r < in->nrows; r++) {
        hz_field *row = hz->batch_add_row(out, in->origins[r]);
        const hz_field *src = in->fields + r * in->ncols;
        if (s->identity) {
            memcpy(row, src, s->n * sizeof *row);
        } else {
            for (size_t j = 0; j < s->n; j++) row[j] = src[s->from[j]];
        }
    }
    return 0;
}

static void select_destroy(void *self) {
    select_state *s = self;
    free(s->from);
    free(s);
}

static const hz_transform_class select_transform = {
    HZ_CLASS_INIT(hz_transform_class),
    .doc = "keeps the listed columns, in the listed order",
    HZ_OPTIONS(select_options),
    .create = select_create,
    .plan = select_plan,
    .process = select_process,
    .destroy = select_destroy,
};

static const hz_plugin select_plugin = {
    HZ_PLUGIN_INIT,
    .name = "select",
    .version = "1.0.0",
    .description = "keep and reorder columns",
    .transform = &select_transform,
};

HZ_PLUGIN(select_plugin)
