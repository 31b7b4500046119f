/* Value classification for the workbook sink (see cell_kind.h). */
#include "cell_kind.h"

#include <string.h>

bool cell_is_number(const char *p, size_t n) {
    size_t i = 0, digits = 0;
    if (i < n && p[i] == '-') i++;
    size_t int_start = i;
    while (i < n && p[i] >= '0' && p[i] <= '9') i++, digits++;
    size_t int_len = i - int_start;
    if (int_len == 0) return false;
    if (int_len > 1 && p[int_start] == '0') return false; /* "004": a code, not a number */
    if (i < n && p[i] == '.') {
        size_t frac_start = ++i;
        while (i < n && p[i] >= '0' && p[i] <= '9') i++, digits++;
        if (i == frac_start) return false; /* "12." */
    }
    return i == n && digits <= CELL_MAX_DIGITS;
}

static bool leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool cell_is_date(const char *p, size_t n, int *year, int *month, int *day) {
    if (n != 10 || p[4] != '-' || p[7] != '-') return false;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (p[i] < '0' || p[i] > '9')) return false;
    int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    int m = (p[5] - '0') * 10 + (p[6] - '0'), d = (p[8] - '0') * 10 + (p[9] - '0');
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
    if (d > days[m - 1] + (m == 2 && leap(y))) return false;
    *year = y, *month = m, *day = d;
    return true;
}

size_t cell_chars(const char *p, size_t n) {
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80) chars++; /* not a continuation byte */
    return chars;
}

static const char *const kind_names[] = {"string", "number", "date"};

int cell_kind_parse(const char *name) {
    for (int k = 0; k < 3; k++)
        if (name && !strcmp(name, kind_names[k])) return k;
    return -1;
}

const char *cell_kind_name(cell_kind k) {
    return kind_names[k];
}
