/* row_spool.h - the rows of a sheet, kept in an anonymous file until every
 * row has arrived.  A column's type (number, date, text) and width depend
 * on all of its values, and libxlsxwriter's constant-memory mode wants
 * each row written once, in order: so the rows are written here first and
 * read back once, and memory stays the same whatever the size of the
 * sheet.  The file has no name (O_TMPFILE, or unlinked at once): nothing is
 * left behind whatever happens to the process. */
#ifndef WORKBOOK_ROW_SPOOL_H
#define WORKBOOK_ROW_SPOOL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct row_spool {
    FILE *f;
    size_t ncols;
    char *field; /* the field read last (replay) */
    size_t cap;  /* its allocated size */
} row_spool;

/* An empty spool in folder `dir`.  0, or -1 with errno set. */
int row_spool_open(row_spool *s, const char *dir, size_t ncols);

/* Append one field of the current row.  0, or -1 with errno set. */
int row_spool_put(row_spool *s, const char *p, size_t n);

/* Go back to the first field: replay starts.  0, or -1 with errno. */
int row_spool_rewind(row_spool *s);

/* The next field, in *p and *n (valid until the next call).  0, or -1
 * with errno set (a short file is EIO). */
int row_spool_get(row_spool *s, const char **p, size_t *n);

/* Close and forget the spool; safe again and on a spool never opened. */
void row_spool_close(row_spool *s);
#endif
