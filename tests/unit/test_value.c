/* core/value.c: the pipeline file as a tree of values with their file,
 * line and column; what is refused (duplicate keys, alias bombs, recursive
 * anchors, deep nesting, syntax errors, unreadable files) and where it is
 * reported; scalars kept as written. */
#include "hz_test_core.h"

#include "util.h"
#include "value.h"

#define UNSET "HZ_TEST_NEVER_SET_7F3A"

typedef struct loaded {
    hz_document *doc;
    hz_diag diag;
} loaded;

/* Write `text` as pipeline.yaml in the scratch folder and load it. */
static loaded load_text(const char *text, const hz_vars *vars) {
    free(hz_test_write_text(".", "pipeline.yaml", text));
    loaded l = {NULL, {0}};
    l.doc = hz_document_load("pipeline.yaml", vars, &l.diag);
    return l;
}

static void loaded_free(loaded *l) {
    hz_document_free(l->doc);
    hz_diag_free(&l->diag);
}

static void assert_at(const hz_value *v, hz_value_kind kind, unsigned line, unsigned col) {
    assert_non_null(v);
    assert_int_equal(v->kind, kind);
    assert_int_equal(v->line, line);
    assert_int_equal(v->col, col);
}

static void assert_scalar_at(const hz_value *v, const char *text, unsigned line, unsigned col) {
    assert_at(v, HZ_VALUE_SCALAR, line, col);
    assert_string_equal(v->text, text);
}

static void test_value_tree_carries_positions_of_keys_and_values(void **state) {
    (void)state;
    loaded l = load_text("version: 1\n"
                         "sources:\n"
                         "  germany:\n"
                         "    type: csv\n"
                         "    path: \"feeds/de.csv\"\n"
                         "    columns: [id, 'sex', \"age\"]\n",
                         NULL);
    hz_test_assert_diag(&l.diag, "");
    const hz_value *root = l.doc->root;
    assert_at(root, HZ_VALUE_MAP, 1, 1);
    assert_int_equal(root->count, 2);
    assert_scalar_at(root->keys[0], "version", 1, 1);
    assert_scalar_at(root->items[0], "1", 1, 10);
    assert_scalar_at(hz_value_key_of(root, "sources"), "sources", 2, 1);

    const hz_value *germany = hz_value_get(hz_value_get(root, "sources"), "germany");
    assert_at(germany, HZ_VALUE_MAP, 4, 5); /* a block map starts at its first key */
    assert_scalar_at(hz_value_key_of(germany, "path"), "path", 5, 5);
    assert_scalar_at(hz_value_get(germany, "type"), "csv", 4, 11);
    assert_scalar_at(hz_value_get(germany, "path"), "feeds/de.csv", 5, 11);

    const hz_value *columns = hz_value_get(germany, "columns");
    assert_at(columns, HZ_VALUE_LIST, 6, 14);
    assert_int_equal(columns->count, 3);
    assert_null(columns->keys);
    assert_scalar_at(columns->items[0], "id", 6, 15);
    assert_scalar_at(columns->items[1], "sex", 6, 19);
    assert_scalar_at(columns->items[2], "age", 6, 26);
    loaded_free(&l);
}

static void test_value_every_value_names_the_document_file(void **state) {
    (void)state;
    loaded l = load_text("a: {b: [c]}\n", NULL);
    const hz_value *b = hz_value_get(hz_value_get(l.doc->root, "a"), "b");
    assert_string_equal(l.doc->file, "pipeline.yaml");
    /* One string shared by the whole tree, owned by the document. */
    assert_ptr_equal(l.doc->root->file, l.doc->file);
    assert_ptr_equal(b->file, l.doc->file);
    assert_ptr_equal(b->items[0]->file, l.doc->file);
    assert_ptr_equal(l.doc->root->keys[0]->file, l.doc->file);
    loaded_free(&l);
}

