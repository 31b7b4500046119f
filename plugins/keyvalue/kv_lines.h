/* Lines of the export, read in blocks and split with memchr, each at most
 * a set number of bytes: getline() would hold a whole line however long
 * it is (a file with no line break at all would be read into memory
 * whole), this holds at most one block and one line within the limit. */
#ifndef HZ_KV_LINES_H
#define HZ_KV_LINES_H
#include <stdbool.h>
#include <stddef.h>

#include <support/hzs_input.h>

typedef struct kv_lines {
    hzs_input *in;
    size_t max;  /* most bytes a line may hold, line break aside */
    char *block; /* bytes read, split from pos to end */
    size_t pos, end;
    char *line; /* a line met in pieces (it spans blocks) */
    size_t len, cap;
    bool eof;
} kv_lines;

enum { KV_LINE = 1, KV_LINES_END = 0, KV_LINES_FAILED = -1, KV_LINE_TOO_LONG = -2 };

void kv_lines_init(kv_lines *l, hzs_input *in, size_t max);
/* The next line, with its LF if it has one (as getline gives it), in
 * *text and *len: KV_LINE; KV_LINES_END at the end; KV_LINES_FAILED after
 * a read error (reported); KV_LINE_TOO_LONG for a line over the limit (read
 * no further).  The text is valid until the next call. */
int kv_lines_next(kv_lines *l, const char **text, size_t *len);
void kv_lines_free(kv_lines *l);
#endif
