/* A sink's `columns` option (see hzs_columns.h). */
#include "hzs_columns.h"

#include <stdlib.h>

int hzs_columns_plan(hz_component *c, const hz_schema *in, size_t **from, size_t *n) {
    const hz_value *columns = hz->option(c, "columns");
    *n = columns ? hz->value_count(columns) : hz->schema_count(in);
    *from = hz->xcalloc(*n ? *n : 1, sizeof **from);
    int rc = 0;
    /* which input columns are listed already: one look per entry, so a
     * list of 100,000 columns is checked as fast as a list of ten */
    size_t nin = hz->schema_count(in);
    bool *listed = hz->xcalloc(nin ? nin : 1, sizeof *listed);
    for (size_t j = 0; j < *n; j++) {
        long i = (long)j;
        if (columns) {
            const hz_value *item = hz->value_item(columns, j);
            i = hz->schema_require(c, in, hz->value_string(item), item);
            if (i >= 0 && (size_t)i < nin && listed[i]) {
                hz->config_error(c, item, "column '%s' is listed twice", hz->value_string(item));
                i = -1;
            } else if (i >= 0 && (size_t)i < nin) {
                listed[i] = true;
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
    free(listed);
    if (rc == 0 && *n == 0) {
        hz->config_error(c, columns, "there are no columns to write");
        rc = -1;
    }
    return rc;
}
