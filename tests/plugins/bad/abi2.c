/* Built for a future ABI major: the loader must refuse it, naming the file. */
#include "bad_plugin.h"

static const hz_plugin plugin = {2, 0, sizeof(hz_plugin), "abi2", "1.0.0", "ABI major 2", &bad_source, NULL, NULL};

HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host) {
    (void)host;
    return &plugin;
}
