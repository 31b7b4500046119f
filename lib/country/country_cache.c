/* The lookup cache: raw bytes -> result, so a feed that writes `Guinea` a
 * million times normalizes it once.  Bounded: when the slots are half full
 * or the byte store is full, everything is dropped and filling starts over
 * (a country column has a few hundred spellings; only garbage overflows). */
#include <stdlib.h>
#include <string.h>

#include "country_internal.h"

int hz_country_cache_init(hz_country_cache *c) {
    c->slots = calloc(HZ_COUNTRY_CACHE_SLOTS, sizeof *c->slots);
    c->bytes = malloc(HZ_COUNTRY_CACHE_BYTES);
    c->count = c->bytes_len = 0;
    return c->slots && c->bytes ? 0 : -1;
}

void hz_country_cache_free(hz_country_cache *c) {
    free(c->slots);
    free(c->bytes);
    c->slots = NULL;
    c->bytes = NULL;
}

const hz_country_result *hz_country_cache_get(const hz_country_cache *c, uint64_t hash, const char *text,
                                              size_t len) {
    const size_t mask = HZ_COUNTRY_CACHE_SLOTS - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        const hz_country_cache_slot *s = &c->slots[i];
        if (!s->used) return NULL;
        if (s->hash == hash && s->len == len && !memcmp(c->bytes + s->off, text, len)) return &s->result;
    }
}

void hz_country_cache_put(hz_country_cache *c, uint64_t hash, const char *text, size_t len,
                          const hz_country_result *r) {
    if (len > HZ_COUNTRY_CACHE_VALUE_MAX) return;
    if (2 * (c->count + 1) > HZ_COUNTRY_CACHE_SLOTS || c->bytes_len + len > HZ_COUNTRY_CACHE_BYTES) {
        memset(c->slots, 0, HZ_COUNTRY_CACHE_SLOTS * sizeof *c->slots);
        c->count = c->bytes_len = 0;
    }
    const size_t mask = HZ_COUNTRY_CACHE_SLOTS - 1;
    size_t i = (size_t)hash & mask;
    while (c->slots[i].used) i = (i + 1) & mask;
    memcpy(c->bytes + c->bytes_len, text, len);
    c->slots[i] = (hz_country_cache_slot){hash, (uint32_t)c->bytes_len, (uint16_t)len, 1, *r};
    c->bytes_len += len;
    c->count++;
}
