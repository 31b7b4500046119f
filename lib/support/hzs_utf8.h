/* hzs_utf8.h - UTF-8 well-formedness (Unicode's table 3-7: no overlong
 * forms, no surrogates, nothing past U+10FFFF). */
#ifndef HZS_UTF8_H
#define HZS_UTF8_H
#include <stddef.h>

/* Bytes of the well-formed sequence starting at p (n > 0 bytes there):
 * 1 for ASCII, 2 to 4, or 0 when none starts there. */
size_t hzs_utf8_sequence(const unsigned char *p, size_t n);

/* Offset of the first byte of p[0..n) that is not part of well-formed
 * UTF-8, or n when they all are.  ASCII runs are skipped eight bytes at a
 * time. */
size_t hzs_utf8_invalid_at(const unsigned char *p, size_t n);
#endif
