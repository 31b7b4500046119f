/* Byte-level helpers shared by the csv source and sink: copying a field
 * while classifying its bytes eight at a time, counting line breaks, and
 * the word tricks both sides use to avoid a branch per byte (UTF-8
 * validation is the plugins' helper library's: support/hzs_utf8.h).
 *
 * Fields are short (about ten bytes in typical case data), so the helpers
 * are inline: the call would cost as much as the work. */
#ifndef HZ_CSV_TEXT_H
#define HZ_CSV_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* What a field may hold: bytes >= 0x80 (not ASCII) and line breaks.
 * TEXT_BREAK is a hint ("a byte below 0x0E": CR, LF, but also a tab); the
 * caller counts the real breaks only when it is set. */
enum { TEXT_HIGH = 1, TEXT_BREAK = 2 };

#define TEXT_ONES  0x0101010101010101ULL
#define TEXT_HIGHS 0x8080808080808080ULL

/* For the per-field hot paths: the compiler's own inlining choices vary
 * with the number of callers, and one outlined call per field costs more
 * than the work; the rare cases (quoting, reallocation) stay out of line so
 * that the common path needs few registers. */
#if defined(__GNUC__)
#define TEXT_HOT  inline __attribute__((always_inline))
#define TEXT_COLD __attribute__((noinline, cold))
#else
#define TEXT_HOT inline
#define TEXT_COLD
#endif

/* Unaligned 8-byte access; compilers turn the memcpy into one move. */
static inline uint64_t text_load(const void *p) {
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}
static inline void text_store(void *p, uint64_t w) {
    memcpy(p, &w, sizeof w);
}

/* High bit set in each byte of `w` that is zero (exact as a yes/no). */
static inline uint64_t text_zero_bytes(uint64_t w) {
    return (w - TEXT_ONES) & ~w & TEXT_HIGHS;
}

/* Copy n < 8 bytes from p to dst, with two overlapping loads and stores
 * instead of a loop, and return a word made of those bytes (some
 * repeated, which changes no "is there a byte such that" test).  n = 0
 * gives 0 and must be handled by the caller. */
static inline uint64_t text_copy_short(char *dst, const unsigned char *p, size_t n) {
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + n - 4, 4);
        memcpy(dst, &a, 4);
        memcpy(dst + n - 4, &b, 4);
        return a | (uint64_t)b << 32;
    }
    if (n == 0) return 0;
    uint64_t a = p[0], b = p[n >> 1], c = p[n - 1];
    dst[0] = (char)a;
    dst[n >> 1] = (char)b;
    dst[n - 1] = (char)c;
    return (a * TEXT_ONES) << 24 | c << 16 | b << 8 | a;
}

/* TEXT_HIGH and TEXT_BREAK (as a hint) for the bytes of w. */
static inline int text_classify(uint64_t high, uint64_t low) {
    return ((high & TEXT_HIGHS) ? TEXT_HIGH : 0) | ((low & TEXT_HIGHS) ? TEXT_BREAK : 0);
}

/* Copy n bytes from p to dst and say what they hold (TEXT_HIGH,
 * TEXT_BREAK), in one pass.  A whole word at a time; the tail is done
 * with one overlapping word, so no byte outside [p, p+n) or [dst, dst+n)
 * is touched. */
static inline int text_copy_scan(char *dst, const unsigned char *p, size_t n) {
    uint64_t w;
    if (n < 8) {
        if (n == 0) return 0;
        w = text_copy_short(dst, p, n);
        return text_classify(w, (w - 0x0E * TEXT_ONES) & ~w);
    }
    uint64_t high = 0, low = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        w = text_load(p + i);
        text_store(dst + i, w);
        high |= w;
        low |= (w - 0x0E * TEXT_ONES) & ~w; /* a byte below 0x0E */
    }
    if (i < n) {
        w = text_load(p + n - 8);
        text_store(dst + n - 8, w);
        high |= w;
        low |= (w - 0x0E * TEXT_ONES) & ~w;
    }
    return text_classify(high, low);
}

/* Copy n bytes from p to dst, as text_copy_scan() does, and say only
 * whether they may hold anything it would report: nonzero when a byte may
 * be >= 0x80 or below 0x0E (a hint: a byte following one below 0x0E may
 * show too), zero when they are plain ASCII without any of those.  One
 * test instead of two for the common case; text_copy_scan() tells the
 * rest apart. */
static inline uint64_t text_copy_hint(char *dst, const unsigned char *p, size_t n) {
    uint64_t w, any = 0;
    if (n < 8) {
        if (n == 0) return 0;
        w = text_copy_short(dst, p, n);
        return (w | ((w - 0x0E * TEXT_ONES) & ~w)) & TEXT_HIGHS;
    }
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        w = text_load(p + i);
        text_store(dst + i, w);
        any |= w | ((w - 0x0E * TEXT_ONES) & ~w);
    }
    if (i < n) {
        w = text_load(p + n - 8);
        text_store(dst + n - 8, w);
        any |= w | ((w - 0x0E * TEXT_ONES) & ~w);
    }
    return any & TEXT_HIGHS;
}

/* Line breaks in n bytes: LF, CRLF and a lone CR each count once (a CR
 * at the very end counts: what follows it is not part of these bytes). */
size_t text_count_breaks(const unsigned char *p, size_t n);
#endif
