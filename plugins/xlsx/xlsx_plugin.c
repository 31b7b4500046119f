/* Entry point of the xlsx plugin. */
#include "xlsx_plugin.h"

static const hz_plugin xlsx_plugin = {
    HZ_PLUGIN_INIT,
    .name = "xlsx",
    .version = "1.0.0",
    .description = "one sheet of an Excel workbook (.xlsx), unzipped and parsed as a stream (libarchive, "
                   "libxml2): header row, range, date serials as ISO dates",
    .source = &xlsx_source_class,
};

HZ_PLUGIN(xlsx_plugin)
