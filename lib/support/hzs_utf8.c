/* UTF-8 well-formedness (see hzs_utf8.h). */
#include "hzs_utf8.h"

#include <stdint.h>
#include <string.h>

/* Bytes in the sequence a lead byte starts: 1 for ASCII, 0 for a byte
 * that cannot start one (continuation bytes, C0, C1, F5..FF). */
static const unsigned char lead_length[256] = {
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
    R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1),                         /* 00..7F */
    R16(0), R16(0), R16(0), R16(0),                                                         /* 80..BF */
    0,      0,      2,      2,      2,      2,      2,      2,      2, 2, 2, 2, 2, 2, 2, 2, /* C0..CF */
    R16(2),                                                                                 /* D0..DF */
    R16(3),                                                                                 /* E0..EF */
    4,      4,      4,      4,      4,      0,      0,      0,      0, 0, 0, 0, 0, 0, 0, 0, /* F0..FF */
#undef R16
};

/* The lead byte fixes the length and the range of the second byte, which
 * is where overlong forms, surrogates and code points past U+10FFFF show;
 * other continuation bytes are 80..BF. */
static inline size_t sequence(const unsigned char *p, size_t n) {
    unsigned c = p[0];
    size_t len = lead_length[c];
    if (len <= 1) return len;
    if (len > n) return 0;
    unsigned lo = 0x80, hi = 0xBF, b = p[1];
    if (c == 0xE0)
        lo = 0xA0; /* below: overlong */
    else if (c == 0xED)
        hi = 0x9F; /* above: surrogates */
    else if (c == 0xF0)
        lo = 0x90; /* below: overlong */
    else if (c == 0xF4)
        hi = 0x8F; /* above: past U+10FFFF */
    if (b < lo || b > hi) return 0;
    for (size_t k = 2; k < len; k++)
        if ((p[k] & 0xC0) != 0x80) return 0;
    return len;
}

size_t hzs_utf8_sequence(const unsigned char *p, size_t n) {
    return sequence(p, n);
}

size_t hzs_utf8_invalid_at(const unsigned char *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint64_t w;
        if (i + 8 <= n && (memcpy(&w, p + i, 8), !(w & 0x8080808080808080ULL))) {
            i += 8;
            continue;
        }
        size_t len = sequence(p + i, n - i);
        if (len == 0) return i;
        i += len;
    }
    return n;
}
