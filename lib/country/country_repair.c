/* Windows-1252 decoding and mojibake repair (see country_repair.h). */
#include "country_repair.h"

#include <stdint.h>

/* Windows-1252 bytes 0x80-0x9F; 0 marks the five undefined ones, which
 * decoders pass through as the Latin-1 control characters. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 if invalid:
 * no overlongs, no surrogates, nothing above U+10FFFF. */
static size_t utf8_seq(const unsigned char *p, size_t n) {
    unsigned char c = p[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    return len;
}

bool hz_country_utf8_valid(const char *text, size_t n) {
    const unsigned char *p = (const unsigned char *)text;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = utf8_seq(p + i, n - i);
        if (!len) return false;
        i += len;
    }
    return true;
}

static size_t put_utf8(char *out, unsigned cp) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | cp >> 12);
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

size_t hz_country_decode_cp1252(const char *text, size_t n, char *out) {
    const unsigned char *p = (const unsigned char *)text;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_seq(p + i, n - i);
        if (len) {
            for (size_t k = 0; k < len; k++) out[o++] = (char)p[i + k];
            i += len;
            continue;
        }
        unsigned cp =
            p[i] >= 0x80 && p[i] < 0xA0 && cp1252_high[p[i] - 0x80] ? cp1252_high[p[i] - 0x80] : p[i];
        o += put_utf8(out + o, cp);
        i++;
    }
    return o;
}

/* The byte a code point was read from, or -1. */
static int byte_of(unsigned cp) {
    if (cp < 0x100) return (int)cp; /* Latin-1, and its C1 controls */
    for (int b = 0; b < 32; b++)
        if (cp1252_high[b] == cp) return 0x80 + b;
    return -1;
}

bool hz_country_unmojibake(const char *text, size_t n, char *out, size_t *out_len) {
    const unsigned char *p = (const unsigned char *)text;
    size_t o = 0;
    bool high = false;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_seq(p + i, n - i);
        if (!len) return false;
        unsigned cp = p[i];
        if (len == 2) cp = (unsigned)(p[i] & 0x1F) << 6 | (p[i + 1] & 0x3F);
        if (len == 3)
            cp = (unsigned)(p[i] & 0x0F) << 12 | (unsigned)(p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3F);
        if (len == 4) return false;
        int b = byte_of(cp);
        if (b < 0) return false;
        high = high || b >= 0x80;
        out[o++] = (char)b;
        i += len;
    }
    if (!high || !hz_country_utf8_valid(out, o)) return false;
    *out_len = o;
    return true;
}
