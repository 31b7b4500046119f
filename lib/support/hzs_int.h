/* What a cell holding a whole number looks like, shared by the int and
 * bucket transforms so that both accept exactly the same text: spaces
 * around it, an optional sign, ASCII digits, nothing else.  "34", " 034 ",
 * "+34" and "-0" are integers; "3.5", "ca. 30", "2O", "1e3", "34 years"
 * and "thirty" are not. */
#ifndef HZ_INT_PARSE_H
#define HZ_INT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum cell_int {
    CELL_INT_OK,       /* *value holds it */
    CELL_INT_EMPTY,    /* nothing but spaces */
    CELL_INT_INVALID,  /* not a whole number */
    CELL_INT_OVERFLOW, /* a whole number outside int64 */
} cell_int;

static inline bool cell_is_space(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f';
}

/* Parse [p, p + n).  *canonical is set when the trimmed text already is the
 * canonical decimal of *value (no '+', no leading zero, no "-0"), so a
 * caller can point at it instead of writing a new string; *start and *len
 * delimit that trimmed text. */
static inline cell_int cell_parse_int(const char *p, size_t n, int64_t *value, bool *canonical, size_t *start,
                                      size_t *len) {
    size_t i = 0;
    while (n && cell_is_space(p[n - 1])) n--;
    while (i < n && cell_is_space(p[i])) i++;
    *start = i;
    *len = n - i;
    *canonical = false;
    if (i == n) return CELL_INT_EMPTY;
    bool negative = p[i] == '-';
    bool sign = negative || p[i] == '+';
    if (sign) i++;
    if (i == n) return CELL_INT_INVALID;
    size_t first = i;
    /* The magnitude is gathered unsigned so that INT64_MIN fits. */
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t m = 0;
    bool overflow = false;
    for (; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)p[i] - '0';
        if (d > 9) return CELL_INT_INVALID;
        if (m > (limit - d) / 10)
            overflow = true; /* keep scanning: "99999999999999999999x" is invalid, not too big */
        else
            m = m * 10 + d;
    }
    if (overflow) return CELL_INT_OVERFLOW;
    *value = !negative ? (int64_t)m : m > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)m;
    *canonical = p[*start] != '+' && (p[first] != '0' || n - first == 1) && !(negative && m == 0);
    return CELL_INT_OK;
}

#endif
