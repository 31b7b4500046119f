/* Plugin discovery and loading: every *.so in the search path is opened,
 * its descriptor checked before anything else is touched. */
#ifndef HZ_REGISTRY_H
#define HZ_REGISTRY_H
#include <stddef.h>

#include <harmonize/plugin.h>

#include "class.h"
#include "diag.h"

typedef struct hz_loaded_plugin {
    const hz_plugin *desc;
    char *path;
    void *handle;
    hz_class *classes[3]; /* by hz_role; NULL for a kind it does not implement */
} hz_loaded_plugin;

typedef struct hz_registry {
    hz_loaded_plugin *plugins;
    size_t count;
} hz_registry;

/* The search path, in order: `extra` (the pipeline's plugin_path and
 * --plugin-path, already resolved), $HARMONIZE_PLUGIN_PATH, the installed
 * plugin folder.  A name found twice in the first two is refused; the
 * installed folder only supplies names not found before it.  Refusals go
 * to diag (file name as position). */
hz_registry *hz_registry_load(const char *const *extra, size_t nextra, hz_diag *diag);
const hz_loaded_plugin *hz_registry_find(const hz_registry *r, const char *name);
void hz_registry_free(hz_registry *r);
/* The kinds `p` implements, comma-separated ("source,sink"), written to
 * `buf` (cut to fit); returns buf. */
const char *hz_plugin_kinds(const hz_loaded_plugin *p, char *buf, size_t size);
#endif
