/* The run lock (see lock.h).  flock(2) rather than a pid file alone: the
 * kernel lets go of it when the process ends, however it ends (kill -9
 * included), so a crashed run never blocks the next one.  The file's text
 * (pid and start time) is only for the message the next run prints. */
#define _GNU_SOURCE
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file_mode.h"
#include "util.h"

/* mkdir -p: the state folder will hold the run's records.  0777: the
 * umask the run set makes it the folder mode (0750 by default, see
 * file_mode.h); a folder on the way that is a link is the administrator's
 * choice and is followed. */
static int make_folders(const char *dir) {
    char *path = hz_xstrdup(dir);
    int rc = 0;
    for (char *p = path + 1; rc == 0; p++) {
        if (*p != '/' && *p != '\0') continue;
        char saved = *p;
        *p = '\0';
        struct stat st;
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            rc = -1;
        else if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            rc = (errno = ENOTDIR, -1);
        *p = saved;
        if (saved == '\0') break;
    }
    free(path);
    return rc;
}

static void now_text(char *buf, size_t size) {
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M:%S %z", &tm);
}

/* Who holds it, from the file's text: "pid N, started T", or a fallback. */
static void describe_holder(int fd, char *buf, size_t size) {
    char text[256] = "";
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    if (n > 0) text[n] = '\0';
    long pid = 0;
    char started[64] = "";
    if (sscanf(text, "pid %ld started %63[^\n]", &pid, started) == 2)
        snprintf(buf, size, "pid %ld, started %s", pid, started);
    else
        snprintf(buf, size, "a process that did not say who it is");
}

static void sleep_a_little(void) {
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

int hz_lock_take(const char *dir, const char *pipeline, double wait_seconds, mode_t mode, int *locked) {
    *locked = 0;
    if (make_folders(dir) != 0) {
        fprintf(stderr, "harmonize: error: cannot create the state folder %s: %s\n", dir, strerror(errno));
        return -1;
    }
    char *path = hz_xasprintf("%s/lock", dir);
    /* Made once and then reused: a new one gets the run's mode exactly,
     * an existing one keeps its own; never through a link. */
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd >= 0 && hz_file_mode_set_fd(fd, mode) != 0) {
        close(fd);
        fd = -1;
    } else if (fd < 0 && errno == EEXIST) {
        fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    }
    if (fd < 0) {
        fprintf(stderr, "harmonize: error: cannot open the lock %s: %s\n", path, strerror(errno));
        free(path);
        return -1;
    }
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) break;
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        double waited = (double)(t.tv_sec - start.tv_sec) + (double)(t.tv_nsec - start.tv_nsec) / 1e9;
        if (errno != EWOULDBLOCK || waited >= wait_seconds) {
            char holder[160];
            describe_holder(fd, holder, sizeof holder);
            if (errno != EWOULDBLOCK)
                fprintf(stderr, "harmonize: error: cannot lock %s: %s\n", path, strerror(errno));
            else if (wait_seconds > 0)
                fprintf(stderr,
                        "harmonize: %s is still being run by another harmonize (%s) after waiting %.0f s: "
                        "nothing done (lock: %s)\n",
                        pipeline, holder, wait_seconds, path);
            else
                fprintf(stderr,
                        "harmonize: %s is being run by another harmonize (%s): nothing done; --wait SECONDS "
                        "waits for it (lock: %s)\n",
                        pipeline, holder, path);
            *locked = errno == EWOULDBLOCK;
            close(fd);
            free(path);
            return -1;
        }
        sleep_a_little();
    }
    char started[64], text[128];
    now_text(started, sizeof started);
    int n = snprintf(text, sizeof text, "pid %ld started %s\n", (long)getpid(), started);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)n, 0) != n)
        fprintf(stderr, "harmonize: warning: cannot write who holds the lock into %s: %s\n", path,
                strerror(errno));
    free(path);
    return fd;
}
