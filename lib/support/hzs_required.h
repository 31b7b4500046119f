/* hzs_required.h - the `required` option of the sources that read named
 * fields into columns (xml, keyvalue): the columns whose element, attribute
 * or key must be present in every record, else the record is rejected. */
#ifndef HZS_REQUIRED_H
#define HZS_REQUIRED_H
#include <stdbool.h>
#include <stddef.h>

#include <harmonize/plugin.h>

/* Set required[j] for each column the `required` list names, where the
 * source's columns are the first `ncols` of `out`, declared by the option
 * `declared_by` ("fields").  An entry that names no column is reported at
 * its place; with no columns (ncols 0, already an error) nothing is
 * checked.  0, or -1 after reporting. */
int hzs_required_plan(hz_component *c, const hz_schema *out, size_t ncols, const char *declared_by,
                      bool *required);
#endif
