/* Entry point of the xls plugin. */
#include "xls_plugin.h"

static const hz_plugin xls_plugin = {
    HZ_PLUGIN_INIT,
    .name = "xls",
    .version = "1.0.0",
    .description = "one sheet of a legacy Excel workbook (.xls, BIFF), read whole through FreeXL within "
                   "max_file_bytes: header row, range, dates as ISO dates",
    .source = &xls_source_class,
};

HZ_PLUGIN(xls_plugin)
