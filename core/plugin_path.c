#define _POSIX_C_SOURCE 200809L
#include "plugin_path.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#ifndef HZ_PLUGINDIR
#define HZ_PLUGINDIR "/usr/local/lib/harmonize/plugins"
#endif
#ifndef HZ_BINDIR
#define HZ_BINDIR "/usr/local/bin"
#endif

/* The components of an absolute path with "." and ".." applied. */
static size_t split_path(const char *path, char ***parts) {
    size_t n = 0;
    *parts = NULL;
    char *copy = hz_xstrdup(path), *save = NULL;
    for (char *p = strtok_r(copy, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
        if (!strcmp(p, ".")) continue;
        if (!strcmp(p, "..")) {
            if (n) free((*parts)[--n]);
            continue;
        }
        *parts = hz_xrealloc(*parts, (n + 1) * sizeof **parts);
        (*parts)[n++] = hz_xstrdup(p);
    }
    free(copy);
    return n;
}

static void free_parts(char **parts, size_t n) {
    for (size_t i = 0; i < n; i++) free(parts[i]);
    free(parts);
}

char *hz_path_relative(const char *from, const char *to) {
    if (from[0] != '/' || to[0] != '/') return NULL;
    char **f, **t;
    size_t nf = split_path(from, &f), nt = split_path(to, &t), common = 0;
    while (common < nf && common < nt && !strcmp(f[common], t[common])) common++;
    hz_strbuf out = {0};
    for (size_t i = common; i < nf; i++) hz_strbuf_adds(&out, out.len ? "/.." : "..");
    for (size_t i = common; i < nt; i++) {
        if (out.len) hz_strbuf_adds(&out, "/");
        hz_strbuf_adds(&out, t[i]);
    }
    char *rel = hz_xstrdup(out.len ? hz_strbuf_cstr(&out) : ".");
    hz_strbuf_free(&out);
    free_parts(f, nf);
    free_parts(t, nt);
    return rel;
}

/* An absolute path with "." and ".." applied (the binary's own folder
 * has no symlinks left, so its ".." is its parent). */
static char *normalize(const char *path) {
    char **parts;
    size_t n = split_path(path, &parts);
    hz_strbuf out = {0};
    for (size_t i = 0; i < n; i++) hz_strbuf_printf(&out, "/%s", parts[i]);
    char *norm = hz_xstrdup(n ? hz_strbuf_cstr(&out) : "/");
    hz_strbuf_free(&out);
    free_parts(parts, n);
    return norm;
}

static bool is_folder(const char *dir) {
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

char *hz_plugin_dir_beside(const char *exe, const char *bindir, const char *plugindir) {
    if (!exe || exe[0] != '/') return NULL;
    char *exe_dir = hz_dirname(exe);
    /* The build tree: libtool leaves the plugin modules in plugins/.libs
     * beside the harmonize it links. */
    char *dir = hz_xasprintf("%s/plugins/.libs", exe_dir);
    if (!is_folder(dir)) {
        free(dir);
        char *rel = hz_path_relative(bindir, plugindir);
        char *joined = rel ? hz_xasprintf("%s/%s", exe_dir, rel) : NULL;
        dir = joined ? normalize(joined) : NULL;
        free(joined);
        free(rel);
    }
    free(exe_dir);
    return dir;
}

/* Whether `dir` names a folder already in the list, by its text or (when
 * both exist) by being the same folder on disk. */
static bool already_listed(const hz_plugin_search *s, const char *dir) {
    struct stat st, other;
    bool exists = stat(dir, &st) == 0;
    for (size_t i = 0; i < s->count; i++) {
        if (!strcmp(s->folders[i].dir, dir)) return true;
        if (exists && stat(s->folders[i].dir, &other) == 0 && other.st_dev == st.st_dev &&
            other.st_ino == st.st_ino)
            return true;
    }
    return false;
}

static void add(hz_plugin_search *s, const char *dir, bool fallback, const char *origin) {
    if (!dir || !*dir || already_listed(s, dir)) return;
    s->folders = hz_xrealloc(s->folders, (s->count + 1) * sizeof *s->folders);
    s->folders[s->count++] = (hz_plugin_folder){hz_xstrdup(dir), fallback, origin};
}

void hz_plugin_search_init(hz_plugin_search *s, const char *const *explicit_dirs, size_t nexplicit) {
    *s = (hz_plugin_search){0};
    for (size_t i = 0; i < nexplicit; i++) add(s, explicit_dirs[i], false, "plugin path");
    const char *env = getenv("HARMONIZE_PLUGIN_PATH");
    if (env && *env) {
        char *copy = hz_xstrdup(env), *save = NULL;
        for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
            add(s, dir, false, "HARMONIZE_PLUGIN_PATH");
        free(copy);
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *beside = hz_plugin_dir_beside(exe, HZ_BINDIR, HZ_PLUGINDIR);
        add(s, beside, true, "beside the binary");
        free(beside);
    }
    add(s, HZ_PLUGINDIR, true, "installed");
}

void hz_plugin_search_free(hz_plugin_search *s) {
    for (size_t i = 0; i < s->count; i++) free(s->folders[i].dir);
    free(s->folders);
    *s = (hz_plugin_search){0};
}
