/* rename: give columns new names.  Only the schema changes, so the rows
 * pass through untouched (no process callback): renaming costs nothing
 * per row. */
#include <string.h>

#include <harmonize/plugin.h>

static const hz_option rename_options[] = {
    {"columns", HZ_OPT_MAP, NULL, true, "old name -> new name", NULL},
    {0},
};

static int rename_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)self;
    const hz_value *map = hz->option(c, "columns");
    size_t n = hz->value_count(map);
    int rc = 0;
    /* Every old name must exist upstream. */
    for (size_t k = 0; k < n; k++)
        if (hz->schema_require(c, in, hz->value_string(hz->value_key(map, k)), hz->value_key(map, k)) < 0)
            rc = -1;
    if (rc) return rc;
    for (size_t i = 0; i < hz->schema_count(in); i++) {
        const char *name = hz->schema_name(in, i);
        const hz_value *at = NULL;
        for (size_t k = 0; k < n; k++) {
            const hz_value *key = hz->value_key(map, k);
            if (!strcmp(hz->value_string(key), name)) {
                at = hz->value_item(map, k);
                name = hz->value_string(at);
                break;
            }
        }
        if (hz->schema_add(c, out, name, at) != 0) {
            rc = -1;
            continue;
        }
        /* Personal data keeps being personal under its new name. */
        if (at && HZ_HOST_HAS(schema_personal) && hz->schema_personal(in, i))
            hz->schema_set_personal(c, out, hz->schema_count(out) - 1, true);
    }
    return rc;
}

static const hz_transform_class rename_transform = {
    HZ_CLASS_INIT(hz_transform_class),
    .doc = "renames columns; rows pass unchanged",
    HZ_OPTIONS(rename_options),
    .plan = rename_plan,
};

static const hz_plugin rename_plugin = {
    HZ_PLUGIN_INIT,
    .name = "rename",
    .version = "1.0.0",
    .description = "rename columns (old -> new)",
    .transform = &rename_transform,
};

HZ_PLUGIN(rename_plugin)
