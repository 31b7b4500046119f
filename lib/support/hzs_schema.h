/* hzs_schema.h - planning the columns of a transform that keeps its
 * input's columns and changes or adds some (date, int, map, bucket, set). */
#ifndef HZS_SCHEMA_H
#define HZS_SCHEMA_H
#include <harmonize/plugin.h>

/* The input column that the string option `option` names: its index, or
 * -1 after reporting it missing (at the option, with the columns there
 * are). */
long hzs_schema_input(hz_component *c, const hz_schema *in, const char *option);

/* Declare every column of `in` in `out`, in order.  0, or -1 after
 * reporting. */
int hzs_schema_copy(hz_component *c, const hz_schema *in, hz_schema *out);

/* The output column `name` (written at `at`): the column of that name in
 * `out`, which is then overwritten, or else a new one added at its end.
 * Its index, or -1 after reporting. */
long hzs_schema_output(hz_component *c, hz_schema *out, const char *name, const hz_value *at);
#endif
