/* The rows kept of one input (see rows.h). */
#include "rows.h"

#include <stdlib.h>
#include <string.h>

#include <support/hzs_buf.h>

void rows_add(row_store *s, const hz_batch *b, size_t r) {
    if (s->nrows == s->cap) {
        size_t cap = s->cap;
        s->origins = hzs_grow(s->origins, &cap, s->nrows + 1, sizeof *s->origins);
        s->cells = hz->xrealloc(s->cells, cap * (s->ncols ? s->ncols : 1) * sizeof *s->cells);
        s->cap = cap;
    }
    const hz_field *row = b->fields + r * b->ncols;
    char **out = s->cells + s->nrows * s->ncols;
    for (size_t k = 0; k < s->ncols; k++) {
        const hz_field *f = &row[s->from[k]];
        out[k] = hz->xmalloc(f->len + 1);
        if (f->len) memcpy(out[k], f->ptr, f->len);
        out[k][f->len] = 0;
    }
    s->origins[s->nrows++] = b->origins[r];
}

void rows_free(row_store *s) {
    for (size_t i = 0; i < s->nrows * s->ncols; i++) free(s->cells[i]);
    free(s->cells);
    free(s->origins);
    free(s->from);
    memset(s, 0, sizeof *s);
}

void rows_pop(row_store *s) {
    if (!s->nrows) return;
    s->nrows--;
    for (size_t k = 0; k < s->ncols; k++) free(s->cells[s->nrows * s->ncols + k]);
}
