/* Entry point of the postgresql plugin. */
#include "pg_plugin.h"

const hz_host *pg_host;

static const hz_plugin pg_plugin = {
    HZ_ABI_MAJOR,
    HZ_ABI_MINOR,
    sizeof(hz_plugin),
    "postgresql",
    "1.0.0",
    "PostgreSQL tables, typed, loaded with COPY in one transaction made visible only if the run succeeds",
    NULL,
    NULL,
    &pg_sink_class,
};

HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host);
HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host) {
    pg_host = host;
    return &pg_plugin;
}
