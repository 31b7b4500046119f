/* The folder of an output file (see hzs_fs.h). */
#define _POSIX_C_SOURCE 200809L
#include "hzs_fs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hzs_str.h"

char *hzs_dirname(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return hz->xstrdup(".");
    return hzs_strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

int hzs_make_parents(hz_component *c, const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return 0;
    char *dir = hzs_strndup(path, (size_t)(slash - path));
    int rc = 0;
    /* Each prefix ending before a '/', then the whole folder. */
    for (char *p = dir + 1; rc == 0; p++) {
        if (*p != '/' && *p != '\0') continue;
        char saved = *p;
        *p = '\0';
        struct stat st;
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            hz->error(c, "cannot create folder %s: %s", hz->display_path(c, dir), strerror(errno));
            rc = -1;
        } else if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            hz->error(c, "cannot write %s: %s is not a folder", hz->display_path(c, path),
                      hz->display_path(c, dir));
            rc = -1;
        }
        *p = saved;
        if (saved == '\0') break;
    }
    free(dir);
    return rc;
}
