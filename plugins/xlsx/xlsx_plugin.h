/* The xlsx plugin: a source reading one sheet of an Excel workbook. */
#ifndef HZ_XLSX_PLUGIN_H
#define HZ_XLSX_PLUGIN_H
#include <harmonize/plugin.h>

extern const hz_source_class xlsx_source_class;
#endif
