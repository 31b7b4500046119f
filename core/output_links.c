/* Symbolic links at outputs (see output_links.h). */
#define _GNU_SOURCE
#include "output_links.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Links followed before giving up, as the kernel's own limit. */
#define MAX_LINKS 40

/* What the link `path` holds, as a new string, or NULL. */
static char *link_text(const char *path) {
    char buf[PATH_MAX];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0) return NULL;
    buf[n] = '\0';
    return hz_xstrdup(buf);
}

char *hz_link_final_target(const char *path) {
    char *cur = hz_xstrdup(path);
    for (int i = 0; i <= MAX_LINKS; i++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) return cur;
        char *to = link_text(cur);
        if (!to) return cur;
        char *next;
        if (to[0] == '/') {
            next = to;
        } else {
            /* Relative to the folder holding the link. */
            char *dir = hz_dirname(cur);
            next = hz_path_join(dir, to);
            free(dir);
            free(to);
        }
        free(cur);
        cur = next;
    }
    free(cur);
    errno = ELOOP;
    return NULL;
}

static const char *shown(const hz_pipeline *p, const char *path) {
    size_t n = strlen(p->dir);
    return n && !strncmp(path, p->dir, n) && path[n] == '/' ? path + n + 1 : path;
}

char *hz_output_link_problem(const hz_pipeline *p, const hz_component *c, const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode)) return NULL;
    char *to = link_text(path);
    const char *where = to ? to : "?";
    char *why;
    if (!c)
        why = hz_xasprintf("the manifest %s is a symbolic link (to %s): refusing to write through it; remove "
                           "the link or name another file in 'manifest:'",
                           shown(p, path), where);
    else if (!c->follow_symlinks)
        why = hz_xasprintf("%s is a symbolic link (to %s): refusing to write through it; set "
                           "follow_symlinks: true on the sink to write to its target",
                           shown(p, path), where);
    else
        /* follow_symlinks resolves path options; a link still here is a
         * loop, or a path the plugin does not take as a path option. */
        why = hz_xasprintf("%s is a symbolic link (to %s) that follow_symlinks cannot resolve (a loop, or a "
                           "file this plugin does not name by a path option): refusing to write through it",
                           shown(p, path), where);
    free(to);
    return why;
}
