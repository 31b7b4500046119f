/* hzs_names.h - repeated names in a list (a header's columns, the keys a
 * source reads), found in n log n: a wide header of 100,000 columns is
 * checked in milliseconds, where comparing every pair took seconds. */
#ifndef HZS_NAMES_H
#define HZS_NAMES_H
#include <stddef.h>

/* No earlier name is the same. */
#define HZS_NAMES_FIRST ((size_t)-1)

/* For each of the n names, earlier[i] is the position of the first name
 * equal to names[i] before it, or HZS_NAMES_FIRST (NULL names are never
 * equal to anything).  Returns how many names repeat an earlier one. */
size_t hzs_names_repeats(const char *const *names, size_t n, size_t *earlier);
#endif
