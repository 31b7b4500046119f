/* LD_PRELOAD shim for the kill test: kill -9 the process at an exact point
 * of its run, counted in the system calls that read, write, sync, rename or
 * remove files (read, write, pread, pwrite, fsync, fdatasync, rename,
 * unlink), whoever makes them: the core, a plugin, SQLite.
 *
 *   HZ_KILL_AT=N       the Nth such call raises SIGKILL instead of running
 *   HZ_KILL_COUNT=FILE at exit, write to FILE the number of calls made
 *                      (`total N`) and the number of each rename
 *                      (`rename N TARGET`), so a test can spread its kill
 *                      points over a whole run and put some between commits
 *
 * Only the test suite loads it (tests/publish/test_kill_publish.tap). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
ssize_t pread64(int fd, void *buf, size_t n, off_t at);
ssize_t pwrite64(int fd, const void *buf, size_t n, off_t at);
ssize_t pread(int fd, void *buf, size_t n, off_t at);
ssize_t pwrite(int fd, const void *buf, size_t n, off_t at);
int fsync(int fd);
int fdatasync(int fd);
int rename(const char *from, const char *to);
int unlink(const char *path);

#define MAX_RENAMES 64

static unsigned long calls, kill_at;
static int configured;
static unsigned long rename_at[MAX_RENAMES];
static char rename_to[MAX_RENAMES][256];
static int nrenames;

/* Count one call; the chosen one never returns. */
static void step(void) {
    if (!configured) {
        const char *k = getenv("HZ_KILL_AT");
        kill_at = k && *k ? strtoul(k, NULL, 10) : 0;
        configured = 1;
    }
    if (++calls == kill_at) raise(SIGKILL);
}

static void *next(const char *name) {
    return dlsym(RTLD_NEXT, name);
}

__attribute__((destructor)) static void report(void) {
    const char *file = getenv("HZ_KILL_COUNT");
    if (!file || !*file) return;
    FILE *f = fopen(file, "w");
    if (!f) return;
    fprintf(f, "total %lu\n", calls);
    for (int i = 0; i < nrenames; i++) fprintf(f, "rename %lu %s\n", rename_at[i], rename_to[i]);
    fclose(f);
}

ssize_t read(int fd, void *buf, size_t n) {
    step();
    return ((ssize_t(*)(int, void *, size_t))next("read"))(fd, buf, n);
}

ssize_t write(int fd, const void *buf, size_t n) {
    step();
    return ((ssize_t(*)(int, const void *, size_t))next("write"))(fd, buf, n);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t at) {
    step();
    return ((ssize_t(*)(int, void *, size_t, off_t))next("pread64"))(fd, buf, n, at);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t at) {
    step();
    return ((ssize_t(*)(int, const void *, size_t, off_t))next("pwrite64"))(fd, buf, n, at);
}

ssize_t pread(int fd, void *buf, size_t n, off_t at) {
    step();
    return ((ssize_t(*)(int, void *, size_t, off_t))next("pread"))(fd, buf, n, at);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t at) {
    step();
    return ((ssize_t(*)(int, const void *, size_t, off_t))next("pwrite"))(fd, buf, n, at);
}

int fsync(int fd) {
    step();
    return ((int (*)(int))next("fsync"))(fd);
}

int fdatasync(int fd) {
    step();
    return ((int (*)(int))next("fdatasync"))(fd);
}

int rename(const char *from, const char *to) {
    step();
    if (nrenames < MAX_RENAMES) {
        rename_at[nrenames] = calls;
        snprintf(rename_to[nrenames++], sizeof rename_to[0], "%s", to);
    }
    return ((int (*)(const char *, const char *))next("rename"))(from, to);
}

int unlink(const char *path) {
    step();
    return ((int (*)(const char *))next("unlink"))(path);
}
