/* Counting unresolved spellings (see tally.h). */
#include "tally.h"

#include <stdlib.h>
#include <string.h>

#define TALLY_SLOTS (2 * TALLY_MAX_SPELLINGS)

int tally_init(tally *t) {
    memset(t, 0, sizeof *t);
    t->slots = calloc(TALLY_SLOTS, sizeof *t->slots);
    t->bytes = malloc(4096);
    t->bytes_cap = 4096;
    return t->slots && t->bytes ? 0 : -1;
}

void tally_free(tally *t) {
    free(t->slots);
    free(t->bytes);
    memset(t, 0, sizeof *t);
}

static uint64_t hash(size_t column, const char *p, size_t n) {
    uint64_t h = 14695981039346656037u ^ column;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211u;
    }
    return h;
}

static int keep_bytes(tally *t, const char *p, size_t n) {
    if (t->bytes_len + n > t->bytes_cap) {
        size_t cap = 2 * t->bytes_cap;
        while (cap < t->bytes_len + n) cap *= 2;
        char *b = realloc(t->bytes, cap);
        if (!b) return -1;
        t->bytes = b;
        t->bytes_cap = cap;
    }
    if (n) memcpy(t->bytes + t->bytes_len, p, n);
    t->bytes_len += n;
    return 0;
}

void tally_add(tally *t, size_t column, const char *text, size_t len, int status) {
    uint64_t h = hash(column, text, len);
    size_t i = (size_t)h % TALLY_SLOTS;
    for (;; i = (i + 1) % TALLY_SLOTS) {
        tally_entry *e = &t->slots[i];
        if (!e->used) break;
        if (e->hash == h && e->column == column && e->len == len && !memcmp(t->bytes + e->off, text, len)) {
            e->rows++;
            return;
        }
    }
    size_t off = t->bytes_len;
    if (t->count == TALLY_MAX_SPELLINGS || len > UINT32_MAX || keep_bytes(t, text, len) != 0) {
        t->untracked_rows++;
        return;
    }
    t->slots[i] = (tally_entry){h, 1, (uint32_t)off, (uint32_t)len, (uint16_t)column, (uint8_t)status, 1};
    t->count++;
}

static int by_rows(const void *a, const void *b) {
    const tally_item *x = a, *y = b;
    if (x->rows != y->rows) return x->rows > y->rows ? -1 : 1;
    if (x->column != y->column) return x->column < y->column ? -1 : 1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(x->text, y->text, n) : 0;
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

tally_item *tally_sorted(const tally *t, size_t *n) {
    *n = 0;
    if (!t->count) return NULL;
    tally_item *v = malloc(t->count * sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < TALLY_SLOTS; i++) {
        const tally_entry *e = &t->slots[i];
        if (e->used) v[(*n)++] = (tally_item){t->bytes + e->off, e->len, e->column, e->status, e->rows};
    }
    qsort(v, *n, sizeof *v, by_rows);
    return v;
}
