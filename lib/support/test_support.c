/* The plugins' helper library on its own, against a minimal host table:
 * buffers, UTF-8, folders, publishing through a temporary file, records. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above. */
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/hzs_buf.h"
#include "support/hzs_cells.h"
#include "support/hzs_feed.h"
#include "support/hzs_fs.h"
#include "support/hzs_names.h"
#include "support/hzs_publish.h"
#include "support/hzs_record.h"
#include "support/hzs_str.h"
#include "support/hzs_utf8.h"

/* ------------------------------------------------------------------ */
/* The host: memory, errors (the last one kept), paths, a batch.       */

HZ_HIDDEN const hz_host *hz;

static char last_error[1024];
static char base[512]; /* the test's folder: display_path strips it */

static void *fake_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    assert_non_null(p);
    return p;
}
static void *fake_xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    assert_non_null(p);
    return p;
}
static void *fake_xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    assert_non_null(p);
    return p;
}
static char *fake_xstrdup(const char *s) {
    char *p = strdup(s);
    assert_non_null(p);
    return p;
}
static void fake_error(hz_component *c, const char *fmt, ...) {
    (void)c;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
}
static const char *fake_display_path(hz_component *c, const char *path) {
    (void)c;
    size_t n = strlen(base);
    return !strncmp(path, base, n) && path[n] == '/' ? path + n + 1 : path;
}

/* One batch of at most 8 rows of 3 columns, bytes from a static arena. */
static hz_field batch_fields[8 * 3];
static hz_origin batch_origins[8];
static char arena[4096];
static size_t arena_used;
static hz_field *fake_batch_add_row(hz_batch *b, hz_origin origin) {
    hz_field *row = b->fields + b->nrows * b->ncols;
    memset(row, 0, b->ncols * sizeof *row);
    b->origins[b->nrows++] = origin;
    return row;
}
static char *fake_batch_alloc(hz_batch *b, size_t n) {
    (void)b;
    char *p = arena + arena_used;
    arena_used += n;
    return p;
}

static const hz_host host = {
    .error = fake_error,
    .display_path = fake_display_path,
    .batch_add_row = fake_batch_add_row,
    .batch_alloc = fake_batch_alloc,
    .xmalloc = fake_xmalloc,
    .xcalloc = fake_xcalloc,
    .xrealloc = fake_xrealloc,
    .xstrdup = fake_xstrdup,
};

static char *path_in_base(const char *rel) {
    size_t n = strlen(base) + strlen(rel) + 2;
    char *p = fake_xmalloc(n);
    snprintf(p, n, "%s/%s", base, rel);
    return p;
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    hzs_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) hzs_buf_add(&b, chunk, n);
    fclose(f);
    return hzs_buf_take(&b);
}

/* Names in a folder, sorted and joined with spaces. */
static char *list_folder(const char *dir) {
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    hzs_buf b = {0};
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
            hzs_buf_printf(&b, "%s%s", b.len ? " " : "", names[i]->d_name);
        free(names[i]);
    }
    free(names);
    return hzs_buf_take(&b);
}

/* ------------------------------------------------------------------ */

