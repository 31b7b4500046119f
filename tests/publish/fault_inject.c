/* LD_PRELOAD shim for the publish tests: real system calls that fail, so a
 * sink's own error path runs as it would on a failing disk.
 *
 *   HZ_FAULT_FSYNC=TEXT   fsync()/fdatasync() of a file whose path contains
 *                         TEXT fail with EIO
 *   HZ_FAULT_RENAME=TEXT  rename() to a path containing TEXT fails with EIO
 *   HZ_FAULT_FSYNC_SLEEP=SECONDS  every fsync() first sleeps that long (a run
 *                         held in the middle of publishing); with
 *                         HZ_FAULT_FSYNC_SLEEP_ON=TEXT, only that of a file
 *                         whose path contains TEXT; with
 *                         HZ_FAULT_FSYNC_MARK=FILE, that file is created
 *                         first (the test knows the run is held); with
 *                         HZ_FAULT_FSYNC_RELEASE=FILE, the sleep ends as
 *                         soon as that file exists (the test is done with
 *                         the held run: a hold long enough for valgrind
 *                         costs no more than the checks need)
 *   HZ_FAULT_RENAME_SLEEP=SECONDS  every rename() first creates the file
 *                         $HZ_FAULT_RENAME_MARK (if set), then sleeps that
 *                         long (a run held in the middle of its commit)
 *   HZ_FAULT_MALLOC_OVER=N  malloc(), calloc() and realloc() of more than N
 *                         bytes return NULL (memory exhausted)
 *
 * (Under AddressSanitizer or valgrind, which own malloc, the last one has
 * no effect: the test then says it skipped that check.)
 *
 * Only the test suite loads it (tests/publish/test_two_phase.sh). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
int fsync(int fd);
int fdatasync(int fd);
int rename(const char *from, const char *to);

/* Whether the file open as `fd` has a path containing $var's text. */
static int fd_matches(int fd, const char *var) {
    const char *text = getenv(var);
    if (!text || !*text) return 0;
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 0) return 0;
    path[n] = '\0';
    return strstr(path, text) != NULL;
}

/* Whether an allocation of n bytes must fail.  getenv does not allocate. */
static int too_big(size_t n) {
    const char *limit = getenv("HZ_FAULT_MALLOC_OVER");
    return limit && *limit && n > strtoull(limit, NULL, 10);
}

void *malloc(size_t n) {
    if (too_big(n)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size) {
    if (size && n > (size_t)-1 / size) return NULL;
    if (too_big(n * size)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n) {
    if (too_big(n)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(p, n);
}

static void *next(const char *name) {
    return dlsym(RTLD_NEXT, name);
}

static void maybe_sleep(int fd) {
    const char *s = getenv("HZ_FAULT_FSYNC_SLEEP");
    const char *on = getenv("HZ_FAULT_FSYNC_SLEEP_ON");
    if (on && *on && !fd_matches(fd, "HZ_FAULT_FSYNC_SLEEP_ON")) return;
    const char *mark = getenv("HZ_FAULT_FSYNC_MARK");
    if (mark && *mark) {
        FILE *f = fopen(mark, "w");
        if (f) fclose(f);
    }
    if (!s || !*s) return;
    unsigned long seconds = strtoul(s, NULL, 10);
    const char *release = getenv("HZ_FAULT_FSYNC_RELEASE");
    if (!release || !*release) {
        sleep((unsigned)seconds);
        return;
    }
    for (unsigned long tenths = 0; tenths < seconds * 10 && access(release, F_OK) != 0; tenths++)
        usleep(100000);
}

int fsync(int fd) {
    maybe_sleep(fd);
    if (fd_matches(fd, "HZ_FAULT_FSYNC")) {
        errno = EIO;
        return -1;
    }
    int (*real)(int) = (int (*)(int))next("fsync");
    return real(fd);
}

int fdatasync(int fd) {
    if (fd_matches(fd, "HZ_FAULT_FSYNC")) {
        errno = EIO;
        return -1;
    }
    int (*real)(int) = (int (*)(int))next("fdatasync");
    return real(fd);
}

int rename(const char *from, const char *to) {
    const char *mark = getenv("HZ_FAULT_RENAME_MARK");
    const char *pause = getenv("HZ_FAULT_RENAME_SLEEP");
    if (mark && *mark) {
        FILE *f = fopen(mark, "w");
        if (f) fclose(f);
    }
    if (pause && *pause) sleep((unsigned)strtoul(pause, NULL, 10));
    const char *text = getenv("HZ_FAULT_RENAME");
    if (text && *text && strstr(to, text)) {
        errno = EIO;
        return -1;
    }
    int (*real)(const char *, const char *) = (int (*)(const char *, const char *))next("rename");
    return real(from, to);
}
