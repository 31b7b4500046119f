/* pg_names.c on its own: the hash against published FNV-1a vectors, names
 * at and around the 63-byte limit, and UTF-8 characters across the cut
 * (a name cut inside a character would be refused by the server as
 * invalid UTF-8). */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above. */
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <support/hzs_utf8.h>

#include "pg_names.h"

/* The length of the prefix kept in front of "_" and the hash. */
#define PREFIX_MAX (PG_NAME_MAX - 1 - PG_NAME_HASH_DIGITS)

/* `n` bytes of 'a', NUL-terminated, in a buffer of 256. */
static char *letters(size_t n) {
    char *s = calloc(256, 1);
    assert_non_null(s);
    memset(s, 'a', n);
    return s;
}

/* What pg_name_fit must make of `name` once cut to `prefix` bytes: the
 * prefix, '_', the 64-bit hash of the whole name folded to 32 bits. */
static void assert_fitted(const char *original, const char *fitted, size_t prefix) {
    uint64_t h = pg_name_hash(original);
    char expected[PG_NAME_MAX + 1];
    snprintf(expected, sizeof expected, "%.*s_%08lx", (int)prefix, original,
             (unsigned long)((h ^ (h >> 32)) & 0xffffffffu));
    assert_string_equal(fitted, expected);
    assert_true(strlen(fitted) <= PG_NAME_MAX);
}

static void fnv1a_vectors(void **state) {
    (void)state;
    /* From the FNV reference (Fowler, Noll, Vo), 64-bit FNV-1a. */
    assert_true(pg_name_hash("") == UINT64_C(0xcbf29ce484222325));
    assert_true(pg_name_hash("a") == UINT64_C(0xaf63dc4c8601ec8c));
    assert_true(pg_name_hash("foobar") == UINT64_C(0x85944171f73967e8));
}

static void at_most_63_bytes_unchanged(void **state) {
    (void)state;
    for (size_t n = 0; n <= PG_NAME_MAX; n++) {
        char *s = letters(n), *copy = strdup(s);
        assert_ptr_equal(pg_name_fit(s), s);
        assert_string_equal(s, copy);
        assert_int_equal(pg_name_kept(s), n);
        free(s);
        free(copy);
    }
}

static void sixty_four_bytes_shortened(void **state) {
    (void)state;
    char *s = letters(64), *copy = strdup(s);
    assert_int_equal(pg_name_kept(s), 63);
    pg_name_fit(s);
    assert_int_equal(strlen(s), PG_NAME_MAX);
    assert_fitted(copy, s, PREFIX_MAX);
    free(s);
    free(copy);
}

/* The case found: two names sharing far more than 63 bytes, different
 * after them.  Cut by the server they were one; fitted, they differ. */
static void shared_long_prefix_stays_different(void **state) {
    (void)state;
    char *a = letters(70), *b = letters(70);
    strcat(a, "_first_iso3_idx");
    strcat(b, "_second_iso3_idx");
    assert_int_equal(pg_name_kept(a), pg_name_kept(b));
    assert_memory_equal(a, b, pg_name_kept(a)); /* what the server made of them */
    pg_name_fit(a);
    pg_name_fit(b);
    assert_string_not_equal(a, b);
    assert_memory_equal(a, b, PREFIX_MAX);
    free(a);
    free(b);
}

/* A `width`-byte character starting at byte `at` of a 70-byte name. */
static char *with_character(size_t at, size_t width) {
    static const char *chars[] = {NULL, NULL, "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"}; /* é € 😀 */
    char *s = letters(70);
    memcpy(s + at, chars[width], width);
    return s;
}

static void multibyte_across_the_cut(void **state) {
    (void)state;
    /* For each width and each position around the cut at PREFIX_MAX: the
     * prefix kept ends before the character when it straddles the cut,
     * after it otherwise. */
    for (size_t width = 2; width <= 4; width++) {
        for (size_t at = PREFIX_MAX - 4; at <= PREFIX_MAX + 1; at++) {
            char *s = with_character(at, width), *copy = strdup(s);
            bool straddles = at < PREFIX_MAX && at + width > PREFIX_MAX;
            pg_name_fit(s);
            assert_fitted(copy, s, straddles ? at : PREFIX_MAX);
            assert_int_equal(hzs_utf8_invalid_at((const unsigned char *)s, strlen(s)), strlen(s));
            free(s);
            free(copy);
        }
    }
}

static void kept_like_the_server(void **state) {
    (void)state;
    /* The server keeps at most 63 bytes, between characters. */
    for (size_t width = 2; width <= 4; width++) {
        for (size_t at = PG_NAME_MAX - 4; at <= PG_NAME_MAX; at++) {
            char *s = with_character(at, width);
            bool straddles = at < PG_NAME_MAX && at + width > PG_NAME_MAX;
            assert_int_equal(pg_name_kept(s), straddles ? at : PG_NAME_MAX);
            free(s);
        }
    }
}

static void every_length_fits(void **state) {
    (void)state;
    /* Lengths up to 200 with a 3-byte character at every position: at most
     * 63 bytes, well-formed UTF-8, a prefix of the name. */
    for (size_t n = PG_NAME_MAX + 1; n < 200; n++) {
        for (size_t at = 0; at + 3 <= n; at += 7) {
            char *s = calloc(256, 1), *copy;
            assert_non_null(s);
            memset(s, 'b', n);
            memcpy(s + at, "\xe2\x82\xac", 3);
            copy = strdup(s);
            pg_name_fit(s);
            size_t len = strlen(s);
            assert_true(len <= PG_NAME_MAX && len >= PG_NAME_MAX - 3);
            assert_int_equal(hzs_utf8_invalid_at((const unsigned char *)s, len), len);
            assert_memory_equal(s, copy, len - 1 - PG_NAME_HASH_DIGITS);
            free(s);
            free(copy);
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fnv1a_vectors),
        cmocka_unit_test(at_most_63_bytes_unchanged),
        cmocka_unit_test(sixty_four_bytes_shortened),
        cmocka_unit_test(shared_long_prefix_stays_different),
        cmocka_unit_test(multibyte_across_the_cut),
        cmocka_unit_test(kept_like_the_server),
        cmocka_unit_test(every_length_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
