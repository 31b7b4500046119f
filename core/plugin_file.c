#define _GNU_SOURCE /* O_CLOEXEC, O_NOCTTY, realpath */
#include "plugin_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* What is wrong with the rights of `st` (the file or folder `what`,
 * named `path`), written to `why`; false when nothing is. */
static bool bad_rights(const struct stat *st, const char *what, const char *path, char *why, size_t size) {
    mode_t w = st->st_mode & (S_IWGRP | S_IWOTH);
    unsigned mode = (unsigned)(st->st_mode & 07777);
    if (w) {
        const char *who = w == (S_IWGRP | S_IWOTH) ? "its group and others"
                          : w == S_IWGRP           ? "its group"
                                                   : "others";
        const char *fix = w == (S_IWGRP | S_IWOTH) ? "go-w" : w == S_IWGRP ? "g-w" : "o-w";
        snprintf(why, size, "%s is writable by %s (mode %04o); fix with chmod %s %s", what, who, mode, fix,
                 path);
        return true;
    }
    uid_t me = geteuid();
    if (st->st_uid != 0 && st->st_uid != me) {
        snprintf(why, size,
                 "%s belongs to uid %ld, who could change it: only root's or this user's (uid %ld) are "
                 "loaded; fix with chown %ld %s",
                 what, (long)st->st_uid, (long)me, (long)me, path);
        return true;
    }
    return false;
}

/* The folder `dir` (described as `what`) checked like the file. */
static bool bad_folder(const char *dir, const char *what, char *why, size_t size) {
    struct stat st;
    if (stat(dir, &st) != 0) {
        snprintf(why, size, "cannot check %s %s: %s", what, dir, strerror(errno));
        return true;
    }
    char *desc = hz_xasprintf("%s %s", what, dir);
    bool bad = bad_rights(&st, desc, dir, why, size);
    free(desc);
    return bad;
}

/* The path of the opened file itself, symlinks resolved. */
static char *resolved_path(int fd, const char *path) {
    char proc[64], buf[PATH_MAX];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(proc, buf, sizeof buf - 1);
    if (n > 0 && buf[0] == '/') {
        buf[n] = '\0';
        return hz_xstrdup(buf);
    }
    return realpath(path, NULL);
}

bool hz_plugin_file_open(const char *path, bool allow_insecure, hz_plugin_file *f, char *why, size_t size) {
    *f = (hz_plugin_file){.fd = -1};
    /* O_NONBLOCK: a FIFO named x.so must not hang the check. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        snprintf(why, size, "cannot open it: %s", strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, size, "it is not a regular file");
        close(fd);
        return false;
    }
    char *real = resolved_path(fd, path);
    char *real_dir = real ? hz_dirname(real) : NULL;
    char *named_dir = hz_dirname(path);
    char *real_named_dir = realpath(named_dir, NULL);
    bool bad = bad_rights(&st, "it", real ? real : path, why, size);
    if (!bad && real_dir) bad = bad_folder(real_dir, "its folder", why, size);
    /* Through a symlink, whoever can write the folder holding the link
     * can point it elsewhere. */
    if (!bad && (!real_dir || !real_named_dir || strcmp(real_dir, real_named_dir)))
        bad = bad_folder(named_dir, "the folder of its link", why, size);
    free(real);
    free(real_dir);
    free(named_dir);
    free(real_named_dir);
    if (bad && !allow_insecure) {
        close(fd);
        f->insecure = true;
        return false;
    }
    f->fd = fd;
    f->insecure = bad;
    /* dlopen then maps the very file checked, not whatever the path names
     * by then; without /proc, the path after a second look at it. */
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    struct stat again;
    if (stat(proc, &again) == 0 && again.st_dev == st.st_dev && again.st_ino == st.st_ino) {
        f->dlname = hz_xstrdup(proc);
    } else if (stat(path, &again) == 0 && again.st_dev == st.st_dev && again.st_ino == st.st_ino) {
        f->dlname = hz_xstrdup(path);
    } else {
        snprintf(why, size, "it changed while being checked");
        hz_plugin_file_close(f);
        return false;
    }
    return true;
}

void hz_plugin_file_close(hz_plugin_file *f) {
    if (f->fd >= 0) close(f->fd);
    free(f->dlname);
    *f = (hz_plugin_file){.fd = -1};
}
