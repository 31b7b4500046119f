/* hzs_keytable.h - a hash table of byte-string keys, each with a fixed-size
 * payload.  Header-only on purpose: the merge and aggregate plugins both
 * compile it in (plugins/transform_aggregate includes it from here), and
 * nothing of it is exported, so the two stay independent shared objects.
 *
 * Memory grows with the number of keys and their bytes, never with the
 * number of rows read:
 *   - a key and its payload are one bump allocation in an arena of 1 MiB
 *     blocks (the payload first, 8-aligned, then the key's length as a
 *     LEB128 varint, then its bytes), so adding a key is no malloc;
 *   - the entry array holds one pointer per key;
 *   - the slot array (open addressing, linear probing, at most 3/4 full)
 *     packs in 8 bytes the high half of the key's 64-bit hash (its tag)
 *     and the entry index + 1.  Positions come from the tag, so growing
 *     the table never rehashes key bytes.
 * The hash only locates a key; its bytes decide equality, so two
 * different keys are never taken for one another whatever the hash does. */
#ifndef HZ_KEYTABLE_H
#define HZ_KEYTABLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <harmonize/plugin.h>

#define KT_NONE       ((size_t)-1)
#define KT_BLOCK_SIZE ((size_t)1 << 20)
#define KT_MAX_KEYS   ((size_t)UINT32_MAX - 1)

/* ------------------------------------------------------------------ */
/* Hashing: XXH64's short-input rounds applied to every length (one    */
/* multiply-rotate per 8 bytes) and its avalanche.  Good spread, no    */
/* dependency; values are used in memory only, never written out.      */

#define KT_P1 0x9E3779B185EBCA87ULL
#define KT_P2 0xC2B2AE3D27D4EB4FULL
#define KT_P3 0x165667B19E3779F9ULL
#define KT_P4 0x85EBCA77C2B2AE63ULL
#define KT_P5 0x27D4EB2F165667C5ULL

static inline uint64_t kt_rotl(uint64_t x, int r) {
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t kt_hash(const void *data, size_t n, uint64_t seed) {
    const unsigned char *p = data;
    uint64_t h = seed + KT_P5 + (uint64_t)n;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t k;
        memcpy(&k, p, 8);
        k = kt_rotl(k * KT_P2, 31) * KT_P1;
        h = kt_rotl(h ^ k, 27) * KT_P1 + KT_P4;
    }
    if (n >= 4) {
        uint32_t k;
        memcpy(&k, p, 4);
        h = kt_rotl(h ^ (uint64_t)k * KT_P1, 23) * KT_P2 + KT_P3;
        p += 4;
        n -= 4;
    }
    for (; n; p++, n--) h = kt_rotl(h ^ *p * KT_P5, 11) * KT_P1;
    h ^= h >> 33;
    h *= KT_P2;
    h ^= h >> 29;
    h *= KT_P3;
    h ^= h >> 32;
    return h;
}

/* Fold one more 64-bit hash into a running one (order matters). */
static inline uint64_t kt_combine(uint64_t acc, uint64_t h) {
    return kt_rotl(acc ^ (h * KT_P2), 31) * KT_P1 + KT_P4;
}

/* ------------------------------------------------------------------ */
/* LEB128 lengths: one byte for a field shorter than 128 bytes.  A key  */
/* of several fields is their length-prefixed concatenation, so         */
/* ("ab","c") and ("a","bc") are different keys.                        */

#define KT_VARINT_MAX 10

static inline size_t kt_put_varint(unsigned char *out, uint64_t v) {
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (unsigned char)v;
    return n;
}

static inline const unsigned char *kt_get_varint(const unsigned char *p, uint64_t *v) {
    uint64_t x = 0;
    int shift = 0;
    while (*p & 0x80) {
        x |= (uint64_t)(*p++ & 0x7f) << shift;
        shift += 7;
    }
    *v = x | (uint64_t)*p++ << shift;
    return p;
}

/* ------------------------------------------------------------------ */
/* The table.                                                          */

typedef struct kt_block {
    struct kt_block *next;
    size_t size, used;
    uint64_t data[]; /* 8-aligned payloads */
} kt_block;

typedef struct keytable {
    uint64_t *slots;         /* tag << 32 | (index + 1); 0 is free */
    size_t mask;             /* slots - 1 (a power of two minus one) */
    unsigned char **entries; /* per key: payload, varint length, bytes */
    size_t count, cap;
    size_t payload;  /* bytes of payload per key, a multiple of 8 */
    kt_block *block; /* the block being filled; older ones follow */
    size_t bytes;    /* memory held, for budgets and reports */
} keytable;

static inline void kt_init(keytable *t, size_t payload) {
    memset(t, 0, sizeof *t);
    t->payload = (payload + 7) & ~(size_t)7;
}

