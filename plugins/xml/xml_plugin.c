/* Entry point of the xml plugin. */
#include "xml_plugin.h"

const hz_host *xml_host;

static const hz_plugin xml_plugin = {
    HZ_ABI_MAJOR,
    HZ_ABI_MINOR,
    sizeof(hz_plugin),
    "xml",
    "1.0.0",
    "record-oriented XML files, streamed with libxml2 (constant memory whatever the file size)",
    &xml_source_class,
    NULL,
    NULL,
};

HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host);
HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host) {
    xml_host = host;
    return &xml_plugin;
}
