/* core/registry.c against real shared objects: the plugins of this build
 * ($HARMONIZE_PLUGIN_PATH, set by make check to plugins/.libs) and the
 * deliberately broken ones ($HZ_TEST_BAD_PLUGINS, tests/plugins/bad/.libs).
 * Each test links the files it needs into a folder of its scratch folder,
 * so that the messages name them as a user would see them. */
#include "hz_test_core.h"

#include <dirent.h>

#include "registry.h"
#include "util.h"

static char good_dir[PATH_MAX]; /* the build's plugins */
static char bad_dir[PATH_MAX];  /* the broken ones (empty when not built) */
static char *saved_env;         /* HARMONIZE_PLUGIN_PATH as the test program found it */

/* The first folder of `list` (or `fallback`), made absolute in `out`. */
static void locate(const char *list, const char *fallback, char *out) {
    char first[PATH_MAX];
    snprintf(first, sizeof first, "%s", list && *list ? list : fallback);
    first[strcspn(first, ":")] = '\0';
    if (!realpath(first, out)) out[0] = '\0';
}

static int setup(void **state) {
    hz_test_scratch_enter(state);
    unsetenv("HARMONIZE_PLUGIN_PATH"); /* each test says which folders it searches */
    return 0;
}

static int teardown(void **state) {
    if (saved_env)
        setenv("HARMONIZE_PLUGIN_PATH", saved_env, 1);
    else
        unsetenv("HARMONIZE_PLUGIN_PATH");
    return hz_test_scratch_leave(state);
}

/* Link `dir`/`name` as `folder`/`name` (the folder is made if needed). */
static void link_plugin(const char *dir, const char *name, const char *folder) {
    if (!dir[0]) skip(); /* the broken plugins are built by make check only */
    mkdir(folder, 0777);
    char *from = hz_test_path(dir, name), *to = hz_test_path(folder, name);
    struct stat st;
    if (stat(from, &st) != 0) fail_msg("%s is not built", from);
    assert_int_equal(symlink(from, to), 0);
    free(from);
    free(to);
}

typedef struct searched {
    hz_registry *reg;
    hz_diag diag;
} searched;

static searched search(const char *const *folders, size_t n) {
    searched s = {NULL, {0}};
    s.reg = hz_registry_load(folders, n, &s.diag);
    assert_non_null(s.reg);
    return s;
}

static void searched_free(searched *s) {
    hz_registry_free(s->reg);
    hz_diag_free(&s->diag);
}

/* Plugins of the registry whose file is in `folder`. */
static size_t loaded_from(const hz_registry *r, const char *folder) {
    size_t n = 0, len = strlen(folder);
    for (size_t i = 0; i < r->count; i++)
        n += !strncmp(r->plugins[i]->path, folder, len) && r->plugins[i]->path[len] == '/';
    return n;
}

static void assert_plugin(const hz_registry *r, const char *name, const char *path, const char *kinds) {
    const hz_loaded_plugin *p = hz_registry_find(r, name);
    if (!p) fail_msg("plugin '%s' not found", name);
    assert_string_equal(p->desc->name, name);
    assert_string_equal(p->path, path);
    assert_non_null(p->handle);
    assert_int_equal(p->desc->abi_major, HZ_ABI_MAJOR);
    char buf[64];
    assert_string_equal(hz_plugin_kinds(p, buf, sizeof buf), kinds);
}

static void test_registry_loads_the_built_plugins_from_the_environment(void **state) {
    (void)state;
    if (!good_dir[0]) fail_msg("no plugins: set HARMONIZE_PLUGIN_PATH or run from the build folder");
    setenv("HARMONIZE_PLUGIN_PATH", good_dir, 1);
    searched s = search(NULL, 0);
    hz_test_assert_diag(&s.diag, "");
    char path[PATH_MAX + 16];
    static const struct {
        const char *name, *kinds;
    } want[] = {
        {"csv", "source,sink"}, {"select", "transform"}, {"rename", "transform"}, {"set", "transform"}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        snprintf(path, sizeof path, "%s/%s.so", good_dir, want[i].name);
        assert_plugin(s.reg, want[i].name, path, want[i].kinds);
    }
    /* Every .so of the folder is a plugin, and loaded. */
    DIR *d = opendir(good_dir);
    assert_non_null(d);
    size_t files = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        files += len > 3 && !strcmp(e->d_name + len - 3, ".so");
    }
    closedir(d);
    assert_true(files >= 4);
    assert_int_equal(loaded_from(s.reg, good_dir), files);
    searched_free(&s);
}

