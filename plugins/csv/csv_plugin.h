/* The csv plugin: an RFC 4180 source and a minimal-quoting sink. */
#ifndef HZ_CSV_PLUGIN_H
#define HZ_CSV_PLUGIN_H
#include <harmonize/plugin.h>

extern const hz_source_class csv_source_class;
extern const hz_sink_class csv_sink_class;

/* A single-byte option (delimiter, quote): "\t" may be written as the two
 * characters backslash and t.  Reports at the value and returns -1 if the
 * option is not exactly one byte, or is a line break. */
int csv_byte_option(hz_component *c, const char *name, unsigned char *out);
#endif
