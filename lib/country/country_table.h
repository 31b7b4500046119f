/* Inside the country matcher: the hash table from keys (country_key.h) to
 * what they mean.  Not part of the library's interface. */
#ifndef HZ_COUNTRY_TABLE_H
#define HZ_COUNTRY_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a key was claimed.  For one answer, a lower value is a better
 * explanation and wins (a table name over an alias of the same country). */
typedef enum hz_country_how {
    HZ_HOW_NAME,
    HZ_HOW_NAME_VARIANT,
    HZ_HOW_CODE,
    HZ_HOW_ALIAS,
    HZ_HOW_ALIAS_VARIANT,
    HZ_HOW_REFUSAL,
    HZ_HOW_MISSPELLING, /* a curated misspelling (misspellings.tsv) */
    HZ_HOW_CONFLICT     /* two answers claimed the key: refused as ambiguous */
} hz_country_how;

/* What claimed a key: a kind and an index (country row, alias row,
 * refusal row or pipeline alias), packed into hz_country_result.source. */
typedef enum hz_country_source_kind {
    HZ_SRC_NONE,
    HZ_SRC_ISO_NAME,
    HZ_SRC_IOM_NAME,
    HZ_SRC_SHORT_NAME,
    HZ_SRC_ALPHA2,
    HZ_SRC_ALPHA3,
    HZ_SRC_NUMERIC,
    HZ_SRC_ALIAS,
    HZ_SRC_REFUSAL,
    HZ_SRC_USER, /* a pipeline alias */
    HZ_SRC_EMPTY,
    HZ_SRC_NO_LETTERS,
    HZ_SRC_TOO_LONG,
    HZ_SRC_CONTROL,     /* a control character in the value */
    HZ_SRC_MISSPELLING, /* a row of misspellings.tsv */
    HZ_SRC_WILDCARD     /* U+FFFD: the names that fit, or none */
} hz_country_source_kind;

#define HZ_SOURCE(kind, index)  ((int32_t)((uint32_t)(kind) << 24 | (uint32_t)(index)))
#define HZ_SOURCE_KIND(source)  ((hz_country_source_kind)((uint32_t)(source) >> 24))
#define HZ_SOURCE_INDEX(source) ((size_t)((uint32_t)(source)&0xFFFFFF))

/* A text written with letters outside ASCII claimed the key (`Irã` for
 * "ira"): a short key reached by folding such letters may match it. */
#define HZ_ENTRY_FOLDED 1

typedef struct hz_country_entry {
    uint64_t hash;
    uint32_t key_off; /* in the table's key bytes */
    uint8_t key_len;  /* keys are at most HZ_COUNTRY_KEY_MAX (240) bytes */
    uint8_t flags;    /* HZ_ENTRY_* */
    uint8_t how;      /* hz_country_how */
    uint8_t status;   /* hz_country_status */
    int16_t country;
    int16_t other; /* HZ_HOW_CONFLICT: the second answer's country, or -1 */
    int32_t source;
} hz_country_entry;

typedef struct hz_country_table {
    hz_country_entry *slots; /* key_len 0: free */
    size_t mask;             /* slot count - 1 */
    size_t count;
    char *keys;
    size_t keys_len, keys_cap;
    size_t conflicts;
} hz_country_table;

int hz_country_table_init(hz_country_table *t, size_t expected);
void hz_country_table_free(hz_country_table *t);

uint64_t hz_country_hash(const char *p, size_t n);

const hz_country_entry *hz_country_table_find(const hz_country_table *t, const char *key, size_t len);

/* Claim `key` for `claim` (everything but hash and key position set).
 * Same answer as the key's current one: the better `how` stays.  Another
 * answer: when `replace` the claim takes the key over, otherwise the key
 * becomes a conflict.  Returns -1 when out of memory. */
int hz_country_table_claim(hz_country_table *t, const char *key, size_t len, const hz_country_entry *claim,
                           bool replace);

/* Whether two entries give the same answer (the same country, or the same
 * refusal). */
bool hz_country_same_answer(const hz_country_entry *a, const hz_country_entry *b);

#endif