static void test_registry_loads_a_folder_in_file_name_order(void **state) {
    (void)state;
    static const char *const files[] = {"set.so", "csv.so", "select.so", "rename.so"};
    for (size_t i = 0; i < 4; i++) link_plugin(good_dir, files[i], "plugins");
    const char *const folders[] = {"plugins"};
    searched s = search(folders, 1);
    hz_test_assert_diag(&s.diag, "");
    assert_true(s.reg->count >= 4);
    assert_string_equal(s.reg->plugins[0]->path, "plugins/csv.so");
    assert_string_equal(s.reg->plugins[1]->path, "plugins/rename.so");
    assert_string_equal(s.reg->plugins[2]->path, "plugins/select.so");
    assert_string_equal(s.reg->plugins[3]->path, "plugins/set.so");
    searched_free(&s);
}

static void test_registry_find_matches_whole_names_only(void **state) {
    (void)state;
    link_plugin(good_dir, "csv.so", "plugins");
    const char *const folders[] = {"plugins"};
    searched s = search(folders, 1);
    assert_non_null(hz_registry_find(s.reg, "csv"));
    assert_null(hz_registry_find(s.reg, "CSV"));
    assert_null(hz_registry_find(s.reg, "cs"));
    assert_null(hz_registry_find(s.reg, "csv.so"));
    assert_null(hz_registry_find(s.reg, ""));
    searched_free(&s);
}

/* `file` alone in a plugin folder is refused with `message`, naming it. */
static void assert_refused(const char *file, const char *message) {
    link_plugin(bad_dir, file, "plugins");
    const char *const folders[] = {"plugins"};
    searched s = search(folders, 1);
    char *want = hz_xasprintf("plugins/%s: error: %s\n", file, message);
    hz_test_assert_diag(&s.diag, want);
    assert_int_equal(s.diag.errors, 1);
    assert_int_equal(loaded_from(s.reg, "plugins"), 0);
    free(want);
    searched_free(&s);
}

static void test_registry_refuses_another_abi_major(void **state) {
    (void)state;
    char *msg = hz_xasprintf("plugin built for ABI 2.0, but this harmonize has ABI %d.%d: rebuild it against "
                             "this version's <harmonize/plugin.h>",
                             HZ_ABI_MAJOR, HZ_ABI_MINOR);
    assert_refused("abi2.so", msg);
    free(msg);
}

static void test_registry_refuses_a_library_without_the_entry_symbol(void **state) {
    (void)state;
    assert_refused("no_entry.so",
                   "not a harmonize plugin: no 'harmonize_plugin_entry' symbol (see docs/plugin-guide.md)");
}

static void test_registry_refuses_an_entry_returning_null(void **state) {
    (void)state;
    assert_refused("null_entry.so", "refused plugin: its entry point returned no descriptor");
}

static void test_registry_refuses_a_name_users_cannot_write(void **state) {
    (void)state;
    assert_refused("bad_name.so", "refused plugin: its name must be made of a-z, 0-9 and _");
}

static void test_registry_refuses_a_plugin_of_no_kind(void **state) {
    (void)state;
    assert_refused("no_kinds.so", "refused plugin: it implements no source, transform or sink");
}

static void test_registry_refuses_a_truncated_descriptor(void **state) {
    (void)state;
    assert_refused("truncated.so", "refused plugin: its descriptor is truncated (struct_size too small)");
}

static void test_registry_loads_a_newer_abi_minor(void **state) {
    (void)state;
    link_plugin(bad_dir, "minor9.so", "plugins");
    const char *const folders[] = {"plugins"};
    searched s = search(folders, 1);
    hz_test_assert_diag(&s.diag, "");
    assert_plugin(s.reg, "minor9", "plugins/minor9.so", "source");
    assert_int_equal(hz_registry_find(s.reg, "minor9")->desc->abi_minor, 9);
    searched_free(&s);
}

