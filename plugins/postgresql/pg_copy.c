/* COPY text format (see pg_copy.h). */
#include "pg_copy.h"

void pg_copy_field(hzs_buf *b, bool first, bool null, const char *p, size_t n) {
    /* Worst case: every byte escaped, plus the tab. */
    char *start = hzs_buf_reserve(b, 2 * n + 3), *o = start;
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
    b->len += (size_t)(o - start);
}

void pg_copy_end_row(hzs_buf *b) {
    hzs_buf_addc(b, '\n');
}
