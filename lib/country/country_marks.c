/* Control characters and footnote marks (see country_marks.h). */
#include "country_marks.h"

#include <string.h>

bool hz_country_has_control(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F) return true;
    }
    return false;
}

static bool ends_with(const char *p, size_t n, const char *suffix, size_t len) {
    return n >= len && !memcmp(p + n - len, suffix, len);
}

static bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

static bool is_lower(char c) {
    return c >= 'a' && c <= 'z';
}

/* A mark of one or two digits, one lower-case letter, or `*`, ending at n
 * (exclusive); its length, or 0. */
static size_t mark_before(const char *p, size_t n) {
    if (n == 0) return 0;
    if (is_lower(p[n - 1]) || p[n - 1] == '*') return 1;
    if (is_digit(p[n - 1])) return n >= 2 && is_digit(p[n - 2]) ? 2 : 1;
    return 0;
}

/* The length of the footnote mark that ends `p`, or 0. */
static size_t one_mark(const char *p, size_t n) {
    if (n == 0) return 0;
    switch ((unsigned char)p[n - 1]) { /* the last byte of every mark below */
    case '*':
    case ')':
    case ']':
    case '/':
    case 0xA0:
    case 0xA1:
    case 0xB0:
    case 0xB2:
    case 0xB3:
    case 0xB4:
    case 0xB5:
    case 0xB6:
    case 0xB7:
    case 0xB8:
    case 0xB9: break;
    default: return 0;
    }
    static const char *const symbols[] = {
        "*",
        "\xE2\x80\xA0", /* † */
        "\xE2\x80\xA1", /* ‡ */
        "\xC2\xB9",     /* ¹ */
        "\xC2\xB2",     /* ² */
        "\xC2\xB3",     /* ³ */
        "\xE2\x81\xB0", /* ⁰ */
        "\xE2\x81\xB4",
        "\xE2\x81\xB5",
        "\xE2\x81\xB6",
        "\xE2\x81\xB7",
        "\xE2\x81\xB8",
        "\xE2\x81\xB9",
    };
    for (size_t i = 0; i < sizeof symbols / sizeof *symbols; i++) {
        size_t len = strlen(symbols[i]);
        if (ends_with(p, n, symbols[i], len)) return len;
    }
    if (n >= 3 && (p[n - 1] == ')' || p[n - 1] == ']')) {
        char open = p[n - 1] == ')' ? '(' : '[';
        size_t m = mark_before(p, n - 1);
        if (m && n >= m + 2 && p[n - 2 - m] == open) return m + 2;
    }
    if (n >= 3 && p[n - 1] == '/') {
        size_t m = mark_before(p, n - 1);
        if (m && p[n - 1 - m] != '*' && n >= m + 2 && p[n - 2 - m] == ' ') return m + 1;
    }
    return 0;
}

size_t hz_country_strip_footnotes(const char *p, size_t n) {
    for (;;) {
        size_t e = n;
        while (e && (p[e - 1] == ' ' || p[e - 1] == '\t')) e--;
        size_t m = one_mark(p, e);
        if (!m || m >= e) return n;
        size_t rest = e - m;
        while (rest && (p[rest - 1] == ' ' || p[rest - 1] == '\t')) rest--;
        if (!rest) return n; /* the marks are all there is */
        n = rest;
    }
}