static void test_value_duplicate_key_is_reported_at_the_second_key(void **state) {
    (void)state;
    loaded l = load_text("name: first\n"
                         "sinks:\n"
                         "  out:\n"
                         "    path: a.csv\n"
                         "    path: b.csv\n"
                         "name: second\n",
                         NULL);
    hz_test_assert_diag(&l.diag, "pipeline.yaml:5:5: error: duplicate key 'path' (first at line 4)\n"
                                 "pipeline.yaml:6:1: error: duplicate key 'name' (first at line 1)\n");
    /* The first entry stays; the duplicate is not in the tree. */
    assert_int_equal(l.doc->root->count, 2);
    assert_string_equal(hz_value_get(l.doc->root, "name")->text, "first");
    const hz_value *out = hz_value_get(hz_value_get(l.doc->root, "sinks"), "out");
    assert_int_equal(out->count, 1);
    assert_string_equal(hz_value_get(out, "path")->text, "a.csv");
    loaded_free(&l);
}

static void test_value_alias_copies_the_anchored_value(void **state) {
    (void)state;
    loaded l = load_text("base: &b {x: 1, y: [2]}\n"
                         "other: *b\n",
                         NULL);
    hz_test_assert_diag(&l.diag, "");
    const hz_value *base = hz_value_get(l.doc->root, "base"), *other = hz_value_get(l.doc->root, "other");
    assert_ptr_not_equal(base, other); /* a copy: the tree is a tree, freed once */
    /* The copy keeps the anchored value's positions: that is where it is written. */
    assert_at(other, HZ_VALUE_MAP, 1, 7);
    assert_scalar_at(hz_value_get(other, "x"), "1", 1, 14);
    assert_scalar_at(hz_value_get(other, "y")->items[0], "2", 1, 21);
    loaded_free(&l);
}

/* Ten aliases of ten aliases, nine deep: 10^9 values if expanded. */
static void test_value_alias_bomb_is_refused_within_the_budget(void **state) {
    (void)state;
    hz_strbuf yaml = {0};
    hz_strbuf_adds(&yaml, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'i'; c++) {
        hz_strbuf_printf(&yaml, "%c: &%c [", c, c);
        for (int k = 0; k < 10; k++) hz_strbuf_printf(&yaml, "%s*%c", k ? ", " : "", c - 1);
        hz_strbuf_adds(&yaml, "]\n");
    }
    loaded l = load_text(hz_strbuf_cstr(&yaml), NULL);
    /* Reported once, where the 100001st value was met (the line with the anchor). */
    hz_test_assert_diag(&l.diag, "pipeline.yaml:1:35: error: more than 100000 values (aliases expanding "
                                 "without end?): not a pipeline\n");
    assert_int_equal(l.diag.errors, 1);
    hz_strbuf_free(&yaml);
    loaded_free(&l);
}

static void test_value_many_aliases_within_the_budget_are_accepted(void **state) {
    (void)state;
    /* Aliases are fine while the tree stays small: d holds 1111 lists and
     * 10000 scalars, about a tenth of the budget. */
    loaded l = load_text("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                         "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                         "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
                         NULL);
    hz_test_assert_diag(&l.diag, "");
    const hz_value *d = hz_value_get(l.doc->root, "d");
    assert_int_equal(d->count, 10);
    assert_string_equal(d->items[9]->items[9]->items[9]->items[9]->text, "x");
    loaded_free(&l);
}

static void test_value_self_referencing_anchor_is_refused(void **state) {
    (void)state;
    loaded l = load_text("list: &l [a, *l]\n", NULL);
    hz_test_assert_diag(&l.diag, "pipeline.yaml:1:7: error: an alias refers to a value that contains it "
                                 "(recursive anchor): not a pipeline\n");
    /* What is not recursive is kept. */
    assert_int_equal(hz_value_get(l.doc->root, "list")->count, 1);
    loaded_free(&l);

    /* Reported once, however often the alias recurs. */
    l = load_text("name: x\n"
                  "map: &m {self: *m, again: [*m, *m], other: 1}\n",
                  NULL);
    hz_test_assert_diag(&l.diag, "pipeline.yaml:2:6: error: an alias refers to a value that contains it "
                                 "(recursive anchor): not a pipeline\n");
    assert_int_equal(l.diag.errors, 1);
    assert_string_equal(hz_value_get(hz_value_get(l.doc->root, "map"), "other")->text, "1");
    loaded_free(&l);
}

