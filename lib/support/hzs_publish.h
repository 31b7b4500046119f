/* hzs_publish.h - writing an output file so that it appears whole or not
 * at all, in the sink's phases:
 *
 *   open     make the missing folders, create a temporary file beside the
 *            target (so that the rename stays on one file system) with
 *            mode 0666 less the umask, which the core sets so that the file
 *            has the sink's file_mode from its creation (core/file_mode.h),
 *            named by the core's journal (hz->stage_file) when the core has
 *            one
 *   write    buffered: one write(2) per HZS_PUBLISH_BUFFER bytes
 *   prepare  all that can still fail: flush, fsync, close
 *   commit   only the rename over the target (atomic), then an fsync of
 *            the folder so that the new entry itself reaches the disk
 *   abort    close and remove the temporary file: the target, if there was
 *            one, stays as it was
 *
 * Errors are reported with hz->error(), naming the target as messages show
 * it (hz->display_path). */
#ifndef HZS_PUBLISH_H
#define HZS_PUBLISH_H
#include <stdbool.h>
#include <stddef.h>

#include <harmonize/plugin.h>

#include "hzs_buf.h"

/* Bytes buffered between two write(2) calls. */
#define HZS_PUBLISH_BUFFER (256 * 1024)

typedef struct hzs_publish {
    hz_component *c;
    const char *path;  /* the target (not copied: the caller keeps it) */
    const char *shown; /* the target as messages show it */
    bool fsync;        /* flush the file and its folder to disk */
    int fd;            /* the temporary file, or -1 */
    char *tmp_path;    /* its name, from open() until commit or abort */
    hzs_buf buf;       /* bytes not written yet; write into it directly
                          after hzs_publish_reserve() */
} hzs_publish;

/* Set up (nothing is created yet): in a sink's create(). */
void hzs_publish_init(hzs_publish *p, hz_component *c, const char *path, bool fsync);

/* Start the output: folders, temporary file, buffer.  0, or -1 after
 * reporting (then abort). */
int hzs_publish_open(hzs_publish *p);

/* Make sure `need` more bytes fit in p->buf after buf.len, writing out
 * what it holds if they do not; a need larger than the buffer grows it.
 * 0, or -1 after reporting a write error. */
int hzs_publish_reserve(hzs_publish *p, size_t need);

/* Append n bytes. 0, or -1 after reporting. */
int hzs_publish_write(hzs_publish *p, const void *data, size_t n);

/* Write out the buffer.  0, or -1 after reporting. */
int hzs_publish_flush(hzs_publish *p);

/* Flush, fsync (when p->fsync) and close: everything that can fail before
 * the rename.  0, or -1 after reporting. */
int hzs_publish_prepare(hzs_publish *p);

/* Rename the prepared file over the target.  0, or -1 after reporting. */
int hzs_publish_commit(hzs_publish *p);

/* Close and remove the temporary file, if any.  Safe at any time, and
 * again. */
void hzs_publish_abort(hzs_publish *p);

/* Abort, and release the buffer: in the sink's destroy(). */
void hzs_publish_free(hzs_publish *p);
#endif
