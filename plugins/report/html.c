/* Escaping and number formatting (see html.h). */
#include "html.h"

#include <stdio.h>
#include <string.h>

void html_text(hzs_buf *b, const char *s) {
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        switch (ch) {
        case '&': hzs_buf_adds(b, "&amp;"); break;
        case '<': hzs_buf_adds(b, "&lt;"); break;
        case '>': hzs_buf_adds(b, "&gt;"); break;
        case '"': hzs_buf_adds(b, "&quot;"); break;
        case '\'': hzs_buf_adds(b, "&#39;"); break;
        default: hzs_buf_addc(b, (ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f ? ' ' : (char)ch);
        }
    }
}

bool html_is_integer(const char *s, int64_t *out) {
    const char *p = s;
    bool neg = *p == '-';
    if (neg) p++;
    size_t n = strlen(p);
    /* A leading zero makes a code, not a number: "004" stays as it is. */
    if (n == 0 || n > 18 || strspn(p, "0123456789") != n || (n > 1 && p[0] == '0')) return false;
    int64_t v = 0;
    for (; *p; p++) v = v * 10 + (*p - '0');
    if (out) *out = neg ? -v : v;
    return true;
}

bool html_is_decimal(const char *s) {
    const char *p = s;
    if (*p == '-') p++;
    size_t digits = 0, dots = 0;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (*p == '.' && !dots)
            dots++;
        else
            return false;
    }
    return digits > 0;
}

void html_integer(hzs_buf *b, int64_t n) {
    char digits[24];
    uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)u);
    if (n < 0) hzs_buf_addc(b, '-');
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0) hzs_buf_addc(b, ',');
        hzs_buf_addc(b, digits[i]);
    }
}

void html_cell_text(hzs_buf *b, const char *s) {
    int64_t v;
    if (html_is_integer(s, &v))
        html_integer(b, v);
    else
        html_text(b, s);
}
