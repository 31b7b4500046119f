/* Entry point of the sqlite plugin. */
#include "sqlite_plugin.h"

const hz_host *sqlite_host;

static const hz_plugin sqlite_plugin = {
    HZ_ABI_MAJOR,
    HZ_ABI_MINOR,
    sizeof(hz_plugin),
    "sqlite",
    "1.0.0",
    "SQLite tables, typed, written in one transaction per database file and published only if the run "
    "succeeds",
    NULL,
    NULL,
    &sqlite_sink_class,
};

HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host);
HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host) {
    sqlite_host = host;
    return &sqlite_plugin;
}
