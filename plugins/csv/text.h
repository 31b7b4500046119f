/* Text checks and conversion for the csv source: UTF-8 validation with an
 * ASCII fast path, and single-byte encodings converted with iconv. */
#ifndef HZ_CSV_TEXT_H
#define HZ_CSV_TEXT_H
#include <stdbool.h>
#include <stddef.h>

/* What a field holds: bytes >= 0x80 (not ASCII) and CR or LF. */
enum { TEXT_HIGH = 1, TEXT_BREAK = 2 };
/* Copy n bytes to dst and say what they hold, in one pass: fields are
 * short, so a table lookup per byte beats separate scans. */
int text_copy_scan(char *dst, const unsigned char *p, size_t n);
/* Offset of the first byte that is not part of valid UTF-8 (no overlong
 * forms, no surrogates, nothing above U+10FFFF), or n when all is valid. */
size_t text_utf8_invalid_at(const unsigned char *p, size_t n);
#endif
