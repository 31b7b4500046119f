/* The country reference table as C data: the rows of
 * data/countries/{countries,aliases,refusals}.tsv, compiled in by
 * scripts/gen-countries.py (country_data.c is generated; this header is
 * not).  Private to lib/country: the row types and the table's version and
 * counts that users see are in hz_country.h; the alias and refusal rows are
 * here.  Nothing here normalizes or looks up: see hz_country.h. */
#ifndef HZ_COUNTRY_DATA_H
#define HZ_COUNTRY_DATA_H

#include <stddef.h>

#include "hz_country.h"

/* One alias (hand-curated or generated from iso-codes): `text` means the
 * country at hz_country_rows[country].  `kind` says where it comes from
 * ("historical", "iso-codes:fr", ...), for --explain. */
typedef struct hz_country_alias_row {
    const char *text;
    unsigned short country;
    const char *kind;
} hz_country_alias_row;

/* One row of refusals.tsv: an input refused with a reason and a detail
 * saying what it is (and, when ambiguous, what to write instead). */
typedef struct hz_country_refusal_row {
    const char *text;
    hz_country_status reason;
    const char *detail;
} hz_country_refusal_row;

/* One row of misspellings.tsv: a curated misspelling of the country at
 * hz_country_rows[country]; `other` is -1, or the other country it is as
 * plausible a spelling of (scripts/gen-countries.py decides): then it is
 * refused as ambiguous. */
typedef struct hz_country_misspelling_row {
    const char *text;
    short country;
    short other;
} hz_country_misspelling_row;

extern const char hz_country_misspellings_version[];
extern const hz_country_misspelling_row hz_country_misspelling_rows[];
extern const size_t hz_country_misspelling_row_count;

extern const hz_country_alias_row hz_country_alias_rows[];
extern const hz_country_refusal_row hz_country_refusal_rows[];

#endif