static void test_registry_refuses_a_descriptor_named_unlike_its_file(void **state) {
    (void)state;
    /* twin_a.so calls itself 'twin': a type must load the file it names. */
    assert_refused(
        "twin_a.so",
        "refused plugin: its descriptor names it 'twin', but plugin 'twin_a' must be the file twin_a.so");
}

static void test_registry_refuses_one_name_in_two_explicit_folders(void **state) {
    (void)state;
    link_plugin(bad_dir, "minor9.so", "first");
    link_plugin(bad_dir, "minor9.so", "second");
    const char *const folders[] = {"first", "second"};
    searched s = search(folders, 2);
    hz_test_assert_diag(&s.diag, "second/minor9.so: error: two plugins named 'minor9': this one and "
                                 "first/minor9.so; remove one from the plugin path\n");
    /* Neither is loaded: which one the user meant is not known. */
    assert_null(hz_registry_find(s.reg, "minor9"));
    searched_free(&s);
}

static void test_registry_plugin_path_comes_before_the_environment(void **state) {
    (void)state;
    link_plugin(bad_dir, "minor9.so", "pipeline-plugins");
    link_plugin(bad_dir, "minor9.so", "env-plugins");
    char env[PATH_MAX];
    assert_non_null(realpath("env-plugins", env));
    setenv("HARMONIZE_PLUGIN_PATH", env, 1);
    const char *const folders[] = {"pipeline-plugins"};
    searched s = search(folders, 1);
    char *want = hz_xasprintf("%s/minor9.so: error: two plugins named 'minor9': this one and "
                              "pipeline-plugins/minor9.so; remove one from the plugin path\n",
                              env);
    hz_test_assert_diag(&s.diag, want);
    free(want);
    searched_free(&s);
}

static void test_registry_plugin_path_folders_are_searched_in_order(void **state) {
    (void)state;
    link_plugin(good_dir, "csv.so", "second");
    link_plugin(good_dir, "set.so", "first");
    link_plugin(good_dir, "set.so", "second");
    const char *const folders[] = {"first", "second"};
    hz_registry *r = hz_registry_new(folders, 2, false);
    hz_diag diag = {0};
    const hz_loaded_plugin *lp;
    assert_int_equal(hz_registry_need(r, "csv", &diag, &lp), HZ_PLUGIN_LOADED);
    assert_string_equal(lp->path, "second/csv.so");
    assert_int_equal(hz_registry_need(r, "set", &diag, &lp), HZ_PLUGIN_REFUSED);
    hz_test_assert_diag(&diag, "second/set.so: error: two plugins named 'set': this one and first/set.so; "
                               "remove one from the plugin path\n");
    hz_diag_free(&diag);
    hz_registry_free(r);
}

static void test_registry_missing_folders_are_not_errors(void **state) {
    (void)state;
    char *env = hz_xasprintf("/nonexistent-hz-plugins::%s:", good_dir);
    setenv("HARMONIZE_PLUGIN_PATH", env, 1);
    const char *const folders[] = {"nowhere", "also/nowhere"};
    searched s = search(folders, 2);
    hz_test_assert_diag(&s.diag, "");
    assert_non_null(hz_registry_find(s.reg, "csv"));
    free(env);
    searched_free(&s);
}

static void test_registry_ignores_files_not_named_like_plugins(void **state) {
    (void)state;
    mkdir("plugins", 0777);
    /* None of these would load; none is even opened. */
    static const char *const names[] = {"notes.txt", ".hidden.so", "csv.so.bak", ".so", "so"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        free(hz_test_write_text("plugins", names[i], "not a shared object\n"));
    }
    link_plugin(good_dir, "set.so", "plugins");
    const char *const folders[] = {"plugins"};
    searched s = search(folders, 1);
    hz_test_assert_diag(&s.diag, "");
    assert_int_equal(loaded_from(s.reg, "plugins"), 1);
    searched_free(&s);
}

