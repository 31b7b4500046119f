/* A sink's `columns` option (see hzs_columns.h). */
#include "hzs_columns.h"

int hzs_columns_plan(hz_component *c, const hz_schema *in, size_t **from, size_t *n) {
    const hz_value *columns = hz->option(c, "columns");
    *n = columns ? hz->value_count(columns) : hz->schema_count(in);
    *from = hz->xcalloc(*n ? *n : 1, sizeof **from);
    int rc = 0;
    for (size_t j = 0; j < *n; j++) {
        long i = (long)j;
        if (columns) {
            const hz_value *item = hz->value_item(columns, j);
            i = hz->schema_require(c, in, hz->value_string(item), item);
            for (size_t k = 0; i >= 0 && k < j; k++)
                if ((*from)[k] == (size_t)i) {
                    hz->config_error(c, item, "column '%s' is listed twice", hz->value_string(item));
                    i = -1;
                }
        }
        if (i < 0) {
            rc = -1;
            continue;
        }
        (*from)[j] = (size_t)i;
        /* The core refuses a personal column unless the sink allows it. */
        if (HZ_HOST_HAS(sink_column) &&
            hz->sink_column(c, in, (size_t)i, columns ? hz->value_item(columns, j) : NULL) != 0)
            rc = -1;
    }
    if (rc == 0 && *n == 0) {
        hz->config_error(c, columns, "there are no columns to write");
        rc = -1;
    }
    return rc;
}
