/* A bump allocator for field bytes: rows of a batch borrow from it and the
 * whole arena is reset at once, so the hot path never frees field by field. */
#ifndef HZ_ARENA_H
#define HZ_ARENA_H
#include <stddef.h>

typedef struct hz_arena_chunk hz_arena_chunk;
typedef struct hz_arena {
    hz_arena_chunk *head;  /* chunk being filled */
    hz_arena_chunk *spare; /* chunks kept for reuse after a reset */
    size_t chunk_size;
} hz_arena;

void hz_arena_init(hz_arena *a, size_t chunk_size);
/* n bytes aligned to 8, or NULL when memory is exhausted. */
void *hz_arena_alloc(hz_arena *a, size_t n);
/* Forget every allocation; keeps the regular chunks for reuse (one made
 * for a single allocation larger than chunk_size is freed). */
void hz_arena_reset(hz_arena *a);
void hz_arena_free(hz_arena *a);
#endif
