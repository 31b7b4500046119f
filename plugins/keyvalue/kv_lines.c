/* Bounded lines (see kv_lines.h). */
#include "kv_lines.h"

#include <stdlib.h>
#include <string.h>

#include <support/hzs_buf.h>

#define BLOCK_SIZE (64 * 1024)

void kv_lines_init(kv_lines *l, hzs_input *in, size_t max) {
    *l = (kv_lines){.in = in, .max = max};
    l->block = hz->xmalloc(BLOCK_SIZE);
}

int kv_lines_next(kv_lines *l, const char **text, size_t *len) {
    l->len = 0;
    for (;;) {
        if (l->pos == l->end) {
            if (l->eof) break;
            ssize_t got = hzs_input_read(l->in, l->block, BLOCK_SIZE);
            if (got < 0) return KV_LINES_FAILED;
            l->eof = got == 0;
            l->pos = 0;
            l->end = (size_t)got;
            continue;
        }
        char *start = l->block + l->pos;
        size_t avail = l->end - l->pos;
        char *lf = memchr(start, '\n', avail);
        size_t take = lf ? (size_t)(lf - start) + 1 : avail;
        /* room for the limit and a CRLF; the caller checks the exact length */
        if (take > l->max + 2 - l->len) return KV_LINE_TOO_LONG;
        l->pos += take;
        if (lf && l->len == 0) { /* the common case: the line is in the block */
            *text = start;
            *len = take;
            return KV_LINE;
        }
        l->line = hzs_grow(l->line, &l->cap, l->len + take, 1);
        memcpy(l->line + l->len, start, take);
        l->len += take;
        if (lf) break;
    }
    if (l->len == 0) return KV_LINES_END;
    *text = l->line;
    *len = l->len;
    return KV_LINE;
}

void kv_lines_free(kv_lines *l) {
    free(l->block);
    free(l->line);
    l->block = l->line = NULL;
}
