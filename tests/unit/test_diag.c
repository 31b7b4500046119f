/* core/diag.c: configuration errors collected with their position, printed
 * gcc-style in file order, repeats printed and counted once, warnings apart
 * from errors. */
#include "hz_test_core.h"

#include "util.h"

static int setup(void **state) {
    *state = calloc(1, sizeof(hz_diag));
    return *state ? 0 : -1;
}

static int teardown(void **state) {
    hz_diag_free(*state);
    free(*state);
    return 0;
}

static void test_diag_error_is_printed_gcc_style(void **state) {
    hz_diag *d = *state;
    hz_diag_add(d, HZ_DIAG_ERROR, "pipeline.yaml", 14, 7,
                "unknown option '%s' for csv source '%s'; did you mean '%s'?", "delimeter", "germany",
                "delimiter");
    assert_int_equal(d->count, 1);
    assert_int_equal(d->errors, 1);
    hz_test_assert_diag(d, "pipeline.yaml:14:7: error: unknown option 'delimeter' for csv source 'germany'; "
                           "did you mean 'delimiter'?\n");
}

static void test_diag_without_position_names_the_file_only(void **state) {
    hz_diag *d = *state;
    hz_diag_add(d, HZ_DIAG_ERROR, "/opt/plugins/broken.so", 0, 0, "refused plugin: %s", "no kinds");
    hz_diag_add(d, HZ_DIAG_ERROR, NULL, 0, 0, "out of file descriptors");
    hz_test_assert_diag(d, "/opt/plugins/broken.so: error: refused plugin: no kinds\n"
                           "harmonize: error: out of file descriptors\n");
}

static void test_diag_sorted_by_file_then_line_then_column(void **state) {
    hz_diag *d = *state;
    hz_diag_add(d, HZ_DIAG_ERROR, "b.yaml", 1, 1, "b first");
    hz_diag_add(d, HZ_DIAG_ERROR, "a.yaml", 12, 3, "a line 12");
    hz_diag_add(d, HZ_DIAG_ERROR, "a.yaml", 2, 9, "a 2:9");
    hz_diag_add(d, HZ_DIAG_ERROR, "a.yaml", 2, 10, "a 2:10");
    hz_diag_add(d, HZ_DIAG_ERROR, "a.yaml", 2, 1, "a 2:1");
    hz_diag_add(d, HZ_DIAG_ERROR, "a.yaml", 0, 0, "a whole file");
    hz_diag_add(d, HZ_DIAG_ERROR, "a.yaml", 10, 1, "a line 10 (numbers, not text: after 2)");
    hz_test_assert_diag(d, "a.yaml: error: a whole file\n"
                           "a.yaml:2:1: error: a 2:1\n"
                           "a.yaml:2:9: error: a 2:9\n"
                           "a.yaml:2:10: error: a 2:10\n"
                           "a.yaml:10:1: error: a line 10 (numbers, not text: after 2)\n"
                           "a.yaml:12:3: error: a line 12\n"
                           "b.yaml:1:1: error: b first\n");
}

static void test_diag_same_position_keeps_the_order_of_discovery(void **state) {
    hz_diag *d = *state;
    static const char *const said[] = {"third said", "first said", "second said", "fourth said"};
    hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 9, 9, "later line");
    for (size_t i = 0; i < 4; i++) hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 4, 5, "%s", said[i]);
    hz_test_assert_diag(d, "p.yaml:4:5: error: third said\n"
                           "p.yaml:4:5: error: first said\n"
                           "p.yaml:4:5: error: second said\n"
                           "p.yaml:4:5: error: fourth said\n"
                           "p.yaml:9:9: error: later line\n");
}

static void test_diag_repeat_is_printed_and_counted_once(void **state) {
    hz_diag *d = *state;
    /* A value written once and copied by aliases is checked once per copy. */
    for (int i = 0; i < 3; i++) hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 5, 11, "variable 'X' has no value");
    hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 6, 3, "other");
    assert_int_equal(d->errors, 4);
    hz_test_assert_diag(d, "p.yaml:5:11: error: variable 'X' has no value\n"
                           "p.yaml:6:3: error: other\n");
    /* "N errors in p.yaml" must match the lines above it. */
    assert_int_equal(d->errors, 2);
    assert_int_equal(d->count, 2);
}

