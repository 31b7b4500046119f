/* The csv plugin: an RFC 4180 source and a minimal-quoting sink. */
#ifndef HZ_CSV_PLUGIN_H
#define HZ_CSV_PLUGIN_H
#include <harmonize/plugin.h>

/* The host table, set once by the entry point. */

extern const hz_source_class csv_source_class;
extern const hz_sink_class csv_sink_class;

/* A single-byte option (delimiter, quote): "\t" may be written as the two
 * characters backslash and t.  Reports at the value and returns -1 if the
 * option is not exactly one byte, or is a line break. */
int csv_byte_option(hz_component *c, const char *name, unsigned char *out);

/* `path` as messages show it: relative to the pipeline's folder when it
 * lies there (as the user wrote it, and as rejects name feeds), else in
 * full.  Points into `path`. */
const char *csv_shown_path(hz_component *c, const char *path);
#endif
