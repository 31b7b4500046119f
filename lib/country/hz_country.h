/* hz_country.h - the country library's one public header: the reference
 * table of countries (data/countries, compiled in) and the matcher.
 * Its users (the country plugin, `harmonize country`) include this header
 * only, as "country/hz_country.h" with -I lib, and link
 * lib/country/libhzcountry.la; the other headers of lib/country are the
 * library's own.
 *
 * The country matcher: one spelling of a country in, its row of the
 * reference table (or a refusal with its reason) out.  Deterministic and
 * explainable: normalize (country_key.h), repair broken encodings
 * (country_repair.h), look up; no edit distance, no guessing.
 *
 * Order of the attempts, the first that answers wins:
 *   0. a value holding a control character (C0 but tab, DEL) is
 *      not_a_country; footnote marks at its end are set aside (`*`, `†`,
 *      `¹`, `(1)`, `a/`), unless what is left is code-shaped; a value
 *      holding U+FFFD is compared with every name of the table instead
 *      (each U+FFFD one character: one country fits, or ambiguous);
 *   1. a code (alpha-2, alpha-3, numeric with or without leading zeros,
 *      or a code alias such as UK or XK) when the text, spaces and tabs
 *      around it aside, is code-shaped;
 *   2. the direct key, then the variant key, against the table's names,
 *      aliases, refusals and curated misspellings (`N.` tried as North,
 *      then New, then Northern), then an official form around a name
 *      (`Royaume du Maroc`); short keys, odd case and accents no name of
 *      the country has are guarded against (country_matcher.c);
 *   3. a Kosovo notation: `Kosovo` with nothing around it but a reference to
 *      resolution 1244, in English, French or Spanish (`Kosovo (UNSCR
 *      1244/99)`, `Kosovo (RCSNU 1244)`);
 *   4. parts: text cut at `/`, `\`, `;`, `|`, `+`, a comma, a spaced hyphen,
 *      an en or em dash, or a trailing bracket (`Afghanistan (AFG)`,
 *      `Serbia/Kosovo`, `Germany, France`): all parts meaning one country
 *      (under the Kosovo policy) give that country, parts meaning two
 *      countries give ambiguous_country, anything else is unknown;
 *   5. mojibake: UTF-8 read as Windows-1252 or Latin-1, undone once, then
 *      twice, and steps 0-4 again.
 * Input that is not valid UTF-8 is first decoded as Windows-1252.
 *
 * Results of repeated inputs come from a cache (raw bytes -> result) of
 * bounded size.  A matcher is not thread-safe; use one per thread. */
#ifndef HZ_COUNTRY_H
#define HZ_COUNTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The IOM regional-office groupings of the Key Highlights (not UN M49). */
typedef enum hz_region {
    HZ_REGION_ASIA_PACIFIC,
    HZ_REGION_CNA_CARIBBEAN,
    HZ_REGION_EAST_HORN_AFRICA,
    HZ_REGION_EEA,
    HZ_REGION_MENA,
    HZ_REGION_SOUTH_AMERICA,
    HZ_REGION_SEEECA,
    HZ_REGION_SOUTHERN_AFRICA,
    HZ_REGION_WEST_CENTRAL_AFRICA,
    HZ_REGION_COUNT
} hz_region;

/* One row of countries.tsv.  `numeric` is "" for Kosovo. */
typedef struct hz_country {
    const char *alpha2;
    const char *alpha3;
    const char *numeric;
    const char *iso_name;
    const char *iom_name;
    const char *short_name;
    hz_region region;
} hz_country;

/* What a lookup concluded; refusal rows carry one of the two refusals. */
typedef enum hz_country_status {
    HZ_COUNTRY_FOUND,
    HZ_COUNTRY_AMBIGUOUS,     /* could mean two or more countries */
    HZ_COUNTRY_NOT_A_COUNTRY, /* a region, a status, a missing-value marker */
    HZ_COUNTRY_UNKNOWN        /* nothing in the table */
} hz_country_status;

/* The reference table: its version, its rows (countries.tsv, indexed by
 * hz_country_result.country), and how many aliases and refusals it holds. */
extern const char hz_country_data_version[];
extern const hz_country hz_country_rows[];
extern const size_t hz_country_row_count;
extern const size_t hz_country_alias_row_count;
extern const size_t hz_country_refusal_row_count;
/* The curated misspellings (data/countries/misspellings.tsv): version, rows. */
extern const char hz_country_misspellings_version[];
extern const size_t hz_country_misspelling_row_count;

typedef enum hz_kosovo_policy {
    HZ_KOSOVO_SEPARATE, /* XKX, `Kosovo*`, with the footnote */
    HZ_KOSOVO_SERBIA    /* counted under SRB, as UN statistics do */
} hz_kosovo_policy;

typedef enum hz_names_policy {
    HZ_NAMES_IOM,  /* house style: `Niger (the)`, `Türkiye`, `Kosovo*` */
    HZ_NAMES_ISO,  /* ISO 3166-1 short name */
    HZ_NAMES_SHORT /* everyday short name: `Niger`, `Iran`, `DR Congo` */
} hz_names_policy;

/* How a country was found. */
typedef enum hz_country_rule {
    HZ_RULE_NONE,        /* a refusal or unknown */
    HZ_RULE_EXACT,       /* one of the table's own names */
    HZ_RULE_ARTICLE,     /* a table name once article and comma order are set aside */
    HZ_RULE_ALIAS,       /* an alias (aliases.tsv, or the pipeline's) */
    HZ_RULE_CODE,        /* a code */
    HZ_RULE_NOTATION,    /* a Kosovo notation */
    HZ_RULE_PARTS,       /* every part of the text means the same country */
    HZ_RULE_MISSPELLING, /* a curated misspelling (data/countries/misspellings.tsv) */
    HZ_RULE_WILDCARD,    /* U+FFFD for lost characters: one country's names fit */
    HZ_RULE_FORM         /* an official form around a name of the table */
} hz_country_rule;

