/* The xls plugin: a source reading one sheet of a legacy Excel workbook. */
#ifndef HZ_XLS_PLUGIN_H
#define HZ_XLS_PLUGIN_H
#include <harmonize/plugin.h>

extern const hz_source_class xls_source_class;
#endif
