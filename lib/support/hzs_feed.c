/* A source's input file, checked at plan time (see hzs_feed.h). */
#define _POSIX_C_SOURCE 200809L
#include "hzs_feed.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int hzs_feed_check(hz_component *c, const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        hz->error(c, "cannot open %s: %s", hz->display_path(c, path), strerror(errno));
        return -1;
    }
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        hz->error(c, "%s is a folder, not an export file", hz->display_path(c, path));
        rc = -1;
    }
    close(fd);
    return rc;
}
