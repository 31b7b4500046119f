/* The duplicates report file; see report.h. */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUFFER_SIZE (64 * 1024)

void report_init(report *r, const hz_host *host, hz_component *c, const char *path) {
    memset(r, 0, sizeof *r);
    r->host = host;
    r->c = c;
    r->path = path && *path ? path : NULL;
    r->fd = -1;
}

static int flush_buffer(report *r) {
    size_t done = 0;
    while (done < r->len) {
        ssize_t n = write(r->fd, r->buf + done, r->len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            r->host->error(r->c, "cannot write %s: %s", r->tmp_path, strerror(errno));
            return -1;
        }
        done += (size_t)n;
    }
    r->len = 0;
    return 0;
}

/* Room for `need` more bytes; a field larger than the buffer gets a
 * buffer of its own size. */
static int reserve(report *r, size_t need) {
    if (r->len + need <= BUFFER_SIZE) return 0;
    if (flush_buffer(r) != 0) return -1;
    if (need > BUFFER_SIZE) {
        char *bigger = realloc(r->buf, need);
        if (!bigger) {
            r->host->error(r->c, "out of memory writing %s", r->path);
            return -1;
        }
        r->buf = bigger;
    }
    return 0;
}

/* mkdir -p of the folder holding the target. */
static int make_parents(report *r) {
    char *dir = strdup(r->path);
    if (!dir) return -1;
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; rc == 0; p++) {
            if (*p != '/' && *p != '\0') continue;
            char saved = *p;
            *p = '\0';
            if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
                r->host->error(r->c, "cannot create folder %s: %s", dir, strerror(errno));
                rc = -1;
            }
            *p = saved;
            if (saved == '\0') break;
        }
    }
    free(dir);
    return rc;
}

int report_open(report *r) {
    if (!r->path) return 0;
    if (make_parents(r) != 0) return -1;
    const char *slash = strrchr(r->path, '/');
    size_t dir_len = slash ? (size_t)(slash - r->path) + 1 : 0;
    size_t size = strlen(r->path) + 16;
    r->tmp_path = malloc(size);
    r->buf = malloc(BUFFER_SIZE);
    if (!r->tmp_path || !r->buf) {
        r->host->error(r->c, "out of memory opening %s", r->path);
        return -1;
    }
    /* Beside the target, so the final rename stays on one file system. */
    snprintf(r->tmp_path, size, "%.*s.%s.tmp-XXXXXX", (int)dir_len, r->path, r->path + dir_len);
    r->fd = mkstemp(r->tmp_path);
    if (r->fd < 0) {
        r->host->error(r->c, "cannot create %s: %s", r->tmp_path, strerror(errno));
        free(r->tmp_path);
        r->tmp_path = NULL;
        return -1;
    }
    /* mkstemp makes the file private; publish with the usual permissions. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(r->fd, 0666 & ~mask) != 0) {
        r->host->error(r->c, "cannot set the permissions of %s: %s", r->tmp_path, strerror(errno));
        return -1;
    }
    return 0;
}

int report_field(report *r, const char *p, size_t n) {
    if (reserve(r, 2 * n + 3) != 0) return -1;
    if (r->row_started) r->buf[r->len++] = ',';
    r->row_started = true;
    bool special = false;
    for (size_t k = 0; k < n && !special; k++)
        special = p[k] == ',' || p[k] == '"' || p[k] == '\r' || p[k] == '\n';
    if (!special) {
        if (n) memcpy(r->buf + r->len, p, n);
        r->len += n;
        return 0;
    }
    char *o = r->buf + r->len;
    *o++ = '"';
    for (size_t k = 0; k < n; k++) {
        if (p[k] == '"') *o++ = '"';
        *o++ = p[k];
    }
    *o++ = '"';
    r->len = (size_t)(o - r->buf);
    return 0;
}

int report_end_row(report *r) {
    if (reserve(r, 1) != 0) return -1;
    r->buf[r->len++] = '\n';
    r->row_started = false;
    return 0;
}

int report_commit(report *r) {
    if (!r->path || r->fd < 0) return 0;
    if (flush_buffer(r) != 0) return -1;
    if (fsync(r->fd) != 0 || close(r->fd) != 0) {
        r->fd = -1;
        r->host->error(r->c, "cannot write %s: %s", r->tmp_path, strerror(errno));
        return -1;
    }
    r->fd = -1;
    if (rename(r->tmp_path, r->path) != 0) {
        r->host->error(r->c, "cannot publish %s: %s", r->path, strerror(errno));
        return -1;
    }
    free(r->tmp_path);
    r->tmp_path = NULL;
    free(r->buf);
    r->buf = NULL;
    return 0;
}

void report_abort(report *r) {
    if (r->fd >= 0) close(r->fd);
    r->fd = -1;
    if (r->tmp_path) unlink(r->tmp_path);
    free(r->tmp_path);
    r->tmp_path = NULL;
    free(r->buf);
    r->buf = NULL;
    r->len = 0;
}
