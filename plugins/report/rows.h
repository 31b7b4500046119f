/* rows.h - the rows a report keeps of one input: only the columns its
 * sections read, only the rows some section shows, and at most `max`
 * of them (the report's tables are aggregates: a few hundred rows), so
 * that memory stays bounded whatever flows in. */
#ifndef REPORT_ROWS_H
#define REPORT_ROWS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <harmonize/plugin.h>

typedef struct row_store {
    size_t ncols; /* kept columns per row */
    size_t *from; /* kept column k is column from[k] of the input */
    size_t nrows, cap;
    char **cells; /* nrows * ncols NUL-terminated copies */
    hz_origin *origins;
} row_store;

/* Keep row `r` of `b`'s kept columns (copies). */
void rows_add(row_store *s, const hz_batch *b, size_t r);

/* Row i's cells, by slot. */
static inline const char *const *rows_get(const row_store *s, size_t i) {
    return (const char *const *)s->cells + i * s->ncols;
}

void rows_free(row_store *s);

/* Forget the last row kept (one no section shows after all). */
void rows_pop(row_store *s);
#endif