static inline void kt_free(keytable *t) {
    for (kt_block *b = t->block, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(t->slots);
    free(t->entries);
    kt_init(t, t->payload);
}

static inline unsigned char *kt_alloc(keytable *t, size_t n) {
    n = (n + 7) & ~(size_t)7;
    if (!t->block || t->block->size - t->block->used < n) {
        size_t size = n > KT_BLOCK_SIZE ? n : KT_BLOCK_SIZE;
        kt_block *b = hz->xmalloc(sizeof *b + size);
        b->next = t->block;
        b->size = size;
        b->used = 0;
        t->block = b;
        t->bytes += sizeof *b + size;
    }
    unsigned char *p = (unsigned char *)t->block->data + t->block->used;
    t->block->used += n;
    return p;
}

static inline void *kt_payload(const keytable *t, size_t i) {
    return t->entries[i];
}

/* Key i's bytes and length. */
static inline const unsigned char *kt_key(const keytable *t, size_t i, size_t *len) {
    uint64_t n;
    const unsigned char *p = kt_get_varint(t->entries[i] + t->payload, &n);
    *len = (size_t)n;
    return p;
}

static inline void kt_grow_slots(keytable *t) {
    size_t n = t->slots ? (t->mask + 1) * 2 : 64;
    uint64_t *slots = hz->xcalloc(n, sizeof *slots);
    for (size_t i = 0; t->slots && i <= t->mask; i++) {
        uint64_t s = t->slots[i];
        if (!s) continue;
        size_t pos = (size_t)(s >> 32) & (n - 1);
        while (slots[pos]) pos = (pos + 1) & (n - 1);
        slots[pos] = s;
    }
    t->bytes += n * sizeof *slots - (t->slots ? (t->mask + 1) * sizeof *slots : 0);
    free(t->slots);
    t->slots = slots;
    t->mask = n - 1;
}

/* Index of the key, or KT_NONE.  With `add`, a missing key is added (its
 * payload zeroed) and *added set; KT_NONE then means the table holds
 * KT_MAX_KEYS keys already. */
static inline size_t kt_lookup(keytable *t, const void *key, size_t len, uint64_t hash, bool add,
                               bool *added) {
    if (added) *added = false;
    if (add && (t->count + 1) * 4 > (t->slots ? t->mask + 1 : 0) * 3) kt_grow_slots(t);
    if (!t->slots) return KT_NONE;
    uint32_t tag = (uint32_t)(hash >> 32);
    size_t pos = tag & t->mask;
    for (;; pos = (pos + 1) & t->mask) {
        uint64_t s = t->slots[pos];
        if (!s) break;
        if ((uint32_t)(s >> 32) != tag) continue;
        size_t i = (size_t)(uint32_t)s - 1, klen;
        const unsigned char *k = kt_key(t, i, &klen);
        if (klen == len && (len == 0 || memcmp(k, key, len) == 0)) return i;
    }
    if (!add || t->count >= KT_MAX_KEYS) return KT_NONE;
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        unsigned char **e = hz->xrealloc(t->entries, cap * sizeof *e);
        t->bytes += (cap - t->cap) * sizeof *e;
        t->entries = e;
        t->cap = cap;
    }
    unsigned char lenbuf[KT_VARINT_MAX];
    size_t lenlen = kt_put_varint(lenbuf, len);
    unsigned char *p = kt_alloc(t, t->payload + lenlen + len);
    memset(p, 0, t->payload);
    memcpy(p + t->payload, lenbuf, lenlen);
    if (len) memcpy(p + t->payload + lenlen, key, len);
    t->entries[t->count] = p;
    t->slots[pos] = (uint64_t)tag << 32 | (uint64_t)(t->count + 1);
    if (added) *added = true;
    return t->count++;
}

/* Stable merge sort of `n` indices with a comparison that takes a
 * context: C11 has no qsort_r, and a stable sort keeps equal rows in the
 * order they were given.  `tmp` holds n indices. */
typedef int (*kt_cmp)(const void *ctx, size_t a, size_t b);

static inline void kt_sort(size_t *idx, size_t *tmp, size_t n, kt_cmp cmp, const void *ctx) {
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = cmp(ctx, idx[j], idx[i]) < 0 ? idx[j++] : idx[i++];
            while (i < mid) tmp[k++] = idx[i++];
            while (j < hi) tmp[k++] = idx[j++];
        }
        memcpy(idx, tmp, n * sizeof *idx);
    }
}

/* Compare two length-prefixed field lists bytewise, field by field (a
 * field that is a prefix of the other sorts first).  `skip` is a field
 * to leave out, or a number past the last. */
static inline int kt_compare_fields(const unsigned char *a, const unsigned char *b, size_t nfields,
                                    size_t skip) {
    for (size_t f = 0; f < nfields; f++) {
        uint64_t la, lb;
        a = kt_get_varint(a, &la);
        b = kt_get_varint(b, &lb);
        if (f != skip) {
            size_t m = la < lb ? (size_t)la : (size_t)lb;
            int c = m ? memcmp(a, b, m) : 0;
            if (c) return c;
            if (la != lb) return la < lb ? -1 : 1;
        }
        a += la;
        b += lb;
    }
    return 0;
}
#endif
