/* The sqlite plugin: a sink writing one table of a SQLite database. */
#ifndef HZ_SQLITE_PLUGIN_H
#define HZ_SQLITE_PLUGIN_H
#include <harmonize/plugin.h>

extern const hz_sink_class sqlite_sink_class;
#endif
