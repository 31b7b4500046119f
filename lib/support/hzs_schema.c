/* Planning a transform's columns (see hzs_schema.h). */
#include "hzs_schema.h"

long hzs_schema_input(hz_component *c, const hz_schema *in, const char *option) {
    return hz->schema_require(c, in, hz->opt_string(c, option), hz->option(c, option));
}

int hzs_schema_copy(hz_component *c, const hz_schema *in, hz_schema *out) {
    int rc = 0;
    for (size_t i = 0; i < hz->schema_count(in); i++)
        if (hz->schema_add(c, out, hz->schema_name(in, i), NULL) != 0) rc = -1;
    return rc;
}

long hzs_schema_output(hz_component *c, hz_schema *out, const char *name, const hz_value *at) {
    long i = hz->schema_find(out, name);
    if (i >= 0) return i;
    if (hz->schema_add(c, out, name, at) != 0) return -1;
    return (long)hz->schema_count(out) - 1;
}
