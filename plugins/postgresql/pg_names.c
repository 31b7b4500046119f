/* Names within PostgreSQL's limit (see pg_names.h). */
#include <stdio.h>
#include <string.h>

#include "pg_names.h"

/* The longest prefix of `name` of at most `max` bytes that does not end
 * inside a UTF-8 character: back off over continuation bytes (10xxxxxx)
 * at the cut.  `max` < strlen(name). */
static size_t cut_between_characters(const char *name, size_t max) {
    size_t k = max;
    while (k > 0 && ((unsigned char)name[k] & 0xC0) == 0x80) k--;
    return k;
}

size_t pg_name_kept(const char *name) {
    size_t n = strlen(name);
    return n <= PG_NAME_MAX ? n : cut_between_characters(name, PG_NAME_MAX);
}

uint64_t pg_name_hash(const char *name) {
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

char *pg_name_fit(char *name) {
    size_t n = strlen(name);
    if (n <= PG_NAME_MAX) return name;
    /* Fold the 64 bits into the 32 shown, so that every bit of the hash
     * counts. */
    uint64_t h = pg_name_hash(name);
    unsigned long folded = (unsigned long)((h ^ (h >> 32)) & UINT32_MAX);
    size_t k = cut_between_characters(name, PG_NAME_MAX - 1 - PG_NAME_HASH_DIGITS);
    snprintf(name + k, n + 1 - k, "_%08lx", folded);
    return name;
}
