/* rename: give columns new names.  Only the schema changes, so the rows
 * pass through untouched (no process callback): renaming costs nothing
 * per row. */
#include <string.h>

#include <harmonize/plugin.h>

static const hz_host *host;

static const hz_option rename_options[] = {
    {"columns", HZ_OPT_MAP, NULL, true, "old name -> new name", NULL},
    {0},
};

static int rename_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)self;
    const hz_value *map = host->option(c, "columns");
    size_t n = host->value_count(map);
    int rc = 0;
    /* Every old name must exist upstream. */
    for (size_t k = 0; k < n; k++)
        if (host->schema_require(c, in, host->value_string(host->value_key(map, k)),
                                 host->value_key(map, k)) < 0)
            rc = -1;
    if (rc) return rc;
    for (size_t i = 0; i < host->schema_count(in); i++) {
        const char *name = host->schema_name(in, i);
        const hz_value *at = NULL;
        for (size_t k = 0; k < n; k++) {
            const hz_value *key = host->value_key(map, k);
            if (!strcmp(host->value_string(key), name)) {
                at = host->value_item(map, k);
                name = host->value_string(at);
                break;
            }
        }
        if (host->schema_add(c, out, name, at) != 0) rc = -1;
    }
    return rc;
}

static const hz_transform_class rename_transform = {
    .doc = "renames columns; rows pass unchanged",
    .options = rename_options,
    .plan = rename_plan,
};

static const hz_plugin rename_plugin = {
    HZ_ABI_MAJOR, HZ_ABI_MINOR,      sizeof(hz_plugin),
    "rename",     "1.0.0",           "rename columns (old -> new)",
    NULL,         &rename_transform, NULL,
};

HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *h);
HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *h) {
    host = h;
    return &rename_plugin;
}
