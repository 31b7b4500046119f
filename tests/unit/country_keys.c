/* Print the keys of each line of stdin as lib/country/country_key.c
 * computes them: "#code", or "direct<TAB>variant" (variant empty when there
 * is none).  test_country_keys.sh compares this with the generator's
 * Python keys, which must agree. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "country/country_key.h"

int main(void) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    hz_country_keys k;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        if (n && line[n - 1] == '\n') n--;
        if (!hz_country_keys_compute(line, (size_t)n, &k))
            puts("(too long)");
        else if (k.is_code)
            printf("%.*s\n", (int)k.code_len, k.code);
        else
            printf("%.*s\t%.*s\n", (int)k.direct_len, k.direct, (int)k.variant_len, k.variant);
    }
    free(line);
    return ferror(stdin) ? 1 : 0;
}
