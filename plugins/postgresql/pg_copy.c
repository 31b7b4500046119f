/* COPY text format (see pg_copy.h). */
#include "pg_copy.h"

#include <stdlib.h>
#include <string.h>

static int reserve(pg_copy_buf *b, size_t more) {
    if (b->len + more <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64 * 1024;
    while (cap < b->len + more) cap *= 2;
    char *grown = realloc(b->data, cap);
    if (!grown) return -1;
    b->data = grown;
    b->cap = cap;
    return 0;
}

int pg_copy_field(pg_copy_buf *b, bool first, bool null, const char *p, size_t n) {
    /* Worst case: every byte escaped, plus the tab. */
    if (reserve(b, 2 * n + 3) != 0) return -1;
    char *o = b->data + b->len;
    if (!first) *o++ = '\t';
    if (null) {
        *o++ = '\\';
        *o++ = 'N';
    }
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        switch (ch) {
        case '\\': *o++ = '\\', *o++ = '\\'; break;
        case '\t': *o++ = '\\', *o++ = 't'; break;
        case '\n': *o++ = '\\', *o++ = 'n'; break;
        case '\r': *o++ = '\\', *o++ = 'r'; break;
        default: *o++ = ch;
        }
    }
    b->len = (size_t)(o - b->data);
    return 0;
}

int pg_copy_end_row(pg_copy_buf *b) {
    if (reserve(b, 1) != 0) return -1;
    b->data[b->len++] = '\n';
    return 0;
}

void pg_copy_free(pg_copy_buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
