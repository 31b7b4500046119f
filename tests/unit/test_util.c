/* core/util.c: growable strings, did-you-mean, CSV quoting of the rejects
 * file, UTF-8 escaping of bad bytes, and paths joined as a user reads them. */
#include "hz_test.h"

#include "util.h"

/* --- strbuf ------------------------------------------------------------------ */

static void test_util_empty_strbuf_reads_as_empty_string(void **state) {
    (void)state;
    hz_strbuf s = {0};
    assert_string_equal(hz_strbuf_cstr(&s), "");
    assert_int_equal(s.len, 0);
    hz_strbuf_add(&s, "", 0);
    assert_non_null(s.data); /* adding nothing still gives a terminated buffer */
    assert_string_equal(hz_strbuf_cstr(&s), "");
    hz_strbuf_free(&s);
    assert_null(s.data);
    assert_int_equal(s.cap, 0);
}

static void test_util_strbuf_grows_and_keeps_every_byte(void **state) {
    (void)state;
    hz_strbuf s = {0};
    char want[10001];
    for (size_t i = 0; i < 10000; i++) {
        char c = (char)('a' + i % 26);
        hz_strbuf_add(&s, &c, 1);
        want[i] = c;
        assert_true(s.cap >= s.len + 1);
        assert_int_equal(s.data[s.len], '\0');
    }
    want[10000] = '\0';
    assert_int_equal(s.len, 10000);
    assert_string_equal(hz_strbuf_cstr(&s), want);
    /* Capacity doubles from 64: 16384 holds 10001 bytes. */
    assert_int_equal(s.cap, 16384);
    hz_strbuf_free(&s);
}

static void test_util_strbuf_takes_a_large_piece_at_once(void **state) {
    (void)state;
    hz_strbuf s = {0};
    hz_strbuf_adds(&s, "head:");
    char big[5000];
    memset(big, 'x', sizeof big);
    hz_strbuf_add(&s, big, sizeof big);
    assert_int_equal(s.len, 5005);
    assert_int_equal(s.cap, 8192);
    assert_memory_equal(s.data, "head:xxx", 8);
    assert_int_equal(s.data[5004], 'x');
    assert_int_equal(s.data[5005], '\0');
    hz_strbuf_free(&s);
}

static void test_util_strbuf_keeps_nul_bytes_and_formats(void **state) {
    (void)state;
    hz_strbuf s = {0};
    hz_strbuf_add(&s, "a\0b", 3);
    hz_strbuf_printf(&s, "|%s=%d|%05.1f", "rows", 42, 2.5);
    assert_int_equal(s.len, 3 + 14);
    assert_memory_equal(s.data, "a\0b|rows=42|002.5", 3 + 14 + 1);
    hz_strbuf_free(&s);
}

static void test_util_string_helpers_copy(void **state) {
    (void)state;
    char *p = hz_xstrndup("abcdef", 3);
    assert_string_equal(p, "abc");
    free(p);
    p = hz_xasprintf("%s:%u:%u", "pipeline.yaml", 3u, 14u);
    assert_string_equal(p, "pipeline.yaml:3:14");
    free(p);
    p = hz_xstrdup("");
    assert_string_equal(p, "");
    free(p);
}

/* --- did you mean ----------------------------------------------------------- */

static const char *const csv_options[] = {"path",   "delimiter", "quote",          "encoding",
                                          "header", "columns",   "max_field_bytes"};
#define NCSV (sizeof csv_options / sizeof *csv_options)

static void assert_suggests(const char *word, const char *want) {
    const char *got = hz_did_you_mean(word, csv_options, NCSV);
    if (!want && got) fail_msg("'%s': suggested '%s', expected nothing", word, got);
    if (want && (!got || strcmp(got, want)))
        fail_msg("'%s': suggested '%s', expected '%s'", word, got ? got : "(nothing)", want);
}

static void test_util_did_you_mean_finds_typos(void **state) {
    (void)state;
    assert_suggests("delimeter", "delimiter"); /* a substitution */
    assert_suggests("delimter", "delimiter");  /* a deletion */
    assert_suggests("pathh", "path");          /* an insertion */
    assert_suggests("haeder", "header");       /* a transposition counts as one */
    assert_suggests("colums", "columns");
    assert_suggests("encodnig", "encoding");
    assert_suggests("max_field_byte", "max_field_bytes");
    assert_suggests("max-field-bytes", "max_field_bytes"); /* two edits in a long word */
    assert_suggests("max-field-byte", "max_field_bytes");  /* three */
    assert_suggests("Path", "path");                       /* case is an edit */
}

static void test_util_did_you_mean_stays_quiet_when_too_far(void **state) {
    (void)state;
    /* Up to 4 letters one edit, up to 8 two, longer three. */
    assert_suggests("pt", NULL);        /* path: two edits for a 2-letter word */
    assert_suggests("quo", NULL);       /* quote: two edits, 3 letters allow one */
    assert_suggests("delim", NULL);     /* a prefix is not a typo: 4 edits */
    assert_suggests("separator", NULL); /* a synonym is not a typo */
    assert_suggests("xyz", NULL);
    assert_suggests("max_bytes", NULL);     /* 6 edits */
    assert_suggests("kolumnss", "columns"); /* two edits, 8 letters */
    assert_suggests("kolumnzz", NULL);      /* three edits, 8 letters */
    assert_suggests("max_field_bytes_", "max_field_bytes");
    assert_suggests("maximum_field_bytes", NULL); /* four edits */
}