typedef enum hz_country_repair {
    HZ_REPAIR_NONE,
    HZ_REPAIR_MOJIBAKE, /* UTF-8 read as Windows-1252/Latin-1, undone */
    HZ_REPAIR_CP1252    /* Windows-1252 bytes decoded */
} hz_country_repair;

/* The outcome of one lookup.  `country` is the table row that matched
 * (before the Kosovo policy: Kosovo stays XKX here, the accessors below
 * apply the policy); -1 for a refusal.  For an ambiguity between two rows
 * (parts meaning different countries) `country` and `other` are both set.
 * `source` identifies what matched, for explanations. */
typedef struct hz_country_result {
    uint8_t status; /* hz_country_status */
    uint8_t rule;   /* hz_country_rule */
    uint8_t repair; /* hz_country_repair */
    int16_t country;
    int16_t other;
    int32_t source;
} hz_country_result;

typedef struct hz_country_matcher hz_country_matcher;

/* A matcher with the reference table loaded.  NULL when out of memory. */
hz_country_matcher *hz_country_matcher_new(hz_kosovo_policy kosovo, hz_names_policy names);
void hz_country_matcher_free(hz_country_matcher *m);

/* Add a pipeline's alias: `text` means the country whose alpha-3 is
 * `iso3` (in any case).  `origin` ("aliases.tsv:12") is copied and quoted when a later
 * alias contradicts this one.  An alias may repeat what the table says,
 * and may settle a name the table refuses as ambiguous (`Korea` -> KOR for
 * an office whose feed means the South); it may not give a name or code
 * another country, nor make a country of what the table says is none.
 * Returns 0, or -1 with the reason in `why` (NUL-terminated, cut to cap). */
int hz_country_matcher_add_alias(hz_country_matcher *m, const char *text, size_t len, const char *iso3,
                                 const char *origin, char *why, size_t cap);

/* Add the aliases of a file: UTF-8, one `alias<TAB>iso3[<TAB>note]` per
 * line, `#` comments and blank lines ignored (and a header
 * `alias<TAB>iso3` before the first alias).  Every problem is passed to `report` as
 * "NAME:LINE: message", NAME being `name` (the path as the user wrote it).
 * Returns the number of problems, or -1 when the file cannot be read
 * (reported too). */
typedef void (*hz_country_report_fn)(void *ctx, const char *message);
int hz_country_matcher_load_aliases(hz_country_matcher *m, const char *path, const char *name,
                                    hz_country_report_fn report, void *ctx);

/* Look up `len` bytes (any bytes: invalid UTF-8 is decoded as
 * Windows-1252). */
void hz_country_match(hz_country_matcher *m, const char *text, size_t len, hz_country_result *r);

/* The same lookup, bypassing the cache, with an explanation written to
 * `key` (the normalized form that matched, or the forms tried) and `how`
 * (what it matched: the alias or name and the table row, or the refusal's
 * detail).  Both NUL-terminated, cut to their capacity. */
void hz_country_explain(hz_country_matcher *m, const char *text, size_t len, hz_country_result *r, char *key,
                        size_t key_cap, char *how, size_t how_cap);

/* The answer under the matcher's policies; "" for a refusal.  The strings
 * are static. */
const char *hz_country_iso3(const hz_country_matcher *m, const hz_country_result *r);
const char *hz_country_name(const hz_country_matcher *m, const hz_country_result *r);
const char *hz_country_region(const hz_country_matcher *m, const hz_country_result *r);
/* The table row the answer stands for (Serbia's for Kosovo under the
 * `serbia` policy), or NULL for a refusal. */
const hz_country *hz_country_row(const hz_country_matcher *m, const hz_country_result *r);

/* `exact`, `article`, `alias`, `code`, `notation`, `parts`, `misspelling`,
 * `form`, `wildcard`, `mojibake` or `cp1252` (a repair names the rule), or
 * for a refusal its reason. */
const char *hz_country_rule_name(const hz_country_result *r);
/* unknown_country, ambiguous_country or not_a_country; NULL if found. */
const char *hz_country_reason(const hz_country_result *r);
/* What a refusal means (its detail in refusals.tsv, or the countries an
 * ambiguous input could be), NUL-terminated into buf. */
void hz_country_describe(const hz_country_matcher *m, const hz_country_result *r, char *buf, size_t cap);

/* Whether this result is Kosovo published separately (then outputs that
 * print the house-style name `Kosovo*` owe the reader the footnote). */
bool hz_country_is_kosovo(const hz_country_matcher *m, const hz_country_result *r);
extern const char hz_country_kosovo_footnote[];

/* The full name of an IOM region: "West and Central Africa". */
const char *hz_region_name(hz_region region);
/* Its code in countries.tsv: "west_central_africa". */
const char *hz_region_code(hz_region region);

/* Index of the row whose alpha-3 is `iso3` (exact, upper case), or -1. */
int hz_country_find_iso3(const char *iso3);

/* Lookups answered from the cache, and lookups made, since creation. */
void hz_country_matcher_stats(const hz_country_matcher *m, uint64_t *hits, uint64_t *lookups);

/* For tests: the number of keys of the table that two different answers
 * claim, with the first few described in `buf` (one per line). */
size_t hz_country_matcher_conflicts(const hz_country_matcher *m, char *buf, size_t cap);

#endif /* HZ_COUNTRY_H */
