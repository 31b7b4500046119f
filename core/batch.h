/* Batches: the core side of hz_batch (allocation, growth, reset). */
#ifndef HZ_BATCH_H
#define HZ_BATCH_H
#include <harmonize/plugin.h>

/* Rows per batch: large enough to amortize a call per batch, small
 * enough that a batch of field views stays in the CPU cache. */
#define HZ_BATCH_ROWS 1024

hz_batch *hz_batch_new(size_t ncols, size_t capacity);
void hz_batch_free(hz_batch *b);
/* Drop all rows and their bytes; keeps the memory. */
void hz_batch_reset(hz_batch *b);
hz_field *hz_batch_add_row(hz_batch *b, hz_origin origin);
char *hz_batch_alloc(hz_batch *b, size_t n);
/* A copy of the bytes, owned by the batch. */
const char *hz_batch_copy(hz_batch *b, const char *p, size_t n);
#endif