/* `n` nested flow lists around one scalar on one line: the scalar is at depth n, column n+1. */
static char *nested_lists(int n) {
    hz_strbuf s = {0};
    hz_strbuf_adds(&s, "");
    for (int i = 0; i < n; i++) hz_strbuf_add(&s, "[", 1);
    hz_strbuf_add(&s, "x", 1);
    for (int i = 0; i < n; i++) hz_strbuf_add(&s, "]", 1);
    hz_strbuf_add(&s, "\n", 1);
    return s.data;
}

static void test_value_nesting_up_to_the_limit_is_accepted(void **state) {
    (void)state;
    char *text = nested_lists(64);
    loaded l = load_text(text, NULL);
    hz_test_assert_diag(&l.diag, "");
    const hz_value *v = l.doc->root;
    for (int i = 0; i < 64; i++) {
        assert_int_equal(v->kind, HZ_VALUE_LIST);
        v = v->items[0];
    }
    assert_scalar_at(v, "x", 1, 65);
    free(text);
    loaded_free(&l);
}

static void test_value_nesting_past_the_limit_is_refused_once(void **state) {
    (void)state;
    char *deep = nested_lists(70);
    hz_strbuf yaml = {0};
    hz_strbuf_printf(&yaml, "- %s- %s", deep, deep); /* two too-deep items: one error */
    loaded l = load_text(hz_strbuf_cstr(&yaml), NULL);
    /* The root list is depth 0, the first '[' depth 1 at column 3: depth 65 is at column 67. */
    hz_test_assert_diag(&l.diag, "pipeline.yaml:1:67: error: nesting deeper than 64 levels\n");
    free(deep);
    hz_strbuf_free(&yaml);
    loaded_free(&l);
}

static void test_value_yaml_syntax_error_carries_libyaml_position(void **state) {
    (void)state;
    loaded l = load_text("version: 1\n"
                         "sources: [a, b\n"
                         "sinks: {}\n",
                         NULL);
    hz_test_assert_diag(&l.diag, "pipeline.yaml:3:6: error: YAML syntax: did not find expected ',' or ']' "
                                 "while parsing a flow sequence\n");
    assert_non_null(l.doc); /* the document is there, without a tree */
    assert_null(l.doc->root);
    loaded_free(&l);

    l = load_text("version: 1\n"
                  "\tsources: {}\n",
                  NULL);
    /* libyaml's words do not say "tab" where it matters: the message does, with the fix. */
    hz_test_assert_diag(&l.diag, "pipeline.yaml:2:1: error: a tab is used for indentation here; YAML indents "
                                 "with spaces only: replace the tab with spaces\n");
    loaded_free(&l);

    l = load_text("version: 1\n"
                  "format: %d/%m/%Y # day first\n",
                  NULL);
    hz_test_assert_diag(&l.diag, "pipeline.yaml:2:9: error: a value cannot start with '%' unless quoted: "
                                 "write \"%d/%m/%Y\"\n");
    loaded_free(&l);
}

static void test_value_invalid_utf8_is_reported_with_its_byte_offset(void **state) {
    (void)state;
    /* libyaml names the byte (from 0) that broke the sequence: the quote after \xe9. */
    loaded l = load_text("name: \"caf\xe9\"\n", NULL);
    hz_test_assert_diag(&l.diag, "pipeline.yaml: error: cannot read pipeline: invalid trailing UTF-8 octet "
                                 "(byte 11)\n");
    assert_null(l.doc->root);
    loaded_free(&l);
}

static void test_value_second_document_is_refused(void **state) {
    (void)state;
    loaded l = load_text("version: 1\n"
                         "---\n"
                         "sources: {}\n",
                         NULL);
    hz_test_assert_diag(&l.diag, "pipeline.yaml:2:1: error: a second YAML document starts here: a pipeline "
                                 "file holds one\n");
    assert_string_equal(hz_value_get(l.doc->root, "version")->text, "1");
    loaded_free(&l);
}

