/* A shared object without the entry symbol (a misspelt one instead). */
#include "bad_plugin.h"

const hz_plugin *harmonize_plugin_entrypoint(const hz_host *host);

static const hz_plugin plugin = {HZ_ABI_MAJOR, HZ_ABI_MINOR, sizeof(hz_plugin), "no_entry", "1.0.0", "",
                                 &bad_source, NULL, NULL};

HZ_EXPORT const hz_plugin *harmonize_plugin_entrypoint(const hz_host *host) {
    (void)host;
    return &plugin;
}
