/* Plugin discovery and loading.  Plugin NAME is the file NAME.so in the
 * first folder of the search path (core/plugin_path.h) that has it; only
 * the plugins a pipeline names are opened, each checked for who can write
 * it before dlopen runs any of its code, then its descriptor checked
 * before anything else of it is touched. */
#ifndef HZ_REGISTRY_H
#define HZ_REGISTRY_H
#include <stdbool.h>
#include <stddef.h>

#include <harmonize/plugin.h>

#include "class.h"
#include "diag.h"
#include "plugin_path.h"

typedef struct hz_loaded_plugin {
    const hz_plugin *desc;
    char *path;
    void *handle;
    hz_class *classes[3]; /* by hz_role; NULL for a kind it does not implement */
} hz_loaded_plugin;

typedef struct hz_registry {
    /* The plugins loaded so far, in loading order; each apart, as
     * components keep pointers to them while more are loaded. */
    hz_loaded_plugin **plugins;
    size_t count;
    hz_plugin_search search;
    bool allow_insecure; /* --allow-insecure-plugins: load them with a warning */
    char **refused;      /* names already reported, not reported again */
    size_t nrefused;
    int *fds; /* kept open while loaded: each file's /proc/self/fd/N is unique */
    size_t nfds;
} hz_registry;

typedef enum {
    HZ_PLUGIN_LOADED,
    HZ_PLUGIN_MISSING, /* no NAME.so in any folder (nothing reported) */
    HZ_PLUGIN_REFUSED  /* found but not loaded; the reason went to diag */
} hz_plugin_status;

/* A registry over the search path of `explicit_dirs` (the pipeline's
 * plugin_path and --plugin-path, already resolved): nothing is opened yet. */
hz_registry *hz_registry_new(const char *const *explicit_dirs, size_t nexplicit, bool allow_insecure);
/* Plugin `name`, loaded now if it was not: the first NAME.so of the search
 * path.  The same NAME.so in two explicit folders is refused (the binary's
 * and the installed folder only supply names not found before them), and
 * so is a file whose descriptor gives another name.  Refusals go to diag
 * (file name as position), once per name. */
hz_plugin_status hz_registry_need(hz_registry *r, const char *name, hz_diag *diag,
                                  const hz_loaded_plugin **out);
/* Every NAME.so of every folder (`harmonize plugins`), by the same rules;
 * returns how many files named like a plugin were found. */
size_t hz_registry_load_all(hz_registry *r, hz_diag *diag);
/* hz_registry_new then hz_registry_load_all, without allow_insecure. */
hz_registry *hz_registry_load(const char *const *explicit_dirs, size_t nexplicit, hz_diag *diag);
/* A plugin loaded so far, by its name. */
const hz_loaded_plugin *hz_registry_find(const hz_registry *r, const char *name);
/* The names of the NAME.so files of the search path, loaded or not (for a
 * did-you-mean); free the array and its strings with hz_registry_names_free. */
char **hz_registry_names(const hz_registry *r, size_t *n);
void hz_registry_names_free(char **names, size_t n);
/* The folders searched, in order, missing ones marked: "A, B (missing)". */
char *hz_registry_folders_text(const hz_registry *r);
void hz_registry_free(hz_registry *r);
/* The kinds `p` implements, comma-separated ("source,sink"), written to
 * `buf` (cut to fit); returns buf. */
const char *hz_plugin_kinds(const hz_loaded_plugin *p, char *buf, size_t size);
#endif
