/* core/vars.c: ${NAME}, ${NAME:-default}, ${NAME:?message}, $$, and the
 * errors with the offset of the offending '$'. */
#include "hz_test.h"

#include "vars.h"

/* Names no environment sets. */
#define UNSET  "HZ_TEST_NEVER_SET_7F3A"
#define ENVVAR "HZ_TEST_ENV_VALUE_7F3A"

typedef struct expansion {
    char *text;
    char *error;
    size_t offset;
} expansion;

static expansion expand(const hz_vars *v, const char *text) {
    expansion e = {NULL, NULL, (size_t)-1};
    e.text = hz_vars_expand(v, text, &e.error, &e.offset);
    return e;
}

static void expansion_free(expansion *e) {
    free(e->text);
    free(e->error);
}

static void assert_expands_to(const hz_vars *v, const char *text, const char *want) {
    expansion e = expand(v, text);
    if (!e.text) fail_msg("'%s' did not expand: %s", text, e.error);
    assert_null(e.error);
    assert_string_equal(e.text, want);
    expansion_free(&e);
}

static void assert_fails(const hz_vars *v, const char *text, size_t offset, const char *error) {
    expansion e = expand(v, text);
    assert_null(e.text);
    assert_non_null(e.error);
    assert_string_equal(e.error, error);
    assert_int_equal(e.offset, offset);
    expansion_free(&e);
}

static int setup(void **state) {
    hz_vars *v = calloc(1, sizeof *v);
    unsetenv(UNSET);
    setenv(ENVVAR, "from-env", 1);
    *state = v;
    return 0;
}

static int teardown(void **state) {
    hz_vars_free(*state);
    free(*state);
    unsetenv(ENVVAR);
    return 0;
}

static void test_vars_text_without_dollar_is_unchanged(void **state) {
    assert_expands_to(*state, "plain text, no variables", "plain text, no variables");
    assert_expands_to(*state, "", "");
}

static void test_vars_set_value_replaces_reference(void **state) {
    hz_vars *v = *state;
    assert_int_equal(hz_vars_set(v, "feeds=/data/2021"), 0);
    assert_expands_to(v, "${feeds}/avrr.csv", "/data/2021/avrr.csv");
}

static void test_vars_several_references_in_one_value(void **state) {
    hz_vars *v = *state;
    hz_vars_set(v, "a=1");
    hz_vars_set(v, "b=two");
    assert_expands_to(v, "${a}-${b}-${a}", "1-two-1");
}

static void test_vars_environment_used_when_not_set(void **state) {
    assert_expands_to(*state, "x ${" ENVVAR "} y", "x from-env y");
}

static void test_vars_set_wins_over_environment(void **state) {
    hz_vars *v = *state;
    hz_vars_set(v, ENVVAR "=from-set");
    assert_expands_to(v, "${" ENVVAR "}", "from-set");
    assert_string_equal(hz_vars_get(v, ENVVAR), "from-set");
}

static void test_vars_later_set_of_same_name_wins(void **state) {
    hz_vars *v = *state;
    hz_vars_set(v, "x=first");
    hz_vars_set(v, "x=second");
    assert_int_equal(v->count, 1);
    assert_expands_to(v, "${x}", "second");
}

static void test_vars_set_value_may_contain_equals_and_be_empty(void **state) {
    hz_vars *v = *state;
    assert_int_equal(hz_vars_set(v, "expr=a=b"), 0);
    assert_int_equal(hz_vars_set(v, "empty="), 0);
    assert_expands_to(v, "${expr}|${empty}|", "a=b||");
}

static void test_vars_set_refuses_malformed_assignments(void **state) {
    hz_vars *v = *state;
    assert_int_equal(hz_vars_set(v, "no_equals_sign"), -1);
    assert_int_equal(hz_vars_set(v, "=value"), -1);
    assert_int_equal(hz_vars_set(v, "1abc=value"), -1);
    assert_int_equal(hz_vars_set(v, "a-b=value"), -1);
    assert_int_equal(v->count, 0);
    assert_int_equal(hz_vars_set(v, "_ok9=value"), 0);
}

static void test_vars_default_used_when_unset(void **state) {
    assert_expands_to(*state, "${" UNSET ":-feeds}/x.csv", "feeds/x.csv");
}

static void test_vars_default_used_when_set_but_empty(void **state) {
    hz_vars *v = *state;
    hz_vars_set(v, "dir=");
    assert_expands_to(v, "${dir:-fallback}", "fallback");
}

static void test_vars_default_ignored_when_set(void **state) {
    hz_vars *v = *state;
    hz_vars_set(v, "dir=given");
    assert_expands_to(v, "${dir:-fallback}", "given");
}

static void test_vars_default_may_be_empty(void **state) {
    assert_expands_to(*state, "[${" UNSET ":-}]", "[]");
}

static void test_vars_plain_reference_to_empty_value_is_empty(void **state) {
    hz_vars *v = *state;
    hz_vars_set(v, "blank=");
    assert_expands_to(v, "<${blank}>", "<>");
}

