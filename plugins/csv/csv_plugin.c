/* Entry point of the csv plugin and the option helpers both sides share. */
#include <string.h>

#include "csv_plugin.h"

const hz_host *csv_host;

int csv_byte_option(hz_component *c, const char *name, unsigned char *out) {
    const char *s = csv_host->opt_string(c, name);
    if (s && !strcmp(s, "\\t")) s = "\t";
    if (!s || strlen(s) != 1) {
        csv_host->config_error(c, csv_host->option(c, name),
                               "'%s' must be exactly one byte (\"\\t\" for a tab), not '%s'", name,
                               s ? s : "");
        return -1;
    }
    if (s[0] == '\n' || s[0] == '\r') {
        /* line breaks end records: they cannot also separate or quote */
        csv_host->config_error(c, csv_host->option(c, name), "'%s' cannot be a line break", name);
        return -1;
    }
    *out = (unsigned char)s[0];
    return 0;
}

const char *csv_shown_path(hz_component *c, const char *path) {
    const char *dir = csv_host->pipeline_dir(c);
    size_t n = strlen(dir);
    if (n && !strncmp(path, dir, n) && path[n] == '/') return path + n + 1;
    return path;
}

static const hz_plugin csv_plugin = {
    HZ_ABI_MAJOR,
    HZ_ABI_MINOR,
    sizeof(hz_plugin),
    "csv",
    "1.0.0",
    "CSV files (RFC 4180): read in utf-8, windows-1252 or iso-8859-1; written as UTF-8 with minimal quoting",
    &csv_source_class,
    NULL,
    &csv_sink_class,
};

HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host);
HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host) {
    csv_host = host;
    return &csv_plugin;
}
