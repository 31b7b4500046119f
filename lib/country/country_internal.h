/* Inside the country matcher: its state, shared by the files that build,
 * look up, cache and explain.  Not part of the library's interface. */
#ifndef HZ_COUNTRY_INTERNAL_H
#define HZ_COUNTRY_INTERNAL_H

#include "country_data.h"
#include "country_key.h"
#include "country_table.h"
#include "hz_country.h"

#if defined(__GNUC__)
#define HZ_COUNTRY_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define HZ_COUNTRY_PRINTF(fmt, args)
#endif

/* Inputs longer than this cannot be a country name (keys are at most
 * HZ_COUNTRY_KEY_MAX bytes of folded text): unknown without a look. */
#define HZ_COUNTRY_INPUT_MAX 1024

/* Cache bounds: slots (a power of two, kept at most half full), and bytes
 * of raw input kept; when either fills up the cache starts over.  Inputs
 * longer than HZ_COUNTRY_CACHE_VALUE_MAX are not cached. */
#define HZ_COUNTRY_CACHE_SLOTS     32768
#define HZ_COUNTRY_CACHE_BYTES     (512 * 1024)
#define HZ_COUNTRY_CACHE_VALUE_MAX 256

typedef struct hz_country_cache_slot {
    uint64_t hash;
    uint32_t off;
    uint16_t len;
    uint16_t used;
    hz_country_result result;
} hz_country_cache_slot;

typedef struct hz_country_cache {
    hz_country_cache_slot *slots;
    size_t count;
    char *bytes;
    size_t bytes_len;
} hz_country_cache;

int hz_country_cache_init(hz_country_cache *c);
void hz_country_cache_free(hz_country_cache *c);
/* The cached result of these raw bytes, or NULL. */
const hz_country_result *hz_country_cache_get(const hz_country_cache *c, uint64_t hash, const char *text,
                                              size_t len);
void hz_country_cache_put(hz_country_cache *c, uint64_t hash, const char *text, size_t len,
                          const hz_country_result *r);

/* A pipeline's alias, kept for the messages of later contradictions. */
typedef struct hz_country_user_alias {
    char *text;
    char *origin;
    int16_t country;
} hz_country_user_alias;

/* What explain() records while a lookup runs. */
typedef struct hz_country_trace {
    bool on;
    char key[512]; /* the keys tried or matched, " | " between parts */
    size_t key_len;
    char repaired[HZ_COUNTRY_INPUT_MAX + 1]; /* the text after a repair */
    size_t repaired_len;
} hz_country_trace;

/* One name of the table reduced to its core (country_form.c): the name
 * without the words of a state's form, and those words as a set. */
typedef struct hz_country_core {
    char *text;
    size_t len;
    uint32_t form;
    int16_t country; /* -1: a refusal */
    uint8_t status;
    int32_t source;
} hz_country_core;

typedef struct hz_country_forms {
    hz_country_core *cores; /* sorted by core */
    size_t count, cap;
    uint32_t *country_forms; /* per country: the form words of all its names */
} hz_country_forms;

int hz_country_forms_build(hz_country_forms *f);
void hz_country_forms_free(hz_country_forms *f);

#define HZ_COUNTRY_LATIN_WORDS (0x800 / 64)

/* Per country, the letters outside ASCII its names use, lower-cased and
 * sorted (country_letters.c). */
typedef struct hz_country_letters {
    int32_t **sets;
    size_t *counts;
    uint64_t (*latin)[HZ_COUNTRY_LATIN_WORDS]; /* per country: its letters below U+0800, both cases */
} hz_country_letters;

int hz_country_letters_build(hz_country_letters *l);
void hz_country_letters_free(hz_country_letters *l);
/* Whether every letter outside ASCII of `text` (lower-cased) is one the
 * names of `country` use; true for ASCII text. */
bool hz_country_letters_fit(const hz_country_letters *l, int country, const char *text, size_t len);

struct hz_country_matcher {
    hz_country_forms forms;
    hz_country_letters letters;
    hz_kosovo_policy kosovo;
    hz_names_policy names;
    hz_country_table table;
    int16_t xkx, srb;
    hz_country_user_alias *user;
    size_t nuser;
    hz_country_cache cache;
    uint64_t hits, lookups;
    hz_country_trace trace;
    /* Scratch for repairs: a Windows-1252 decoding triples the size. */
    char decoded[3 * HZ_COUNTRY_INPUT_MAX];
    char unmojibaked[2][3 * HZ_COUNTRY_INPUT_MAX];
};

/* Build the key table from the generated data (country_build.c). */
int hz_country_build(hz_country_matcher *m);

/* A lookup without the cache (country_matcher.c). */
void hz_country_lookup(hz_country_matcher *m, const char *text, size_t len, hz_country_result *r);

/* An official form around a name of the table (country_form.c). */
bool hz_country_match_form(hz_country_matcher *m, const hz_country_keys *k, hz_country_result *r);

/* Append to the trace's key text when tracing. */
void hz_country_trace_key(hz_country_matcher *m, const char *prefix, const char *key, size_t len);

#endif