static void test_util_did_you_mean_edge_cases(void **state) {
    (void)state;
    assert_null(hz_did_you_mean("path", NULL, 0));
    assert_suggests("path", "path"); /* the word itself is its own best match */
    /* Ties go to the first candidate, so the suggestion is deterministic. */
    static const char *const two[] = {"sink", "sync"};
    assert_string_equal(hz_did_you_mean("sinc", two, 2), "sink");
    /* Words longer than 64 bytes are never compared (bounded work). */
    char long_word[80];
    memset(long_word, 'a', sizeof long_word - 1);
    long_word[sizeof long_word - 1] = '\0';
    const char *const longs[] = {long_word};
    assert_null(hz_did_you_mean(long_word, longs, 1));
}

/* --- CSV quoting ------------------------------------------------------------ */

static void assert_csv(const char *field, size_t n, const char *want) {
    hz_strbuf s = {0};
    hz_csv_quote(&s, field, n);
    if (strcmp(hz_strbuf_cstr(&s), want))
        fail_msg("[%.*s] quoted as [%s], not [%s]", (int)n, field, s.data, want);
    hz_strbuf_free(&s);
}

#define CSV(field, want) assert_csv(field, sizeof field - 1, want)

static void test_util_csv_quote_is_minimal(void **state) {
    (void)state;
    CSV("DEU", "DEU");
    CSV("", "");
    CSV("Bosnia and Herzegovina", "Bosnia and Herzegovina");
    CSV("  padded  ", "  padded  "); /* spaces are data: kept, not quoted */
    CSV(" ", " ");
    CSV("it's", "it's");
    CSV("semi;colon\ttab", "semi;colon\ttab");
}

static void test_util_csv_quote_quotes_what_must_be(void **state) {
    (void)state;
    CSV("Korea, Republic of", "\"Korea, Republic of\"");
    CSV(",", "\",\"");
    CSV("say \"hi\"", "\"say \"\"hi\"\"\"");
    CSV("\"", "\"\"\"\"");
    CSV("two\nlines", "\"two\nlines\"");
    CSV("cr\r", "\"cr\r\"");
    CSV("\r\n", "\"\r\n\"");
    CSV(" , ", "\" , \""); /* spaces inside the quotes are kept */
}

static void test_util_csv_quote_appends_and_keeps_nul(void **state) {
    (void)state;
    hz_strbuf s = {0};
    hz_csv_quote(&s, "a", 1);
    hz_strbuf_add(&s, ",", 1);
    hz_csv_quote(&s, "b,c", 3);
    hz_strbuf_add(&s, ",", 1);
    hz_csv_quote(&s, "x\0y", 3); /* lengths, not C strings */
    assert_int_equal(s.len, 11);
    assert_memory_equal(s.data, "a,\"b,c\",x\0y", 12);
    hz_strbuf_free(&s);
}

/* --- UTF-8 escaping ----------------------------------------------------------- */

static void assert_escaped(const char *in, size_t n, const char *want) {
    hz_strbuf s = {0};
    hz_strbuf_adds(&s, "<");
    hz_utf8_escape(&s, in, n);
    hz_strbuf_adds(&s, ">");
    if (strcmp(hz_strbuf_cstr(&s), want)) fail_msg("escaped as %s, not %s", s.data, want);
    hz_strbuf_free(&s);
}

#define ESC(in, want) assert_escaped(in, sizeof in - 1, want)

static void test_util_utf8_escape_keeps_valid_text(void **state) {
    (void)state;
    ESC("", "<>");
    ESC("plain ASCII, 123", "<plain ASCII, 123>");
    ESC("C\xc3\xb4te d'Ivoire", "<C\xc3\xb4te d'Ivoire>");         /* 2 bytes */
    ESC("\xe6\x97\xa5\xe6\x9c\xac", "<\xe6\x97\xa5\xe6\x9c\xac>"); /* 3 bytes */
    ESC("\xf0\x9f\x8c\x8d", "<\xf0\x9f\x8c\x8d>");                 /* 4 bytes */
    ESC("\xc2\x80 \xdf\xbf \xe0\xa0\x80 \xef\xbf\xbf \xf4\x8f\xbf\xbf",
        "<\xc2\x80 \xdf\xbf \xe0\xa0\x80 \xef\xbf\xbf \xf4\x8f\xbf\xbf>"); /* the edges */
}

