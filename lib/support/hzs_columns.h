/* hzs_columns.h - the `columns` option of a sink (csv, sqlite): the input
 * columns it writes, in the order it writes them. */
#ifndef HZS_COLUMNS_H
#define HZS_COLUMNS_H
#include <stddef.h>

#include <harmonize/plugin.h>

/* Every column of `in`, or those the sink's `columns` option lists, in
 * its order: each must exist upstream and be listed once, and at least
 * one must be written.  *from gets their indexes in `in` (an array to
 * release with free(), even after a failure), *n their count.  0, or -1
 * after reporting each mistake at its place. */
int hzs_columns_plan(hz_component *c, const hz_schema *in, size_t **from, size_t *n);
#endif
