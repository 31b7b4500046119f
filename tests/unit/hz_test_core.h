/* Helpers for the unit tests of the core: each test runs inside its own
 * scratch folder (so that files are named as a user names them, and
 * messages read "pipeline.yaml:3:1: ..."), and diagnostics are compared as
 * the text `harmonize validate` would print. */
#ifndef HZ_TEST_CORE_H
#define HZ_TEST_CORE_H
#include "hz_test.h"

#include <limits.h>

#include "diag.h"

typedef struct hz_test_scratch {
    char *dir;          /* the scratch folder, absolute */
    char cwd[PATH_MAX]; /* where the test program was started */
} hz_test_scratch;

/* cmocka setup: a fresh folder, made the current directory. */
static inline int hz_test_scratch_enter(void **state) {
    hz_test_scratch *s = calloc(1, sizeof *s);
    assert_non_null(s);
    assert_non_null(getcwd(s->cwd, sizeof s->cwd));
    s->dir = hz_test_mkdtemp();
    assert_int_equal(chdir(s->dir), 0);
    *state = s;
    return 0;
}

/* cmocka teardown: back to the starting folder, the scratch one removed. */
static inline int hz_test_scratch_leave(void **state) {
    hz_test_scratch *s = *state;
    assert_int_equal(chdir(s->cwd), 0);
    hz_test_rmtree(s->dir);
    free(s);
    return 0;
}

/* What hz_diag_print writes, to free. */
static inline char *hz_test_diag_text(hz_diag *d) {
    hz_test_capture c;
    hz_test_capture_open(&c);
    hz_diag_print(d, c.f);
    hz_test_capture_close(&c);
    return c.text;
}

/* The printed diagnostics are exactly `want` ("" for none). */
static inline void hz_test_assert_diag(hz_diag *d, const char *want) {
    char *text = hz_test_diag_text(d);
    int differ = strcmp(text, want) != 0;
    /* Printed here: cmocka cuts long failure messages short. */
    if (differ) fprintf(stderr, "--- want\n%s--- got\n%s---\n", want, text);
    free(text);
    if (differ) fail_msg("diagnostics differ");
}
#endif