static void test_util_utf8_escape_writes_bad_bytes_as_hex(void **state) {
    (void)state;
    ESC("\xff", "<\\xFF>");
    ESC("a\x80z", "<a\\x80z>");                        /* a lone continuation byte */
    ESC("caf\xe9", "<caf\\xE9>");                      /* windows-1252 read as UTF-8, at the end */
    ESC("\xe9t\xe9", "<\\xE9t\\xE9>");                 /* ... and before an ASCII byte */
    ESC("\xc0\xaf", "<\\xC0\\xAF>");                   /* overlong '/' */
    ESC("\xe0\x80\xaf", "<\\xE0\\x80\\xAF>");          /* overlong, 3 bytes */
    ESC("\xed\xa0\x80", "<\\xED\\xA0\\x80>");          /* a UTF-16 surrogate */
    ESC("\xf4\x90\x80\x80", "<\\xF4\\x90\\x80\\x80>"); /* past U+10FFFF */
    ESC("\xe6\x97", "<\\xE6\\x97>");                   /* cut short */
    ESC("\xe6\x97"
        "a",
        "<\\xE6\\x97a>");
}

static void test_util_utf8_escape_checks_only_the_given_length(void **state) {
    (void)state;
    /* A valid sequence cut by the field's length is invalid in the field. */
    assert_escaped("\xc3\xa9", 1, "<\\xC3>");
    hz_strbuf s = {0};
    hz_utf8_escape(&s, "ab\0c", 4);
    assert_int_equal(s.len, 4); /* a NUL byte is valid UTF-8: kept */
    assert_memory_equal(s.data, "ab\0c", 4);
    hz_strbuf_free(&s);
}

/* --- paths ------------------------------------------------------------------------ */

static void assert_joined(const char *dir, const char *path, const char *want) {
    char *got = hz_path_join(dir, path);
    if (strcmp(got, want)) fail_msg("join(%s, %s) = %s, not %s", dir, path, got, want);
    free(got);
}

static void test_util_path_join_resolves_against_the_folder(void **state) {
    (void)state;
    assert_joined("/data/pipelines", "feeds/de.csv", "/data/pipelines/feeds/de.csv");
    assert_joined("/data/pipelines", "../feeds/de.csv", "/data/pipelines/../feeds/de.csv");
    assert_joined("/data/pipelines", ".hidden.csv", "/data/pipelines/.hidden.csv");
    assert_joined("/data/pipelines", "..", "/data/pipelines/..");
    assert_joined("relative", "x.csv", "relative/x.csv");
}

static void test_util_path_join_keeps_absolute_paths(void **state) {
    (void)state;
    assert_joined("/data/pipelines", "/srv/feeds/de.csv", "/srv/feeds/de.csv");
    assert_joined("/data/pipelines", "/", "/");
}

static void test_util_path_join_drops_the_dot_slash_of_here(void **state) {
    (void)state;
    assert_joined("/data/pipelines", "./x.csv", "/data/pipelines/x.csv");
    assert_joined("/data/pipelines", "././x.csv", "/data/pipelines/x.csv");
    assert_joined("/data/pipelines", ".//x.csv", "/data/pipelines/x.csv");
    assert_joined("/data/pipelines", "sub/./x.csv", "/data/pipelines/sub/./x.csv"); /* only leading */
    assert_joined("/data/pipelines", ".", "/data/pipelines");
    assert_joined("/data/pipelines", "./", "/data/pipelines");
    assert_joined("/data/pipelines", "./.", "/data/pipelines");
}

static void test_util_path_join_in_the_root_folder(void **state) {
    (void)state;
    /* A pipeline in / has "/" as its folder: one slash, not two. */
    assert_joined("/", "x.csv", "/x.csv");
    assert_joined("/", "./x.csv", "/x.csv");
    assert_joined("/", ".", "/");
}

static void test_util_path_join_keeps_an_empty_path_empty(void **state) {
    (void)state;
    /* Not "here": an empty path stays empty, so the error names what was written. */
    assert_joined("/data/pipelines", "", "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_empty_strbuf_reads_as_empty_string),
        cmocka_unit_test(test_util_strbuf_grows_and_keeps_every_byte),
        cmocka_unit_test(test_util_strbuf_takes_a_large_piece_at_once),
        cmocka_unit_test(test_util_strbuf_keeps_nul_bytes_and_formats),
        cmocka_unit_test(test_util_string_helpers_copy),
        cmocka_unit_test(test_util_did_you_mean_finds_typos),
        cmocka_unit_test(test_util_did_you_mean_stays_quiet_when_too_far),
        cmocka_unit_test(test_util_did_you_mean_edge_cases),
        cmocka_unit_test(test_util_csv_quote_is_minimal),
        cmocka_unit_test(test_util_csv_quote_quotes_what_must_be),
        cmocka_unit_test(test_util_csv_quote_appends_and_keeps_nul),
        cmocka_unit_test(test_util_utf8_escape_keeps_valid_text),
        cmocka_unit_test(test_util_utf8_escape_writes_bad_bytes_as_hex),
        cmocka_unit_test(test_util_utf8_escape_checks_only_the_given_length),
        cmocka_unit_test(test_util_path_join_resolves_against_the_folder),
        cmocka_unit_test(test_util_path_join_keeps_absolute_paths),
        cmocka_unit_test(test_util_path_join_drops_the_dot_slash_of_here),
        cmocka_unit_test(test_util_path_join_in_the_root_folder),
        cmocka_unit_test(test_util_path_join_keeps_an_empty_path_empty),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
