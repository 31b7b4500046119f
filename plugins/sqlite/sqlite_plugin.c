/* Entry point of the sqlite plugin. */
#include "sqlite_plugin.h"

static const hz_plugin sqlite_plugin = {
    HZ_PLUGIN_INIT,
    .name = "sqlite",
    .version = "1.0.0",
    .description =
        "SQLite tables, typed, written in one transaction per database file and published only if the run "
        "succeeds",
    .sink = &sqlite_sink_class,
};

HZ_PLUGIN(sqlite_plugin)
