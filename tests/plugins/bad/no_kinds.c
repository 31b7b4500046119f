/* A descriptor with no source, transform or sink class. */
#include "bad_plugin.h"

static const hz_plugin plugin = {HZ_ABI_MAJOR, HZ_ABI_MINOR, sizeof(hz_plugin), "no_kinds", "1.0.0", "", NULL,
                                 NULL, NULL};

HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host) {
    (void)host;
    (void)bad_source;
    return &plugin;
}
