/* Rows in COPY's text format: fields separated by tabs, rows ended by a
 * line feed, NULL written \N, and backslash, tab, line feed and carriage
 * return escaped, so any UTF-8 text goes through unchanged. */
#ifndef HZ_PG_COPY_H
#define HZ_PG_COPY_H
#include <stdbool.h>
#include <stddef.h>

#include <support/hzs_buf.h>

/* Append one field (`null`: SQL NULL; otherwise n bytes at p, maybe 0),
 * preceded by a tab unless `first`. */
void pg_copy_field(hzs_buf *b, bool first, bool null, const char *p, size_t n);
/* End the row. */
void pg_copy_end_row(hzs_buf *b);
#endif
