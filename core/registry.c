#define _POSIX_C_SOURCE 200809L
#include "registry.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "host.h"
#include "util.h"

#ifndef HZ_PLUGINDIR
#define HZ_PLUGINDIR "/usr/local/lib/harmonize/plugins"
#endif

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.so files of one folder, sorted so that loading is deterministic. */
static char **list_plugins(const char *dir, size_t *n) {
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".so") || e->d_name[0] == '.') continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            names = hz_xrealloc(names, cap * sizeof *names);
        }
        names[(*n)++] = hz_xasprintf("%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (*n) qsort(names, *n, sizeof *names, by_name);
    return names;
}

/* The descriptor's classes into the core's tables; false with the reason
 * in `why` if one is unusable. */
static bool load_classes(hz_loaded_plugin *lp, char *why, size_t size) {
    const hz_plugin *p = lp->desc;
    const void *classes[3] = {p->source, p->transform, p->sink};
    for (int role = 0; role < 3; role++) {
        if (!classes[role]) continue;
        lp->classes[role] = hz_class_load((hz_role)role, classes[role], why, size);
        if (!lp->classes[role]) return false;
    }
    return true;
}

static void unload_classes(hz_loaded_plugin *lp) {
    for (int role = 0; role < 3; role++) hz_class_free(lp->classes[role]);
}

/* Open one file and check its descriptor and classes; false after
 * reporting why not. */
static bool open_plugin(const char *path, hz_loaded_plugin *lp, hz_diag *diag) {
    dlerror();
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        hz_diag_add(diag, HZ_DIAG_ERROR, path, 0, 0, "not a loadable plugin: %s",
                    why ? why : "dlopen failed");
        return false;
    }
    void *sym = dlsym(h, HZ_ENTRY_SYMBOL);
    if (!sym) {
        hz_diag_add(diag, HZ_DIAG_ERROR, path, 0, 0,
                    "not a harmonize plugin: no '%s' symbol (see docs/plugin-guide.md)", HZ_ENTRY_SYMBOL);
        dlclose(h);
        return NULL;
    }
    hz_entry_fn entry;
    memcpy(&entry, &sym, sizeof entry); /* object pointer to function pointer, per POSIX */
    const hz_plugin *p = entry(hz_host_table());
    const char *problem = NULL;
    if (!p)
        problem = "its entry point returned no descriptor";
    else if (p->abi_major != HZ_ABI_MAJOR) {
        hz_diag_add(diag, HZ_DIAG_ERROR, path, 0, 0,
                    "plugin built for ABI %u.%u, but this harmonize has ABI %d.%d: rebuild it against "
                    "this version's <harmonize/plugin.h>",
                    p->abi_major, p->abi_minor, HZ_ABI_MAJOR, HZ_ABI_MINOR);
        dlclose(h);
        return false;
    } else if (p->struct_size < offsetof(hz_plugin, sink) + sizeof p->sink)
        problem = "its descriptor is truncated (struct_size too small)";
    else if (!hz_name_is_valid(p->name))
        problem = "its name must be made of a-z, 0-9 and _";
    else if (!p->source && !p->transform && !p->sink)
        problem = "it implements no source, transform or sink";
    char why[256];
    if (!problem) {
        *lp = (hz_loaded_plugin){.desc = p, .handle = h};
        if (!load_classes(lp, why, sizeof why)) problem = why;
    }
    if (problem) {
        hz_diag_add(diag, HZ_DIAG_ERROR, path, 0, 0, "refused plugin: %s", problem);
        unload_classes(lp);
        dlclose(h);
        return false;
    }
    return true;
}

static void add_folder(hz_registry *r, const char *dir, int fallback, hz_diag *diag) {
    size_t n;
    char **files = list_plugins(dir, &n);
    for (size_t i = 0; i < n; i++) {
        hz_loaded_plugin lp = {0};
        if (!open_plugin(files[i], &lp, diag)) {
            free(files[i]);
            continue;
        }
        const hz_plugin *p = lp.desc;
        const hz_loaded_plugin *seen = hz_registry_find(r, p->name);
        if (seen) {
            /* The installed folder is a fallback: a plugin of the same name
             * found earlier in the path replaces it. */
            if (!fallback)
                hz_diag_add(diag, HZ_DIAG_ERROR, files[i], 0, 0,
                            "two plugins named '%s': this one and %s; remove one from the plugin path",
                            p->name, seen->path);
            unload_classes(&lp);
            dlclose(lp.handle);
            free(files[i]);
            continue;
        }
        lp.path = files[i];
        r->plugins = hz_xrealloc(r->plugins, (r->count + 1) * sizeof *r->plugins);
        r->plugins[r->count++] = lp;
    }
    free(files);
}

hz_registry *hz_registry_load(const char *const *extra, size_t nextra, hz_diag *diag) {
    hz_registry *r = hz_xcalloc(1, sizeof *r);
    for (size_t i = 0; i < nextra; i++) add_folder(r, extra[i], 0, diag);
    const char *env = getenv("HARMONIZE_PLUGIN_PATH");
    if (env && *env) {
        char *copy = hz_xstrdup(env), *save = NULL;
        for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
            add_folder(r, dir, 0, diag);
        free(copy);
    }
    add_folder(r, HZ_PLUGINDIR, 1, diag);
    return r;
}

const hz_loaded_plugin *hz_registry_find(const hz_registry *r, const char *name) {
    for (size_t i = 0; i < r->count; i++)
        if (!strcmp(r->plugins[i].desc->name, name)) return &r->plugins[i];
    return NULL;
}

void hz_registry_free(hz_registry *r) {
    if (!r) return;
    for (size_t i = 0; i < r->count; i++) {
        /* Keep the code mapped under valgrind so leak stacks stay readable. */
        unload_classes(&r->plugins[i]);
        if (!getenv("HARMONIZE_NO_DLCLOSE")) dlclose(r->plugins[i].handle);
        free(r->plugins[i].path);
    }
    free(r->plugins);
    free(r);
}

const char *hz_plugin_kinds(const hz_loaded_plugin *p, char *buf, size_t size) {
    buf[0] = '\0';
    const char *sep = "";
    for (int role = 0; role < 3; role++)
        if (p->classes[role]) {
            snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", sep, hz_role_name((hz_role)role));
            sep = ",";
        }
    return buf;
}
