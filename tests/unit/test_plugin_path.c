/* core/plugin_path.c: the plugin folder relative to the running binary
 * (the build tree's plugins/.libs, or the installed folder as seen from
 * the installed bin folder, wherever the prefix went) and the search
 * path's order without repeats. */
#include "hz_test_core.h"

#include "install_dirs.h"
#include "plugin_path.h"
#include "util.h"

static void assert_relative(const char *from, const char *to, const char *want) {
    char *got = hz_path_relative(from, to);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_plugin_path_relative_between_configured_folders(void **state) {
    (void)state;
    /* ./configure's defaults, and --prefix=OTHER (the same relation). */
    assert_relative("/usr/local/bin", "/usr/local/lib/harmonize/plugins", "../lib/harmonize/plugins");
    assert_relative("/tmp/p/bin", "/tmp/p/lib/harmonize/plugins", "../lib/harmonize/plugins");
    /* --libdir=/usr/lib/x86_64-linux-gnu with --prefix=/usr */
    assert_relative("/usr/bin", "/usr/lib/x86_64-linux-gnu/harmonize/plugins",
                    "../lib/x86_64-linux-gnu/harmonize/plugins");
    /* --bindir and --libdir far apart; what make puts in them as written. */
    assert_relative("/opt/hz/./bin/", "//srv/plugins", "../../../srv/plugins");
    assert_relative("/opt/hz/sbin/../bin", "/opt/hz/lib/plugins", "../lib/plugins");
    assert_relative("/opt/hz/bin", "/opt/hz/bin", ".");
    assert_relative("/opt/hz/bin", "/opt/hz/bin/plugins", "plugins");
    assert_relative("/", "/lib/p", "lib/p");
    /* A relative configured folder cannot be placed. */
    assert_relative("bin", "/usr/lib", NULL);
    assert_relative("/usr/bin", "lib", NULL);
}

static void test_plugin_path_beside_a_binary_of_the_build_tree(void **state) {
    (void)state;
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(mkdir("build", 0755), 0);
    assert_int_equal(mkdir("build/plugins", 0755), 0);
    assert_int_equal(mkdir("build/plugins/.libs", 0755), 0);
    char *exe = hz_xasprintf("%s/build/harmonize", cwd);
    char *dir = hz_plugin_dir_beside(exe, "/usr/local/bin", "/usr/local/lib/harmonize/plugins");
    char *want = hz_xasprintf("%s/build/plugins/.libs", cwd);
    assert_string_equal(dir, want);
    free(exe);
    free(dir);
    free(want);
}

static void test_plugin_path_beside_an_installed_binary(void **state) {
    (void)state;
    /* Configured for /usr/local, installed (or moved) under another
     * prefix: found where the prefix went, with nothing on disk needed. */
    char *dir =
        hz_plugin_dir_beside("/tmp/p/bin/harmonize", "/usr/local/bin", "/usr/local/lib/harmonize/plugins");
    assert_string_equal(dir, "/tmp/p/lib/harmonize/plugins");
    free(dir);
    dir = hz_plugin_dir_beside("/opt/x/bin/harmonize", "/opt/x/bin", "/opt/x/libexec/hz");
    assert_string_equal(dir, "/opt/x/libexec/hz");
    free(dir);
    assert_null(hz_plugin_dir_beside("harmonize", "/usr/bin", "/usr/lib/p")); /* not absolute */
    assert_null(hz_plugin_dir_beside("/usr/bin/harmonize", "bin", "/usr/lib/p"));
}

static void test_plugin_path_lists_each_folder_once_in_order(void **state) {
    (void)state;
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(mkdir("a", 0755), 0);
    assert_int_equal(mkdir("b", 0755), 0);
    assert_int_equal(symlink("a", "a-link"), 0);
    /* "a" again, by another path and through a link; "b" from the
     * environment after the explicit folders. */
    char *env = hz_xasprintf("%s/b:a-link::a", cwd);
    setenv("HARMONIZE_PLUGIN_PATH", env, 1);
    const char *const dirs[] = {"a", "a/.", "missing", "missing"};
    hz_plugin_search s;
    hz_plugin_search_init(&s, dirs, 4);
    assert_true(s.count >= 3);
    assert_string_equal(s.folders[0].dir, "a");
    assert_false(s.folders[0].fallback);
    assert_string_equal(s.folders[1].dir, "missing");
    char *b = hz_xasprintf("%s/b", cwd);
    assert_string_equal(s.folders[2].dir, b);
    assert_false(s.folders[2].fallback);
    /* Then only the binary's and the installed folder, as fallbacks. */
    assert_true(s.count <= 5);
    for (size_t i = 3; i < s.count; i++) assert_true(s.folders[i].fallback);
    assert_string_equal(s.folders[s.count - 1].dir, HZ_PLUGINDIR);
    hz_plugin_search_free(&s);
    unsetenv("HARMONIZE_PLUGIN_PATH");
    free(b);
    free(env);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plugin_path_relative_between_configured_folders),
#define T(name) cmocka_unit_test_setup_teardown(name, hz_test_scratch_enter, hz_test_scratch_leave)
        T(test_plugin_path_beside_a_binary_of_the_build_tree),
        T(test_plugin_path_beside_an_installed_binary),
        T(test_plugin_path_lists_each_folder_once_in_order),
#undef T
    };
    return cmocka_run_group_tests_name("plugin_path", tests, NULL, NULL);
}
