#include "text.h"

size_t text_count_breaks(const unsigned char *p, size_t n) {
    size_t breaks = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '\n' || (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n'))) breaks++;
    return breaks;
}
