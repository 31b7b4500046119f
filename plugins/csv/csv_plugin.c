/* Entry point of the csv plugin and the option helpers both sides share. */
#include <string.h>

#include "csv_plugin.h"

int csv_byte_option(hz_component *c, const char *name, unsigned char *out) {
    const char *s = hz->opt_string(c, name);
    if (s && !strcmp(s, "\\t")) s = "\t";
    if (!s || strlen(s) != 1) {
        hz->config_error(c, hz->option(c, name),
                         "'%s' must be exactly one byte (\"\\t\" for a tab), not '%s'", name, s ? s : "");
        return -1;
    }
    if (s[0] == '\n' || s[0] == '\r') {
        /* line breaks end records: they cannot also separate or quote */
        hz->config_error(c, hz->option(c, name), "'%s' cannot be a line break", name);
        return -1;
    }
    *out = (unsigned char)s[0];
    return 0;
}

static const hz_plugin csv_plugin = {
    HZ_PLUGIN_INIT,
    .name = "csv",
    .version = "1.0.0",
    .description = "CSV files (RFC 4180): read in utf-8, windows-1252 or iso-8859-1; written as UTF-8 with "
                   "minimal quoting",
    .source = &csv_source_class,
    .sink = &csv_sink_class,
};

HZ_PLUGIN(csv_plugin)