static void test_value_syntax_error_after_the_first_document_is_reported(void **state) {
    (void)state;
    loaded l = load_text("version: 1\n"
                         "---\n"
                         "sources: [a\n",
                         NULL);
    hz_test_assert_diag(&l.diag, "pipeline.yaml:4:1: error: YAML syntax: did not find expected ',' or ']' "
                                 "while parsing a flow sequence\n");
    loaded_free(&l);

    /* Text after an end marker '...' was dropped without a word. */
    l = load_text("version: 1\n"
                  "...\n"
                  "sources: {}\n",
                  NULL);
    hz_test_assert_diag(&l.diag,
                        "pipeline.yaml:3:1: error: YAML syntax: did not find expected <document start>\n");
    loaded_free(&l);
}

static void test_value_document_end_marker_alone_is_fine(void **state) {
    (void)state;
    loaded l = load_text("---\nversion: 1\n...\n# trailing comment\n", NULL);
    hz_test_assert_diag(&l.diag, "");
    assert_scalar_at(hz_value_get(l.doc->root, "version"), "1", 2, 10);
    loaded_free(&l);
}

static void test_value_directory_as_pipeline_is_refused(void **state) {
    (void)state;
    assert_int_equal(mkdir("pipelines", 0777), 0);
    hz_diag diag = {0};
    assert_null(hz_document_load("pipelines", NULL, &diag));
    hz_test_assert_diag(&diag, "pipelines: error: cannot read pipeline: Is a directory\n");
    hz_diag_free(&diag);
}

static void test_value_missing_file_is_refused(void **state) {
    (void)state;
    hz_diag diag = {0};
    assert_null(hz_document_load("nowhere/pipeline.yaml", NULL, &diag));
    hz_test_assert_diag(&diag,
                        "nowhere/pipeline.yaml: error: cannot read pipeline: No such file or directory\n");
    assert_int_equal(diag.errors, 1);
    hz_diag_free(&diag);
}

static void test_value_empty_file_loads_without_a_tree(void **state) {
    (void)state;
    /* Not an error here: the command line says "empty pipeline" itself. */
    static const char *const empties[] = {"", "\n\n", "# only a comment\n"};
    for (size_t i = 0; i < sizeof empties / sizeof *empties; i++) {
        loaded l = load_text(empties[i], NULL);
        assert_non_null(l.doc);
        assert_null(l.doc->root);
        assert_int_equal(l.diag.count, 0);
        loaded_free(&l);
    }
}

static void test_value_scalars_are_kept_as_written(void **state) {
    (void)state;
    loaded l = load_text("a: !!str 007\n"
                         "b: '0x1F'\n"
                         "c: \"yes\"\n"
                         "d: yes\n"
                         "e: ~\n"
                         "f: 1.50\n"
                         "g: !custom text\n"
                         "h: \"tab\\there\"\n"
                         "i: 'it''s'\n"
                         "j: \"\"\n"
                         "k:\n"
                         "l: \"  padded  \"\n"
                         "m: |\n"
                         "  two\n"
                         "  lines\n",
                         NULL);
    hz_test_assert_diag(&l.diag, "");
    static const struct {
        const char *key, *text;
        bool quoted;
    } want[] = {
        {"a", "007", false},         {"b", "0x1F", true},  {"c", "yes", true},   {"d", "yes", false},
        {"e", "~", false},           {"f", "1.50", false}, {"g", "text", false}, {"h", "tab\there", true},
        {"i", "it's", true},         {"j", "", true},      {"k", "", false},     {"l", "  padded  ", true},
        {"m", "two\nlines\n", false}};
    assert_int_equal(l.doc->root->count, sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const hz_value *v = hz_value_get(l.doc->root, want[i].key);
        assert_non_null(v);
        assert_int_equal(v->kind, HZ_VALUE_SCALAR);
        if (strcmp(v->text, want[i].text)) fail_msg("%s: '%s', not '%s'", want[i].key, v->text, want[i].text);
        assert_int_equal(v->quoted, want[i].quoted);
    }
    /* A tagged scalar starts at its tag. */
    assert_scalar_at(hz_value_get(l.doc->root, "a"), "007", 1, 4);
    loaded_free(&l);
}