static void test_registry_refuses_files_that_are_not_shared_objects(void **state) {
    (void)state;
    mkdir("plugins", 0777);
    free(hz_test_write_text("plugins", "text.so", "name: not a plugin\n"));
    free(hz_test_write("plugins", "empty.so", "", 0));
    link_plugin(good_dir, "csv.so", "plugins");
    const char *const folders[] = {"plugins"};
    searched s = search(folders, 1);
    /* dlopen's own words follow (they differ between C libraries). */
    char *text = hz_test_diag_text(&s.diag);
    const char *want_empty = "plugins/empty.so: error: not a loadable plugin: ";
    const char *want_text = "plugins/text.so: error: not a loadable plugin: ";
    if (strncmp(text, want_empty, strlen(want_empty))) fail_msg("got: %s", text);
    const char *second = strchr(text, '\n') + 1;
    if (strncmp(second, want_text, strlen(want_text))) fail_msg("got: %s", text);
    assert_int_equal(s.diag.errors, 2);
    /* The good plugin next to them is loaded all the same. */
    assert_plugin(s.reg, "csv", "plugins/csv.so", "source,sink");
    free(text);
    searched_free(&s);
}

static void test_registry_reports_every_refusal_at_once(void **state) {
    (void)state;
    if (!bad_dir[0]) skip();
    setenv("HARMONIZE_PLUGIN_PATH", bad_dir, 1);
    searched s = search(NULL, 0);
    /* abi2, no_entry, null_entry, bad_name, no_kinds, truncated, twin_a and twin_b
     * (named unlike their files), and the five broken classes. */
    assert_int_equal(s.diag.errors, 13);
    assert_int_equal(loaded_from(s.reg, bad_dir), 1);
    assert_non_null(hz_registry_find(s.reg, "minor9"));
    char *text = hz_test_diag_text(&s.diag);
    static const char *const refused[] = {
        "abi2.so",      "bad_name.so",       "enum_no_choices.so", "no_class_size.so",   "no_entry.so",
        "no_kinds.so",  "no_option_size.so", "null_entry.so",      "reserved_option.so", "sink_no_commit.so",
        "truncated.so", "twin_a.so",         "twin_b.so"};
    const char *line = text;
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        /* One line each, in file name order, starting with the file's path. */
        char *want = hz_xasprintf("%s/%s: error: ", bad_dir, refused[i]);
        if (strncmp(line, want, strlen(want))) fail_msg("line %zu: want %s, got: %s", i + 1, want, line);
        free(want);
        line = strchr(line, '\n') + 1;
    }
    assert_string_equal(line, "");
    free(text);
    searched_free(&s);
}

/* --- loading only what is named ------------------------------------------------------- */

static void test_registry_need_loads_only_the_named_plugin(void **state) {
    (void)state;
    link_plugin(good_dir, "csv.so", "plugins");
    link_plugin(good_dir, "set.so", "plugins");
    link_plugin(bad_dir, "abi2.so", "plugins"); /* broken, but never opened */
    const char *const folders[] = {"plugins"};
    hz_registry *r = hz_registry_new(folders, 1, false);
    assert_int_equal(r->count, 0); /* nothing opened before it is needed */
    hz_diag diag = {0};
    const hz_loaded_plugin *lp;
    assert_int_equal(hz_registry_need(r, "csv", &diag, &lp), HZ_PLUGIN_LOADED);
    assert_string_equal(lp->path, "plugins/csv.so");
    assert_int_equal(hz_registry_need(r, "csv", &diag, &lp), HZ_PLUGIN_LOADED); /* once */
    assert_int_equal(r->count, 1);
    assert_null(hz_registry_find(r, "set"));
    assert_null(hz_registry_find(r, "abi2"));
    hz_test_assert_diag(&diag, "");
    hz_diag_free(&diag);
    hz_registry_free(r);
}

static void test_registry_need_of_an_unknown_or_unwritable_name(void **state) {
    (void)state;
    link_plugin(good_dir, "csv.so", "plugins");
    /* A type is never a path: "../plugins/csv" must not reach the file. */
    const char *const folders[] = {"plugins", "sub"};
    mkdir("sub", 0755);
    hz_registry *r = hz_registry_new(folders, 2, false);
    hz_diag diag = {0};
    const hz_loaded_plugin *lp;
    assert_int_equal(hz_registry_need(r, "spreadsheet", &diag, &lp), HZ_PLUGIN_MISSING);
    assert_int_equal(hz_registry_need(r, "../plugins/csv", &diag, &lp), HZ_PLUGIN_MISSING);
    assert_int_equal(hz_registry_need(r, "CSV", &diag, &lp), HZ_PLUGIN_MISSING);
    assert_int_equal(hz_registry_need(r, "", &diag, &lp), HZ_PLUGIN_MISSING);
    assert_int_equal(r->count, 0);
    hz_test_assert_diag(&diag, "");
    /* The folders searched, for the message of an unknown type. */
    char *text = hz_registry_folders_text(r);
    if (strncmp(text, "plugins, sub", 12)) fail_msg("got: %s", text);
    free(text);
    hz_diag_free(&diag);
    hz_registry_free(r);
}

