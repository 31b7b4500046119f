/* Entry point of the xml plugin. */
#include "xml_plugin.h"

static const hz_plugin xml_plugin = {
    HZ_PLUGIN_INIT,
    .name = "xml",
    .version = "1.0.0",
    .description =
        "record-oriented XML files, streamed with libxml2 (constant memory whatever the file size)",
    .source = &xml_source_class,
};

HZ_PLUGIN(xml_plugin)