static void test_value_values_are_expanded_keys_are_not(void **state) {
    (void)state;
    hz_vars vars = {0};
    assert_int_equal(hz_vars_set(&vars, "dir=/data/2021"), 0);
    loaded l = load_text("${dir}: ${dir}/avrr.csv\n"
                         "quoted: '${dir}'\n"
                         "list: [\"$${dir}\"]\n",
                         &vars);
    hz_test_assert_diag(&l.diag, "");
    const hz_value *root = l.doc->root;
    assert_string_equal(root->keys[0]->text, "${dir}");
    assert_string_equal(root->items[0]->text, "/data/2021/avrr.csv");
    assert_string_equal(hz_value_get(root, "quoted")->text, "/data/2021");
    assert_string_equal(hz_value_get(root, "list")->items[0]->text, "${dir}");
    loaded_free(&l);
    hz_vars_free(&vars);
}

static void test_value_variable_error_points_at_its_dollar(void **state) {
    (void)state;
    unsetenv(UNSET);
    loaded l = load_text("a: in/${" UNSET "}\n"
                         "b: \"in/${" UNSET "}\"\n"
                         "c: \"\xc3\xa9t\xc3\xa9/${" UNSET "}\"\n",
                         NULL);
    /* Columns count characters, as libyaml's do: 'été/' is four. */
    hz_test_assert_diag(
        &l.diag, "pipeline.yaml:1:7: error: variable '" UNSET "' has no value: set it with --set " UNSET
                 "=... (or in the environment), or give it a default: ${" UNSET ":-default}\n"
                 "pipeline.yaml:2:8: error: variable '" UNSET "' has no value: set it with --set " UNSET
                 "=... (or in the environment), or give it a default: ${" UNSET ":-default}\n"
                 "pipeline.yaml:3:9: error: variable '" UNSET "' has no value: set it with --set " UNSET
                 "=... (or in the environment), or give it a default: ${" UNSET ":-default}\n");
    /* The value stays as written, so that later checks still see something. */
    assert_string_equal(hz_value_get(l.doc->root, "a")->text, "in/${" UNSET "}");
    loaded_free(&l);
}

static void test_value_variable_error_in_rewritten_scalar_points_at_the_scalar(void **state) {
    (void)state;
    unsetenv(UNSET);
    /* An escape, a tag, or a scalar over several lines: the written text is
     * not the value, so the offset of the '$' in the value says nothing of
     * its column; the scalar's start is the honest position. */
    loaded l = load_text("a: \"\\t${" UNSET "}\"\n"
                         "b: !!str ${" UNSET ":?tagged}\n"
                         "c: first\n"
                         "   ${" UNSET ":?folded}\n",
                         NULL);
    hz_test_assert_diag(&l.diag, "pipeline.yaml:1:4: error: variable '" UNSET
                                 "' has no value: set it with --set " UNSET
                                 "=... (or in the environment), or give it a default: ${" UNSET ":-default}\n"
                                 "pipeline.yaml:2:4: error: tagged\n"
                                 "pipeline.yaml:3:4: error: folded\n");
    loaded_free(&l);
}

static void test_value_key_must_be_a_scalar(void **state) {
    (void)state;
    loaded l = load_text("[a, b]: 1\n"
                         "? {c: d}\n"
                         ": 2\n"
                         "ok: 3\n",
                         NULL);
    hz_test_assert_diag(&l.diag, "pipeline.yaml:1:1: error: a key must be a plain name, not a list\n"
                                 "pipeline.yaml:2:3: error: a key must be a plain name, not a map\n");
    assert_int_equal(l.doc->root->count, 1);
    assert_string_equal(hz_value_get(l.doc->root, "ok")->text, "3");
    loaded_free(&l);
}

static void test_value_lookups_on_maps_only(void **state) {
    (void)state;
    loaded l = load_text("m: {k: v}\nl: [k]\ns: k\n", NULL);
    const hz_value *root = l.doc->root;
    assert_string_equal(hz_value_get(hz_value_get(root, "m"), "k")->text, "v");
    assert_scalar_at(hz_value_key_of(hz_value_get(root, "m"), "k"), "k", 1, 5);
    assert_null(hz_value_get(hz_value_get(root, "m"), "v"));
    assert_null(hz_value_get(hz_value_get(root, "l"), "k"));
    assert_null(hz_value_get(hz_value_get(root, "s"), "k"));
    assert_null(hz_value_key_of(hz_value_get(root, "l"), "k"));
    assert_null(hz_value_get(NULL, "k"));
    assert_string_equal(hz_value_kind_name(HZ_VALUE_SCALAR), "scalar");
    assert_string_equal(hz_value_kind_name(HZ_VALUE_LIST), "list");
    assert_string_equal(hz_value_kind_name(HZ_VALUE_MAP), "map");
    loaded_free(&l);
}