static void test_buffer_appends_and_hands_over_a_string(void **state) {
    (void)state;
    hzs_buf b = {0};
    assert_string_equal(hzs_buf_str(&b), "");
    hzs_buf_add(&b, "ab", 2);
    hzs_buf_add(&b, NULL, 0);
    hzs_buf_adds(&b, "cd");
    hzs_buf_addc(&b, '-');
    hzs_buf_printf(&b, "%d:%s", 42, "x");
    assert_int_equal(b.len, 9);
    assert_string_equal(hzs_buf_str(&b), "abcd-42:x");
    /* longer than printf's first try */
    char big[1000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    hzs_buf_clear(&b);
    hzs_buf_printf(&b, "<%s>", big);
    assert_int_equal(b.len, 1001);
    assert_int_equal(b.data[0], '<');
    assert_int_equal(b.data[1000], '>');
    char *s = hzs_buf_take(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(strlen(s), 1001);
    free(s);
    hzs_buf_free(&b);
}

static void test_arrays_grow_to_what_is_needed(void **state) {
    (void)state;
    int *a = NULL;
    size_t cap = 0;
    a = hzs_grow(a, &cap, 1, sizeof *a);
    assert_true(cap >= 1);
    size_t first = cap;
    a = hzs_grow(a, &cap, first, sizeof *a);
    assert_int_equal(cap, first); /* enough already: unchanged */
    a = hzs_grow(a, &cap, 1000, sizeof *a);
    assert_true(cap >= 1000);
    a[999] = 7;
    assert_int_equal(a[999], 7);
    free(a);
}

static void test_utf8_checks_follow_table_3_7(void **state) {
    (void)state;
    const struct {
        const char *text;
        size_t invalid_at;
    } cases[] = {
        {"plain ascii, longer than a word", 31},
        {"caf\xC3\xA9", 5},
        {"\xE2\x82\xAC and \xF0\x9F\x98\x80", 12},
        {"\xC0\x80", 0},                /* overlong NUL */
        {"ab\xE0\x80\x80", 2},          /* overlong three bytes */
        {"abcdefghij\xED\xA0\x80", 10}, /* a surrogate, after a whole word */
        {"\xF4\x90\x80\x80", 0},        /* past U+10FFFF */
        {"x\xC3", 1},                   /* cut short */
        {"\x80", 0},                    /* a lone continuation byte */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const unsigned char *p = (const unsigned char *)cases[i].text;
        assert_int_equal(hzs_utf8_invalid_at(p, strlen(cases[i].text)), cases[i].invalid_at);
    }
    assert_int_equal(hzs_utf8_sequence((const unsigned char *)"a", 1), 1);
    assert_int_equal(hzs_utf8_sequence((const unsigned char *)"\xC3\xA9", 2), 2);
    assert_int_equal(hzs_utf8_sequence((const unsigned char *)"\xC3\xA9", 1), 0);
    assert_int_equal(hzs_utf8_sequence((const unsigned char *)"\xF0\x9F\x98\x80", 4), 4);
}

static void test_strings_and_folders(void **state) {
    (void)state;
    char *s = hzs_strndup("abcdef", 3);
    assert_string_equal(s, "abc");
    free(s);
    const char *cases[][2] = {{"a/b/c.csv", "a/b"}, {"/c.csv", "/"}, {"c.csv", "."}, {"/a/c", "/a"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *d = hzs_dirname(cases[i][0]);
        assert_string_equal(d, cases[i][1]);
        free(d);
    }
}

static void test_missing_folders_are_made_and_a_file_in_the_way_reported(void **state) {
    (void)state;
    char *target = path_in_base("made/deeper/out.csv");
    assert_int_equal(hzs_make_parents(NULL, target), 0);
    char *dir = path_in_base("made/deeper");
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(hzs_make_parents(NULL, target), 0); /* again: nothing to do */

    char *file = path_in_base("plain");
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    char *blocked = path_in_base("plain/sub/out.csv");
    assert_int_equal(hzs_make_parents(NULL, blocked), -1);
    assert_string_equal(last_error, "cannot write plain/sub/out.csv: plain is not a folder");
    free(target);
    free(dir);
    free(file);
    free(blocked);
}

static void test_a_feed_is_checked_without_being_read(void **state) {
    (void)state;
    char *missing = path_in_base("no-such-feed.txt");
    assert_int_equal(hzs_feed_check(NULL, missing), -1);
    assert_string_equal(last_error, "cannot open no-such-feed.txt: No such file or directory");
    assert_int_equal(hzs_feed_check(NULL, base), -1);
    char *expected = path_in_base("");
    expected[strlen(expected) - 1] = '\0'; /* the base itself: shown in full */
    char want[700];
    snprintf(want, sizeof want, "%s is a folder, not an export file", expected);
    assert_string_equal(last_error, want);
    char *feed = path_in_base("feed.txt");
    FILE *f = fopen(feed, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(hzs_feed_check(NULL, feed), 0);
    free(missing);
    free(expected);
    free(feed);
}

static void test_publish_appears_whole_on_commit_with_the_usual_mode(void **state) {
    (void)state;
    mode_t old = umask(027);
    char *target = path_in_base("pub/ok.csv");
    char *dir = path_in_base("pub");
    hzs_publish p;
    hzs_publish_init(&p, NULL, target, true);
    assert_string_equal(p.shown, "pub/ok.csv");
    assert_int_equal(hzs_publish_open(&p), 0);
    assert_int_equal(hzs_publish_write(&p, "a,b\n", 4), 0);
    /* a reservation larger than the buffer grows it */
    assert_int_equal(hzs_publish_reserve(&p, HZS_PUBLISH_BUFFER + 10), 0);
    assert_true(p.buf.cap - p.buf.len >= HZS_PUBLISH_BUFFER + 10);
    memset(p.buf.data + p.buf.len, 'x', HZS_PUBLISH_BUFFER + 10);
    p.buf.len += HZS_PUBLISH_BUFFER + 10;
    assert_int_equal(hzs_publish_write(&p, "\n", 1), 0);
    assert_int_equal(hzs_publish_prepare(&p), 0);
    /* prepared: only the hidden temporary file, beside the target */
    char *names = list_folder(dir);
    assert_int_equal(strncmp(names, ".ok.csv.tmp-", 12), 0);
    assert_null(strchr(names, ' '));
    free(names);
    assert_int_equal(hzs_publish_commit(&p), 0);
    names = list_folder(dir);
    assert_string_equal(names, "ok.csv");
    free(names);
    struct stat st;
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_int_equal(st.st_size, 4 + HZS_PUBLISH_BUFFER + 10 + 1);
    char *text = read_file(target);
    assert_int_equal(strncmp(text, "a,b\nxxx", 7), 0);
    free(text);
    hzs_publish_free(&p);
    umask(old);
    free(target);
    free(dir);
}

static void test_abort_leaves_the_previous_file_and_no_temporary_one(void **state) {
    (void)state;
    char *target = path_in_base("keep.csv");
    FILE *f = fopen(target, "w");
    assert_non_null(f);
    fputs("old\n", f);
    fclose(f);
    hzs_publish p;
    hzs_publish_init(&p, NULL, target, false);
    assert_int_equal(hzs_publish_open(&p), 0);
    assert_int_equal(hzs_publish_write(&p, "new\n", 4), 0);
    hzs_publish_abort(&p);
    hzs_publish_abort(&p); /* again: nothing left to do */
    hzs_publish_free(&p);
    char *text = read_file(target);
    assert_string_equal(text, "old\n");
    free(text);
    char *names = list_folder(base);
    assert_null(strstr(names, ".tmp-"));
    free(names);
    free(target);
}

static void test_publish_reports_a_folder_it_cannot_write(void **state) {
    (void)state;
    char *dir = path_in_base("locked");
    assert_int_equal(mkdir(dir, 0555), 0);
    char *target = path_in_base("locked/out.csv");
    hzs_publish p;
    hzs_publish_init(&p, NULL, target, true);
    if (geteuid() == 0) { /* root writes anywhere */
        assert_int_equal(hzs_publish_open(&p), 0);
    } else {
        assert_int_equal(hzs_publish_open(&p), -1);
        assert_int_equal(strncmp(last_error, "cannot create locked/out.csv (temporary file ", 45), 0);
        assert_null(p.tmp_path);
    }
    hzs_publish_free(&p);
    free(target);
    free(dir);
}

static void test_record_emits_a_row_or_gives_its_fields(void **state) {
    (void)state;
    hzs_record r;
    hzs_record_init(&r, 3);
    hzs_record_clear(&r);
    hzs_record_put(&r, 2, "zz", 2);
    hzs_record_begin(&r, 0);
    hzs_buf_adds(&r.text, "a");
    hzs_buf_adds(&r.text, "b");
    hzs_record_end(&r, 0);
    const hz_field *f = hzs_record_fields(&r);
    assert_int_equal(f[0].len, 2);
    assert_memory_equal(f[0].ptr, "ab", 2);
    assert_int_equal(f[1].len, 0);
    assert_null(f[1].ptr);
    assert_memory_equal(f[2].ptr, "zz", 2);

    hz_batch b = {.ncols = 3, .capacity = 8, .fields = batch_fields, .origins = batch_origins};
    hzs_record_emit(&r, &b, (hz_origin){.line = 7});
    assert_int_equal(b.nrows, 1);
    assert_int_equal(b.origins[0].line, 7);
    assert_memory_equal(b.fields[0].ptr, "ab", 2);
    assert_int_equal(b.fields[1].len, 0);
    assert_memory_equal(b.fields[2].ptr, "zz", 2);
    assert_true(b.fields[0].ptr >= arena && b.fields[0].ptr < arena + sizeof arena);

    hzs_record_clear(&r);
    f = hzs_record_fields(&r);
    for (size_t j = 0; j < 3; j++) assert_int_equal(f[j].len, 0);
    hzs_record_free(&r);
}

static void test_repeated_names_point_at_their_first_occurrence(void **state) {
    (void)state;
    const char *names[] = {"b", "a", NULL, "b", "c", "a", "b", NULL};
    size_t earlier[8];
    assert_int_equal(hzs_names_repeats(names, 8, earlier), 3);
    size_t want[8] = {HZS_NAMES_FIRST, HZS_NAMES_FIRST, HZS_NAMES_FIRST, 0, HZS_NAMES_FIRST, 1, 0,
                      HZS_NAMES_FIRST};
    for (size_t i = 0; i < 8; i++) assert_int_equal(earlier[i], want[i]);
    assert_int_equal(hzs_names_repeats(names, 0, earlier), 0);

    /* wide: 100,000 distinct names, then one repeat at the very end */
    enum { WIDE = 100001 };
    char(*text)[16] = calloc(WIDE, sizeof *text);
    const char **wide = calloc(WIDE, sizeof *wide);
    size_t *at = calloc(WIDE, sizeof *at);
    assert_non_null(text);
    assert_non_null(wide);
    assert_non_null(at);
    for (size_t i = 0; i < WIDE - 1; i++) {
        snprintf(text[i], sizeof text[i], "c%zu", i);
        wide[i] = text[i];
    }
    wide[WIDE - 1] = "c4242";
    assert_int_equal(hzs_names_repeats(wide, WIDE, at), 1);
    assert_int_equal(at[WIDE - 1], 4242);
    assert_int_equal(at[4242], HZS_NAMES_FIRST);
    free(text);
    free(wide);
    free(at);
}

/* The serials both workbook sources write (xlsx from the cell's text, xls
 * from FreeXL's number): the two date systems, Lotus's day 60, 2100 not a
 * leap year, times rounded to the second, numbers at their shortest. */
static void test_excel_serials_and_numbers_as_text(void **state) {
    (void)state;
    char out[32];
    const char *why = NULL;
    assert_string_equal(hzs_cell_serial_date_of(1, false, out, &why), "1900-01-01");
    assert_string_equal(hzs_cell_serial_date_of(59, false, out, &why), "1900-02-28");
    assert_null(hzs_cell_serial_date_of(60, false, out, &why));
    assert_string_equal(why, "is 1900-02-29, a day that never was (Excel's 1900 leap-year bug)");
    assert_string_equal(hzs_cell_serial_date_of(61, false, out, &why), "1900-03-01");
    assert_string_equal(hzs_cell_serial_date_of(73110, false, out, &why), "2100-03-01");
    assert_string_equal(hzs_cell_serial_date_of(45291.99965277778, false, out, &why), "2023-12-31T23:59:30");
    assert_string_equal(hzs_cell_serial_date_of(0, true, out, &why), "1904-01-01");
    assert_string_equal(hzs_cell_serial_date_of(59, true, out, &why), "1904-02-29");
    assert_null(hzs_cell_serial_date_of(-1, false, out, &why));
    assert_null(hzs_cell_serial_date_of(2958466, false, out, &why));
    /* the text form is the same function */
    assert_string_equal(hzs_cell_serial_date(" 61", false, out, &why), "1900-03-01");
    assert_string_equal(hzs_cell_serial_time_of(0.5, out), "12:00:00");
    assert_string_equal(hzs_cell_serial_time_of(86399.6 / 86400, out), "23:59:59");
    assert_null(hzs_cell_serial_time_of(1.5, out));
    assert_string_equal(hzs_cell_double_text(0.1, out), "0.1");
    assert_string_equal(hzs_cell_double_text(-2.5e-07, out), "-2.5e-07");
    assert_string_equal(hzs_cell_double_text(123456789012.0, out), "123456789012");
    assert_string_equal(hzs_cell_double_text(-0.0, out), "0");
    assert_null(hzs_cell_number_text("12abc", out));
}

int main(void) {
    hz = &host;
    const char *tmp = getenv("HZ_TEST_TMPDIR");
    snprintf(base, sizeof base, "%s/support-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(base)) {
        perror(base);
        return 99;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buffer_appends_and_hands_over_a_string),
        cmocka_unit_test(test_excel_serials_and_numbers_as_text),
        cmocka_unit_test(test_arrays_grow_to_what_is_needed),
        cmocka_unit_test(test_utf8_checks_follow_table_3_7),
        cmocka_unit_test(test_strings_and_folders),
        cmocka_unit_test(test_missing_folders_are_made_and_a_file_in_the_way_reported),
        cmocka_unit_test(test_a_feed_is_checked_without_being_read),
        cmocka_unit_test(test_publish_appears_whole_on_commit_with_the_usual_mode),
        cmocka_unit_test(test_abort_leaves_the_previous_file_and_no_temporary_one),
        cmocka_unit_test(test_publish_reports_a_folder_it_cannot_write),
        cmocka_unit_test(test_record_emits_a_row_or_gives_its_fields),
        cmocka_unit_test(test_repeated_names_point_at_their_first_occurrence),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (!failed) {
        hzs_buf cmd = {0};
        hzs_buf_printf(&cmd, "chmod -R u+w '%s' && rm -rf '%s'", base, base);
        int rc = system(hzs_buf_str(&cmd));
        hzs_buf_free(&cmd);
        if (rc != 0) return 99;
    }
    return failed ? 1 : 0;
}
