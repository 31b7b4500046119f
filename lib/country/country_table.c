/* The key table of the country matcher: open addressing, kept at most half
 * full, keys in one byte buffer (offsets, so the buffer may move). */
#include "country_table.h"

#include <stdlib.h>
#include <string.h>

#include "country_data.h"

/* Eight bytes at a time: names are short, and the cache hashes every
 * value of every row. */
uint64_t hz_country_hash(const char *p, size_t n) {
    const uint64_t k = 0x9E3779B97F4A7C15u;
    uint64_t h = 0x2545F4914F6CDD1Du ^ (n * k);
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, p, n);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    h *= k;
    return h ^ (h >> 32);
}

int hz_country_table_init(hz_country_table *t, size_t expected) {
    memset(t, 0, sizeof *t);
    size_t cap = 64;
    while (cap < 2 * expected) cap *= 2;
    t->slots = calloc(cap, sizeof *t->slots);
    if (!t->slots) return -1;
    t->mask = cap - 1;
    return 0;
}

void hz_country_table_free(hz_country_table *t) {
    free(t->slots);
    free(t->keys);
    memset(t, 0, sizeof *t);
}

static bool key_equal(const hz_country_table *t, const hz_country_entry *e, uint64_t h, const char *key,
                      size_t len) {
    return e->hash == h && e->key_len == len && !memcmp(t->keys + e->key_off, key, len);
}

const hz_country_entry *hz_country_table_find(const hz_country_table *t, const char *key, size_t len) {
    if (len == 0) return NULL;
    uint64_t h = hz_country_hash(key, len);
    for (size_t i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
        const hz_country_entry *e = &t->slots[i];
        if (!e->key_len) return NULL;
        if (key_equal(t, e, h, key, len)) return e;
    }
}

static hz_country_entry *slot_for(hz_country_table *t, uint64_t h, const char *key, size_t len) {
    for (size_t i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
        hz_country_entry *e = &t->slots[i];
        if (!e->key_len || key_equal(t, e, h, key, len)) return e;
    }
}

static int grow(hz_country_table *t) {
    size_t cap = 2 * (t->mask + 1);
    hz_country_entry *old = t->slots, *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    size_t old_cap = t->mask + 1;
    t->slots = slots;
    t->mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].key_len) continue;
        size_t j = (size_t)old[i].hash & t->mask;
        while (slots[j].key_len) j = (j + 1) & t->mask;
        slots[j] = old[i];
    }
    free(old);
    return 0;
}

static int store_key(hz_country_table *t, const char *key, size_t len, uint32_t *off) {
    if (t->keys_len + len > t->keys_cap) {
        size_t cap = t->keys_cap ? t->keys_cap : 16384;
        while (cap < t->keys_len + len) cap *= 2;
        char *keys = realloc(t->keys, cap);
        if (!keys) return -1;
        t->keys = keys;
        t->keys_cap = cap;
    }
    memcpy(t->keys + t->keys_len, key, len);
    *off = (uint32_t)t->keys_len;
    t->keys_len += len;
    return 0;
}

bool hz_country_same_answer(const hz_country_entry *a, const hz_country_entry *b) {
    if (a->how == HZ_HOW_CONFLICT || b->how == HZ_HOW_CONFLICT) return false;
    return a->status == b->status && a->country == b->country;
}

int hz_country_table_claim(hz_country_table *t, const char *key, size_t len, const hz_country_entry *claim,
                           bool replace) {
    if (len == 0 || len > UINT8_MAX) return 0;
    if (2 * (t->count + 1) > t->mask + 1 && grow(t) != 0) return -1;
    uint64_t h = hz_country_hash(key, len);
    hz_country_entry *e = slot_for(t, h, key, len);
    if (!e->key_len) {
        uint32_t off;
        if (store_key(t, key, len, &off) != 0) return -1;
        *e = *claim;
        e->hash = h;
        e->key_off = off;
        e->key_len = (uint8_t)len;
        t->count++;
        return 0;
    }
    if (hz_country_same_answer(e, claim)) {
        e->flags |= claim->flags;
        if (claim->how < e->how) {
            e->how = claim->how;
            e->source = claim->source;
        }
        return 0;
    }
    if (replace) {
        uint32_t off = e->key_off;
        *e = *claim;
        e->hash = h;
        e->key_off = off;
        e->key_len = (uint8_t)len;
        return 0;
    }
    if (e->how != HZ_HOW_CONFLICT) {
        t->conflicts++;
        e->other = claim->country >= 0 ? claim->country : e->other;
        e->how = HZ_HOW_CONFLICT;
        e->status = HZ_COUNTRY_AMBIGUOUS;
    }
    return 0;
}