/* --- who can write a plugin ------------------------------------------------------------- */

/* A copy (not a link) of the build's `name` in `folder`. */
static void copy_plugin(const char *name, const char *folder) {
    mkdir(folder, 0755);
    char *from = hz_test_path(good_dir, name), *to = hz_test_path(folder, name);
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
    assert_int_equal(chmod(to, 0755), 0);
    free(from);
    free(to);
}

/* Plugin `name` of folder "plugins" is refused with exactly `message`
 * (with %s for the absolute path of the scratch folder), and loaded with
 * it as a warning under allow_insecure. */
static void assert_insecure(const char *name, const char *message) {
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    const char *const folders[] = {"plugins"};
    char *path = hz_xasprintf("plugins/%s.so", name);
    char *reason = hz_xasprintf(message, cwd, cwd);
    for (int allow = 0; allow < 2; allow++) {
        hz_registry *r = hz_registry_new(folders, 1, allow);
        hz_diag diag = {0};
        const hz_loaded_plugin *lp;
        hz_plugin_status st = hz_registry_need(r, name, &diag, &lp);
        char *want =
            allow ? hz_xasprintf("%s: warning: loading an insecure plugin (--allow-insecure-plugins): %s\n",
                                 path, reason)
                  : hz_xasprintf("%s: error: refused plugin: %s, or run with --allow-insecure-plugins "
                                 "for development\n",
                                 path, reason);
        hz_test_assert_diag(&diag, want);
        assert_int_equal(st, allow ? HZ_PLUGIN_LOADED : HZ_PLUGIN_REFUSED);
        assert_int_equal(r->count, allow ? 1 : 0);
        free(want);
        hz_diag_free(&diag);
        hz_registry_free(r);
    }
    free(reason);
    free(path);
}

static void test_registry_refuses_a_folder_writable_by_others(void **state) {
    (void)state;
    copy_plugin("csv.so", "plugins");
    assert_int_equal(chmod("plugins", 0777), 0);
    assert_insecure("csv", "its folder %s/plugins is writable by its group and others (mode 0777); fix with "
                           "chmod go-w %s/plugins");
    assert_int_equal(chmod("plugins", 0757), 0);
    assert_insecure("csv", "its folder %s/plugins is writable by others (mode 0757); fix with "
                           "chmod o-w %s/plugins");
}

static void test_registry_refuses_a_file_writable_by_its_group(void **state) {
    (void)state;
    copy_plugin("set.so", "plugins");
    assert_int_equal(chmod("plugins/set.so", 0775), 0);
    assert_insecure("set", "it is writable by its group (mode 0775); fix with chmod g-w %s/plugins/set.so");
}

static void test_registry_checks_the_file_a_link_resolves_to(void **state) {
    (void)state;
    /* The link's folder is sound; the file it points to is in a folder
     * anyone can write. */
    copy_plugin("set.so", "open");
    assert_int_equal(chmod("open", 0777), 0);
    mkdir("plugins", 0755);
    assert_int_equal(symlink("../open/set.so", "plugins/set.so"), 0);
    assert_insecure("set",
                    "its folder %s/open is writable by its group and others (mode 0777); fix with chmod "
                    "go-w %s/open");
}

static void test_registry_checks_the_folder_holding_a_link(void **state) {
    (void)state;
    /* The file is sound; the folder holding the link to it is not (the
     * link could be pointed elsewhere). */
    copy_plugin("set.so", "sound");
    mkdir("plugins", 0755);
    assert_int_equal(symlink("../sound/set.so", "plugins/set.so"), 0);
    assert_int_equal(chmod("plugins", 0777), 0);
    assert_insecure("set",
                    "the folder of its link plugins is writable by its group and others (mode 0777); fix "
                    "with chmod go-w plugins");
}

