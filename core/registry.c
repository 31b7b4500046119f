#define _POSIX_C_SOURCE 200809L
#include "registry.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline.h"
#include "host.h"
#include "plugin_file.h"
#include "util.h"

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the NAME.so files of one folder, sorted so that loading is
 * deterministic (a name that is not a valid plugin name included, so that
 * `harmonize plugins` can say why it is refused). */
static char **list_names(const char *dir, size_t *n) {
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
        names[(*n)++] = hz_xstrndup(e->d_name, len - 3);
    }
    closedir(d);
    if (*n) qsort(names, *n, sizeof *names, by_name);
    return names;
}

void hz_registry_names_free(char **names, size_t n) {
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
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

/* dlerror() names the file as dlopen was given it (/proc/self/fd/N): the
 * part after that name. */
static const char *dlopen_reason(const char *dlname) {
    const char *why = dlerror();
    if (!why) return "dlopen failed";
    size_t n = strlen(dlname);
    if (!strncmp(why, dlname, n) && why[n] == ':') why += n + 1 + (why[n + 1] == ' ');
    return why;
}

/* Open plugin `name` from `path` and check its descriptor and classes;
 * false after reporting why not. */
static bool open_plugin(hz_registry *r, const char *name, const char *path, hz_loaded_plugin *lp,
                        hz_diag *diag) {
    char why[512];
    hz_plugin_file file;
    if (!hz_plugin_file_open(path, r->allow_insecure, &file, why, sizeof why)) {
        if (file.insecure)
            hz_diag_add(diag, HZ_DIAG_ERROR, path, 0, 0,
                        "refused plugin: %s, or run with --allow-insecure-plugins for development", why);
        else
            hz_diag_add(diag, HZ_DIAG_ERROR, path, 0, 0, "refused plugin: %s", why);
        return false;
    }
    if (file.insecure)
        hz_diag_add(diag, HZ_DIAG_WARNING, path, 0, 0,
                    "loading an insecure plugin (--allow-insecure-plugins): %s", why);
    /* Kept open until the registry is freed: while a plugin loaded through
     * /proc/self/fd/N is mapped, no other may be opened under that name. */
    r->fds = hz_xrealloc(r->fds, (r->nfds + 1) * sizeof *r->fds);
    r->fds[r->nfds++] = file.fd;
    file.fd = -1;
    dlerror();
    void *h = dlopen(file.dlname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        hz_diag_add(diag, HZ_DIAG_ERROR, path, 0, 0, "not a loadable plugin: %s", dlopen_reason(file.dlname));
        hz_plugin_file_close(&file);
        return false;
    }
    hz_plugin_file_close(&file);
    void *sym = dlsym(h, HZ_ENTRY_SYMBOL);
    if (!sym) {
        hz_diag_add(diag, HZ_DIAG_ERROR, path, 0, 0,
                    "not a harmonize plugin: no '%s' symbol (see docs/plugin-guide.md)", HZ_ENTRY_SYMBOL);
        dlclose(h);
        return false;
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
    else if (strcmp(p->name, name)) {
        /* Found by its file name: a type must load the plugin it names. */
        snprintf(why, sizeof why, "its descriptor names it '%s', but plugin '%s' must be the file %s.so",
                 p->name, name, name);
        problem = why;
    } else if (!p->source && !p->transform && !p->sink)
        problem = "it implements no source, transform or sink";
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

static bool is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static bool was_refused(const hz_registry *r, const char *name) {
    for (size_t i = 0; i < r->nrefused; i++)
        if (!strcmp(r->refused[i], name)) return true;
    return false;
}

static hz_plugin_status refuse(hz_registry *r, const char *name) {
    r->refused = hz_xrealloc(r->refused, (r->nrefused + 1) * sizeof *r->refused);
    r->refused[r->nrefused++] = hz_xstrdup(name);
    return HZ_PLUGIN_REFUSED;
}

hz_plugin_status hz_registry_need(hz_registry *r, const char *name, hz_diag *diag,
                                  const hz_loaded_plugin **out) {
    *out = hz_registry_find(r, name);
    if (*out) return HZ_PLUGIN_LOADED;
    if (was_refused(r, name)) return HZ_PLUGIN_REFUSED;
    /* The name becomes part of a path: nothing but a-z, 0-9 and _. */
    if (!hz_name_is_valid(name)) return HZ_PLUGIN_MISSING;
    char *found = NULL;
    bool found_explicit = false;
    for (size_t i = 0; i < r->search.count; i++) {
        const hz_plugin_folder *f = &r->search.folders[i];
        if (found && (!found_explicit || f->fallback)) break;
        char *path = hz_xasprintf("%s/%s.so", f->dir, name);
        if (!is_file(path)) {
            free(path);
        } else if (found) {
            hz_diag_add(diag, HZ_DIAG_ERROR, path, 0, 0,
                        "two plugins named '%s': this one and %s; remove one from the plugin path", name,
                        found);
            free(path);
            free(found);
            return refuse(r, name);
        } else {
            found = path;
            found_explicit = !f->fallback;
        }
    }
    if (!found) return HZ_PLUGIN_MISSING;
    hz_loaded_plugin lp = {0};
    if (!open_plugin(r, name, found, &lp, diag)) {
        free(found);
        return refuse(r, name);
    }
    lp.path = found;
    r->plugins = hz_xrealloc(r->plugins, (r->count + 1) * sizeof *r->plugins);
    r->plugins[r->count] = hz_xmalloc(sizeof lp);
    *r->plugins[r->count] = lp;
    *out = r->plugins[r->count++];
    return HZ_PLUGIN_LOADED;
}

size_t hz_registry_load_all(hz_registry *r, hz_diag *diag) {
    size_t files = 0;
    for (size_t i = 0; i < r->search.count; i++) {
        const char *dir = r->search.folders[i].dir;
        size_t n;
        char **names = list_names(dir, &n);
        files += n;
        for (size_t k = 0; k < n; k++) {
            const hz_loaded_plugin *lp;
            if (hz_registry_find(r, names[k]) || was_refused(r, names[k])) continue;
            if (!hz_name_is_valid(names[k])) {
                hz_diag_add(
                    diag, HZ_DIAG_ERROR, dir, 0, 0,
                    "refused plugin file %s.so: a plugin's file is NAME.so, NAME made of a-z, 0-9 and _",
                    names[k]);
                refuse(r, names[k]);
                continue;
            }
            hz_registry_need(r, names[k], diag, &lp);
        }
        hz_registry_names_free(names, n);
    }
    return files;
}

hz_registry *hz_registry_new(const char *const *explicit_dirs, size_t nexplicit, bool allow_insecure) {
    hz_registry *r = hz_xcalloc(1, sizeof *r);
    hz_plugin_search_init(&r->search, explicit_dirs, nexplicit);
    r->allow_insecure = allow_insecure;
    return r;
}

hz_registry *hz_registry_load(const char *const *explicit_dirs, size_t nexplicit, hz_diag *diag) {
    hz_registry *r = hz_registry_new(explicit_dirs, nexplicit, false);
    hz_registry_load_all(r, diag);
    return r;
}

const hz_loaded_plugin *hz_registry_find(const hz_registry *r, const char *name) {
    for (size_t i = 0; i < r->count; i++)
        if (!strcmp(r->plugins[i]->desc->name, name)) return r->plugins[i];
    return NULL;
}

char **hz_registry_names(const hz_registry *r, size_t *n) {
    char **all = NULL;
    *n = 0;
    for (size_t i = 0; i < r->search.count; i++) {
        size_t k;
        char **names = list_names(r->search.folders[i].dir, &k);
        all = hz_xrealloc(all, (*n + k + 1) * sizeof *all);
        for (size_t j = 0; j < k; j++) all[(*n)++] = names[j];
        free(names);
    }
    return all;
}

char *hz_registry_folders_text(const hz_registry *r) {
    hz_strbuf s = {0};
    for (size_t i = 0; i < r->search.count; i++) {
        struct stat st;
        const char *dir = r->search.folders[i].dir;
        hz_strbuf_printf(&s, "%s%s%s", i ? ", " : "", dir,
                         stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? "" : " (missing)");
    }
    char *text = hz_xstrdup(hz_strbuf_cstr(&s));
    hz_strbuf_free(&s);
    return text;
}

void hz_registry_free(hz_registry *r) {
    if (!r) return;
    /* Keep the code mapped under valgrind and the sanitizers so that leak
     * stacks stay readable. */
    bool keep_mapped = getenv("HARMONIZE_NO_DLCLOSE") != NULL;
    for (size_t i = 0; i < r->count; i++) {
        unload_classes(r->plugins[i]);
        if (!keep_mapped) dlclose(r->plugins[i]->handle);
        free(r->plugins[i]->path);
        free(r->plugins[i]);
    }
    free(r->plugins);
    /* A plugin still mapped is known to the dynamic loader by the name it
     * was loaded under, /proc/self/fd/N: were N closed and reused, a later
     * dlopen of that name would return the old plugin.  So its descriptor
     * stays open as long as it does. */
    for (size_t i = 0; i < r->nfds && !keep_mapped; i++) close(r->fds[i]);
    free(r->fds);
    hz_registry_names_free(r->refused, r->nrefused);
    hz_plugin_search_free(&r->search);
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
