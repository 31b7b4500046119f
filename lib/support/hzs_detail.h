/* Helpers the bundled plugins share for their messages: how much of a raw
 * value a reject detail or a summary line quotes, and whether a configured
 * reject reason is a valid code.  Header-only, because plugins link nothing
 * from the executable and nothing from each other. */
#ifndef HZ_PLUGIN_DETAIL_H
#define HZ_PLUGIN_DETAIL_H
#include <stdbool.h>
#include <stddef.h>

/* Raw values quoted in details and summaries are cut after this many bytes. */
#define HZ_DETAIL_MAX 80

/* How many bytes of a value a message quotes: at most HZ_DETAIL_MAX, cut at
 * a character boundary so that the message stays valid UTF-8. */
static inline int hz_detail_clip(const char *p, size_t n) {
    if (n <= HZ_DETAIL_MAX) return (int)n;
    n = HZ_DETAIL_MAX;
    while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80) n--;
    return (int)n;
}

/* A reject reason as the core accepts it: [a-z_]+.  Plugins check the ones
 * a pipeline configures at validate time, so the error has its position. */
static inline bool hz_reason_valid(const char *r) {
    if (!*r) return false;
    for (; *r; r++)
        if (!((*r >= 'a' && *r <= 'z') || *r == '_')) return false;
    return true;
}
#endif
