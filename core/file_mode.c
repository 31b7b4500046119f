/* File and folder permissions (see file_mode.h). */
#define _GNU_SOURCE
#include "file_mode.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline.h"

bool hz_file_mode_parse(const hz_value *v, mode_t *out, char *msg, size_t size) {
    if (v->kind != HZ_VALUE_SCALAR) {
        snprintf(msg, size, "must be an octal permission like 0640, not a %s", hz_value_kind_name(v->kind));
        return false;
    }
    /* The value layer keeps the text as written, so a YAML 1.1 octal
     * integer (0640) and a string ("0640") read alike: always as octal,
     * as chmod(1) reads its argument. */
    const char *digits = v->text;
    if (digits[0] == '0' && (digits[1] == 'o' || digits[1] == 'O')) digits += 2;
    size_t n = strlen(digits);
    if (n < 3 || n > 5 || strspn(digits, "01234567") != n) {
        snprintf(msg, size,
                 "must be an octal permission like 0640 or \"0600\" (3 or 4 octal digits), not '%s'",
                 v->text);
        return false;
    }
    unsigned long m = strtoul(digits, NULL, 8);
    if (m & ~0777ul) {
        snprintf(msg, size,
                 "'%s' has setuid, setgid or sticky bits: only read and write permissions are allowed "
                 "(at most 0666)",
                 v->text);
        return false;
    }
    if (m & 0111) {
        snprintf(msg, size,
                 "'%s' gives execute permission: outputs are data, only read and write permissions are "
                 "allowed (at most 0666)",
                 v->text);
        return false;
    }
    if ((m & 0600) != 0600) {
        snprintf(msg, size,
                 "'%s' does not let the owner read and write the file, which the run needs: 0600 is the "
                 "narrowest",
                 v->text);
        return false;
    }
    *out = (mode_t)m;
    return true;
}

mode_t hz_folder_mode(mode_t file_mode) {
    return (file_mode & 0777) | ((file_mode & 0444) >> 2);
}

mode_t hz_file_mode_umask(mode_t file_mode) {
    return umask(0777 & ~hz_folder_mode(file_mode));
}

int hz_file_mode_set_fd(int fd, mode_t mode) {
    struct stat st;
    if (fstat(fd, &st) != 0) return -1;
    if ((st.st_mode & 07777) == mode) return 0;
    return fchmod(fd, mode);
}

int hz_file_mode_set(const char *path, mode_t mode) {
    /* O_NOFOLLOW: a link put in the file's place is not followed to chmod
     * someone else's file; O_NONBLOCK: a FIFO there does not hang us. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat st;
    int rc = fstat(fd, &st);
    if (rc == 0 && !S_ISREG(st.st_mode)) rc = (errno = EINVAL, -1);
    if (rc == 0) rc = hz_file_mode_set_fd(fd, mode);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

mode_t hz_sink_mode(const hz_pipeline *p, const hz_component *c) {
    if (c && c->file_mode_given) return c->file_mode;
    return hz_core_mode(p);
}

mode_t hz_core_mode(const hz_pipeline *p) {
    return p->file_mode_given ? p->file_mode : HZ_FILE_MODE_DEFAULT;
}

mode_t hz_output_mode(const hz_pipeline *p, const hz_component *c, const char *target) {
    if ((c && c->file_mode_given) || p->file_mode_given) return hz_sink_mode(p, c);
    struct stat st;
    if (target && lstat(target, &st) == 0 && S_ISREG(st.st_mode)) return st.st_mode & 0777;
    return HZ_FILE_MODE_DEFAULT;
}
