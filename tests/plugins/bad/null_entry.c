/* An entry point that returns no descriptor. */
#include <harmonize/plugin.h>

const hz_plugin *harmonize_plugin_entry(const hz_host *host);

HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host) {
    (void)host;
    return NULL;
}
