#include "batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

typedef struct batch_core {
    hz_arena arena;
    size_t allocated_rows;
} batch_core;

/* Field bytes of one batch: about 100 bytes a row for typical case data. */
#define ARENA_CHUNK (256 * 1024)

static void out_of_memory(void) {
    /* There is no sane way to go on without memory for the rows in
     * flight; the run fails rather than dropping data. */
    fputs("harmonize: out of memory\n", stderr);
    abort();
}

hz_batch *hz_batch_new(size_t ncols, size_t capacity) {
    hz_batch *b = calloc(1, sizeof *b);
    batch_core *core = calloc(1, sizeof *core);
    if (!b || !core) out_of_memory();
    hz_arena_init(&core->arena, ARENA_CHUNK);
    b->core = core;
    b->ncols = ncols;
    b->capacity = capacity ? capacity : HZ_BATCH_ROWS;
    core->allocated_rows = b->capacity;
    b->fields = calloc(core->allocated_rows * (ncols ? ncols : 1), sizeof *b->fields);
    b->origins = calloc(core->allocated_rows, sizeof *b->origins);
    if (!b->fields || !b->origins) out_of_memory();
    return b;
}

void hz_batch_free(hz_batch *b) {
    if (!b) return;
    batch_core *core = b->core;
    hz_arena_free(&core->arena);
    free(core);
    free(b->fields);
    free(b->origins);
    free(b);
}

void hz_batch_reset(hz_batch *b) {
    b->nrows = 0;
    hz_arena_reset(&((batch_core *)b->core)->arena);
}

/* Rare (a source going past capacity): kept out of line, so that
 * hz_batch_add_row() needs no stack frame. */
#if defined(__GNUC__)
#define BATCH_COLD __attribute__((noinline, cold))
#else
#define BATCH_COLD
#endif
static BATCH_COLD void grow(hz_batch *b) {
    batch_core *core = b->core;
    size_t rows = core->allocated_rows * 2;
    size_t ncols = b->ncols ? b->ncols : 1;
    hz_field *fields = realloc(b->fields, rows * ncols * sizeof *fields);
    hz_origin *origins = realloc(b->origins, rows * sizeof *origins);
    if (!fields || !origins) out_of_memory();
    b->fields = fields;
    b->origins = origins;
    core->allocated_rows = rows;
}

hz_field *hz_batch_add_row(hz_batch *b, hz_origin origin) {
    batch_core *core = b->core;
    if (b->nrows == core->allocated_rows) grow(b);
    size_t r = b->nrows++;
    b->origins[r] = origin;
    /* memset returns the row: a tail call, once per row of every source */
    return memset(b->fields + r * b->ncols, 0, b->ncols * sizeof *b->fields);
}

char *hz_batch_alloc(hz_batch *b, size_t n) {
    char *p = hz_arena_alloc(&((batch_core *)b->core)->arena, n ? n : 1);
    if (!p) out_of_memory();
    return p;
}

const char *hz_batch_copy(hz_batch *b, const char *p, size_t n) {
    char *q = hz_batch_alloc(b, n);
    if (n) memcpy(q, p, n);
    return q;
}
