/* Inputs that hold still (see hzs_watch.h). */
#define _POSIX_C_SOURCE 200809L
#include "hzs_watch.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void hzs_watch_start(hzs_watch *w, int fd) {
    struct stat st;
    memset(w, 0, sizeof *w);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;
    w->regular = true;
    w->dev = (uint64_t)st.st_dev;
    w->ino = (uint64_t)st.st_ino;
    w->size = (int64_t)st.st_size;
    w->mtime_sec = (int64_t)st.st_mtim.tv_sec;
    w->mtime_nsec = (int64_t)st.st_mtim.tv_nsec;
    off_t at = lseek(fd, 0, SEEK_CUR);
    w->start = at > 0 ? (int64_t)at : 0;
}

bool hzs_watch_same(const hzs_watch *planned, const hzs_watch *now) {
    return planned->regular == now->regular && planned->dev == now->dev && planned->ino == now->ino &&
           planned->size == now->size && planned->mtime_sec == now->mtime_sec &&
           planned->mtime_nsec == now->mtime_nsec;
}

const char *hzs_watch_difference(const hzs_watch *planned, const hzs_watch *now) {
    return planned->dev != now->dev || planned->ino != now->ino ? "replaced by another file" : "rewritten";
}

int hzs_watch_check(const hzs_watch *w, hz_component *c, int fd, const char *path, uint64_t bytes) {
    if (!w->regular) return 0;
    const char *shown = hz->display_path(c, path);
    struct stat now, named;
    if (fstat(fd, &now) != 0) {
        hz->error(c, "cannot check %s at the end of reading it: %s", shown, strerror(errno));
        return -1;
    }
    if ((int64_t)now.st_size != w->size || (int64_t)now.st_mtim.tv_sec != w->mtime_sec ||
        (int64_t)now.st_mtim.tv_nsec != w->mtime_nsec) {
        hz->error(c,
                  "%s changed while it was read (%lld bytes when opened, %lld now): nothing is published; "
                  "run again once the export is complete",
                  shown, (long long)w->size, (long long)now.st_size);
        return -1;
    }
    if (strcmp(path, "-") != 0 &&
        (stat(path, &named) != 0 || (uint64_t)named.st_dev != w->dev || (uint64_t)named.st_ino != w->ino)) {
        hz->error(c, "%s was replaced or removed while it was read: nothing is published; run again", shown);
        return -1;
    }
    if (bytes != UINT64_MAX && bytes != (uint64_t)(w->size - w->start)) {
        hz->error(c, "%s: read %llu of its %lld bytes (a short read): nothing is published", shown,
                  (unsigned long long)bytes, (long long)(w->size - w->start));
        return -1;
    }
    return 0;
}
