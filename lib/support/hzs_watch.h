/* hzs_watch.h - an input that must hold still while a source reads it.
 *
 * A feed truncated, appended to or replaced during a run would publish a
 * cut or mixed dataset with exit 0.  A source notes its file when it opens
 * it and checks at the end that it is the same file, of the same size and
 * modification time, and that it read every byte of it. */
#ifndef HZS_WATCH_H
#define HZS_WATCH_H
#include <stdbool.h>
#include <stdint.h>

#include <harmonize/plugin.h>

typedef struct hzs_watch {
    bool regular; /* only regular files are watched (a pipe cannot change under us) */
    /* struct stat's fields, in types every includer knows */
    uint64_t dev, ino;
    int64_t size, mtime_sec, mtime_nsec;
    int64_t start; /* the offset it was read from (standard input may be a file read part way) */
} hzs_watch;

/* Note the file open as `fd`. */
void hzs_watch_start(hzs_watch *w, int fd);
/* Whether two notes of a regular file are of the same file, unchanged
 * (device, inode, size, modification time): a source that read a header
 * while it planned and opens the file again to read the rows checks that
 * it is still the file it planned from. */
bool hzs_watch_same(const hzs_watch *planned, const hzs_watch *now);
/* The words for what differs between two notes of `shown` that are not
 * hzs_watch_same(): "replaced by another file" or "rewritten". */
const char *hzs_watch_difference(const hzs_watch *planned, const hzs_watch *now);
/* At the end of reading `path` through `fd`, having read `bytes` bytes
 * (UINT64_MAX when the reader does not count them): 0 when the file held
 * still, else -1 after reporting with hz->error() what changed.  `path`
 * "-" is standard input: it has no name that could be replaced. */
int hzs_watch_check(const hzs_watch *w, hz_component *c, int fd, const char *path, uint64_t bytes);
#endif
