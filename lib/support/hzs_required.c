/* The `required` option (see hzs_required.h). */
#include "hzs_required.h"

int hzs_required_plan(hz_component *c, const hz_schema *out, size_t ncols, const char *declared_by,
                      bool *required) {
    const hz_value *list = hz->option(c, "required");
    int rc = 0;
    for (size_t i = 0; ncols && list && i < hz->value_count(list); i++) {
        const hz_value *item = hz->value_item(list, i);
        const char *name = hz->value_string(item);
        long j = name ? hz->schema_find(out, name) : -1;
        if (j < 0 || (size_t)j >= ncols) {
            hz->config_error(c, item, "'required' lists '%s', which is not a column of '%s'",
                             name ? name : "?", declared_by);
            rc = -1;
            continue;
        }
        required[j] = true;
    }
    return rc;
}
