/* A name users could not write as a type: upper case and a dash. */
#include "bad_plugin.h"

static const hz_plugin plugin = {HZ_ABI_MAJOR, HZ_ABI_MINOR, sizeof(hz_plugin), "Bad-Name", "1.0.0", "",
                                 &bad_source, NULL, NULL};

HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host) {
    (void)host;
    return &plugin;
}
