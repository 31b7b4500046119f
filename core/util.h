/* Small helpers shared by the core: checked allocation, growable strings,
 * did-you-mean suggestions. */
#ifndef HZ_UTIL_H
#define HZ_UTIL_H
#include <stdarg.h>
#include <stddef.h>

#include <harmonize/plugin.h>

/* Allocation that never returns NULL: out of memory, the process says so,
 * runs the hook below and exits with status 1.  The same functions are
 * the plugins' allocator (hz_host.xmalloc...). */
void *hz_xmalloc(size_t n);
void *hz_xcalloc(size_t n, size_t size);
void *hz_xrealloc(void *p, size_t n);
char *hz_xstrdup(const char *s);
char *hz_xstrndup(const char *s, size_t n);
char *hz_xasprintf(const char *fmt, ...) HZ_PRINTF(1, 2);
/* write(2) all n bytes, again after EINTR and short writes: 0, or -1 with
 * errno set. */
int hz_write_all(int fd, const void *data, size_t n);
/* The wall clock, in seconds since the epoch (for times shown to people;
 * durations use CLOCK_MONOTONIC). */
double hz_wall_clock(void);
/* The folder part of `path` ("." when it has none); free it. */
char *hz_dirname(const char *path);
/* fsync a folder (or the folder holding `path`), so that a new or renamed
 * entry in it reaches the disk; best effort, as some file systems refuse. */
void hz_sync_folder(const char *dir);
void hz_sync_folder_of(const char *path);
/* `path` as seen from folder `dir` (absolute paths as they are), without
 * the "./" a user writes for "here": messages then show the path a user
 * would type.  Returns a new string. */
char *hz_path_join(const char *dir, const char *path);
char *hz_xvasprintf(const char *fmt, va_list ap);
/* Called once before an out-of-memory exit (the run discards its
 * temporary outputs); NULL for none. */
void hz_set_out_of_memory_hook(void (*hook)(void));

typedef struct hz_strbuf {
    char *data;
    size_t len, cap;
} hz_strbuf;

void hz_strbuf_add(hz_strbuf *s, const char *p, size_t n);
void hz_strbuf_adds(hz_strbuf *s, const char *p);
void hz_strbuf_printf(hz_strbuf *s, const char *fmt, ...) HZ_PRINTF(2, 3);
/* The contents, NUL-terminated (an empty buffer gives ""). */
const char *hz_strbuf_cstr(hz_strbuf *s);
void hz_strbuf_free(hz_strbuf *s);

/* The candidate closest to `word` when it is close enough to be a likely
 * typo, else NULL.  For option and plugin names only, never for data. */
const char *hz_did_you_mean(const char *word, const char *const *candidates, size_t n);

/* Append `s` to `out`, each byte that is not part of valid UTF-8 written
 * as \\xNN, so that what the core writes (rejects) is always UTF-8. */
void hz_utf8_escape(hz_strbuf *out, const char *s, size_t n);

/* Append `s` to `out` as one CSV field (minimal quoting, comma). */
void hz_csv_quote(hz_strbuf *out, const char *s, size_t n);
#endif
