/* Text that is not what it claims to be: Windows-1252 bytes inside a UTF-8
 * feed, and mojibake (UTF-8 that was read as Windows-1252 or Latin-1 and
 * written out again as UTF-8, once or twice: `TÃ¼rkiye`, `CÃ´te dâ€™Ivoire`).
 * Both repairs are exact inversions, never guesses: a repair either yields
 * valid UTF-8 or does not apply. */
#ifndef HZ_COUNTRY_REPAIR_H
#define HZ_COUNTRY_REPAIR_H

#include <stdbool.h>
#include <stddef.h>

bool hz_country_utf8_valid(const char *p, size_t n);

/* Copy `n` bytes to `out`, keeping valid UTF-8 sequences and decoding every
 * other byte as Windows-1252 (the five bytes it leaves undefined as the
 * Latin-1 control characters).  `out` needs 3 * n bytes.  Returns the
 * length written. */
size_t hz_country_decode_cp1252(const char *p, size_t n, char *out);

/* Undo one round of mojibake: map every code point of the valid UTF-8 text
 * back to the Windows-1252 (or Latin-1) byte it was read from and decode
 * the bytes as UTF-8.  True, with the result in `out` (at most n bytes),
 * when every code point has such a byte, at least one is not ASCII and the
 * bytes are valid UTF-8; false otherwise (the text is left as it was). */
bool hz_country_unmojibake(const char *p, size_t n, char *out, size_t *out_len);

#endif
