/* Text with U+FFFD, the replacement character (country_wildcard.c). */
#ifndef HZ_COUNTRY_WILDCARD_H
#define HZ_COUNTRY_WILDCARD_H

#include <stdbool.h>
#include <stddef.h>

#include "hz_country.h"

/* Whether `n` bytes hold U+FFFD (EF BF BD). */
bool hz_country_has_fffd(const char *p, size_t n);

/* Look valid UTF-8 holding U+FFFD up, each U+FFFD standing for exactly one
 * character: the one country (or refusal) all the names that fit mean,
 * ambiguous_country when they mean several, unknown_country when none
 * fits. */
void hz_country_wildcard(hz_country_matcher *m, const char *text, size_t len, hz_country_result *r);

/* Whether `len` bytes of valid UTF-8, trimmed, are a name or alias of the
 * country at row `country` as written (the same letters and accents; case
 * aside).  For short keys reached by folding (country_matcher.c). */
bool hz_country_written_so(const hz_country_matcher *m, const char *text, size_t len, int country);

#endif
