/* Publishing an output file through a temporary one (see hzs_publish.h). */
#define _POSIX_C_SOURCE 200809L
#include "hzs_publish.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hzs_fs.h"

void hzs_publish_init(hzs_publish *p, hz_component *c, const char *path, bool fsync) {
    *p = (hzs_publish){.c = c, .path = path, .shown = hz->display_path(c, path), .fsync = fsync, .fd = -1};
}

static int write_error(hzs_publish *p) {
    hz->error(p->c, "cannot write %s (temporary file %s): %s", p->shown, p->tmp_path, strerror(errno));
    return -1;
}

/* The temporary name: from the core when it keeps a journal of the run's
 * staged files (so that a killed run's file is removed, or published, by
 * the next run), else .NAME.tmp-XXXXXX beside the target. */
static int create_temporary(hzs_publish *p) {
    if (HZ_HOST_HAS(stage_file)) {
        const char *name = hz->stage_file(p->c, p->path);
        if (!name) return -1;
        p->tmp_path = hz->xstrdup(name);
        /* O_EXCL: never through a file or link someone put there. */
        p->fd = open(p->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        return p->fd;
    }
    const char *slash = strrchr(p->path, '/');
    int dir_len = slash ? (int)(slash - p->path) + 1 : 0;
    size_t size = strlen(p->path) + 16;
    p->tmp_path = hz->xmalloc(size);
    snprintf(p->tmp_path, size, "%.*s.%s.tmp-XXXXXX", dir_len, p->path, p->path + dir_len);
    p->fd = mkstemp(p->tmp_path);
    if (p->fd < 0) return -1;
    /* mkstemp makes the file private; the published file gets the usual
     * permissions, as if created with open(2). */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(p->fd, 0666 & ~mask) != 0) {
        hz->error(p->c, "cannot set the permissions of %s: %s", p->tmp_path, strerror(errno));
        return -1;
    }
    return p->fd;
}

int hzs_publish_open(hzs_publish *p) {
    if (hzs_make_parents(p->c, p->path) != 0) return -1;
    if (create_temporary(p) < 0) {
        if (p->tmp_path)
            hz->error(p->c, "cannot create %s (temporary file %s): %s", p->shown, p->tmp_path,
                      strerror(errno));
        free(p->tmp_path);
        p->tmp_path = NULL;
        return -1;
    }
    p->buf.len = 0;
    hzs_buf_reserve(&p->buf, HZS_PUBLISH_BUFFER);
    return 0;
}

int hzs_publish_flush(hzs_publish *p) {
    size_t done = 0;
    while (done < p->buf.len) {
        ssize_t n = write(p->fd, p->buf.data + done, p->buf.len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return write_error(p);
        done += (size_t)n;
    }
    p->buf.len = 0;
    return 0;
}

int hzs_publish_reserve(hzs_publish *p, size_t need) {
    if (p->buf.len + need <= p->buf.cap) return 0;
    if (hzs_publish_flush(p) != 0) return -1;
    hzs_buf_reserve(&p->buf, need);
    return 0;
}

int hzs_publish_write(hzs_publish *p, const void *data, size_t n) {
    if (hzs_publish_reserve(p, n) != 0) return -1;
    hzs_buf_add(&p->buf, data, n);
    return 0;
}

int hzs_publish_prepare(hzs_publish *p) {
    if (hzs_publish_flush(p) != 0) return -1;
    int rc = p->fsync ? fsync(p->fd) : 0;
    if (close(p->fd) != 0) rc = -1;
    p->fd = -1;
    return rc == 0 ? 0 : write_error(p);
}

/* After the rename, the folder entry itself must reach the disk. */
static void sync_folder(const char *path) {
    char *dir = hzs_dirname(path);
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd); /* best effort: some file systems refuse it on folders */
        close(fd);
    }
    free(dir);
}

int hzs_publish_commit(hzs_publish *p) {
    if (rename(p->tmp_path, p->path) != 0) {
        hz->error(p->c, "cannot publish %s: %s", p->shown, strerror(errno));
        return -1;
    }
    free(p->tmp_path);
    p->tmp_path = NULL;
    if (p->fsync) sync_folder(p->path);
    return 0;
}

void hzs_publish_abort(hzs_publish *p) {
    if (p->fd >= 0) close(p->fd);
    p->fd = -1;
    if (p->tmp_path) unlink(p->tmp_path);
    free(p->tmp_path);
    p->tmp_path = NULL;
}

void hzs_publish_free(hzs_publish *p) {
    hzs_publish_abort(p);
    hzs_buf_free(&p->buf);
}
