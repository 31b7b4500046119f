/* Copying strings (see hzs_str.h). */
#include "hzs_str.h"

#include <string.h>

#include <harmonize/plugin.h>

char *hzs_strndup(const char *s, size_t n) {
    char *p = hz->xmalloc(n + 1);
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
