/* The country reference table as C data: the rows of
 * data/countries/{countries,aliases,refusals}.tsv, compiled in by
 * scripts/gen-countries.py (country_data.c is generated; this header is
 * not).  Nothing here normalizes or looks up: see country_matcher.h. */
#ifndef HZ_COUNTRY_DATA_H
#define HZ_COUNTRY_DATA_H

#include <stddef.h>

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

/* One alias (hand-curated or generated from iso-codes): `text` means the
 * country at hz_country_rows[country].  `kind` says where it comes from
 * ("historical", "iso-codes:fr", ...), for --explain. */
typedef struct hz_country_alias_row {
    const char *text;
    unsigned short country;
    const char *kind;
} hz_country_alias_row;

/* What a lookup concluded; refusal rows carry one of the two refusals. */
typedef enum hz_country_status {
    HZ_COUNTRY_FOUND,
    HZ_COUNTRY_AMBIGUOUS,     /* could mean two or more countries */
    HZ_COUNTRY_NOT_A_COUNTRY, /* a region, a status, a missing-value marker */
    HZ_COUNTRY_UNKNOWN        /* nothing in the table */
} hz_country_status;

/* One row of refusals.tsv: an input refused with a reason and a detail
 * saying what it is (and, when ambiguous, what to write instead). */
typedef struct hz_country_refusal_row {
    const char *text;
    hz_country_status reason;
    const char *detail;
} hz_country_refusal_row;

extern const char hz_country_data_version[];
extern const hz_country hz_country_rows[];
extern const size_t hz_country_row_count;
extern const hz_country_alias_row hz_country_alias_rows[];
extern const size_t hz_country_alias_row_count;
extern const hz_country_refusal_row hz_country_refusal_rows[];
extern const size_t hz_country_refusal_row_count;

#endif
