#include "arena.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

struct hz_arena_chunk {
    hz_arena_chunk *next;
    size_t size;
    size_t used;
    max_align_t data[];
};

void hz_arena_init(hz_arena *a, size_t chunk_size) {
    a->head = NULL;
    a->spare = NULL;
    a->chunk_size = chunk_size;
}

static hz_arena_chunk *chunk_new(size_t size) {
    hz_arena_chunk *c = malloc(sizeof *c + size);
    if (!c) return NULL;
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

void *hz_arena_alloc(hz_arena *a, size_t n) {
    /* No allocator can give more than PTRDIFF_MAX bytes; past it, rounding
     * up or adding the chunk header would wrap around to a small size. */
    if (n > (size_t)PTRDIFF_MAX - sizeof(hz_arena_chunk)) return NULL;
    n = (n + 7) & ~(size_t)7;
    if (!a->head || a->head->size - a->head->used < n) {
        hz_arena_chunk *c = NULL;
        /* Reuse a spare chunk when it is big enough: after the first few
         * batches a run allocates nothing. */
        if (a->spare && a->spare->size >= n) {
            c = a->spare;
            a->spare = c->next;
            c->used = 0;
        } else {
            c = chunk_new(n > a->chunk_size ? n : a->chunk_size);
            if (!c) return NULL;
        }
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)a->head->data + a->head->used;
    a->head->used += n;
    return p;
}

void hz_arena_reset(hz_arena *a) {
    while (a->head) {
        hz_arena_chunk *c = a->head;
        a->head = c->next;
        /* A chunk made for one large allocation is freed, not kept: only the
         * first spare is ever tried, so kept ones would pile up, one per
         * batch whose large field outgrew them, for the whole run. */
        if (c->size > a->chunk_size) {
            free(c);
            continue;
        }
        c->next = a->spare;
        a->spare = c;
    }
}

static void chain_free(hz_arena_chunk *c) {
    while (c) {
        hz_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
}

void hz_arena_free(hz_arena *a) {
    chain_free(a->head);
    chain_free(a->spare);
    a->head = a->spare = NULL;
}