static hz_value scalar(const char *text) {
    hz_value v = {0};
    v.kind = HZ_VALUE_SCALAR;
    v.text = (char *)text;
    return v;
}

static void test_value_parse_int_takes_whole_decimal_numbers_only(void **state) {
    (void)state;
    static const struct {
        const char *text;
        int64_t n;
    } good[] = {{"0", 0}, {"12", 12}, {"-3", -3}, {"+7", 7}, {"9223372036854775807", INT64_MAX}};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        hz_value v = scalar(good[i].text);
        int64_t n = -1;
        assert_true(hz_value_parse_int(&v, &n));
        assert_int_equal(n, good[i].n);
    }
    static const char *const bad[] = {
        "", " 5", "\t5", "5 ", "1e3", "0x10", "1.0", "12abc", "9223372036854775808"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        hz_value v = scalar(bad[i]);
        int64_t n = 42;
        if (hz_value_parse_int(&v, &n)) fail_msg("'%s' parsed as %lld", bad[i], (long long)n);
        assert_int_equal(n, 42);
    }
    hz_value list = {0};
    list.kind = HZ_VALUE_LIST;
    int64_t n;
    assert_false(hz_value_parse_int(&list, &n));
}

static void test_value_parse_bool_takes_yaml_words(void **state) {
    (void)state;
    static const char *const yes[] = {"true", "yes", "on", "True", "YES", "On"};
    static const char *const no[] = {"false", "no", "off", "FALSE", "No", "OFF"};
    static const char *const neither[] = {"1", "0", "y", "n", "", "truth", " true"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        hz_value v = scalar(yes[i]);
        bool b = false;
        assert_true(hz_value_parse_bool(&v, &b));
        assert_true(b);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        hz_value v = scalar(no[i]);
        bool b = true;
        assert_true(hz_value_parse_bool(&v, &b));
        assert_false(b);
    }
    for (size_t i = 0; i < sizeof neither / sizeof *neither; i++) {
        hz_value v = scalar(neither[i]);
        bool b = true;
        if (hz_value_parse_bool(&v, &b)) fail_msg("'%s' parsed as a bool", neither[i]);
        assert_true(b);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, hz_test_scratch_enter, hz_test_scratch_leave)
        T(test_value_tree_carries_positions_of_keys_and_values),
        T(test_value_every_value_names_the_document_file),
        T(test_value_duplicate_key_is_reported_at_the_second_key),
        T(test_value_alias_copies_the_anchored_value),
        T(test_value_alias_bomb_is_refused_within_the_budget),
        T(test_value_many_aliases_within_the_budget_are_accepted),
        T(test_value_self_referencing_anchor_is_refused),
        T(test_value_nesting_up_to_the_limit_is_accepted),
        T(test_value_nesting_past_the_limit_is_refused_once),
        T(test_value_yaml_syntax_error_carries_libyaml_position),
        T(test_value_invalid_utf8_is_reported_with_its_byte_offset),
        T(test_value_second_document_is_refused),
        T(test_value_syntax_error_after_the_first_document_is_reported),
        T(test_value_document_end_marker_alone_is_fine),
        T(test_value_directory_as_pipeline_is_refused),
        T(test_value_missing_file_is_refused),
        T(test_value_empty_file_loads_without_a_tree),
        T(test_value_scalars_are_kept_as_written),
        T(test_value_values_are_expanded_keys_are_not),
        T(test_value_variable_error_points_at_its_dollar),
        T(test_value_variable_error_in_rewritten_scalar_points_at_the_scalar),
        T(test_value_key_must_be_a_scalar),
        T(test_value_lookups_on_maps_only),
        T(test_value_parse_int_takes_whole_decimal_numbers_only),
        T(test_value_parse_bool_takes_yaml_words),
#undef T
    };
    return cmocka_run_group_tests_name("value", tests, NULL, NULL);
}