static void test_vars_required_uses_value_when_set(void **state) {
    hz_vars *v = *state;
    hz_vars_set(v, "feed=x.csv");
    assert_expands_to(v, "${feed:?give a feed}", "x.csv");
}

static void test_vars_required_reports_custom_message_when_unset(void **state) {
    assert_fails(*state, "path: ${" UNSET ":?set the feed folder with --set}", 6,
                 "set the feed folder with --set");
}

static void test_vars_required_reports_custom_message_when_empty(void **state) {
    hz_vars *v = *state;
    hz_vars_set(v, "feed=");
    assert_fails(v, "${feed:?feed is empty}", 0, "feed is empty");
}

static void test_vars_required_without_message_names_the_variable(void **state) {
    assert_fails(*state, "ab${" UNSET ":?}", 2, "variable '" UNSET "' has no value");
}

static void test_vars_unset_reference_reports_offset_and_how_to_set(void **state) {
    assert_fails(*state, "in/${" UNSET "}.csv", 3,
                 "variable '" UNSET "' has no value: set it with --set " UNSET
                 "=... (or in the environment), or give it a default: ${" UNSET ":-default}");
}

static void test_vars_double_dollar_is_a_literal_dollar(void **state) {
    assert_expands_to(*state, "cost $$5 and $${HOME}", "cost $5 and ${HOME}");
    assert_expands_to(*state, "$$$$", "$$");
}

static void test_vars_lone_dollar_is_kept(void **state) {
    assert_expands_to(*state, "a $ b $x $", "a $ b $x $");
}

static void test_vars_unterminated_reference_reports_its_dollar(void **state) {
    assert_fails(*state, "abc ${feed", 4,
                 "unterminated '${': add the closing '}' (write '$$' for a literal '$')");
}

static void test_vars_error_after_a_good_reference_points_at_the_bad_one(void **state) {
    hz_vars *v = *state;
    hz_vars_set(v, "ok=1");
    assert_fails(v, "${ok}/${", 6, "unterminated '${': add the closing '}' (write '$$' for a literal '$')");
}

static void test_vars_invalid_name_is_reported(void **state) {
    assert_fails(*state, "${1abc}", 0, "invalid variable name '1abc'");
    assert_fails(*state, "x${}", 1, "invalid variable name ''");
    assert_fails(*state, "${a b}", 0, "invalid variable name 'a b'");
}

static void test_vars_unknown_operator_is_reported(void **state) {
    assert_fails(
        *state, "${feed:+alt}", 0,
        "invalid variable reference '${feed:+alt}': use ${feed}, ${feed:-default} or ${feed:?message}");
}

static void test_vars_values_are_not_expanded_again(void **state) {
    hz_vars *v = *state;
    hz_vars_set(v, "a=${b}");
    hz_vars_set(v, "b=never");
    assert_expands_to(v, "${a}", "${b}");
}

static void test_vars_default_text_is_taken_literally(void **state) {
    /* The default ends at the first '}': no nesting. */
    assert_expands_to(*state, "${" UNSET ":-a:b-c}", "a:b-c");
}

static void test_vars_get_falls_back_to_environment_and_null(void **state) {
    assert_string_equal(hz_vars_get(*state, ENVVAR), "from-env");
    assert_null(hz_vars_get(*state, UNSET));
    assert_string_equal(hz_vars_get(NULL, ENVVAR), "from-env");
}

int main(void) {
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_vars_text_without_dollar_is_unchanged),
        T(test_vars_set_value_replaces_reference),
        T(test_vars_several_references_in_one_value),
        T(test_vars_environment_used_when_not_set),
        T(test_vars_set_wins_over_environment),
        T(test_vars_later_set_of_same_name_wins),
        T(test_vars_set_value_may_contain_equals_and_be_empty),
        T(test_vars_set_refuses_malformed_assignments),
        T(test_vars_default_used_when_unset),
        T(test_vars_default_used_when_set_but_empty),
        T(test_vars_default_ignored_when_set),
        T(test_vars_default_may_be_empty),
        T(test_vars_plain_reference_to_empty_value_is_empty),
        T(test_vars_required_uses_value_when_set),
        T(test_vars_required_reports_custom_message_when_unset),
        T(test_vars_required_reports_custom_message_when_empty),
        T(test_vars_required_without_message_names_the_variable),
        T(test_vars_unset_reference_reports_offset_and_how_to_set),
        T(test_vars_double_dollar_is_a_literal_dollar),
        T(test_vars_lone_dollar_is_kept),
        T(test_vars_unterminated_reference_reports_its_dollar),
        T(test_vars_error_after_a_good_reference_points_at_the_bad_one),
        T(test_vars_invalid_name_is_reported),
        T(test_vars_unknown_operator_is_reported),
        T(test_vars_values_are_not_expanded_again),
        T(test_vars_default_text_is_taken_literally),
        T(test_vars_get_falls_back_to_environment_and_null),
#undef T
    };
    return cmocka_run_group_tests_name("vars", tests, NULL, NULL);
}
