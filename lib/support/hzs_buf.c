/* Growable arrays and byte buffers (see hzs_buf.h). */
#include "hzs_buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Arrays start at this many items; byte buffers at this many bytes. */
#define FIRST_ITEMS 16
#define FIRST_BYTES 256

static size_t next_cap(size_t cap, size_t need, size_t first) {
    size_t grown = cap > SIZE_MAX / 2 ? SIZE_MAX : 2 * cap;
    if (grown < first) grown = first;
    return grown > need ? grown : need;
}

void *hzs_grow(void *p, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return p;
    size_t n = next_cap(*cap, need, FIRST_ITEMS);
    /* An impossible size is an allocation that fails: the core reports it. */
    p = hz->xrealloc(p, n > SIZE_MAX / size ? SIZE_MAX : n * size);
    *cap = n;
    return p;
}

char *hzs_buf_reserve(hzs_buf *b, size_t more) {
    size_t need = more > SIZE_MAX - b->len ? SIZE_MAX : b->len + more;
    if (need > b->cap) {
        b->cap = next_cap(b->cap, need, FIRST_BYTES);
        b->data = hz->xrealloc(b->data, b->cap);
    }
    return b->data + b->len;
}

void hzs_buf_add(hzs_buf *b, const void *p, size_t n) {
    if (n == 0) return;
    memcpy(hzs_buf_reserve(b, n), p, n);
    b->len += n;
}

void hzs_buf_adds(hzs_buf *b, const char *s) {
    hzs_buf_add(b, s, strlen(s));
}

void hzs_buf_addc(hzs_buf *b, char c) {
    *hzs_buf_reserve(b, 1) = c;
    b->len++;
}

void hzs_buf_printf(hzs_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    if ((size_t)n < sizeof small) {
        hzs_buf_add(b, small, (size_t)n);
        return;
    }
    /* Longer: format again, straight into the buffer (with its NUL). */
    char *o = hzs_buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(o, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *hzs_buf_str(hzs_buf *b) {
    *hzs_buf_reserve(b, 1) = '\0';
    return b->data;
}

char *hzs_buf_take(hzs_buf *b) {
    hzs_buf_str(b);
    char *s = b->data;
    *b = (hzs_buf){0};
    return s;
}

void hzs_buf_free(hzs_buf *b) {
    free(b->data);
    *b = (hzs_buf){0};
}
