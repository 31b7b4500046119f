/* Rows in COPY's text format: fields separated by tabs, rows ended by a
 * line feed, NULL written \N, and backslash, tab, line feed and carriage
 * return escaped, so any UTF-8 text goes through unchanged. */
#ifndef HZ_PG_COPY_H
#define HZ_PG_COPY_H
#include <stdbool.h>
#include <stddef.h>

typedef struct pg_copy_buf {
    char *data;
    size_t len, cap;
} pg_copy_buf;

/* Append one field (`null`: SQL NULL; otherwise n bytes at p, maybe 0),
 * preceded by a tab unless `first`.  0, or -1 when memory runs out. */
int pg_copy_field(pg_copy_buf *b, bool first, bool null, const char *p, size_t n);
/* End the row. */
int pg_copy_end_row(pg_copy_buf *b);
void pg_copy_free(pg_copy_buf *b);
#endif
