/* Helpers shared by the cmocka unit tests: a scratch folder per test with
 * real files in it, removed afterwards, and stderr-like output captured
 * in memory. */
#ifndef HZ_TEST_H
#define HZ_TEST_H
#define _XOPEN_SOURCE 700 /* nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above. */
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fresh folder under $HZ_TEST_TMPDIR (make check: the build's tests/tmp)
 * or $TMPDIR or /tmp; the caller frees the returned path. */
static inline char *hz_test_mkdtemp(void) {
    const char *base = getenv("HZ_TEST_TMPDIR");
    if (!base || !*base) base = getenv("TMPDIR");
    if (!base || !*base) base = "/tmp";
    mkdir(base, 0777); /* make check's tests/tmp may not exist yet */
    size_t n = strlen(base) + 32;
    char *dir = malloc(n);
    assert_non_null(dir);
    snprintf(dir, n, "%s/hz-unit.XXXXXX", base);
    assert_non_null(mkdtemp(dir));
    return dir;
}

static inline int hz_test_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Remove a folder and everything in it, then free the path. */
static inline void hz_test_rmtree(char *dir) {
    if (!dir) return;
    nftw(dir, hz_test_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

/* dir/name, to free. */
static inline char *hz_test_path(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Write `len` bytes to dir/name; returns the path (to free). */
static inline char *hz_test_write(const char *dir, const char *name, const char *text, size_t len) {
    char *path = hz_test_path(dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

static inline char *hz_test_write_text(const char *dir, const char *name, const char *text) {
    return hz_test_write(dir, name, text, strlen(text));
}

/* Output captured in memory: open with hz_test_capture_open, read the
 * text after hz_test_capture_close (which frees nothing: free(text)). */
typedef struct hz_test_capture {
    FILE *f;
    char *text;
    size_t len;
} hz_test_capture;

static inline void hz_test_capture_open(hz_test_capture *c) {
    c->text = NULL;
    c->len = 0;
    c->f = open_memstream(&c->text, &c->len);
    assert_non_null(c->f);
}

static inline const char *hz_test_capture_close(hz_test_capture *c) {
    assert_int_equal(fclose(c->f), 0);
    c->f = NULL;
    return c->text;
}
#endif
