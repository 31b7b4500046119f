/* Entry point of the postgresql plugin. */
#include "pg_plugin.h"

static const hz_plugin pg_plugin = {
    HZ_PLUGIN_INIT,
    .name = "postgresql",
    .version = "1.0.0",
    .description =
        "PostgreSQL tables, typed, loaded with COPY in one transaction made visible only if the run succeeds",
    .sink = &pg_sink_class,
};

HZ_PLUGIN(pg_plugin)
