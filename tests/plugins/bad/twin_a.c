/* One of two different files that both call themselves 'twin'. */
#include "bad_plugin.h"

static const hz_plugin plugin = {HZ_ABI_MAJOR, HZ_ABI_MINOR, sizeof(hz_plugin), "twin", "1.0.a", "twin a",
                                 &bad_source, NULL, NULL};

HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host) {
    (void)host;
    return &plugin;
}
