/* Checking a component's options against its plugin's typed table. */
#ifndef HZ_OPTIONS_H
#define HZ_OPTIONS_H
#include "pipeline.h"

/* Keys of a component mapping that belong to the core, not the plugin. */
bool hz_option_is_reserved(const char *key);
/* Check every key of c->node against c->options, fill c->opt_values,
 * defaults and resolved paths.  Errors go to the pipeline's diag. */
void hz_options_check(hz_component *c);
/* "string", "int", ... for messages and `harmonize plugins NAME`. */
const char *hz_option_type_name(hz_option_type t);
/* Index of option `name` in c->options, or -1. */
long hz_option_index(const hz_component *c, const char *name);
void hz_options_free(hz_component *c);
#endif