static void test_diag_same_message_elsewhere_is_not_a_repeat(void **state) {
    hz_diag *d = *state;
    hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 5, 11, "bad");
    hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 5, 12, "bad");
    hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 6, 11, "bad");
    hz_diag_add(d, HZ_DIAG_ERROR, "q.yaml", 5, 11, "bad");
    hz_diag_add(d, HZ_DIAG_WARNING, "p.yaml", 5, 11, "bad");
    hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 5, 11, "bad!");
    hz_test_assert_diag(d, "p.yaml:5:11: error: bad\n"
                           "p.yaml:5:11: warning: bad\n"
                           "p.yaml:5:11: error: bad!\n"
                           "p.yaml:5:12: error: bad\n"
                           "p.yaml:6:11: error: bad\n"
                           "q.yaml:5:11: error: bad\n");
    assert_int_equal(d->errors, 5);
}

static void test_diag_warnings_are_counted_apart_from_errors(void **state) {
    hz_diag *d = *state;
    hz_diag_add(d, HZ_DIAG_WARNING, "p.yaml", 0, 0, "sources are read in conflicting orders");
    hz_diag_add(d, HZ_DIAG_WARNING, "p.yaml", 3, 1, "second warning");
    assert_int_equal(d->count, 2);
    assert_int_equal(d->errors, 0); /* validate still says ok */
    hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 2, 1, "an error");
    assert_int_equal(d->count, 3);
    assert_int_equal(d->errors, 1);
    hz_test_assert_diag(d, "p.yaml: warning: sources are read in conflicting orders\n"
                           "p.yaml:2:1: error: an error\n"
                           "p.yaml:3:1: warning: second warning\n");
}

static void test_diag_keeps_its_own_copies(void **state) {
    hz_diag *d = *state;
    char file[] = "p.yaml", word[] = "delimeter";
    hz_diag_add(d, HZ_DIAG_ERROR, file, 1, 2, "unknown option '%s'", word);
    memcpy(file, "XXXXXX", 6);
    memcpy(word, "XXXXXXXXX", 9);
    hz_test_assert_diag(d, "p.yaml:1:2: error: unknown option 'delimeter'\n");
}

static void test_diag_long_messages_and_many_entries(void **state) {
    hz_diag *d = *state;
    char detail[5000];
    memset(detail, 'v', sizeof detail - 1);
    detail[sizeof detail - 1] = '\0';
    hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 1, 1, "value '%s' too long", detail);
    /* Added backwards, printed in order. */
    for (unsigned line = 1000; line >= 2; line--)
        hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", line, 1, "line %u", line);
    assert_int_equal(d->count, 1000);
    char *text = hz_test_diag_text(d);
    assert_int_equal(strncmp(text, "p.yaml:1:1: error: value 'vvv", 29), 0);
    const char *second = strchr(text, '\n') + 1;
    assert_int_equal(second - text, strlen("p.yaml:1:1: error: value '' too long\n") + sizeof detail - 1);
    hz_strbuf want = {0};
    for (unsigned line = 2; line <= 1000; line++)
        hz_strbuf_printf(&want, "p.yaml:%u:1: error: line %u\n", line, line);
    assert_string_equal(second, hz_strbuf_cstr(&want));
    hz_strbuf_free(&want);
    free(text);
}

static void test_diag_printing_twice_prints_the_same(void **state) {
    hz_diag *d = *state;
    hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 3, 1, "b");
    hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 1, 1, "a");
    hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 1, 1, "a");
    char *first = hz_test_diag_text(d);
    hz_test_assert_diag(d, first);
    assert_string_equal(first, "p.yaml:1:1: error: a\np.yaml:3:1: error: b\n");
    free(first);
}

static void test_diag_free_leaves_an_empty_reusable_diag(void **state) {
    hz_diag *d = *state;
    for (int i = 0; i < 40; i++) hz_diag_add(d, HZ_DIAG_ERROR, "p.yaml", 1, (unsigned)i + 1, "e%d", i);
    hz_diag_free(d);
    assert_int_equal(d->count, 0);
    assert_int_equal(d->errors, 0);
    assert_null(d->entries);
    hz_test_assert_diag(d, "");
    hz_diag_add(d, HZ_DIAG_WARNING, "p.yaml", 2, 2, "again");
    hz_test_assert_diag(d, "p.yaml:2:2: warning: again\n");
}

int main(void) {
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_diag_error_is_printed_gcc_style),
        T(test_diag_without_position_names_the_file_only),
        T(test_diag_sorted_by_file_then_line_then_column),
        T(test_diag_same_position_keeps_the_order_of_discovery),
        T(test_diag_repeat_is_printed_and_counted_once),
        T(test_diag_same_message_elsewhere_is_not_a_repeat),
        T(test_diag_warnings_are_counted_apart_from_errors),
        T(test_diag_keeps_its_own_copies),
        T(test_diag_long_messages_and_many_entries),
        T(test_diag_printing_twice_prints_the_same),
        T(test_diag_free_leaves_an_empty_reusable_diag),
#undef T
    };
    return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
