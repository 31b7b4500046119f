/* Text checks and conversion for the csv source: UTF-8 validation with an
 * ASCII fast path, and single-byte encodings converted with iconv. */
#ifndef HZ_CSV_TEXT_H
#define HZ_CSV_TEXT_H
#include <stdbool.h>
#include <stddef.h>

/* True when all n bytes are below 0x80 (checked a word at a time). */
bool text_is_ascii(const unsigned char *p, size_t n);
/* Offset of the first byte that is not part of valid UTF-8 (no overlong
 * forms, no surrogates, nothing above U+10FFFF), or n when all is valid. */
size_t text_utf8_invalid_at(const unsigned char *p, size_t n);
#endif
