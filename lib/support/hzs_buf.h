/* hzs_buf.h - growable arrays and byte buffers for the bundled plugins.
 *
 * Part of the plugins' helper library (lib/support): linked into each
 * bundled plugin that uses it, never installed, not part of the ABI.
 * Memory comes from hz->xrealloc, so nothing here returns NULL or fails:
 * when memory runs out the core reports it and ends the run. */
#ifndef HZS_BUF_H
#define HZS_BUF_H
#include <stddef.h>

#include <harmonize/plugin.h>

/* Room for `need` items of `size` bytes in the array `p` (NULL at first),
 * which holds *cap of them: returns the array, grown (to twice its size,
 * or `need`, at least 16 items) if it was too small, and updates *cap. */
void *hzs_grow(void *p, size_t *cap, size_t need, size_t size);

/* Bytes appended at the end.  Zero-initialise ({0}); a buffer to which
 * nothing was ever added has no memory (data is NULL). */
typedef struct hzs_buf {
    char *data;
    size_t len; /* bytes in use */
    size_t cap; /* bytes allocated */
} hzs_buf;

/* Room for `more` bytes after the `len` in use: returns data + len.  The
 * caller writes there and adds what it wrote to len. */
char *hzs_buf_reserve(hzs_buf *b, size_t more);

/* Append n bytes (nothing, and no allocation, when n is 0). */
void hzs_buf_add(hzs_buf *b, const void *p, size_t n);
/* Append a C string, or one byte. */
void hzs_buf_adds(hzs_buf *b, const char *s);
void hzs_buf_addc(hzs_buf *b, char c);
/* Append printf's output. */
void hzs_buf_printf(hzs_buf *b, const char *fmt, ...) HZ_PRINTF(2, 3);

/* The bytes as a C string (a NUL is kept after them, not counted in len):
 * "" for an empty buffer.  Valid until the next change. */
const char *hzs_buf_str(hzs_buf *b);
/* Hand the bytes over as a C string, to release with free(); the buffer
 * is left empty, with no memory. */
char *hzs_buf_take(hzs_buf *b);

/* Start again from no bytes, keeping the memory. */
static inline void hzs_buf_clear(hzs_buf *b) {
    b->len = 0;
}
void hzs_buf_free(hzs_buf *b);
#endif
