/* The xml plugin: a streaming source for record-oriented XML exports. */
#ifndef HZ_XML_PLUGIN_H
#define HZ_XML_PLUGIN_H
#include <harmonize/plugin.h>

extern const hz_source_class xml_source_class;
#endif