static void test_registry_refuses_a_file_of_another_user(void **state) {
    (void)state;
    if (geteuid() != 0) skip(); /* only root can give a file away */
    copy_plugin("set.so", "plugins");
    assert_int_equal(chown("plugins/set.so", 4242, (gid_t)-1), 0);
    assert_insecure("set",
                    "it belongs to uid 4242, who could change it: only root's or this user's (uid 0) are "
                    "loaded; fix with chown 0 %s/plugins/set.so");
}

static void test_registry_refuses_a_fifo_without_waiting(void **state) {
    (void)state;
    mkdir("plugins", 0755);
    assert_int_equal(mkfifo("plugins/pipe.so", 0644), 0);
    const char *const folders[] = {"plugins"};
    searched s = search(folders, 1);
    hz_test_assert_diag(&s.diag, "plugins/pipe.so: error: refused plugin: it is not a regular file\n");
    searched_free(&s);
}

static void test_registry_plugin_kinds_fit_the_buffer(void **state) {
    (void)state;
    hz_class src = {.role = HZ_ROLE_SOURCE}, tr = {.role = HZ_ROLE_TRANSFORM}, sk = {.role = HZ_ROLE_SINK};
    hz_loaded_plugin p = {0};
    char buf[32];
    p.classes[HZ_ROLE_SOURCE] = &src;
    assert_string_equal(hz_plugin_kinds(&p, buf, sizeof buf), "source");
    p.classes[HZ_ROLE_TRANSFORM] = &tr;
    p.classes[HZ_ROLE_SINK] = &sk;
    assert_string_equal(hz_plugin_kinds(&p, buf, sizeof buf), "source,transform,sink");
    assert_string_equal(hz_plugin_kinds(&p, buf, 10), "source,tr"); /* cut, still terminated */
    p.classes[HZ_ROLE_SOURCE] = NULL;
    p.classes[HZ_ROLE_TRANSFORM] = NULL;
    assert_string_equal(hz_plugin_kinds(&p, buf, sizeof buf), "sink");
}

int main(void) {
    locate(getenv("HARMONIZE_PLUGIN_PATH"), "plugins/.libs", good_dir);
    locate(getenv("HZ_TEST_BAD_PLUGINS"), "tests/plugins/bad/.libs", bad_dir);
    saved_env = getenv("HARMONIZE_PLUGIN_PATH") ? hz_xstrdup(getenv("HARMONIZE_PLUGIN_PATH")) : NULL;
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_registry_loads_the_built_plugins_from_the_environment),
        T(test_registry_loads_a_folder_in_file_name_order),
        T(test_registry_find_matches_whole_names_only),
        T(test_registry_refuses_another_abi_major),
        T(test_registry_refuses_a_library_without_the_entry_symbol),
        T(test_registry_refuses_an_entry_returning_null),
        T(test_registry_refuses_a_name_users_cannot_write),
        T(test_registry_refuses_a_plugin_of_no_kind),
        T(test_registry_refuses_a_truncated_descriptor),
        T(test_registry_loads_a_newer_abi_minor),
        T(test_registry_refuses_a_descriptor_named_unlike_its_file),
        T(test_registry_refuses_one_name_in_two_explicit_folders),
        T(test_registry_plugin_path_comes_before_the_environment),
        T(test_registry_plugin_path_folders_are_searched_in_order),
        T(test_registry_missing_folders_are_not_errors),
        T(test_registry_ignores_files_not_named_like_plugins),
        T(test_registry_refuses_files_that_are_not_shared_objects),
        T(test_registry_reports_every_refusal_at_once),
        T(test_registry_need_loads_only_the_named_plugin),
        T(test_registry_need_of_an_unknown_or_unwritable_name),
        T(test_registry_refuses_a_folder_writable_by_others),
        T(test_registry_refuses_a_file_writable_by_its_group),
        T(test_registry_checks_the_file_a_link_resolves_to),
        T(test_registry_checks_the_folder_holding_a_link),
        T(test_registry_refuses_a_file_of_another_user),
        T(test_registry_refuses_a_fifo_without_waiting),
        T(test_registry_plugin_kinds_fit_the_buffer),
#undef T
    };
    int failed = cmocka_run_group_tests_name("registry", tests, NULL, NULL);
    free(saved_env);
    return failed;
}
