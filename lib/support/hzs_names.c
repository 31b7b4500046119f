/* Repeated names (see hzs_names.h): sort (name, position) pairs, then each
 * run of equal names starts with its first position. */
#include "hzs_names.h"

#include <stdlib.h>
#include <string.h>

#include <harmonize/plugin.h>

typedef struct named {
    const char *name;
    size_t at;
} named;

static int by_name_then_position(const void *a, const void *b) {
    const named *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c) return c;
    return x->at < y->at ? -1 : x->at > y->at;
}

size_t hzs_names_repeats(const char *const *names, size_t n, size_t *earlier) {
    named *sorted = hz->xcalloc(n ? n : 1, sizeof *sorted);
    size_t m = 0, repeats = 0;
    for (size_t i = 0; i < n; i++) {
        earlier[i] = HZS_NAMES_FIRST;
        if (names[i]) sorted[m++] = (named){names[i], i};
    }
    qsort(sorted, m, sizeof *sorted, by_name_then_position);
    for (size_t k = 1, first = 0; k < m; k++) {
        if (strcmp(sorted[k].name, sorted[first].name) != 0) {
            first = k;
            continue;
        }
        earlier[sorted[k].at] = sorted[first].at;
        repeats++;
    }
    free(sorted);
    return repeats;
}
