/* The postgresql plugin: a sink loading one table with COPY. */
#ifndef HZ_PG_PLUGIN_H
#define HZ_PG_PLUGIN_H
#include <harmonize/plugin.h>

extern const hz_sink_class pg_sink_class;
#endif
