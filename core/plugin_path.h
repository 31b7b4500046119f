/* Where plugins are looked for: the ordered, de-duplicated list of
 * folders, and the folder found relative to the running binary so that a
 * build tree or a moved install finds its plugins without any variable. */
#ifndef HZ_PLUGIN_PATH_H
#define HZ_PLUGIN_PATH_H
#include <stdbool.h>
#include <stddef.h>

typedef struct hz_plugin_folder {
    char *dir;
    /* The binary's own folder and the installed one only supply names not
     * found before them; a name in two explicit folders is an error. */
    bool fallback;
    const char *origin; /* "plugin_path", "--plugin-path", ... for messages */
} hz_plugin_folder;

typedef struct hz_plugin_search {
    hz_plugin_folder *folders;
    size_t count;
} hz_plugin_search;

/* In order: `explicit_dirs` (the pipeline's plugin_path then --plugin-path,
 * already resolved), $HARMONIZE_PLUGIN_PATH (':'-separated), the folder
 * beside the running binary (hz_plugin_dir_beside), the configured
 * HZ_PLUGINDIR.  A folder already listed (the same path, or the same
 * folder reached another way) is not added again. */
void hz_plugin_search_init(hz_plugin_search *s, const char *const *explicit_dirs, size_t nexplicit);
void hz_plugin_search_free(hz_plugin_search *s);

/* The plugin folder relative to the binary at `exe`: plugins/.libs beside
 * it when that exists (the build tree), else `plugindir` as seen from
 * `bindir` applied to the binary's folder (an install, wherever its prefix
 * went).  NULL when neither can be said. */
char *hz_plugin_dir_beside(const char *exe, const char *bindir, const char *plugindir);

/* `to` as a path relative to folder `from`, both absolute ("/usr/bin",
 * "/usr/lib/x" give "../lib/x"; "." for the same folder); "." and ".."
 * components and repeated slashes are resolved by their text, not on disk.
 * NULL when either is not absolute.  Free it. */
char *hz_path_relative(const char *from, const char *to);
#endif
