/* A newer ABI minor of the same major: loaded (the plugin must check
 * host->abi_minor before using entries the host may not have). */
#include "bad_plugin.h"

static const hz_plugin plugin = {HZ_ABI_MAJOR, 9, sizeof(hz_plugin), "minor9", "1.0.0", "ABI minor 9",
                                 &bad_source, NULL, NULL};

HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host) {
    (void)host;
    return &plugin;
}
